"""Procurement (WM-SO 2.4 a, 4.4 a): award, close, and the hand-over of the file to every member for its archive;
the DVO checklist (MH 8.2 a-j)."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from inkoop import services
from inkoop.models import Handover, ProcedureStatus, ServiceAgreement
from regio.models import AccessLog
from tests.inkoop.builders import provider

pytestmark = pytest.mark.django_db


def _awarded(world):
    coordinator = world.user("a1", "coordinator")
    procedure = services.create_procedure(
        user=coordinator,
        region=world.a,
        reference="A-AB-1",
        title="Begeleiding",
        kind="open_house",
        published_on=date(2025, 2, 3),
        tender_deadline=date(2025, 3, 17),
    )
    lot = services.add_lot(user=coordinator, procedure=procedure, number=1, title="Begeleiding")
    services.award(user=coordinator, lot=lot, provider=provider(world), awarded_on=date(2025, 5, 12))
    procedure.refresh_from_db()
    return procedure


def test_wm_so_4_4_a_closing_hands_the_file_to_every_member(world):
    procedure = _awarded(world)
    assert procedure.status == ProcedureStatus.AWARDED
    handovers = services.close_procedure(
        user=world.user("a1", "coordinator"), procedure=procedure, closed_on=date(2025, 6, 30)
    )
    assert sorted(h.municipality.code for h in handovers) == ["GM0882", "GM0888", "GM1883"]
    export = services.procedure_export(procedure)
    assert {h.sha256 for h in handovers} == {hashlib.sha256(export).hexdigest()}
    data = json.loads(export)
    assert data["percelen"][0]["gunningen"][0]["kvk"] == "62668362"
    with pytest.raises(ValidationError):
        services.add_lot(user=world.user("a1", "coordinator"), procedure=procedure, number=2, title="Te laat")


def test_a_member_downloads_the_closed_file_and_the_download_is_logged(world):
    procedure = _awarded(world)
    services.close_procedure(user=world.user("a1", "coordinator"), procedure=procedure, closed_on=date(2025, 6, 30))
    response = world.client("a2", "ambtenaar").get(f"/inkoop/aanbestedingen/{procedure.pk}/export/")
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == Handover.objects.unrestricted().first().sha256
    assert AccessLog.objects.unrestricted().filter(action="export", object_id=str(procedure.pk)).exists()


def test_an_open_procedure_has_no_export_yet(world):
    procedure = _awarded(world)
    assert world.client("a2", "ambtenaar").get(f"/inkoop/aanbestedingen/{procedure.pk}/export/").status_code == 404


def test_mh_8_2_checklist_shows_what_a_dvo_misses_including_the_wnt(world):
    every = dict.fromkeys(services.service_agreements.ITEM_FIELDS, True)
    row = services.save_service_agreement(
        user=world.user("a1", "coordinator"),
        region=world.a,
        reference="A-DVO",
        title="DVO",
        providers=[provider(world)],
        items={**every, "has_legislation": False},
    )
    assert row.missing == ["8.2 d"] and not row.complete
    page = world.client("a2", "ambtenaar").get("/inkoop/dvo/").content.decode()
    assert "8.2 d" in page and "Wnt" in page
    assert ServiceAgreement.objects.unrestricted().get().providers.count() == 1

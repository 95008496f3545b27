"""The API draws up, adopts and invoices BNO's annual report and a leaver's exit statement as their pages do
(issue 12): through the same services, permissions as on the pages, 400 in Dutch on bad input, and idempotent (a
second "invoice" makes nothing new)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from costsharing.models import AnnualReportVersion, BudgetLine, ExitStatement
from invoicing.models import Invoice
from tests.costsharing.test_annual_report import bno, centre  # noqa: F401 (the fixture)
from tests.invoicing.test_exit_bill import _wm_ready

D = Decimal
pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_annual_report_drawn_up_adopted_and_invoiced_through_the_api(bno):  # noqa: F811
    world = bno
    api, member = _api(centre(world)), _api(world.user("a2", "ambtenaar"))
    reports = "/api/v1/regions/regio-a/annual-reports/"
    base = f"{reports}2024"
    # A member may not draw up (403 before its input is read); bad input answers 400 in Dutch.
    assert member.post(reports, {"year": 2024, "content": "van een lid"}, format="json").status_code == 403
    too_long = api.post(reports, {"year": 2024, "content": "x" * 20_001}, format="json")
    assert too_long.status_code == 400 and "Hoogstens 20.000 tekens" in str(too_long.json())
    assert not AnnualReportVersion.objects.unrestricted().exists()

    first = api.post(reports, {"year": 2024, "content": "Inkoop 2024 afgerond."}, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["latest"]["number"] == 1 and first.json()["status"] == "awaiting_adoption"
    again = api.post(reports, {"year": 2024, "content": "Inkoop 2024 afgerond."}, format="json")
    assert again.status_code == 200 and AnnualReportVersion.objects.unrestricted().count() == 1
    assert "Inkoop 2024 afgerond." in member.get(f"{base}/").content.decode()
    bad_year = api.post(reports, {"year": "vorig jaar", "content": "x"}, format="json")
    assert bad_year.status_code == 400 and "Geef het jaar" in str(bad_year.json())

    # Invoicing before the adoption: refused in words (BNO 10.6); nothing is made.
    early = api.post(f"{base}/invoice/")
    assert early.status_code == 400 and "nog niet vastgesteld" in str(early.json())
    assert not Invoice.objects.unrestricted().exists()
    assert member.post(f"{base}/invoice/").status_code == 403

    adopted = api.post(f"{base}/adopt/", {"version": 1, "adopted_on": "2025-05-20"}, format="json")
    assert adopted.status_code == 200 and adopted.json()["status"] == "adopted"
    made = api.post(f"{base}/invoice/")
    assert made.status_code == 201 and made.json()["created"] == 2
    numbers = sorted(d["number"] for d in made.json()["documents"])
    twice = api.post(f"{base}/invoice/")
    assert twice.status_code == 200 and twice.json()["created"] == 0
    assert sorted(d["number"] for d in twice.json()["documents"]) == numbers
    assert Invoice.objects.unrestricted().count() == 2
    # The member sees its own document only.
    own = member.get(f"{base}/invoice/").json()
    assert [d["recipient"] for d in own["documents"]] == [world.a2.code] and own["source"]["status"] == "adopted"
    # A redraw after the adoption is refused in words.
    late = api.post(reports, {"year": 2024, "content": "Nog een tekst."}, format="json")
    assert late.status_code == 400 and "verandert niet meer" in str(late.json())


def test_exit_statement_drawn_up_finalised_and_invoiced_through_the_api():
    from tests.costsharing.test_leavers import effected_notice

    wm, agreement = _wm_ready()
    BudgetLine.objects.create(
        region=wm.region, year=2026, category="legal", description="Juridisch", amount=D("300000.00")
    )
    notice = effected_notice(
        wm.coordinator, agreement, wm.beek, received=date(2026, 6, 1), effect_on=date(2026, 7, 1), dissolution=True
    )
    api, beek = _api(wm.coordinator), _api(wm.beek_user)
    assert beek.post("/api/v1/exit-statements/", {"notice": notice.pk}, format="json").status_code == 403
    bad = api.post("/api/v1/exit-statements/", {"notice": "de opzegging"}, format="json")
    assert bad.status_code == 400 and "Geef het nummer (id) van de opzegging." in str(bad.json())
    unknown = api.post("/api/v1/exit-statements/", {"notice": 999999}, format="json")
    assert unknown.status_code == 400 and "Onbekende opzegging" in str(unknown.json())

    drawn = api.post("/api/v1/exit-statements/", {"notice": notice.pk}, format="json")
    assert drawn.status_code == 201, drawn.content
    pk = drawn.json()["id"]
    assert drawn.json()["municipality"] == wm.beek.code and drawn.json()["status"] == "concept"
    assert api.post("/api/v1/exit-statements/", {"notice": notice.pk}, format="json").status_code == 200
    assert ExitStatement.objects.unrestricted().count() == 1

    early = api.post(f"/api/v1/exit-statements/{pk}/invoice/")
    assert early.status_code == 400 and "eerst vast" in str(early.json())
    assert beek.post(f"/api/v1/exit-statements/{pk}/finalise/").status_code == 403
    final = api.post(f"/api/v1/exit-statements/{pk}/finalise/")
    assert final.status_code == 200 and final.json()["status"] == "vastgesteld"
    assert api.post(f"/api/v1/exit-statements/{pk}/finalise/").status_code == 200  # once adopted: nothing changes

    assert beek.post(f"/api/v1/exit-statements/{pk}/invoice/").status_code == 403
    made = api.post(f"/api/v1/exit-statements/{pk}/invoice/")
    assert made.status_code == 201 and made.json()["created"] == 1
    twice = api.post(f"/api/v1/exit-statements/{pk}/invoice/")
    assert twice.status_code == 200 and twice.json()["created"] == 0
    assert twice.json()["documents"][0]["number"] == made.json()["documents"][0]["number"]
    assert Invoice.objects.unrestricted().count() == 1
    seen = beek.get(f"/api/v1/exit-statements/{pk}/invoice/").json()
    assert seen["source"]["status"] == "gefactureerd" and len(seen["documents"]) == 1

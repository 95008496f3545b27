"""The governance API, region file, demo and the pages that show the privacy agreements (issue #15), on the seed
regions of the demo."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client
from rest_framework.test import APIClient

from agreements.demo import brabant_amendment_waiting_for_councils, westelijke_mijnstreek_dispute
from agreements.models import Amendment, Dispute, ProcessingAgreement
from agreements.services import missing_consents
from regio.models import User
from regio.regionfile import RegionFileError
from regio.regionfile.loader import import_file, import_text
from regio.tenancy import system_actor
from tests.agreements.conftest import DEMO

REASONS = "Stein meent dat de voorschotten 2026 niet volgens WM-SO 6.2 zijn berekend en onderbouwt dat hier."


def client_for(username: str, api: bool = True):
    client = APIClient() if api else Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def governance(seeds):
    for path in sorted(DEMO.glob("25-governance-*.yaml")):
        import_file(path, user=system_actor("test"))
    westelijke_mijnstreek_dispute()
    brabant_amendment_waiting_for_councils()
    return seeds


def _payload(**extra):
    return {
        "agreement": "WM-SO-2025",
        "raised_by": "GM0971",
        "reported_on": "2026-03-20",
        "subject": "Voorschotten 2026",
        "reasons": REASONS,
        **extra,
    }


def test_api_dispute_reported_goes_on_the_next_meeting_and_is_seen_by_the_parties_only(governance):
    response = client_for("sittard-geleen-coordinator").post("/api/v1/disputes/", _payload(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["meeting_date"], body["raised_by"]) == ("geagendeerd", "2026-04-16", "GM0971")
    subjects = [d["subject"] for d in client_for("stein-ambtenaar").get("/api/v1/disputes/").json()["results"]]
    assert "Voorschotten 2026" in subjects
    assert client_for("oss-ambtenaar").get("/api/v1/disputes/").json()["results"] == []
    assert client_for("oss-ambtenaar").get(f"/api/v1/disputes/{body['id']}/").status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (_payload(reasons="te kort"), "reasons"),
        (_payload(raised_by="GM0828"), "raised_by"),
        (_payload(agreement="BNO-2020"), "agreement"),
        (_payload(reported_on="2026-02-31"), "reported_on"),
        (_payload(reported_on="9999-12-31"), "reported_on"),
    ],
)
def test_api_bad_dispute_answers_400_in_dutch_and_saves_nothing(governance, payload, field):
    before = Dispute.objects.unrestricted().count()
    response = client_for("sittard-geleen-coordinator").post("/api/v1/disputes/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Dispute.objects.unrestricted().count() == before


def test_api_escalation_offers_only_the_court_of_limburg_for_wm_so(governance):
    coordinator = client_for("sittard-geleen-coordinator")
    dispute = coordinator.post("/api/v1/disputes/", _payload(), format="json").json()
    url = f"/api/v1/disputes/{dispute['id']}/"
    routes = coordinator.get(url + "escalation/").json()["routes"]
    assert routes == [{"route": "rechter", "article": "WM-SO 14.4", "forum": "rechtbank Limburg"}]
    decided = coordinator.post(
        url + "decision/",
        {"decided_on": "2026-04-16", "resolved": False, "decision": "Geen overeenstemming"},
        format="json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "niet_opgelost"
    refused = coordinator.post(
        url + "escalation/", {"route": "gedeputeerde_staten", "started_on": "2026-05-01"}, format="json"
    )
    assert refused.status_code == 400 and "route" in refused.json()
    escalated = coordinator.post(url + "escalation/", {"route": "rechter", "started_on": "2026-05-01"}, format="json")
    assert escalated.status_code == 200
    assert escalated.json()["escalations"][0]["forum"] == "rechtbank Limburg"


def test_api_processing_agreements_register_per_region(governance, django_assert_max_num_queries):
    stein = client_for("stein-ambtenaar")
    with django_assert_max_num_queries(10):
        body = stein.get("/api/v1/processing-agreements/").json()
    codes = {p["code"]: p for p in body["results"]}
    assert set(codes) == {"WM-VWO-2025", "WM-VWO-UITV-BEEK-2025", "WM-VWO-UITV-STEIN-2025", "WM-GV-2025"}
    roles = {p["municipality"]: p["role"] for p in codes["WM-VWO-2025"]["parties"]}
    assert roles == {
        "GM1883": "verwerker",
        "GM0971": "verwerkingsverantwoordelijke",
        "GM0888": "verwerkingsverantwoordelijke",
    }
    assert client_for("oss-ambtenaar").get("/api/v1/processing-agreements/").json()["results"] == []
    assert client_for("oss-ambtenaar").get("/api/v1/processing-agreements/WM-GV-2025/").status_code == 404


def test_demo_dispute_resolved_and_bno_amendment_waits_for_two_councils(governance):
    dispute = Dispute.objects.unrestricted().get(agreement__code="WM-SO-2025", raised_by__code="GM0888")
    assert dispute.status == "opgelost" and dispute.meeting.date == date(2026, 4, 16)
    assert dispute.legal_costs_split == "afrekening" and dispute.legal_costs_category == "dispute_advice"
    amendment = Amendment.objects.unrestricted().get(agreement__code="BNO-2020")
    missing, against = missing_consents(subject=amendment, on=date(2023, 6, 1))
    assert sorted(p.name for p in missing) == ["Land van Cuijk", "Maashorst"] and against == []
    # a second run changes nothing
    assert "bestaat al" in westelijke_mijnstreek_dispute()
    assert "bestaat al" in brabant_amendment_waiting_for_councils()
    assert Dispute.objects.unrestricted().count() == 1


def test_region_file_refuses_a_processing_party_outside_the_region_whole(governance):
    data = {
        "region": {"code": "westelijke-mijnstreek", "name": "Westelijke Mijnstreek"},
        "processing_agreements": [
            {
                "code": "WM-VWO-X",
                "title": "X",
                "kind": "verwerkersovereenkomst",
                "domain": "algemeen",
                "agreement": "WM-SO-2025",
                "from": "2025-04-01",
                "parties": [{"municipality": "GM0828", "role": "verwerker"}],
            }
        ],
    }
    with pytest.raises(RegionFileError) as refused:
        import_text(json.dumps(data), "wm.json", user=system_actor("test"))
    assert "processing_agreements[0].parties[0].municipality" in str(refused.value.problems)
    assert not ProcessingAgreement.objects.unrestricted().filter(code="WM-VWO-X").exists()


def test_beschermd_wonen_page_names_the_privacy_agreement(governance):
    page = client_for("sittard-geleen-bw", api=False).get("/beschermd-wonen/clienten/").content.decode()
    assert "Overeenkomst verwerkingsverantwoordelijken beschermd wonen en toezicht Wmo" in page
    assert "Verwerkersovereenkomst Westelijke Mijnstreek" not in page  # the general one is not about these data


def test_dispute_pages_answer_in_dutch_and_save_nothing_on_bad_input(governance):
    dispute = Dispute.objects.unrestricted().get(agreement__code="WM-SO-2025", raised_by__code="GM0888")
    coordinator = client_for("sittard-geleen-coordinator", api=False)
    page = coordinator.get(f"/geschillen/{dispute.pk}/").content.decode()
    assert "rechtbank Limburg" in page and "Kosten juridisch advies in de afrekening opnemen" in page
    response = coordinator.post(f"/geschillen/{dispute.pk}/", {"step": "boeken", "boeken-booked_on": "31-02-2026"})
    assert response.status_code == 400 and "Geef een geldige datum" in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.legal_costs_booked_on is None

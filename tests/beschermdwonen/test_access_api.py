"""The API of advice requests, disagreements and replacements (WM-DVO annex 2 §2-4): the pages' steps through the
same services, the same people, bad input 400 in Dutch, every read of a record in the access log."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from beschermdwonen.models import AdviceRequest, Disagreement, Replacement
from regio.models import AccessLog
from regio.roles import Role
from tests.beschermdwonen.money_builders import BWM
from tests.factories import UserFactory

API = "/api/v1/beschermd-wonen"


@pytest.fixture
def wm(db):
    wm = BWM()
    wm.beek_bw = UserFactory(username="bwm-beek-bw", municipality=wm.beek, roles=[Role.PROTECTED_HOUSING])
    wm.client("BW-API-1", wm.stein, since=date(2024, 1, 1))
    return wm


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def _logged(user, model) -> int:
    return AccessLog.objects.unrestricted().filter(user=user, object_type__icontains=model).count()


def test_advice_request_asked_advised_and_decided_through_the_api(wm):
    stein, team = _api(wm.stein_bw), _api(wm.team)
    intake = {"requested_on": "2025-03-01", "case_reference": "STEIN-7", "question": "Welk product?", "situation": "S"}
    asked = stein.post(f"{API}/advice-requests/", intake, format="json")
    assert asked.status_code == 201, asked.content
    pk = asked.json()["id"]
    assert asked.json()["requested_by"] == "GM0971" and asked.json()["status"] == "requested"
    assert team.post(f"{API}/advice-requests/", intake, format="json").status_code == 403  # the team does not ask
    # Only the team advises, only Stein decides: 403 before any input is read.
    assert stein.post(f"{API}/advice-requests/{pk}/advice/", {}, format="json").status_code == 403
    assert team.post(f"{API}/advice-requests/{pk}/decision/", {}, format="json").status_code == 403
    early = stein.post(f"{API}/advice-requests/{pk}/decision/", {"decision": "followed", "decided_on": "2025-03-05"})
    assert early.status_code == 400 and "nog geen advies" in early.content.decode()
    advice = {
        "advised_on": "2025-03-10",
        "advice_begeleiding": True,
        "advice_bb": "basis",
        "advice_text": "Begeleiding en B&B basis",
    }
    answer = team.post(f"{API}/advice-requests/{pk}/advice/", {**advice, "client": "BW-API-1"}, format="json")
    assert answer.status_code == 200 and answer.json()["client"] == "BW-API-1"
    not_followed = {"decision": "not_followed", "decided_on": "2025-03-12"}
    refused = stein.post(f"{API}/advice-requests/{pk}/decision/", not_followed, format="json")
    assert refused.status_code == 400
    assert refused.json()["decision_note"] == ["Zeg waarom het advies niet (helemaal) is gevolgd."]
    decided = stein.post(f"{API}/advice-requests/{pk}/decision/", {**not_followed, "note": "Eigen afweging"})
    assert decided.status_code == 200 and decided.json()["status"] == "decided"
    assert AdviceRequest.objects.unrestricted().get(pk=pk).decision == "not_followed"
    # Beek's staff does not see Stein's request; Stein's reads are logged.
    assert _api(wm.beek_bw).get(f"{API}/advice-requests/{pk}/").status_code == 404
    before = _logged(wm.stein_bw, "advice")
    assert stein.get(f"{API}/advice-requests/{pk}/").status_code == 200
    assert _logged(wm.stein_bw, "advice") == before + 1


def test_bad_input_answers_400_in_dutch_and_changes_nothing(wm):
    stein = _api(wm.stein_bw)
    bsn = {"requested_on": "2025-03-01", "case_reference": "X", "question": "BSN 999990019", "situation": "S"}
    answer = stein.post(f"{API}/advice-requests/", bsn, format="json")
    assert answer.status_code == 400 and "question" in answer.json()
    assert "999990019" not in answer.content.decode()
    future = {"requested_on": "2999-01-01", "case_reference": "X", "question": "Q", "situation": "S"}
    assert stein.post(f"{API}/advice-requests/", future, format="json").status_code == 400
    other = {"client": "BW-ONBEKEND", "opened_on": "2025-04-01", "subject": "Wie?"}
    answer = _api(wm.team).post(f"{API}/disagreements/", other, format="json")
    assert answer.status_code == 400 and answer.json()["client"] == [
        "Deze cliëntreferentie staat niet in uw register."
    ]
    assert not AdviceRequest.objects.unrestricted().exists() and not Disagreement.objects.unrestricted().exists()


def test_disagreement_steps_and_close_only_with_an_outcome(wm):
    team = _api(wm.team)
    opened = team.post(
        f"{API}/disagreements/", {"client": "BW-API-1", "opened_on": "2025-04-01", "subject": "Wie betaalt?"}
    )
    assert opened.status_code == 201, opened.content
    pk = opened.json()["id"]
    step = team.post(f"{API}/disagreements/{pk}/steps/", {"taken_on": "2025-04-02", "step": "Ambtelijk overleg"})
    assert step.status_code == 200 and step.json()["steps"][0]["step"] == "Ambtelijk overleg"
    empty = team.post(f"{API}/disagreements/{pk}/close/", {"closed_on": "2025-04-03", "outcome": ""})
    assert empty.status_code == 400 and "outcome" in empty.json()
    closed = team.post(f"{API}/disagreements/{pk}/close/", {"closed_on": "2025-04-03", "outcome": "Stein betaalt"})
    assert closed.status_code == 200 and closed.json()["closed_on"] == "2025-04-03"
    again = team.post(f"{API}/disagreements/{pk}/steps/", {"taken_on": "2025-04-04", "step": "Nog een"})
    assert again.status_code == 400 and "afgesloten" in again.content.decode()
    stein = _api(wm.stein_bw)  # Stein's staff sees the case of its resident, but the team runs it
    assert stein.get(f"{API}/disagreements/{pk}/").status_code == 200
    assert stein.post(f"{API}/disagreements/", {}, format="json").status_code == 403


def test_replacement_closes_only_after_the_warm_handover(wm):
    team = _api(wm.team)
    new = {"client": "BW-API-1", "reported_on": "2025-05-01", "reason": "Onhoudbaar", "responsible_provider": "A"}
    opened = team.post(f"{API}/replacements/", new, format="json")
    assert opened.status_code == 201, opened.content
    pk = opened.json()["id"]
    early = team.post(f"{API}/replacements/{pk}/close/", {"closed_on": "2025-05-02"})
    assert early.status_code == 400 and "warme overdracht" in early.content.decode()
    meeting = team.post(
        f"{API}/replacements/{pk}/case-meeting/", {"meeting_on": "2025-05-06", "invited_providers": "B"}
    )
    assert meeting.status_code == 200
    same = team.post(f"{API}/replacements/{pk}/handover/", {"receiving_provider": "A", "handover_on": "2025-05-20"})
    assert same.status_code == 400 and same.json()["receiving_provider"]
    handover = team.post(
        f"{API}/replacements/{pk}/handover/", {"receiving_provider": "B", "handover_on": "2025-05-20"}
    )
    assert handover.status_code == 200
    closed = team.post(f"{API}/replacements/{pk}/close/", {"closed_on": "2025-05-21"})
    assert closed.status_code == 200 and Replacement.objects.unrestricted().get(pk=pk).closed_on == date(2025, 5, 21)
    assert _api(wm.stein_bw).post(f"{API}/replacements/{pk}/handover/", {}).status_code == 403


def test_lists_take_a_fixed_number_of_queries(wm):
    team = _api(wm.team)
    team.get(f"{API}/replacements/")  # the first request of a session reads the user's scope once
    counts = []
    for n in (1, 6):
        client = wm.client(f"BW-LIST-{n}", wm.beek, since=date(2024, 1, 1))
        for i in range(n):
            Replacement.objects.create(
                client=client, reported_on=date(2025, 5, 1), reason="R", responsible_provider="P"
            )
            Disagreement.objects.create(client=client, opened_on=date(2025, 4, 1), subject=f"G{i}")
            AdviceRequest.objects.create(
                region=wm.region,
                requested_by=wm.beek,
                requested_on=date(2025, 3, 1),
                case_reference=f"B-{n}-{i}",
                question="Q",
                situation="S",
            )
        with CaptureQueriesContext(connection) as queries:
            for route in ("replacements", "disagreements", "advice-requests"):
                answer = team.get(f"{API}/{route}/")
                assert answer.status_code == 200 and answer.json()["count"] >= n
        counts.append(len(queries))
    assert counts[0] == counts[1]

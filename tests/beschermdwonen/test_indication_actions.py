"""Ending an indication and reporting the own contribution to the CAK afterwards (issue 13; WM-DVO annex 2 §1:
"financiële administratie van de eigen bijdrage"): the access team only, on the indication's page and through the
API (POST), plausible dates, every change in the indication's history with who made it and why."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from beschermdwonen.models import Client, Indication, Residence
from regio.models import AccessLog


@pytest.fixture
def indication(world):
    client = Client.objects.create(region=world.a, reference="BW-IND-1")
    Residence.objects.create(client=client, municipality=world.a2, valid_from=date(2024, 1, 1))
    return Indication.objects.create(
        client=client,
        product="begeleiding",
        decided_on=date(2024, 2, 1),
        care_start=date(2024, 3, 1),
        decided_by=world.a2,
        responsible_municipality=world.a2,
    )


def _fresh(indication):
    return Indication.objects.unrestricted().get(pk=indication.pk)


def test_the_team_ends_an_indication_on_its_page_and_the_history_says_who_and_why(world, indication):
    team_user = world.user("a1", "bw")
    page = reverse("bw-indication-detail", args=[indication.pk])
    team = world.client("a1", "bw")
    assert "Indicatie beëindigen" in team.get(page).content.decode()
    response = team.post(page, {"stap": "einde", "einde-ends_on": "31-12-2025"})
    assert response.status_code == 302
    assert _fresh(indication).ends_on == date(2025, 12, 31)
    record = indication.history.order_by("-history_date").first()
    assert record.history_user == team_user and "beëindigd per 31-12-2025" in record.history_change_reason
    # Ended once: the form is gone and the service refuses a second end.
    assert "Indicatie beëindigen" not in team.get(page).content.decode()
    again = team.post(page, {"stap": "einde", "einde-ends_on": "30-06-2025"})
    assert again.status_code == 302 and _fresh(indication).ends_on == date(2025, 12, 31)
    assert AccessLog.objects.filter(object_type="beschermdwonen.Indication", object_id=str(indication.pk)).exists()


@pytest.mark.parametrize(
    "value, message",
    [
        ("29-02-2024", "voor de startdatum"),
        ((timezone.localdate() + timedelta(days=400)).strftime("%d-%m-%Y"), "meer dan een jaar vooruit"),
        ("31-12-1899", "te ver in het verleden"),
        ("morgen", "geldige datum"),
    ],
)
def test_an_implausible_end_is_refused_in_dutch_and_changes_nothing(world, indication, value, message):
    response = world.client("a1", "bw").post(
        reverse("bw-indication-detail", args=[indication.pk]), {"stap": "einde", "einde-ends_on": value}
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert _fresh(indication).ends_on is None


def test_the_own_contribution_report_date_is_after_the_decision_and_not_in_the_future(world, indication):
    page = reverse("bw-indication-detail", args=[indication.pk])
    team = world.client("a1", "bw")
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d-%m-%Y")
    for value in ("15-01-2024", tomorrow):
        response = team.post(page, {"stap": "eigen-bijdrage", "eigen-bijdrage-reported_on": value})
        assert response.status_code == 200
    assert _fresh(indication).own_contribution_reported_on is None
    team.post(page, {"stap": "eigen-bijdrage", "eigen-bijdrage-reported_on": "15-03-2024"})
    assert _fresh(indication).own_contribution_reported_on == date(2024, 3, 15)
    assert "CAK" in indication.history.order_by("-history_date").first().history_change_reason


def test_the_api_ends_and_reports_with_400_on_bad_input(world, indication):
    api = world.client("a1", "bw", api=True)
    end = reverse("api:bw-indication-end", args=[indication.pk])
    report = reverse("api:bw-indication-own-contribution", args=[indication.pk])
    assert api.get(end).json()["may_act"] is True
    bad = api.post(end, {"ends_on": "2024-01-01"}, format="json")
    assert bad.status_code == 400 and "startdatum" in str(bad.json()["ends_on"])
    assert api.post(end, {"ends_on": "31-12-2025"}, format="json").status_code == 400
    assert api.post(end, {}, format="json").status_code == 400
    done = api.post(end, {"ends_on": "2025-06-30"}, format="json")
    assert done.status_code == 200 and done.json()["ends_on"] == "2025-06-30"
    assert api.get(end).json()["may_act"] is False
    assert api.post(end, {"ends_on": "2025-07-31"}, format="json").status_code == 400
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    assert api.post(report, {"reported_on": future}, format="json").status_code == 400
    reported = api.post(report, {"reported_on": "2024-03-05"}, format="json")
    assert reported.status_code == 200 and reported.json()["own_contribution_reported_on"] == "2024-03-05"
    assert _fresh(indication).ends_on == date(2025, 6, 30)


def test_a_member_sees_but_may_not_act_and_another_member_gets_404(world, indication):
    member = world.client("a2", "bw", api=True)
    end = reverse("api:bw-indication-end", args=[indication.pk])
    assert member.get(end).json()["may_act"] is False
    assert member.post(end, {"ends_on": "2025-06-30"}, format="json").status_code == 403
    assert world.client("a3", "bw", api=True).post(end, {"ends_on": "2025-06-30"}, format="json").status_code == 404
    page = world.client("a2", "bw").get(reverse("bw-indication-detail", args=[indication.pk])).content.decode()
    assert "Indicatie beëindigen" not in page and "01-03-2024" in page
    assert _fresh(indication).ends_on is None

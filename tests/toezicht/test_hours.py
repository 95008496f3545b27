"""Issue 14, hours against capacity: capacity = FTE (WM-DVO annex 4) × the year's productive hours."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from guardian.shortcuts import assign_perm

from tests.toezicht.builders import fresh
from toezicht.models import HoursEntry, SupervisionCapacity
from toezicht.services import hours_against_capacity, register_hours, set_productive_hours


@pytest.fixture
def supervisor(world):
    user = world.user("a1", "toezichthouder")
    assign_perm("regio.supervise_municipality", user, world.a2)
    SupervisionCapacity.objects.create(region=world.a, municipality=world.a2, year=2025, fte=Decimal("0.35"))
    SupervisionCapacity.objects.create(region=world.a, municipality=world.a1, year=2025, fte=Decimal("2"))
    return fresh(user)


def test_hours_only_for_an_assigned_municipality(world, supervisor):
    with pytest.raises(PermissionDenied):
        register_hours(user=supervisor, municipality=world.a1, week=date(2025, 3, 5), hours=Decimal("8"))
    with pytest.raises(PermissionDenied):
        register_hours(user=world.user("a2", "ambtenaar"), municipality=world.a2, week=date(2025, 3, 5), hours=1)
    assert not HoursEntry.objects.unrestricted().exists()


def test_a_week_is_its_monday_and_recording_it_again_replaces_it(world, supervisor):
    register_hours(user=supervisor, municipality=world.a2, week=date(2025, 3, 5), hours=Decimal("8"))
    entry = register_hours(user=supervisor, municipality=world.a2, week=date(2025, 3, 7), hours=Decimal("9.5"))
    assert entry.week == date(2025, 3, 3)
    assert list(HoursEntry.objects.unrestricted().values_list("hours", flat=True)) == [Decimal("9.50")]


def test_capacity_is_fte_times_productive_hours_and_a_deviation_above_the_setting_is_flagged(
    world, supervisor, settings
):
    settings.TOEZICHT_PRODUCTIVE_HOURS = 1400
    settings.TOEZICHT_DEVIATION_PERCENT = 10
    # Beek 0.35 FTE × 1400 = 490 hours; 539 is +10.0% (not above the limit), 540 is +10.2%.
    for week in range(11):
        HoursEntry.objects.create(
            supervisor=supervisor,
            municipality=world.a2,
            week=date(2025, 1, 6) + timedelta(weeks=week),  # the last is 17-03-2025
            hours=Decimal("49"),
        )
    rows = {r.municipality.name: r for r in hours_against_capacity(user=world.user("a2"), region=world.a, year=2025)}
    beek = rows["Beek"]
    assert (beek.capacity_hours, beek.realised_hours, beek.deviation_percent) == (
        Decimal("490.00"),
        Decimal("539.00"),
        Decimal("10.0"),
    )
    assert not beek.flagged
    HoursEntry.objects.unrestricted().filter(week=date(2025, 3, 17)).update(hours=Decimal("50"))
    beek = hours_against_capacity(user=world.user("a2"), region=world.a, year=2025)[0]
    assert beek.deviation_percent == Decimal("10.2") and beek.flagged
    # Sittard-Geleen: 2 FTE and no hours at all is −100%: flagged too.
    assert rows["Sittard-Geleen"].flagged


def test_productive_hours_recorded_for_the_year_win_over_the_setting(world, supervisor):
    set_productive_hours(user=world.user("a1", "coordinator"), region=world.a, year=2025, hours=Decimal("1500"))
    rows = hours_against_capacity(user=world.user("a2"), region=world.a, year=2025)
    assert rows[0].capacity_hours == Decimal("525.00")
    with pytest.raises(PermissionDenied):
        set_productive_hours(user=world.user("a2"), region=world.a, year=2025, hours=Decimal("1"))


def test_hours_page_query_count_does_not_grow_with_weeks(world, supervisor, django_assert_max_num_queries):
    for week in range(30):
        HoursEntry.objects.create(
            supervisor=supervisor,
            municipality=world.a2,
            week=date(2025, 1, 6) + timedelta(weeks=week),
            hours=Decimal("4"),
        )
    client = world.client("a1", "toezichthouder")
    client.force_login(supervisor)
    url = reverse("toezicht-hours") + "?regio=regio-a&jaar=2025"
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert response.status_code == 200
    assert "120,0" in response.content.decode()


def test_supervisor_records_hours_on_the_page_and_bad_input_is_a_dutch_400(world, supervisor):
    client = world.client("a1", "toezichthouder")
    url = reverse("toezicht-hours")
    response = client.post(url, {"municipality": "GM0888", "week": "05-03-2025", "hours": "200"})
    assert response.status_code == 400
    response = client.post(url, {"municipality": "GM0888", "week": "05-03-2025", "hours": "7,5"})
    assert response.status_code == 302
    assert HoursEntry.objects.unrestricted().get().hours == Decimal("7.50")


def test_api_hours_and_capacity(world, supervisor):
    client = world.client("a1", "toezichthouder", api=True)
    response = client.post("/api/v1/toezicht/hours/", {"municipality": "GM1883", "week": "2025-03-03", "hours": "4"})
    assert response.status_code == 400 and "municipality" in response.json()
    response = client.post("/api/v1/toezicht/hours/", {"municipality": "GM0888", "week": "2025-03-03", "hours": "4"})
    assert response.status_code == 201
    data = client.get("/api/v1/toezicht/hours-against-capacity/?region=regio-a&year=2025").json()
    assert {d["municipality"]: d["realised_hours"] for d in data}["GM0888"] == "4.00"


def test_coordinator_records_productive_hours_on_the_page_others_get_403(world, supervisor):
    url = reverse("toezicht-hours") + "?regio=regio-a&jaar=2025"
    assert world.client("a2", "ambtenaar").post(url, {"productive_hours": "1500"}).status_code == 403
    assert world.client("a1", "toezichthouder").post(url, {"productive_hours": "1500"}).status_code == 403
    coordinator = world.client("a1", "coordinator")
    assert coordinator.post(url, {"productive_hours": "-5"}).status_code == 400
    assert coordinator.post(url, {"productive_hours": "1500"}).status_code == 302
    page = coordinator.get(url).content.decode()
    assert "525,0" in page  # Beek 0.35 × 1500


@pytest.mark.parametrize(
    "bad",
    [
        {"hours": "1e400"},
        {"hours": "-1"},
        {"hours": "abc"},
        {"week": "0001-01-01"},
        {"week": "9999-12-31"},
        {"week": 20250303},
        {"municipality": ["GM0888"]},
    ],
)
def test_api_hours_hostile_input_is_a_dutch_400(world, supervisor, bad):
    api = world.client("a1", "toezichthouder", api=True)
    payload = {"municipality": "GM0888", "week": "2025-03-03", "hours": "4", **bad}
    response = api.post("/api/v1/toezicht/hours/", payload, format="json")
    assert response.status_code == 400, response.content
    assert not HoursEntry.objects.unrestricted().exists()

"""Notifications (meldingen) of beschermd wonen (issue 13; WM-DVO annexes 1 and 2)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from beschermdwonen import services
from beschermdwonen.models import Notification
from regio.models import AccessLog


@pytest.fixture
def team(world):
    return world.user("a1", "bw")


@pytest.fixture
def client_a(world, team):
    client = services.register_client(
        user=team, region=world.a, municipality=world.a2, valid_from=date(2024, 1, 1), reference="BW-N1"
    )
    services.record_move(user=team, client=client, municipality=world.a3, valid_from=date(2025, 1, 1))
    return client


def _notify(team, client, on, **kw):
    return services.record_notification(
        user=team, client=client, notified_on=on, kind=kw.pop("kind", "intramural"), notified_by="Huisarts", **kw
    )


def test_the_municipality_is_where_the_client_lives_on_the_date(world, team, client_a):
    assert _notify(team, client_a, date(2024, 6, 1)).municipality == world.a2
    assert _notify(team, client_a, date(2025, 6, 1), kind="extramural").municipality == world.a3
    with pytest.raises(ValidationError, match="geen woonplaats"):
        _notify(team, client_a, date(2023, 6, 1))
    with pytest.raises(ValidationError, match="intramuraal of extramuraal"):
        _notify(team, client_a, date(2025, 6, 1), kind="dagbesteding")


def test_only_the_access_team_records_and_nothing_is_saved(world, client_a):
    for who in [("a3", "bw"), ("a1", "coordinator"), ("b1", "bw")]:
        with pytest.raises(PermissionDenied):
            _notify(world.user(*who), client_a, date(2025, 6, 1))
    assert not Notification.objects.unrestricted().exists()


def test_a_bsn_in_who_notified_is_refused_on_page_and_api(world, team, client_a):
    page = world.client("a1", "bw").post(
        reverse("bw-notification-create"),
        {"client": "BW-N1", "notified_on": "01-06-2025", "kind": "intramural", "notified_by": "ouder van 111222333"},
    )
    assert page.status_code == 200 and "burgerservicenummer" in page.content.decode()
    api = world.client("a1", "bw", api=True).post(
        reverse("api:bw-notification-list"),
        {"client": "BW-N1", "notified_on": "2025-06-01", "kind": "intramural", "notified_by": "111.222.333"},
        format="json",
    )
    assert api.status_code == 400 and "notified_by" in api.json()
    assert "111" not in api.content.decode()
    assert not Notification.objects.unrestricted().exists()


def test_the_api_answers_bad_input_with_dutch_400s(world, team, client_a):
    api = world.client("a1", "bw", api=True)
    url = reverse("api:bw-notification-list")
    good = {"client": "BW-N1", "notified_on": "2025-06-01", "kind": "extramural", "notified_by": "Wijkteam"}
    for bad, field in [
        ({**good, "client": "BW-ONBEKEND"}, "client"),
        ({**good, "notified_on": "2999-01-01"}, "notified_on"),
        ({**good, "kind": "x" * 10_000}, "kind"),
        ({**good, "notified_by": ""}, "notified_by"),
    ]:
        response = api.post(url, bad, format="json")
        assert response.status_code == 400, (bad, response.content[:300])
        assert field in response.json()
    response = api.post(url, good, format="json")
    assert response.status_code == 201 and response.json()["municipality"] == world.a3.code


def test_reading_a_notification_is_logged_and_members_see_their_own(world, team, client_a):
    old = _notify(team, client_a, date(2024, 6, 1))  # then resident in a2
    # Woonplaatsbeginsel on the record's own date: the client lives in a3 today, but this notification is a2's.
    assert world.client("a3", "bw").get(reverse("bw-notification-detail", args=[old.pk])).status_code == 404
    reader = world.client("a2", "bw")
    assert reader.get(reverse("bw-notification-detail", args=[old.pk])).status_code == 200
    api = world.client("a2", "bw", api=True)
    assert api.get(reverse("api:bw-notification-detail", args=[old.pk])).status_code == 200
    assert (
        list(AccessLog.objects.unrestricted().values_list("object_type", flat=True))
        == ["beschermdwonen.Notification"] * 2
    )


def test_the_notification_list_query_count_does_not_grow(world, team, client_a, django_assert_max_num_queries):
    for day in range(1, 15):
        _notify(team, client_a, date(2025, 2, day))
    browser = world.client("a1", "bw")
    with django_assert_max_num_queries(12):
        response = browser.get(reverse("bw-notification-list"))
    assert response.status_code == 200 and response.content.decode().count("BW-N1") == 14
    api = world.client("a1", "bw", api=True)
    with django_assert_max_num_queries(12):
        assert api.get(reverse("api:bw-notification-list")).json()["count"] == 14

"""Woonplaatsbeginsel over time (issue 13, "Access and privacy": a member's staff sees "only clients whose
municipality of residence is theirs (on the date concerned)"): a client who moved from one member to another on
1 July shows its records of the first half year to the first member and its later ones to the second, on the pages,
in the API and in the selectors; the access team sees all of them."""

from datetime import date

import pytest
from django.urls import reverse

from beschermdwonen import selectors
from beschermdwonen.models import Client, Indication, Notification, Residence


@pytest.fixture
def moved(world):
    """A client in a2 until 30 June 2025 and in a3 from 1 July, with a notification and an indication in each half."""
    client = Client.objects.create(region=world.a, reference="BW-VERHUISD")
    Residence.objects.create(
        client=client, municipality=world.a2, valid_from=date(2024, 1, 1), valid_to=date(2025, 6, 30)
    )
    Residence.objects.create(client=client, municipality=world.a3, valid_from=date(2025, 7, 1))
    records = {"client": client}
    for half, town, on in (("first", world.a2, date(2025, 3, 3)), ("second", world.a3, date(2025, 9, 9))):
        records[f"{half}_notification"] = Notification.objects.create(
            client=client, notified_on=on, kind="extramural", municipality=town, notified_by=f"Wijkteam {half}"
        )
        records[f"{half}_indication"] = Indication.objects.create(
            client=client,
            product="begeleiding",
            decided_on=on,
            care_start=on,
            decided_by=town,
            responsible_municipality=town,
        )
    return records


def test_each_member_sees_the_records_of_its_own_period(world, moved):
    first = (moved["first_notification"], moved["first_indication"])
    second = (moved["second_notification"], moved["second_indication"])
    for who, mine in ((("a2", "bw"), first), (("a3", "bw"), second), (("a1", "bw"), first + second)):
        user = world.user(*who)
        assert set(selectors.notifications_for(user)) == {r for r in mine if isinstance(r, Notification)}, who
        assert set(selectors.indications_for(user)) == {r for r in mine if isinstance(r, Indication)}, who
        # Both members keep the client file itself: it lived in each of them.
        assert list(selectors.clients_for(user)) == [moved["client"]]
    # The day of the move decides: a record dated 30 June is the old member's, 1 July the new one's.
    for on, town, sees, blind in ((date(2025, 6, 30), world.a2, "a2", "a3"), (date(2025, 7, 1), world.a3, "a3", "a2")):
        record = Notification.objects.create(
            client=moved["client"], notified_on=on, kind="intramural", municipality=town, notified_by="Huisarts"
        )
        assert selectors.notifications_for(world.user(sees, "bw")).filter(pk=record.pk).exists()
        assert not selectors.notifications_for(world.user(blind, "bw")).filter(pk=record.pk).exists()


def test_the_pages_show_each_member_its_own_half(world, moved):
    first, second = moved["first_notification"], moved["second_notification"]
    stein, beek = world.client("a2", "bw"), world.client("a3", "bw")
    assert stein.get(reverse("bw-notification-detail", args=[first.pk])).status_code == 200
    assert stein.get(reverse("bw-notification-detail", args=[second.pk])).status_code == 404
    assert beek.get(reverse("bw-notification-detail", args=[first.pk])).status_code == 404
    assert beek.get(reverse("bw-notification-detail", args=[second.pk])).status_code == 200
    listed = stein.get(reverse("bw-notification-list")).content.decode()
    assert "09-09-2025" not in listed and "03-03-2025" in listed
    # The client file: the old member sees its period and its indication, not where the client went nor what
    # happened after the move; the new member the other way round.
    page = stein.get(reverse("bw-client-detail", args=["BW-VERHUISD"])).content.decode()
    assert "03-03-2025" in page and "09-09-2025" not in page and world.a3.name not in page
    page = beek.get(reverse("bw-client-detail", args=["BW-VERHUISD"])).content.decode()
    assert "09-09-2025" in page and "03-03-2025" not in page and world.a2.name not in page


def test_the_api_shows_each_member_its_own_half(world, moved):
    stein = world.client("a2", "bw", api=True)
    body = stein.get(reverse("api:bw-indication-list")).json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [row["care_start"] for row in rows] == ["2025-03-03"]
    assert stein.get(reverse("api:bw-indication-detail", args=[moved["second_indication"].pk])).status_code == 404
    assert stein.get(reverse("api:bw-notification-detail", args=[moved["second_notification"].pk])).status_code == 404
    client = stein.get(reverse("api:bw-client-detail", args=["BW-VERHUISD"])).json()
    assert [r["municipality"] for r in client["residences"]] == [world.a2.code]


def test_the_client_list_does_not_grow_in_queries_with_moves(world, moved, django_assert_max_num_queries):
    for n in range(5):
        client = Client.objects.create(region=world.a, reference=f"BW-EXTRA-{n}")
        Residence.objects.create(
            client=client, municipality=world.a2, valid_from=date(2024, 1, 1), valid_to=date(2024, 12, 31)
        )
        Residence.objects.create(client=client, municipality=world.a3, valid_from=date(2025, 1, 1))
    stein = world.client("a2", "bw")
    stein.get(reverse("bw-client-list"))  # warm the session and the scope
    with django_assert_max_num_queries(12):
        response = stein.get(reverse("bw-client-list"))
    assert response.content.decode().count(">BW-EXTRA-") == 5

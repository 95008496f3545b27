"""Matrix cases of beschermd wonen's woonplaatsbeginsel over time (issue 13): a client of region A lived in a2 until
30 June 2025 and in a3 from 1 July. Its record of September is a3's: a3's ``bw`` staff sees it, a2's (where the client
lived before), a2's portfolio holder and region B do not. Detail pages, lists and API."""

from datetime import date

from beschermdwonen.models import Client, Indication, Notification, Residence
from tests.tenancy.matrix import Case

FORMER_AND_NO_ROLE = (("a2", "bw"), ("a3", "wethouder"), ("a1", "coordinator"))


def _moved_client(world):
    client = Client.objects.create(region=world.a, reference="BW-MATRIX-VERHUISD")
    Residence.objects.create(
        client=client, municipality=world.a2, valid_from=date(2024, 1, 1), valid_to=date(2025, 6, 30)
    )
    Residence.objects.create(client=client, municipality=world.a3, valid_from=date(2025, 7, 1))
    return client


def _later_notification(world):
    notification = Notification.objects.create(
        client=_moved_client(world),
        notified_on=date(2025, 9, 9),
        kind="intramural",
        municipality=world.a3,
        notified_by="Wijkteam NA-VERHUIZING",
    )
    return {"pk": notification.pk}


def _later_indication(world):
    indication = Indication.objects.create(
        client=_moved_client(world),
        product="bb_intensief",
        decided_on=date(2025, 9, 1),
        care_start=date(2025, 9, 19),
        decided_by=world.a3,
        responsible_municipality=world.a3,
    )
    return {"pk": indication.pk}


def _listed(build):
    def make(world):
        build(world)
        return {}

    return make


CASES = [
    Case(
        "bw-notification-detail",
        _later_notification,
        lambda w, kw: "Wijkteam NA-VERHUIZING",
        insider=("a3", "bw"),
        outsiders=FORMER_AND_NO_ROLE,
    ),
    Case(
        "bw-notification-list",
        _listed(_later_notification),
        lambda w, kw: "09-09-2025",
        kind="list",
        insider=("a3", "bw"),
        outsiders=FORMER_AND_NO_ROLE,
    ),
    Case(
        "api:bw-notification-detail",
        _later_notification,
        lambda w, kw: "Wijkteam NA-VERHUIZING",
        insider=("a3", "bw"),
        outsiders=FORMER_AND_NO_ROLE,
    ),
    Case(
        "api:bw-indication-detail",
        _later_indication,
        lambda w, kw: '"care_start":"2025-09-19"',
        insider=("a3", "bw"),
        outsiders=FORMER_AND_NO_ROLE,
    ),
    Case(
        "api:bw-indication-list",
        _listed(_later_indication),
        lambda w, kw: '"care_start":"2025-09-19"',
        kind="list",
        insider=("a3", "bw"),
        outsiders=FORMER_AND_NO_ROLE,
    ),
]

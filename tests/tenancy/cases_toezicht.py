"""Matrix cases of toezicht (issue #5: the supervision FTE split, WM-DVO annex 4)."""

from decimal import Decimal

from tests.tenancy.matrix import Case
from toezicht.models import SupervisionCapacity


def _capacity(world):
    SupervisionCapacity.objects.create(region=world.a, municipality=world.a1, year=2025, fte=Decimal("2"))
    SupervisionCapacity.objects.create(region=world.a, municipality=world.a2, year=2025, fte=Decimal("0.35"))
    return {}


def _snapshot(world, kwargs):
    return list(SupervisionCapacity.objects.unrestricted().values_list("pk", "fte"))


CASES = [
    Case(
        "api:fte-split-list",
        _capacity,
        lambda w, kw: "0.1489",  # 0.35 / 2.35
        query="?region=regio-a&year=2025",
    ),
    Case(
        "toezicht-fte-split",
        _capacity,
        lambda w, kw: "0,1489",
        query="?regio=regio-a&jaar=2025",
        writes=("POST",),
        write_payload={"fte": "9"},
        snapshot=_snapshot,
    ),
]

"""Matrix cases of the charges of WM-DVO annex 3 §5 (issue 13): a charge of region A's member a2 (an assessment it
ordered). a2's ``bw`` staff sees it but may not record (403, nothing changed); a3's staff sees its own charges, never
a2's; a supervisor and region B see nothing (404)."""

from datetime import date
from decimal import Decimal

from beschermdwonen.models import MemberCharge
from tests.tenancy.matrix import Case

PAGE = "?regio=regio-a&jaar=2025"


def _charge(world):
    charge = MemberCharge.objects.create(
        region=world.a,
        municipality=world.a2,
        kind="assessment",
        incurred_on=date(2025, 3, 14),
        year=2025,
        description="Onderzoek MATRIX-M5",
        amount=Decimal("1250.40"),
    )
    return {"pk": charge.pk}


def _listed(world):
    _charge(world)
    return {}


def _snapshot(world, kwargs):
    return sorted(MemberCharge.objects.unrestricted().values_list("pk", "municipality_id", "amount", "kind"))


def _payload(world, kwargs):
    return {
        "stap": "onderzoek",
        "onderzoek-municipality": "GM0888",
        "onderzoek-incurred_on": "14-03-2025",
        "onderzoek-amount": "100,00",
        "onderzoek-description": "Nog een onderzoek",
    }


MARKER = "Onderzoek MATRIX-M5"

CASES = [
    Case(
        "bw-charges",
        _listed,
        lambda w, kw: MARKER,
        query=PAGE,
        insider=("a2", "bw"),
        outsiders=(("a2", "toezichthouder"),),
        viewer=("a2", "bw"),
        writes=("POST",),
        write_payload=_payload,
        snapshot=_snapshot,
    ),
    # Member <-> member: a3 reads the same page of its region without a2's charge.
    Case(
        "bw-charges",
        _listed,
        lambda w, kw: MARKER,
        kind="list",
        query=PAGE,
        insider=("a1", "bw"),
        outsider=("a3", "bw"),
        outsiders=(("a3", "ambtenaar"),),
        viewer=("a3", "bw"),
        writes=("POST",),
        write_payload=_payload,
        snapshot=_snapshot,
    ),
    Case(
        "api:bw-charge-list",
        _listed,
        lambda w, kw: MARKER,
        kind="list",
        insider=("a2", "bw"),
        outsiders=(("a3", "bw"), ("a2", "toezichthouder")),
    ),
    Case(
        "api:bw-charge-detail",
        _charge,
        lambda w, kw: MARKER,
        insider=("a2", "bw"),
        outsiders=(("a3", "bw"), ("a2", "toezichthouder")),
    ),
]

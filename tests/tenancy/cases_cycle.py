"""Matrix cases of the yearly cycle (issue 12): the fee and settlement API, the agreement's settlement calendar, the
cycle page and the December invoicing of region A."""

from decimal import Decimal

from agreements.models import CalendarShape, CalendarStep, SettlementCalendar, StepKind
from costsharing.models import BudgetLine, Fee, FeeOrigin, Reckoning, ReckoningLine
from tests.tenancy.cases_agreements import _agreement
from tests.tenancy.cases_costsharing import _key, _reckoning
from tests.tenancy.matrix import Case

COORD = ("a1", "coordinator")


def _fee(world):
    _key(world)
    BudgetLine.objects.create(
        region=world.a, year=2025, category="legal", description="Begroting A", amount=Decimal("1000")
    )
    for municipality, amount, origin in (
        (world.a1, "5000.00", FeeOrigin.OWN_SHARE),
        (world.a2, "4321.09", FeeOrigin.OUTSIDE),
    ):
        Fee.objects.create(
            region=world.a, municipality=municipality, year=2025, amount=Decimal(amount), origin=origin, reference="A"
        )
    return {"region_code": "regio-a"}


def _settlement(world):
    _reckoning(world)
    return {"region_code": "regio-a"}


def _calendar(world):
    calendar = SettlementCalendar.objects.create(
        agreement=_agreement(world), shape=CalendarShape.WM, articles="A-SO 6.7 kalender"
    )
    CalendarStep.objects.create(
        calendar=calendar,
        kind=StepKind.FEE_AND_SETTLEMENT,
        month=12,
        day=1,
        year_offset=-1,
        starts_job=True,
        articles="A-SO 6.7",
    )
    return {"code": _agreement(world).code}


def _cycle_page(world):
    _fee(world)
    return {"code": "regio-a", "year": 2025}


def _fees(world, kwargs):
    return list(Fee.objects.unrestricted().values_list("pk", "amount", "reference"))


def _state(world, kwargs):
    return (
        _fees(world, kwargs),
        list(Reckoning.objects.unrestricted().values_list("pk", "status")),
        list(ReckoningLine.objects.unrestricted().values_list("pk", "share")),
    )


A3 = ("a3", "ambtenaar")  # a member of region A: sees the page, never a2's line (member <-> member isolation)

CASES = [
    Case("api:region-fee-list", _fee, lambda w, kw: "4321.09", query="?year=2025"),
    Case("api:region-fee-list", _fee, lambda w, kw: "4321.09", kind="list", query="?year=2025", outsider=A3),
    Case("api:region-settlement-list", _settlement, lambda w, kw: "3111.11", query="?year=2025"),
    Case(
        "api:region-settlement-list",
        _settlement,
        lambda w, kw: "3111.11",
        kind="list",
        query="?year=2025",
        outsider=A3,
    ),
    Case("api:agreement-calendar", _calendar, lambda w, kw: "A-SO 6.7 kalender"),
    Case(
        "costsharing-cycle",
        _cycle_page,
        lambda w, kw: "4.321,09",
        writes=("POST",),
        write_payload={"reference": "poging", "amounts": "GM0888 = 1,00"},
        snapshot=_fees,
    ),
    Case(
        "costsharing-cycle",
        _cycle_page,
        lambda w, kw: "4.321,09",
        kind="list",
        outsider=A3,
        writes=("POST",),
        write_payload={"reference": "poging", "amounts": "GM0888 = 1,00"},
        snapshot=_fees,
    ),
    Case("invoice-cycle", _cycle_page, lambda w, kw: "Regio A 2025", insider=COORD, writes=("POST",), snapshot=_state),
]

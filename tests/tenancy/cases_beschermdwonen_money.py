"""Matrix cases of the money of beschermd wonen (issue 13 part B). Region A's coordinating municipality a1 runs the
register (its ``bw`` staff is the access team); members see the region's financing figures per member and their own
fees; a supervisor sees none of it; region B sees nothing of region A."""

from decimal import Decimal

from beschermdwonen.models import CostImport, ExecutionCost, ExecutionShare, Fee, MaastrichtBudget, RealisedCost
from tests.tenancy.matrix import Case

PAGE = "?regio=regio-a&jaar=2025"
API = "?region=regio-a&year=2025"


def _budget(world):
    MaastrichtBudget.objects.create(
        region=world.a, year=2025, track="existing", amount=Decimal("1500000.00"), source="CIRCULAIRE-A"
    )
    return {}


def _execution(world):
    _budget(world)
    execution = ExecutionCost.objects.create(
        region=world.a, year=2025, budgeted=Decimal("240000.00"), reference_date="2025-01-01", source="BEGROTING-A"
    )
    ExecutionShare.objects.create(  # a settled share: the page's table of shares is read (and checked by axe) too
        region=world.a,
        execution=execution,
        municipality=world.a2,
        year=2025,
        clients=3,
        basis="budgeted",
        amount=Decimal("80000.00"),
    )
    return {}


def _import(world):
    CostImport.objects.create(
        region=world.a, municipality=world.a1, file_format="table", filename="matrix-a.csv", digest="0" * 64
    )
    return {}


def _money_snapshot(world, kwargs):
    return (
        sorted(Fee.objects.unrestricted().values_list("pk", "amount")),
        sorted(RealisedCost.objects.unrestricted().values_list("pk", "amount")),
        sorted(CostImport.objects.unrestricted().values_list("pk", "digest")),
        sorted(ExecutionShare.objects.unrestricted().values_list("pk", "amount")),
    )


CASES = [
    Case(
        "bw-financing",
        _execution,
        lambda w, kw: "CIRCULAIRE-A",
        query=PAGE,
        insider=("a2", "ambtenaar"),
        outsiders=(("a2", "toezichthouder"),),
        # Settling the execution costs (annex 3 par. 4) is the access team's: a member's staff is refused.
        viewer=("a2", "bw"),
        writes=("POST",),
        snapshot=_money_snapshot,
    ),
    Case(
        "bw-fees",
        _budget,
        lambda w, kw: "Vergoedingen beschermd wonen: Regio A",
        query=PAGE,
        insider=("a2", "bw"),
        outsiders=(("a2", "toezichthouder"),),
        viewer=("a2", "bw"),
        writes=("POST",),
        snapshot=_money_snapshot,
    ),
    Case(
        "bw-cost-import",
        _import,
        lambda w, kw: "matrix-a.csv",
        kind="list",
        insider=("a1", "bw"),
        outsiders=(("a2", "bw"), ("a1", "coordinator"), ("a2", "wethouder")),
        viewer=("a2", "bw"),
        writes=("POST",),
        write_payload={"municipality": "GM1883"},
        snapshot=_money_snapshot,
    ),
    Case("api:bw-financing-list", _budget, lambda w, kw: "CIRCULAIRE-A", query=API, insider=("a2", "ambtenaar")),
    Case("api:bw-fees-list", _budget, lambda w, kw: '"region":"regio-a"', query=API, insider=("a2", "bw")),
]

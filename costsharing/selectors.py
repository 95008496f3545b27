"""Read-side queries of cost sharing shared by pages and the API (issue #11): key versions with their shares, the fee
of a year and the settlement of a year per member, as the user may see them (WM-DVO 6.1, WM-SO 6.7). Every function
takes the acting user and returns only what that user may see; the rules live in ``costsharing.services``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet

from costsharing.models import Fee, FeeOrigin, KeyShare, KeyVersion, Reckoning, ReckoningLine
from regio.models import Municipality, Region
from regio.tenancy import CHANGE, can

ZERO = Decimal("0.00")


@dataclass
class FeeLine:
    municipality: Municipality
    share: Decimal
    invoiced: Decimal
    origin: str  # FeeOrigin value, or "" while the fee is not yet drawn up
    reference: str
    fee_id: int | None


@dataclass
class FeeOverview:
    year: int
    total: Decimal
    recorded: bool  # drawn up (or recorded as invoiced outside the product)
    lines: list[FeeLine]
    sources: list[str]
    error: str = ""


def key_versions(user) -> QuerySet[KeyVersion]:
    """Allocation-key versions with their shares and each share's municipality (SPEC §6.1): the key page and
    ``/api/costsharing/keys/`` show them."""
    return KeyVersion.objects.visible_to(user).prefetch_related(
        Prefetch("shares", queryset=KeyShare.objects.visible_to(user).select_related("municipality"))
    )


def _sees_all(user, region: Region) -> bool:
    return can(user, CHANGE, region)


def fee_overview(*, user, region: Region, year: int) -> FeeOverview:
    """The fee of ``year`` per member and what of it is invoiced: the recorded fees once drawn up, else the fee as
    the budget gives it now (nothing invoiced yet). A member sees its own line; the coordinating staff all lines."""
    from costsharing.services.cycle import compute_fee

    sees_all = _sees_all(user, region)
    own = getattr(user, "municipality_id", None)
    fees = list(
        Fee.objects.visible_to(user).filter(region=region, year=year).select_related("municipality", "norm_year")
    )
    if (
        fees
        or Fee.objects.unrestricted("does the region have recorded fees of the year")
        .filter(region=region, year=year)
        .exists()
    ):
        all_fees = (
            fees
            if sees_all
            else list(
                Fee.objects.unrestricted("the region total of fees the user's region charged").filter(
                    region=region, year=year
                )
            )
        )
        total = sum((f.amount for f in all_fees), ZERO)
        lines = [
            FeeLine(f.municipality, f.amount, f.invoiced, f.origin, f.reference, f.pk)
            for f in sorted(fees, key=lambda f: f.municipality.code)
            if sees_all or f.municipality_id == own
        ]
        sources = sorted({f.basis.split("Begroting:\n", 1)[-1] for f in fees if f.basis})
        return FeeOverview(year, total, True, lines, sources)
    try:
        computation = compute_fee(region=region, year=year)
    except ValidationError as exc:
        return FeeOverview(year, ZERO, False, [], [], "; ".join(exc.messages))
    lines = [
        FeeLine(computation.municipalities[pk], amount, ZERO, "", "", None)
        for pk, amount in sorted(computation.shares.items(), key=lambda kv: computation.municipalities[kv[0]].code)
        if sees_all or pk == own
    ]
    return FeeOverview(year, computation.total, False, lines, computation.sources)


@dataclass
class SettlementLine:
    municipality: Municipality
    actual_share: Decimal
    fee_invoiced: Decimal
    difference: Decimal
    line_id: int


@dataclass
class SettlementOverview:
    year: int
    status: str  # "none" until the settlement is drawn up, else the reckoning's status
    reckoning: Reckoning | None
    lines: list[SettlementLine]


def settlement_overview(*, user, region: Region, year: int) -> SettlementOverview:
    """The final settlement of ``year`` (drawn up in December of the next year, WM-SO 6.7): the newest version of
    the year's reckoning, each member's share of the actual costs against the fee invoiced for the year. A member
    sees its own line; the coordinating staff all lines."""
    reckoning = Reckoning.objects.visible_to(user).filter(region=region, year=year).order_by("-version").first()
    if reckoning is None:
        return SettlementOverview(year, "none", None, [])
    lines = [
        SettlementLine(line.municipality, line.share, line.advances, line.difference, line.pk)
        for line in ReckoningLine.objects.visible_to(user)
        .filter(reckoning=reckoning)
        .select_related("municipality")
        .order_by("municipality__code")
    ]
    return SettlementOverview(year, reckoning.status, reckoning, lines)


def fee_origin_label(origin: str) -> str:
    return FeeOrigin(origin).label if origin else "nog niet vastgelegd"


def reckoning_trend(user) -> list[ReckoningLine]:
    """The user's own municipality's line of the newest reckoning version per region and year, oldest year first:
    share of the actual costs, what was invoiced before, and the difference (the trend page and the dashboards)."""
    from regio.tenancy import scope_of

    lines = (
        ReckoningLine.objects.visible_to(user)
        .filter(municipality_id=scope_of(user).municipality_id)
        .select_related("reckoning__region", "municipality")
        .order_by("reckoning__region__name", "reckoning__year", "reckoning__version")
    )
    latest: dict = {}
    for line in lines:  # the latest version per region and year counts
        latest[(line.reckoning.region_id, line.reckoning.year)] = line
    return sorted(latest.values(), key=lambda li: (li.reckoning.region.name, li.reckoning.year))


def own_key_shares(user) -> list[tuple[KeyVersion, Decimal]]:
    """Each key version the user may see with its own municipality's fraction of the total weight (SPEC §6.1): how
    the municipality's share in the region moved. Two queries."""
    from regio.tenancy import scope_of

    own = scope_of(user).municipality_id
    rows = []
    for version in key_versions(user).select_related("key__region").order_by("key__region__name", "valid_from"):
        shares = list(version.shares.all())
        total = sum((s.weight for s in shares), Decimal(0))
        mine = next((s.weight for s in shares if s.municipality_id == own), None)
        if mine is not None and total:
            rows.append((version, mine / total))
    return rows


@dataclass
class SecondmentOnStatement:
    """What a member seconded to the coordinating municipality in a year and is owed for it (WM-SO 4.10), as its
    statement shows it: the rows, their total and how the region settles them (credit line or set off)."""

    rows: list
    total: Decimal
    settlement: str  # the label of ``SecondmentSettlement``


def secondments_on_statement(*, user, region: Region, year: int, municipality: Municipality | None = None):
    """The secondments of ``year`` the user may see (a member its own), of one member when given."""
    from costsharing.models import Secondment, SecondmentSettlement
    from costsharing.services import secondment_settlement

    rows = Secondment.objects.visible_to(user).filter(region=region, year=year)
    if municipality is not None:
        rows = rows.filter(municipality=municipality)
    rows = list(rows.select_related("municipality").order_by("municipality__name", "function"))
    label = SecondmentSettlement(secondment_settlement(region=region)).label
    return SecondmentOnStatement(rows=rows, total=sum((r.amount for r in rows), ZERO), settlement=str(label))

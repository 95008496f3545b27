"""Financing of beschermd wonen: the budget received from Maastricht and how the care costs of existing clients are
paid (WM-DVO annex 3 §1-3, §7; WM-SO 7). Business rules as keyword-only functions, acting user first.

Annex 3 §2 ("Kosten bestaande cliënten Beschermd wonen"), per member m:

    historical part = (kosten cliënten individuele gemeente) / (totale kosten bestaande cliënten)
                      × budget zorgkosten Maastricht
    objective part  = kosten cliënten individuele gemeente − historical part

The historical parts are the Maastricht budget split by the members' client costs through the one split service
(``costsharing.split``), so they add up to the budget to the cent. Existing clients are those with a care start
before the objective model's start date (annex 3 §2: "cliënten met een startdatum vóór de invoeringsdatum"); while
that date is empty every client is existing (SPEC §7). New clients (annex 3 §3) are paid by their own municipality:
the realised costs of the arrangements the coordinating municipality issued are charged to it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from beschermdwonen.models import BudgetTrack, MaastrichtBudget
from costsharing.split import split_weights
from regio.models import Region
from regio.tenancy import VIEW, is_system, person, require, scope_of

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class FinancingLine:
    municipality: object
    client_costs: Decimal
    historical: Decimal
    objective: Decimal


@dataclass
class Financing:
    region: Region
    year: int
    budget: MaastrichtBudget | None
    objective_start: date | None
    lines: list[FinancingLine] = field(default_factory=list)
    # New clients (annex 3 §3): realised costs charged to the responsible municipality.
    new_clients: list[tuple[object, Decimal]] = field(default_factory=list)

    @property
    def budget_amount(self) -> Decimal:
        return self.budget.amount if self.budget else ZERO

    @property
    def total_costs(self) -> Decimal:
        return sum((line.client_costs for line in self.lines), ZERO)


def split_existing(*, budget: Decimal, costs: list[tuple[object, Decimal]]) -> list[FinancingLine]:
    """Annex 3 §2 on figures: the budget split by the members' client costs (the one split service: the historical
    parts add up to the budget to the cent); the objective part is the rest of each member's costs."""
    if not costs or sum((c for _m, c in costs), ZERO) <= 0:
        return [FinancingLine(m, c, ZERO, c) for m, c in costs]
    parts = split_weights(amount=budget, weights=costs)
    return [
        FinancingLine(part.municipality, cost, part.amount, cost - part.amount)
        for part, (_m, cost) in zip(parts, costs, strict=True)
    ]


def current_budget(*, region: Region, year: int, track: str = BudgetTrack.EXISTING) -> MaastrichtBudget | None:
    return (
        MaastrichtBudget.objects.unrestricted("the caller checked VIEW on the region")
        .filter(region=region, year=year, track=track)
        .order_by("-version")
        .first()
    )


def objective_starts(*, region_ids) -> dict[int, date | None]:
    """The objective model's start date of many regions in one query (absent: not started)."""
    from beschermdwonen.models import RegionSetting

    rows = RegionSetting.objects.unrestricted("a date per region the caller reached").filter(region_id__in=region_ids)
    return dict(rows.values_list("region_id", "objective_model_start"))


# Costs of a year per member, existing and new clients apart (annex 3 §2-3): a client is new when its first care start
# is on or after its region's objective-model start. One query; the classification is a join on each client's first
# care start, not a query (or a row in Python) per client. Portable SQL (PostgreSQL in production, SQLite in the
# embedded demo): the regions are bound one parameter each, ``{regions}`` is filled with their placeholders.
CENT = Decimal("0.01")
_COSTS_BY_MEMBER = """
WITH first_start AS (
    SELECT c.region_id, c.reference, MIN(i.care_start) AS care_start
    FROM beschermdwonen_indication i JOIN beschermdwonen_client c ON c.id = i.client_id
    WHERE c.region_id IN ({regions})
    GROUP BY c.region_id, c.reference
)
SELECT r.region_id, r.municipality_id,
       COALESCE(s.objective_model_start IS NOT NULL AND f.care_start >= s.objective_model_start, FALSE) AS is_new,
       SUM(r.amount)
FROM beschermdwonen_realisedcost r
LEFT JOIN beschermdwonen_regionsetting s ON s.region_id = r.region_id
LEFT JOIN first_start f ON f.region_id = r.region_id AND f.reference = r.client_key
WHERE r.region_id IN ({regions}) AND r.year = %(year)s
GROUP BY r.region_id, r.municipality_id, 3
"""


def costs_by_member(*, region_ids, year: int) -> dict[int, dict[tuple[int, bool], Decimal]]:
    """Realised costs of a year per region: ``{region pk: {(municipality pk, is_new): total}}``, one query. For a
    caller that checked VIEW on the regions (aggregates per member, no client leaves)."""
    from django.db import connection

    out: dict[int, dict[tuple[int, bool], Decimal]] = defaultdict(dict)
    ids = [int(pk) for pk in region_ids]
    if not ids:
        return out
    params: dict = {f"r{n}": pk for n, pk in enumerate(ids)}
    params["year"] = year
    sql = _COSTS_BY_MEMBER.format(regions=", ".join(f"%(r{n})s" for n in range(len(ids))))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for region_id, municipality_id, is_new, total in cursor.fetchall():
            # SQLite answers 0/1 and a float-free text sum: normalise to bool and Decimal.
            out[region_id][(municipality_id, bool(is_new))] = (
                total if isinstance(total, Decimal) else Decimal(str(total))
            )
    return out


def require_money_view(user, region: Region) -> None:
    """The region's figures per member are for its members' Wmo staff (not for supervisors: toezicht never sees
    beschermd wonen)."""
    from beschermdwonen.models.money import MONEY_ROLES

    require(user, VIEW, region)
    if is_system(user):
        return
    scope = scope_of(user)
    if not any(scope.has_role(r) for r in MONEY_ROLES):
        raise PermissionDenied("De cijfers van beschermd wonen zijn voor de Wmo-medewerkers van de regio.")


def financing(*, user, region: Region, year: int) -> Financing:
    """The financing of a year (annex 3 §2-3) for a user who may see the region's figures."""
    require_money_view(user, region)
    return financing_of_regions(regions=[region], year=year)[region.pk]


@dataclass
class RegionsContext:
    """What the fees and the financing of many regions both need, read once: start dates, members, coordinators."""

    starts: dict[int, date | None]
    members: dict[int, list]
    coordinators: dict[int, int]


def region_members(*, region_ids, on: date) -> tuple[dict[int, list], dict[int, int]]:
    """The members of each region on a date (by CBS code) and each region's coordinating municipality, one query."""
    from regio.models import Membership

    members: dict[int, list] = defaultdict(list)
    coordinators: dict[int, int] = {}
    for membership in (
        Membership.objects.unrestricted("the members of the regions asked for")
        .filter(region_id__in=list(region_ids))
        .active_on(on)
        .select_related("municipality")
        .order_by("municipality__code")
    ):
        members[membership.region_id].append(membership.municipality)
        if membership.coordinating:
            coordinators[membership.region_id] = membership.municipality_id
    return members, coordinators


def regions_context(*, region_ids, year: int) -> RegionsContext:
    members, coordinators = region_members(region_ids=region_ids, on=date(year, 12, 31))
    return RegionsContext(objective_starts(region_ids=region_ids), members, coordinators)


def financing_of_regions(*, regions, year: int, context: RegionsContext | None = None) -> dict[int, Financing]:
    """The financing of many regions at once (the benchmark runs every region of the country): a fixed number of
    queries whatever the number of regions, members or clients."""
    regions = list(regions)
    ids = [r.pk for r in regions]
    starts = context.starts if context else objective_starts(region_ids=ids)
    costs = costs_by_member(region_ids=ids, year=year)
    budgets = {}
    for budget in (
        MaastrichtBudget.objects.unrestricted("the caller checked VIEW on the regions")
        .filter(region_id__in=ids, year=year, track=BudgetTrack.EXISTING)
        .order_by("region_id", "version")
    ):
        budgets[budget.region_id] = budget  # the highest version wins
    members = context.members if context else region_members(region_ids=ids, on=date(year, 12, 31))[0]
    out = {}
    for region in regions:
        existing: dict[int, Decimal] = defaultdict(lambda: ZERO)
        new: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for (municipality_id, is_new), total in costs.get(region.pk, {}).items():
            (new if is_new else existing)[municipality_id] += total
        budget = budgets.get(region.pk)
        pairs = [(m, existing[m.pk]) for m in members[region.pk]]
        out[region.pk] = Financing(
            region=region,
            year=year,
            budget=budget,
            objective_start=starts.get(region.pk),
            lines=split_existing(budget=budget.amount if budget else ZERO, costs=pairs),
            new_clients=[(m, new[m.pk]) for m in members[region.pk]],
        )
    return out


def record_budget(*, user, region: Region, year: int, track: str, amount: Decimal, source: str) -> MaastrichtBudget:
    """Record the Maastricht budget of a year and track (annex 3 §1) as a new version with its source (a
    gemeentefonds circular). A circular that changes the amount makes a new version and the financing follows
    (annex 3 §7: "zullen op het moment van bekend-worden worden doorgerekend"); the same amount and source again
    changes nothing."""
    from beschermdwonen.selectors import is_access_team

    if not is_access_team(user, region):
        raise PermissionDenied("Alleen de Toegang van de coördinerende gemeente legt het budget vast.")
    if not isinstance(amount, Decimal):
        raise TypeError("bedragen zijn Decimal, geen float")
    if track not in BudgetTrack.values:
        raise ValidationError({"track": "Kies het spoor: nieuwe of bestaande cliënten."})
    if amount < 0:
        raise ValidationError({"amount": "Het budget is niet negatief."})
    if not source.strip():
        raise ValidationError({"source": "Noem de bron, bijvoorbeeld de circulaire van het gemeentefonds."})
    from regio.models import Region as RegionModel

    with transaction.atomic():
        RegionModel.objects.unrestricted("lock the region: one version number at a time").select_for_update().get(
            pk=region.pk
        )
        current = current_budget(region=region, year=year, track=track)
        if current and current.amount == amount and current.source == source.strip():
            return current
        budget = MaastrichtBudget(
            region=region,
            year=year,
            track=track,
            version=(current.version + 1) if current else 1,
            amount=amount,
            source=source.strip(),
            created_by=person(user),
        )
        budget.full_clean()
        budget.save()
    return budget

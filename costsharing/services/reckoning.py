"""The December reckoning, computing it: inputs per region, the split per municipality, the fingerprint. Articles:
WM-SO 6.7, WM-DVO 5, BNO 10.6, WM-SO 6.1, WM-SO 6.2, SPEC §6.1.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db.models import F

from costsharing.models import (
    CATEGORY_CHARGE,
    NOT_IN_FEE,
    STAFF_CATEGORIES,
    TASK_AREA_CATEGORY,
    ActualCostLine,
    AllocationKey,
    Category,
    CategoryKey,
    ExitLineKind,
    ExitScenario,
    ExitStatementLine,
    Fee,
    FormationLine,
    KeyShare,
    KeyVersion,
    NormYear,
)
from costsharing.services.budgets import _staff, charge
from costsharing.services.keys import _ordered_weights
from costsharing.services.leavers import Period, pro_rata_parts
from costsharing.split import Part, fraction_to_cents, split_weights
from regio.formatting import format_date, format_number
from regio.models import Municipality, Region
from regio.weights import provided_weights

# --- The December reckoning (WM-SO 6.7, WM-DVO 5-6, BNO 10.6) ------------------------------------------------------


@dataclass
class ComputedPart:
    category: str
    version: KeyVersion
    norm_year: NormYear | None
    amount: Decimal
    parts: list[Part]
    explanation: str
    line_count: int = 0
    lines_total: Decimal = Decimal("0.00")  # the sum of the cost lines before the charge of WM-SO 6.1 h
    cost_line_ids: list[int] = field(default_factory=list)  # read only when exact (approval, corrections)


@dataclass
class Computation:
    total: Decimal
    parts: list[ComputedPart]
    advances: dict[int, Decimal]
    municipalities: dict[int, Municipality]
    inputs: dict  # the inputs with each part's cost lines as count, sum and id range (what a draft keeps)
    inputs_hash: str
    exact_inputs: dict | None = None  # the same with each part's cost line ids (what approval freezes)
    exact_hash: str = ""


def _fingerprint(inputs: dict) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


@dataclass
class _Bucket:
    """The cost lines of one category in one period of a year in which the same key version applies."""

    cents: int = 0
    count: int = 0
    first_id: int | None = None
    last_id: int | None = None
    first_date: date | None = None
    ids: list[int] = field(default_factory=list)


@dataclass
class _RegionInputs:
    """Everything the reckoning of one region reads, loaded for many regions at once (a constant number of
    queries, whatever the number of regions or cost lines)."""

    region: Region
    keys: dict[str, AllocationKey] = field(default_factory=dict)
    formation: list[FormationLine] = field(default_factory=list)
    norm_year: NormYear | None = None
    norms: dict[int, Decimal] = field(default_factory=dict)
    buckets: dict[tuple[str, date], _Bucket] = field(default_factory=dict)
    fees: list[Fee] = field(
        default_factory=list
    )  # the fee charged for the year (WM-DVO 6.1), in or outside the product
    # The members that joined or left during the year (WM-SO 16.3: a leaver pays until its exit date), by id.
    periods: dict[int, Period] = field(default_factory=dict)
    # What a leaver's exit statement charges for the year instead of its fee (its share until the exit date, less a
    # fee of the year already invoiced), by municipality id.
    exit_charged: dict[int, Decimal] = field(default_factory=dict)
    exit_members: dict[int, Municipality] = field(default_factory=dict)


def _periods(versions: list[KeyVersion], year: int) -> list[date]:
    """The days of ``year`` on which the applicable key version can change, latest first. Within two such days the
    same version (or none) applies, so the cost lines can be summed per period in the database."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    cuts = set()
    for v in versions:
        if start < v.valid_from <= end:
            cuts.add(v.valid_from)
        if v.valid_until and start <= v.valid_until < end:
            cuts.add(v.valid_until + timedelta(days=1))
    return sorted(cuts, reverse=True)


def _refuse_overlap(key: AllocationKey, versions: list[KeyVersion]) -> None:
    for earlier, later in zip(versions, versions[1:], strict=False):
        if earlier.valid_until is None or earlier.valid_until >= later.valid_from:
            raise ValidationError(
                f"Sleutel {key.code} heeft overlappende versies ({earlier} en {later}); herstel de geldigheid."
            )


def _load_inputs(
    *,
    regions: list[Region],
    year: int,
    exact_region_ids: frozenset[int] = frozenset(),
    costs: bool = True,
    fee_year: int | None = None,
) -> tuple:
    """Read the inputs of the reckoning of ``regions`` for ``year`` in nine queries, however many regions
    (``costs=False``: only keys, formation and norms, for the fee on budget basis, without the cost lines and fees).
    With ``fee_year`` (the December run: the settlement of ``year`` and the fee of ``fee_year``) the formation and
    norms of both years are read in the same queries, and the fee year's inputs and weights are returned as well:
    ``(data, versions, weights, fee_data, fee_weights)``; otherwise ``(data, versions, weights)``.

    The cost lines are summed by the database per (region, category, period of one key version), in whole cents so
    that the sum is exact on SQLite too; for ``exact_region_ids`` (approval, a re-run after approval) their ids are
    read as well, so that the frozen reckoning names every cost line it came from."""
    from django.db.models import Case as CaseWhen
    from django.db.models import Count, IntegerField, Max, Min, Sum, Value, When
    from django.db.models.functions import Cast, Round

    region_ids = [r.pk for r in regions]
    data = {r.pk: _RegionInputs(region=r) for r in regions}
    for ck in CategoryKey.objects.unrestricted().filter(region_id__in=region_ids).select_related("key"):
        data[ck.region_id].keys[ck.category] = ck.key
    key_ids = {k.pk for d in data.values() for k in d.keys.values()}
    versions: dict[int, list[KeyVersion]] = defaultdict(list)
    for v in KeyVersion.objects.unrestricted().filter(key_id__in=key_ids).select_related("key").order_by("valid_from"):
        versions[v.key_id].append(v)
    shares: dict[int, list[tuple[Municipality, Decimal]]] = defaultdict(list)
    for s in KeyShare.objects.unrestricted().filter(version__key_id__in=key_ids).select_related("municipality"):
        shares[s.version_id].append((s.municipality, s.weight))
    years = [year] if fee_year is None else [year, fee_year]
    fee_data = {r.pk: _RegionInputs(region=r, keys=data[r.pk].keys) for r in regions} if fee_year else {}
    by_year = {year: data, **({fee_year: fee_data} if fee_year else {})}
    formation = FormationLine.objects.unrestricted().filter(region_id__in=region_ids, year__in=years)
    for line in formation.exclude(task_area__in=[a for a, c in TASK_AREA_CATEGORY.items() if c in NOT_IN_FEE]):
        by_year[line.year][line.region_id].formation.append(line)
    norm_years = NormYear.objects.unrestricted().current().filter(region_id__in=region_ids, year__in=years)
    for norm_year in norm_years.prefetch_related("scales"):
        target = by_year[norm_year.year][norm_year.region_id]
        target.norm_year = norm_year
        target.norms = {s.scale: s.norm for s in norm_year.scales.all()}
    all_versions = [v for vs in versions.values() for v in vs]
    provided = provided_weights(versions=all_versions, year=year)
    fee_weights = (
        _weights_reader(provided_weights(versions=all_versions, year=fee_year), shares, fee_year)
        if (fee_year)
        else None
    )
    if not costs:
        return data, versions, _weights_reader(provided, shares, year)
    # WM-SO 6.7: the settlement is the actual costs minus what was invoiced as the fee of the year (WM-DVO 6.1).
    for fee in (
        Fee.objects.unrestricted("the fees of the regions being reckoned, read for many regions at once")
        .filter(region_id__in=region_ids, year=year)
        .select_related("municipality")
    ):
        data[fee.region_id].fees.append(fee)
    _load_exit_charges(data, year)
    _load_periods(data, year)

    # The period of a cost line: the latest day on or before its date on which its key version may change.
    whens = []
    cuts: dict[tuple[int, str], list[date]] = {}
    for d in data.values():
        for category, key in d.keys.items():
            cuts[(d.region.pk, category)] = _periods(versions[key.pk], year)
            whens += [
                When(region_id=d.region.pk, category=category, date__gte=cut, then=Value(cut))
                for cut in cuts[(d.region.pk, category)]
            ]
    lines = (
        ActualCostLine.objects.unrestricted()
        .filter(region_id__in=region_ids, year=year)
        .exclude(category__in=NOT_IN_FEE)
    )
    period = CaseWhen(*whens, default=Value(date(year, 1, 1))) if whens else Value(date(year, 1, 1))
    cents = Cast(Round(F("amount") * 100), IntegerField())
    sums = (
        lines.annotate(period=period)
        .order_by()
        .values("region_id", "category", "period")
        .annotate(cents=Sum(cents), count=Count("pk"), first=Min("pk"), last=Max("pk"), first_date=Min("date"))
    )
    for row in sums:
        row_period = row["period"]
        if isinstance(row_period, str):  # SQLite returns the CASE's date as text
            row_period = date.fromisoformat(row_period)
        data[row["region_id"]].buckets[(row["category"], row_period)] = _Bucket(
            cents=row["cents"],
            count=row["count"],
            first_id=row["first"],
            last_id=row["last"],
            first_date=row["first_date"],
        )
    if exact_region_ids:
        exact = lines.filter(region_id__in=exact_region_ids).order_by("pk")
        for pk, region_id, category, day in exact.values_list("pk", "region_id", "category", "date").iterator(
            chunk_size=5000
        ):
            row_period = next((c for c in cuts.get((region_id, category), []) if day >= c), date(year, 1, 1))
            data[region_id].buckets.setdefault((category, row_period), _Bucket(first_date=day)).ids.append(pk)

    if fee_year is not None:
        return data, versions, _weights_reader(provided, shares, year), fee_data, fee_weights
    return data, versions, _weights_reader(provided, shares, year)


def _load_exit_charges(data: dict[int, _RegionInputs], year: int) -> None:
    """What the leavers' exit statements charge for ``year`` (one query): the share until the exit date (WM-SO 16.3)
    less a fee of that year already invoiced. The settlement of the exit year compares the leaver's pro-rata actual
    share against everything invoiced for that year: its fee as far as invoiced, plus these lines."""
    lines = (
        ExitStatementLine.objects.unrestricted("the exit statements of the regions being reckoned, for many at once")
        .filter(
            statement__region_id__in=list(data),
            statement__scenario=ExitScenario.LEAVER,
            statement__exit_date__year=year,
            kind__in=[ExitLineKind.PRO_RATA, ExitLineKind.FEE_INVOICED],
        )
        .select_related("statement__municipality")
    )
    for line in lines:
        d = data[line.statement.region_id]
        municipality = line.statement.municipality
        d.exit_charged[municipality.pk] = d.exit_charged.get(municipality.pk, Decimal("0.00")) + line.amount
        d.exit_members[municipality.pk] = municipality


def _load_periods(data: dict[int, _RegionInputs], year: int) -> None:
    """The members of each region whose days as a party cut ``year`` (one query): a member that left during the year
    (or before it) and one that joined during it, so that the actual costs of that year are split pro rata temporis
    (WM-SO 16.3: the leaver "komt in ieder geval haar (financiële) verplichtingen na tot het moment van
    beëindiging"; a member that joins, from its ``joined_on``). A municipality that is a party of several agreements
    of the region (an agreement and its successor) counts from its first day in any to its last day in any; one
    without a party record, or a party all year, counts the whole year."""
    from agreements.models import Party

    first, after = date(year, 1, 1), date(year + 1, 1, 1)
    spans: dict[tuple[int, int], list] = {}
    parties = Party.objects.unrestricted("the parties of the regions being reckoned, read for many regions at once")
    for region_id, municipality_id, joined_on, left_on in parties.filter(
        agreement__region_id__in=list(data), municipality__isnull=False
    ).values_list("agreement__region_id", "municipality_id", "joined_on", "left_on"):
        # Only an explicit day of joining counts: a party of the agreement from its start was (as a rule) a member
        # under the agreement before it, so the start of a successor agreement is no day of joining.
        start = joined_on or date.min
        span = spans.setdefault((region_id, municipality_id), [start, left_on])
        span[0] = min(span[0], start)
        span[1] = None if span[1] is None or left_on is None else max(span[1], left_on)
    for (region_id, municipality_id), (start, end) in spans.items():
        if start > first or (end is not None and end < after):
            data[region_id].periods[municipality_id] = Period(start, end)


def _weights_reader(provided: dict, shares: dict, year: int) -> Callable:
    cache: dict[int, list[tuple[Municipality, Decimal]]] = {}

    def weights(version: KeyVersion) -> list[tuple[Municipality, Decimal]]:
        """The exact weights of a version, as ``weights_of`` gives them, from the loaded inputs."""
        if version.pk not in cache:
            cache[version.pk] = _ordered_weights(
                version, provided=provided.get(version.pk, []), shares=shares[version.pk], year=year
            )
        return cache[version.pk]

    return weights


def _compute_region(
    *, d: _RegionInputs, year: int, versions: dict[int, list[KeyVersion]], weights: Callable, exact: bool
) -> Computation:
    """One region's reckoning from its loaded inputs: pure Python, no queries."""
    region = d.region
    for key in d.keys.values():
        _refuse_overlap(key, versions[key.pk])

    def version_for(category: str, on: date) -> KeyVersion:
        if category not in d.keys:
            raise ValidationError(f"Geen verdeelsleutel voor kostensoort '{Category(category).label}'.")
        for v in versions[d.keys[category].pk]:
            if v.is_valid_on(on):
                return v
        raise ValidationError(f"Sleutel {d.keys[category].code} heeft geen versie die geldt op {format_date(on)}.")

    # Staff: formation × (indexed norm + overhead), split by the key version of 1 January (WM-SO 6.2, 6.3).
    norm_year = d.norm_year
    staff, staff_notes = {}, {}
    if d.formation:
        if norm_year is None:
            raise ValidationError(f"Er zijn geen normbedragen voor {year} in {region.name}.")
        staff, staff_notes = _staff(lines=d.formation, norm_year=norm_year, norms=d.norms, year=year)
    # (category, version) → [exact amount, line count, sum of the lines, ids, id range]
    buckets: dict[tuple[str, int], dict] = {}

    def bucket(category: str, version: KeyVersion) -> dict:
        return buckets.setdefault(
            (category, version.pk),
            {"version": version, "amount": Fraction(0), "count": 0, "cents": 0, "ids": [], "range": []},
        )

    for category, amount in staff.items():
        bucket(category, version_for(category, date(year, 1, 1)))["amount"] += amount
    for (category, period), lines in sorted(d.buckets.items()):
        if category not in d.keys:
            raise ValidationError(f"Geen verdeelsleutel voor kostensoort '{Category(category).label}'.")
        try:
            version = version_for(category, period)
        except ValidationError:  # name the first day that has no version, not the start of the period
            version_for(category, lines.first_date)
            raise
        b = bucket(category, version)
        b["count"] += lines.count
        b["cents"] += lines.cents
        if exact and len(lines.ids) != lines.count:
            raise ValidationError("De kostenregels veranderden tijdens het lezen; probeer het opnieuw.")
        b["ids"] += lines.ids
        b["range"] += [lines.first_id, lines.last_id]
    computed = []
    municipalities: dict[int, Municipality] = {}
    for (category, _vpk), b in sorted(buckets.items(), key=lambda kv: (kv[0][0], kv[1]["version"].valid_from)):
        version = b["version"]
        lines_total = Decimal(b["cents"]) / 100
        exact_amount = b["amount"] + charge(category, lines_total)
        rounded = fraction_to_cents(exact_amount)
        if d.periods:  # a member joined or left during the year: its part pro rata temporis (WM-SO 16.3)
            parts = pro_rata_parts(amount=rounded, weights=weights(version), periods=d.periods, year=year)
        else:
            parts = split_weights(amount=rounded, weights=weights(version))
        for p in parts:
            municipalities[p.municipality.pk] = p.municipality
        if category in STAFF_CATEGORIES:
            explanation = "\n".join(staff_notes.get(category, []))
        else:
            explanation = f"{b['count']} kostenregels"
        if CATEGORY_CHARGE.get(category):
            percentage = format_number(CATEGORY_CHARGE[category] * 100, decimals=0)
            explanation += f" (waarvan {percentage} % ten laste van de regio, WM-SO 6.1 h)"
        computed.append(
            ComputedPart(
                category=category,
                version=version,
                norm_year=norm_year if category in STAFF_CATEGORIES else None,
                amount=rounded,
                parts=parts,
                explanation=explanation,
                line_count=b["count"],
                lines_total=lines_total.quantize(Decimal("0.01")),
                cost_line_ids=sorted(b["ids"]),
            )
        )
    # What was charged for the year per member: the fee (the coordinating municipality's own share included); for a
    # leaver whose exit statement carries its share of the exit year, the fee only as far as it was invoiced, plus
    # the statement's lines (its share until the exit date, less that invoiced fee): each euro counted once.
    advances = {}
    for fee in d.fees:
        advances[fee.municipality_id] = fee.invoiced if fee.municipality_id in d.exit_charged else fee.amount
        municipalities[fee.municipality_id] = fee.municipality
    for pk, amount in d.exit_charged.items():
        advances[pk] = advances.get(pk, Decimal("0.00")) + amount
        municipalities[pk] = d.exit_members[pk]
    total = sum((c.amount for c in computed), Decimal("0.00"))
    base = {
        "region": region.code,
        "year": year,
        "norm_year": (
            {
                "id": norm_year.pk,
                "year": norm_year.year,
                "revision": norm_year.revision,
                "scales": {str(scale): str(norm) for scale, norm in sorted(d.norms.items())},
                "productive_hours": str(norm_year.productive_hours),
                "overhead_per_hour": str(norm_year.overhead_per_hour),
            }
            if norm_year and d.formation
            else None
        ),
        "advances": {municipalities[k].code: str(v) for k, v in sorted(advances.items())},
    }

    def parts_with(cost_lines: Callable[[ComputedPart, dict], object]) -> list[dict]:
        return [
            {
                "category": c.category,
                "key_version": c.version.pk,
                "amount": str(c.amount),
                "weights": {p.municipality.code: str(p.weight) for p in c.parts},
                "cost_lines": cost_lines(c, buckets[(c.category, c.version.pk)]),
            }
            for c in computed
        ]

    def summary(c: ComputedPart, b: dict) -> dict:
        ids = [i for i in b["range"] if i is not None]
        return {
            "count": c.line_count,
            "sum": str(c.lines_total),
            "first": min(ids, default=None),
            "last": max(ids, default=None),
        }

    inputs = {**base, "parts": parts_with(summary)}
    computation = Computation(total, computed, advances, municipalities, inputs, _fingerprint(inputs))
    if exact:
        computation.exact_inputs = {**base, "parts": parts_with(lambda c, b: c.cost_line_ids)}
        computation.exact_hash = _fingerprint(computation.exact_inputs)
    return computation


def compute_reckonings(
    *,
    regions: list[Region],
    year: int,
    exact_region_ids=frozenset(),
    progress: Callable[[int], None] | None = None,
) -> dict[int, Computation | ValidationError]:
    """Each member's share of the actual integral costs by the applicable keys (WM-SO 6.7; BNO 10.6), for many
    regions at once, without writing anything. Staff costs come from the formation at the indexed norm and are split
    by the key version of 1 January (WM-SO 6.2); every other cost line is split by the version valid on its date
    (SPEC §6.1). A region whose inputs are incomplete gets its error in words; the others are computed.

    The number of queries is constant: it grows neither with the number of cost lines nor with the number of
    regions (the cost lines are summed by the database)."""
    data, versions, weights = _load_inputs(regions=regions, year=year, exact_region_ids=frozenset(exact_region_ids))
    if progress:
        progress(50)
    out: dict[int, Computation | ValidationError] = {}
    for region_id, d in data.items():
        try:
            out[region_id] = _compute_region(
                d=d, year=year, versions=versions, weights=weights, exact=region_id in exact_region_ids
            )
        except ValidationError as exc:
            out[region_id] = exc
    return out


def compute_reckoning(*, region: Region, year: int, exact: bool = False) -> Computation:
    """The reckoning of one region (see ``compute_reckonings``); raises its error in words."""
    exact_ids = {region.pk} if exact else set()
    result = compute_reckonings(regions=[region], year=year, exact_region_ids=exact_ids)[region.pk]
    if isinstance(result, ValidationError):
        raise result
    return result

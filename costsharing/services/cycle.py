"""The yearly WM cycle: the fee of year Y on budget basis and the final settlement of Y−1, and the beat job that
starts what each agreement's settlement calendar says on its day. Articles: WM-DVO 6.1 (the tasks are invoiced once a
year, in December of that year at the latest), WM-SO 6.7 ("in de maand december ... een definitieve afrekening ...
over het afgelopen kalenderjaar"), WM-SO 6.1 b-h and 6.2 (budget lines, the key of 1 January), WM-SO 6.3 (staff at
the indexed norm), BNO 10.5-10.6 and 11.1 (nothing is reckoned in December for BNO).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from costsharing.models import (
    NOT_IN_FEE,
    ActualCostLine,
    BudgetLine,
    Category,
    Fee,
    FeeOrigin,
    FormationLine,
    KeyVersion,
    NormYear,
)
from costsharing.services._common import require_coordinator
from costsharing.services.budgets import _staff, charge
from costsharing.services.leavers import pro_rata_parts
from costsharing.services.norms import hourly_rate_exact
from costsharing.services.reckoning import _load_inputs, _load_periods
from costsharing.split import Part, as_fraction, fraction_to_cents, split_weights
from regio.formatting import format_amount, format_date
from regio.models import Membership, Municipality, Region
from regio.tenancy import person, system_actor

# --- The fee of a year on budget basis (WM-DVO 6.1; WM-SO 6.1, 6.2, 6.3) ----------------------------------------


@dataclass
class FeeComputation:
    """The fee of one region for one year, per member, before it is recorded."""

    region: Region
    year: int
    total: Decimal
    shares: dict[int, Decimal]
    municipalities: dict[int, Municipality]
    notes: dict[int, list[str]]
    norm_year: NormYear | None
    sources: list[str] = field(default_factory=list)  # what the fee rests on: budget, norm year, key versions
    # Per category (only with the words): the category, its key version, the amount split and the parts.
    categories: list[tuple[str, KeyVersion, Decimal, list[Part]]] = field(default_factory=list)


def compute_fees(*, regions: list[Region], year: int) -> dict[int, FeeComputation | ValidationError]:
    """The fee for ``year`` of each region on budget basis, without writing anything: the formation at the year's
    indexed norms plus overhead (WM-SO 6.3) and the budget lines of WM-SO 6.1 b-h (50 % of Annual Insight, 6.1 h),
    each category split by its key version valid on 1 January of the year (WM-SO 6.2; WM-DVO 6.1). A member whose
    days as a party cut the year (it left or joined during it) pays pro rata temporis (see ``_fees_from``).

    A constant number of queries, whatever the number of regions (the budget is summed by the database). A region
    whose inputs are incomplete gets its error in words; the others are computed."""
    data, versions, weights = _load_inputs(regions=regions, year=year, costs=False)
    _load_periods(data, year)
    return _fees_from(data=data, versions=versions, weights=weights, year=year, budget=_budget_sums(regions, year))


def _budget_sums(regions: list[Region], year: int) -> dict[int, dict[str, Decimal]]:
    budget: dict[int, dict[str, Decimal]] = defaultdict(dict)
    rows = (
        BudgetLine.objects.unrestricted("the budget of the regions whose fee is computed, summed for all at once")
        .filter(region_id__in=[r.pk for r in regions], year=year)
        .exclude(category__in=NOT_IN_FEE)  # WM-DVO 6.1: "exclusief beschermd wonen"
        .order_by()
        .values("region_id", "category")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        budget[row["region_id"]][row["category"]] = row["total"]
    return budget


def _fees_from(*, data: dict, versions: dict, weights, year: int, budget: dict, describe: bool = True) -> dict:
    """The fees from loaded inputs: pure Python, no queries. ``describe=False`` leaves out the explanation in words
    (the amounts are the same; the December run's computation does not show them)."""
    out: dict[int, FeeComputation | ValidationError] = {}
    first_day = date(year, 1, 1)
    for region_id, d in data.items():
        try:
            totals: dict[str, Fraction] = defaultdict(Fraction)
            staff_notes: dict[str, list[str]] = {}
            if d.formation:
                if d.norm_year is None:
                    raise ValidationError(f"Er zijn geen normbedragen voor {year} in {d.region.name}.")
                if describe:
                    staff, staff_notes = _staff(lines=d.formation, norm_year=d.norm_year, norms=d.norms, year=year)
                else:
                    staff = _staff_amounts(d, year)
                for category, amount in staff.items():
                    totals[category] += amount
            for category, amount in budget[region_id].items():
                totals[category] += charge(category, amount)
            shares: dict[int, Decimal] = defaultdict(Decimal)
            municipalities: dict[int, Municipality] = {}
            notes: dict[int, list[str]] = defaultdict(list)
            sources = []
            out_categories: list = []
            total = Decimal("0.00")
            for category, exact in sorted(totals.items()):
                label = Category(category).label if describe or category not in d.keys else category
                if category not in d.keys:
                    raise ValidationError(f"Geen verdeelsleutel voor kostensoort '{label}'.")
                version = next((v for v in versions[d.keys[category].pk] if v.is_valid_on(first_day)), None)
                if version is None:
                    raise ValidationError(
                        f"Sleutel {d.keys[category].code} heeft geen versie die geldt op {format_date(first_day)}."
                    )
                amount = fraction_to_cents(exact)
                total += amount
                if describe:
                    sources.append(f"{label}: {format_amount(amount)}, sleutel {version}")
                if d.periods:
                    # The exit year (WM-SO 16.3: the leaver "komt in ieder geval haar (financiële) verplichtingen na
                    # tot het moment van beëindiging"; WM-2015 6.7; BNO 15.4): the leaver's fee runs until its exit
                    # date, through the one split service. Who carries the rest of the year: the members that stay,
                    # by the ratio of their own key shares (WM-SO 6.2, the key of 69/19/12 among the parties), since
                    # WM-SO 16.5 leaves "de nieuwe tussen hen geldende financiële afspraken" to the remaining
                    # members and until they agree otherwise their key is the one that binds them. (BNO 15.2 lets a
                    # member leave only per 1 January, so a BNO leaver never has a part of a year.)
                    parts = pro_rata_parts(amount=amount, weights=weights(version), periods=d.periods, year=year)
                else:
                    parts = split_weights(amount=amount, weights=weights(version))
                if describe:
                    out_categories.append((category, version, amount, parts))
                for part in parts:
                    shares[part.municipality.pk] += part.amount
                    municipalities[part.municipality.pk] = part.municipality
                    if describe:
                        notes[part.municipality.pk].append(f"{label}: {format_amount(part.amount)}")
            for category, lines in staff_notes.items():
                sources += [f"{Category(category).label}: {line}" for line in lines]
            if d.formation and d.norm_year is not None:
                sources.append(f"normjaar {d.norm_year.year} (herziening {d.norm_year.revision})")
            out[region_id] = FeeComputation(
                region=d.region,
                year=year,
                total=total,
                shares=dict(shares),
                municipalities=municipalities,
                notes=dict(notes),
                norm_year=d.norm_year if d.formation else None,
                sources=sources,
                categories=out_categories,
            )
        except ValidationError as exc:
            out[region_id] = exc
    return out


def _staff_amounts(d, year: int) -> dict[str, Fraction]:
    """Formation × (indexed norm + overhead) per staff category, as ``_staff`` computes it, without the words."""
    totals: dict[str, Fraction] = defaultdict(Fraction)
    hours = as_fraction(d.norm_year.productive_hours)
    rates: dict[int, Fraction] = {}
    for line in d.formation:
        if line.scale not in d.norms:
            raise ValidationError(f"Geen norm voor schaal {line.scale} in {year} (formatie: {line.function}).")
        if line.scale not in rates:
            rates[line.scale] = hourly_rate_exact(d.norm_year, d.norms[line.scale])
        totals[line.category] += as_fraction(line.fte) * hours * rates[line.scale]
    return totals


def compute_fee(*, region: Region, year: int) -> FeeComputation:
    """The fee of one region (see ``compute_fees``); raises its error in words."""
    result = compute_fees(regions=[region], year=year)[region.pk]
    if isinstance(result, ValidationError):
        raise result
    return result


def compute_cycle(*, regions: list[Region], year: int) -> dict[str, dict]:
    """What the December run of ``year`` computes for many regions at once: the fee of ``year`` and the settlement
    of ``year - 1`` (WM-DVO 6.1, WM-SO 6.7), without writing anything. Keys, versions, weights, formation and norms
    of both years are read once; a constant number of queries, whatever the number of regions."""
    from costsharing.services.reckoning import _compute_region

    data, versions, weights, fee_data, fee_weights = _load_inputs(regions=regions, year=year - 1, fee_year=year)
    _load_periods(fee_data, year)
    settlements: dict[int, object] = {}
    for region_id, d in data.items():
        try:
            settlements[region_id] = _compute_region(
                d=d, year=year - 1, versions=versions, weights=weights, exact=False
            )
        except ValidationError as exc:
            settlements[region_id] = exc
    fees = _fees_from(
        data=fee_data,
        versions=versions,
        weights=fee_weights,
        year=year,
        budget=_budget_sums(regions, year),
        describe=False,
    )
    return {"fees": fees, "settlements": settlements}


def fees_of(*, region: Region, year: int) -> list[Fee]:
    return list(
        Fee.objects.unrestricted("the recorded fees of a region the caller was allowed to act on or see")
        .filter(region=region, year=year)
        .select_related("municipality")
        .order_by("municipality__code")
    )


def draw_up_fees(*, user, region: Region, year: int) -> list[Fee]:
    """Record the fee of ``year`` per member (WM-DVO 6.1: invoiced in December of the year at the latest), as
    ``compute_fee`` gives it, once: a second call returns the recorded fees, whatever changed in the budget since
    (a difference is settled with the actual costs a year later, WM-SO 6.7). The coordinating municipality's own share
    is recorded as such: it shows on its statement and is never invoiced to itself."""
    require_coordinator(user, region)
    with transaction.atomic():
        Region.objects.unrestricted("the lock of the region whose fee is drawn up").select_for_update().get(
            pk=region.pk
        )
        existing = fees_of(region=region, year=year)
        if existing:
            return existing
        computation = compute_fee(region=region, year=year)
        coordinator = region.coordinator_on(date(year, 12, 1))
        basis_common = "\n".join(computation.sources)
        for pk, amount in sorted(computation.shares.items(), key=lambda kv: computation.municipalities[kv[0]].code):
            Fee.objects.create(
                region=region,
                municipality=computation.municipalities[pk],
                year=year,
                amount=amount,
                origin=FeeOrigin.OWN_SHARE if coordinator and coordinator.pk == pk else FeeOrigin.PRODUCT,
                budget_total=computation.total,
                norm_year=computation.norm_year,
                basis="\n".join(computation.notes.get(pk, [])) + "\n\nBegroting:\n" + basis_common,
                recorded_by=person(user),
            )
        return fees_of(region=region, year=year)


def mark_fee_invoiced(*, user, fee: Fee, reference: str) -> Fee:
    """Invoicing names the invoice that carries a fee (WM-DVO 6.1), once; the fee itself does not change."""
    require_coordinator(user, fee.region)
    with transaction.atomic():
        locked = Fee.objects.unrestricted("the fee being invoiced, checked above").select_for_update().get(pk=fee.pk)
        if locked.origin != FeeOrigin.PRODUCT:
            raise ValidationError("Alleen een bijdrage die in Regio Wmo wordt gefactureerd krijgt een factuur.")
        if locked.reference and locked.reference != reference:
            raise ValidationError(f"Deze bijdrage is al gefactureerd ({locked.reference}).")
        if not locked.reference:
            locked.reference = reference[:100]
            locked.save()
    return locked


def record_outside_fees(*, user, region: Region, year: int, amounts: dict[Municipality, Decimal], reference: str):
    """The first year a region uses the product: record once what each member was invoiced as fee of ``year``
    outside it (WM-DVO 6.1), marked as such, so that the settlement of that year (WM-SO 6.7) has something to compare
    with. Refused when fees of that year are already recorded (in or outside the product), or when the region has
    fees of an earlier year (then it is no longer its first year)."""
    require_coordinator(user, region)
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError(
            {"reference": "Noem de factuur of het kenmerk waarmee buiten Regio Wmo is gefactureerd."}
        )
    if not amounts:
        raise ValidationError({"amounts": "Geef per gemeente de gefactureerde bijdrage."})
    members = set(
        Membership.objects.unrestricted("the members of the region the coordinator acts for")
        .filter(region=region)
        .values_list("municipality_id", flat=True)
    )
    for municipality, amount in amounts.items():
        if municipality.pk not in members:
            raise ValidationError({"amounts": f"{municipality.name} is geen lid van de regio."})
        if not isinstance(amount, Decimal) or amount < 0:
            raise ValidationError({"amounts": f"De bijdrage van {municipality.name} is een bedrag van 0 of meer."})
    with transaction.atomic():
        Region.objects.unrestricted("the lock of the region whose fees are recorded").select_for_update().get(
            pk=region.pk
        )
        fees = Fee.objects.unrestricted("the region's own fees, to refuse a second recording").filter(region=region)
        if fees.filter(year=year).exists():
            raise ValidationError(f"De bijdragen van {year} zijn al vastgelegd; dat kan maar één keer.")
        if fees.filter(year__lt=year).exists():
            raise ValidationError(
                "De regio heeft al bijdragen van een eerder jaar: buiten Regio Wmo gefactureerde bijdragen worden "
                "alleen voor het eerste jaar vastgelegd."
            )
        coordinator = region.coordinator_on(date(year, 12, 1))
        for municipality, amount in sorted(amounts.items(), key=lambda kv: kv[0].code):
            own = coordinator is not None and municipality.pk == coordinator.pk
            Fee.objects.create(
                region=region,
                municipality=municipality,
                year=year,
                amount=amount,
                origin=FeeOrigin.OWN_SHARE if own else FeeOrigin.OUTSIDE,
                basis=f"Buiten Regio Wmo gefactureerd: {reference}",
                reference=reference[:100],
                recorded_by=person(user),
            )
    return fees_of(region=region, year=year)


# --- The beat job: what each settlement calendar says, on its day ------------------------------------------------


def _has_year(region: Region, year: int) -> bool:
    """Whether there is anything to settle for ``year``: a fee charged, or costs booked or budgeted as staff."""
    return (
        Fee.objects.unrestricted("does the region have fees of the year (beat job)")
        .filter(region=region, year=year)
        .exists()
        or ActualCostLine.objects.unrestricted("does the region have costs of the year (beat job)")
        .filter(region=region, year=year)
        .exists()
        or FormationLine.objects.unrestricted("does the region have a formation of the year (beat job)")
        .filter(region=region, year=year)
        .exists()
    )


def start_calendar_steps(*, on: date | None = None) -> list[int]:
    """Celery beat, daily: for every region, start what its agreements' settlement calendars say on this day, in
    one task (``costsharing.run_reckonings``: all regions computed in a constant number of queries).

    Only a step that ``starts_job`` starts something. Today that is the WM step ``fee_and_settlement`` (WM-SO 6.7,
    WM-DVO 6.1): on its day in year Y the settlement of the year it concerns (Y−1) is computed as a draft, for the
    coordinating staff to approve and invoice beside the fee of Y; never Y itself. BNO's steps (BNO 10.5-10.6, 11.1)
    start nothing here: nothing is reckoned in December for BNO. Idempotent: a second run on the same day gives the
    same reckonings; an approved settlement stays frozen (changed inputs give a correction version, as always)."""
    from agreements.models import CalendarStep, StepKind
    from costsharing.services.reckoning_runs import request_reckoning
    from costsharing.tasks import run_reckonings

    on = on or timezone.localdate()
    steps = (
        CalendarStep.objects.unrestricted("the beat job reads the calendars of every region")
        .filter(starts_job=True, month=on.month, day=on.day, kind=StepKind.FEE_AND_SETTLEMENT)
        .select_related("calendar__agreement__region")
    )
    started = []
    seen: set[tuple[int, int]] = set()
    for step in steps:
        agreement = step.calendar.agreement
        if not agreement.is_in_force_on(on):
            continue
        region = agreement.region
        year = on.year + step.year_offset
        if (region.pk, year) in seen or not _has_year(region, year):
            continue
        seen.add((region.pk, year))
        actor = system_actor(f"Celery beat: afrekening {year} volgens de kalender van {agreement.code} (WM-SO 6.7)")
        started.append(request_reckoning(user=actor, region=region, year=year, start=False).pk)
    if started:
        transaction.on_commit(lambda: run_reckonings.delay(started))
    return started

"""The rules of cost sharing (SPEC §6). Keyword-only functions, acting user first, citing the articles.

Views, serializers, the region-file loader and the Celery tasks only call these (STYLE.md rule 1).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from costsharing.models import (
    CATEGORY_CHARGE,
    STAFF_CATEGORIES,
    Activity,
    ActualCostLine,
    Advance,
    AllocationKey,
    Basis,
    BudgetLine,
    CaoStep,
    Category,
    CategoryKey,
    FormationLine,
    KeyShare,
    KeyVersion,
    NormScale,
    NormYear,
    OverheadYear,
    Reckoning,
    ReckoningItem,
    ReckoningLine,
    ReckoningPart,
)
from costsharing.split import Part, as_fraction, fraction_to_cents, split_weights
from regio.formatting import format_amount, format_date, format_number
from regio.models import Municipality, PopulationFigure, Region
from regio.tenancy import scope_of

HUNDRED = Decimal("100")


# --- Permissions -------------------------------------------------------------------------------------------------


def require_coordinator(user, region: Region) -> None:
    """Only staff of the coordinating municipality act for the region (SPEC §1; WM-SO 4.12, BNO 5)."""
    if user is None:  # the system itself (Celery beat)
        return
    scope = scope_of(user)
    if scope.read_only or region.pk not in scope.coordinated_region_ids:
        raise PermissionDenied("Alleen medewerkers van de coördinerende gemeente mogen dit doen.")


# --- Allocation keys ---------------------------------------------------------------------------------------------


def fmt_pct(value: Decimal) -> str:
    return format_number(value, decimals=2)


def validate_version(
    *,
    key: AllocationKey,
    basis: str,
    valid_from: date,
    valid_until: date | None,
    shares: dict[Municipality, Decimal],
    exclude_pk: int | None = None,
) -> None:
    """Refuse a bad key version with clear Dutch messages (issue #5): percentages that do not add up to 100 (and by
    how much), a member missing, a non-member present, an overlapping validity."""
    errors: list[str] = []
    if valid_until is not None and valid_until < valid_from:
        errors.append("Het einde van de geldigheid ligt voor het begin.")
    if basis == Basis.FIXED:
        total = sum(shares.values(), Decimal(0))
        if total != HUNDRED:
            diff = HUNDRED - total
            errors.append(
                f"De percentages tellen op tot {fmt_pct(total)} % in plaats van 100 %: "
                f"{fmt_pct(abs(diff))} procentpunt te {'weinig' if diff > 0 else 'veel'}."
            )
    if any(w < 0 for w in shares.values()):
        errors.append("Een aandeel kan niet negatief zijn.")
    if basis != Basis.FTE:
        members = set(key.region.members_on(valid_from))
        missing = sorted(members - set(shares), key=lambda m: m.code)
        extra = sorted(set(shares) - members, key=lambda m: m.code)
        for m in missing:
            errors.append(
                f"{m.name} ({m.code}) is op {format_date(valid_from)} lid van {key.region.name} maar ontbreekt."
            )
        for m in extra:
            errors.append(f"{m.name} ({m.code}) is op {format_date(valid_from)} geen lid van {key.region.name}.")
    elif shares:
        errors.append(
            "Een fte-sleutel heeft geen eigen aandelen: de fte komen uit de toezichtcapaciteit (DVO bijlage 4)."
        )
    others = KeyVersion.objects.unrestricted().filter(key=key).exclude(pk=exclude_pk)
    for other in others:
        if (other.valid_until is None or valid_from <= other.valid_until) and (
            valid_until is None or other.valid_from <= valid_until
        ):
            until = format_date(other.valid_until) if other.valid_until else "onbepaald"
            errors.append(
                f"De geldigheid overlapt met de versie van {format_date(other.valid_from)} tot en met {until}."
            )
    if errors:
        raise ValidationError(errors)


def create_version(
    *,
    user,
    key: AllocationKey,
    basis: str,
    valid_from: date,
    valid_until: date | None = None,
    reference_date: date | None = None,
    shares: dict[Municipality, Decimal] | None = None,
    note: str = "",
) -> KeyVersion:
    """A new key version with its exact weights (SPEC §6.1). Fixed versions are typed in; see also
    ``generate_population_version`` and ``merge_municipalities``."""
    require_coordinator(user, key.region)
    shares = shares or {}
    with transaction.atomic():
        AllocationKey.objects.unrestricted().select_for_update().get(pk=key.pk)
        validate_version(key=key, basis=basis, valid_from=valid_from, valid_until=valid_until, shares=shares)
        version = KeyVersion.objects.create(
            key=key,
            basis=basis,
            valid_from=valid_from,
            valid_until=valid_until,
            reference_date=reference_date,
            note=note,
        )
        KeyShare.objects.bulk_create(KeyShare(version=version, municipality=m, weight=w) for m, w in shares.items())
    return version


def version_on(*, key: AllocationKey, on: date) -> KeyVersion:
    """The key version valid on a date: a cost is split by the version valid on its date (SPEC §6.1)."""
    version = (
        KeyVersion.objects.unrestricted()
        .filter(key=key, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .first()
    )
    if version is None:
        raise ValidationError(f"Sleutel {key.code} heeft geen versie die geldt op {format_date(on)}.")
    return version


def weights_of(*, version: KeyVersion, year: int | None = None) -> list[tuple[Municipality, Decimal]]:
    """The exact weights of a version, ordered by CBS code. An FTE version reads the supervision capacity of the
    year (WM-DVO annex 4) from ``toezicht``: one source of truth."""
    if version.basis == Basis.FTE:
        from toezicht.services import fte_weights

        year = year or version.valid_from.year
        weights = fte_weights(region=version.key.region, year=year)
        if not weights:
            raise ValidationError(f"Er is geen toezichtcapaciteit (fte) vastgelegd voor {year}.")
        return sorted(weights, key=lambda mw: mw[0].code)
    shares = KeyShare.objects.unrestricted().filter(version=version).select_related("municipality")
    return sorted(((s.municipality, s.weight) for s in shares), key=lambda mw: mw[0].code)


def split(*, amount: Decimal, version: KeyVersion, year: int | None = None) -> list[Part]:
    """Split an amount by a key version: exact ratios, cents by largest remainder, parts add up (SPEC §6.1)."""
    return split_weights(amount=amount, weights=weights_of(version=version, year=year))


def generate_population_version(
    *, user, key: AllocationKey, reference_year: int, valid_from: date | None = None
) -> KeyVersion:
    """A population version from the CBS inhabitants on 1 January of ``reference_year`` (WM-SO 6.2: "het aantal
    inwoners op 1 januari van het toepasselijke jaar"; BNO art. 1: CBS 1-1-2018). One action for a new year: the
    open previous version ends the day before; regenerating the same start replaces its weights."""
    require_coordinator(user, key.region)
    reference = date(reference_year, 1, 1)
    valid_from = valid_from or reference
    members = list(key.region.members_on(valid_from))
    figures = {
        f.municipality_id: f.inhabitants
        for f in PopulationFigure.objects.unrestricted().filter(municipality__in=members, reference_date=reference)
    }
    missing = [m for m in members if m.pk not in figures]
    if missing:
        raise ValidationError(
            [f"Geen inwonertal op {format_date(reference)} voor {m.name} ({m.code})." for m in missing]
        )
    shares = {m: Decimal(figures[m.pk]) for m in members}
    with transaction.atomic():
        AllocationKey.objects.unrestricted().select_for_update().get(pk=key.pk)
        same = KeyVersion.objects.unrestricted().filter(key=key, valid_from=valid_from).first()
        if same is not None:
            _refuse_if_used(same)
            validate_version(
                key=key,
                basis=Basis.POPULATION,
                valid_from=valid_from,
                valid_until=same.valid_until,
                shares=shares,
                exclude_pk=same.pk,
            )
            current = {s.municipality_id: s for s in KeyShare.objects.unrestricted().filter(version=same)}
            for m, w in shares.items():
                share = current.pop(m.pk, None)
                if share is None:
                    KeyShare.objects.create(version=same, municipality=m, weight=w)
                elif share.weight != w:
                    share.weight = w
                    share.save()
            for share in current.values():
                share.delete()
            if same.basis != Basis.POPULATION or same.reference_date != reference:
                same.basis, same.reference_date = Basis.POPULATION, reference
                same.save()
            return same
        previous = (
            KeyVersion.objects.unrestricted()
            .filter(key=key, valid_from__lt=valid_from)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
            .first()
        )
        if previous is not None:
            previous.valid_until = valid_from - timedelta(days=1)
            previous.save()
        return create_version(
            user=user,
            key=key,
            basis=Basis.POPULATION,
            valid_from=valid_from,
            reference_date=reference,
            shares=shares,
            note=f"Inwoners CBS {format_date(reference)}",
        )


def merge_municipalities(
    *,
    user,
    key: AllocationKey,
    on: date,
    merged: list[Municipality] | None = None,
    into: Municipality | None = None,
    mergers: list[tuple[list[Municipality], Municipality]] | None = None,
) -> KeyVersion:
    """ "These municipalities merged into X on date D": the next key version adds their shares together
    (BNO considerans: "bij samenvoeging van gemeenten worden de percentages opgeteld"). Several mergers on one day
    (BNO 1-1-2022: Land van Cuijk and Maashorst) go in one version via ``mergers``. A split of a municipality needs a
    new version typed in by hand after the members consulted (same considerans)."""
    require_coordinator(user, key.region)
    mergers = list(mergers or []) + ([(list(merged), into)] if merged and into else [])
    if not mergers:
        raise ValidationError("Geef aan welke gemeenten in welke gemeente zijn opgegaan.")
    with transaction.atomic():
        AllocationKey.objects.unrestricted().select_for_update().get(pk=key.pk)
        previous = version_on(key=key, on=on - timedelta(days=1))
        if previous.basis == Basis.FTE:
            raise ValidationError("Een fte-sleutel volgt de toezichtcapaciteit per jaar; leg die vast in Toezicht.")
        weights = dict(weights_of(version=previous))
        new = dict(weights)
        notes = []
        for group, target in mergers:
            not_in = [m for m in group if m not in weights]
            if not_in:
                raise ValidationError(
                    [f"{m.name} ({m.code}) heeft geen aandeel in de huidige versie." for m in not_in]
                )
            new[target] = sum((new.pop(m) for m in group if m in new), new.pop(target, Decimal(0)))
            notes.append(f"{', '.join(m.name for m in group)} opgegaan in {target.name}")
        if previous.valid_until is None or previous.valid_until >= on:
            previous.valid_until = on - timedelta(days=1)
            previous.save()
        return create_version(
            user=user,
            key=key,
            basis=previous.basis,
            valid_from=on,
            reference_date=previous.reference_date,
            shares=new,
            note=f"Herindeling per {format_date(on)}: {'; '.join(notes)} (aandelen opgeteld)",
        )


def _refuse_if_used(version: KeyVersion) -> None:
    if ReckoningPart.objects.unrestricted().filter(key_version=version).exclude(reckoning__status="draft").exists():
        raise ValidationError(
            "Deze sleutelversie is gebruikt in een vastgestelde afrekening en verandert niet; maak een nieuwe versie."
        )


# --- Norms, rates, activity prices (WM-DVO annex 1, SPEC §6.2) ----------------------------------------------------


def current_norm_year(*, region: Region, year: int) -> NormYear:
    norm_year = NormYear.objects.unrestricted().current().filter(region=region, year=year).first()
    if norm_year is None:
        raise ValidationError(f"Er zijn geen normbedragen voor {year} in {region.name}.")
    return norm_year


def hourly_rate_exact(norm_year: NormYear, norm: Decimal) -> Fraction:
    """Hourly rate = norm / productive hours + overhead per hour (WM-DVO annex 1: 97,200 / 1,345 + 21.00 = 93.27).

    The overhead may be given as a percentage of the norm instead (WM-DVO 5.4, WM-SO 6.5: it follows the
    coordinating municipality's budget). Exact: nothing is rounded here."""
    base = as_fraction(norm) / as_fraction(norm_year.productive_hours)
    if norm_year.overhead_per_hour is not None:
        return base + as_fraction(norm_year.overhead_per_hour)
    return base * (1 + as_fraction(norm_year.overhead_percentage) / 100)


@dataclass
class Tariffs:
    year: int
    norm_year: NormYear
    rates: dict[int, Fraction]  # scale -> exact hourly rate
    scales: list[NormScale]
    activities: list[tuple[Activity, list, Decimal]]  # (activity, [(component, exact cost)], price rounded once)

    def rate(self, scale: int) -> Decimal:
        return fraction_to_cents(self.rates[scale])


def tariffs(*, region: Region, year: int) -> Tariffs:
    """The year's hourly rates and activity prices. Full precision inside; each price rounded once (SPEC §6.2:
    7 h × 93.2677 + 1 h × 78.9926 = 731.87, not 652.87 + 78.99 = 731.86)."""
    norm_year = current_norm_year(region=region, year=year)
    scales = list(NormScale.objects.unrestricted().filter(norm_year=norm_year).order_by("scale"))
    rates = {s.scale: hourly_rate_exact(norm_year, s.norm) for s in scales}
    activities = []
    for activity in Activity.objects.unrestricted().filter(region=region).prefetch_related("components"):
        parts = []
        for component in activity.components.all():
            if component.scale not in rates:
                raise ValidationError(f"Geen norm voor schaal {component.scale} in {year} ({activity.name}).")
            parts.append((component, as_fraction(component.hours) * rates[component.scale]))
        activities.append((activity, parts, fraction_to_cents(sum((p[1] for p in parts), Fraction(0)))))
    return Tariffs(year=year, norm_year=norm_year, rates=rates, scales=scales, activities=activities)


# --- CAO indexation (WM-SO 6.4, WM-DVO 5.3; docs/indexation.md) ---------------------------------------------------


def month_start(d: date) -> date:
    return date(d.year, d.month, 1)


def monthly_levels(
    *, base_norm: Decimal, scale: int, steps: list[CaoStep], base_date: date, year: int
) -> list[tuple[date, Fraction, list[CaoStep]]]:
    """The norm level (per FTE per year) in force in each month of ``year``.

    Steps that took effect on or before the base price level date are part of the base (the 1-1-2024 price level of
    WM-DVO annex 1 includes the raise of 1-1-2024). Later steps count from the month they take effect: a percentage
    multiplies the level, a fixed amount per month adds twelve times that amount to the annual level.
    """
    out = []
    for month in range(1, 13):
        start = date(year, month, 1)
        level = as_fraction(base_norm)
        used = []
        for step in steps:
            if step.effective_date <= base_date or not step.applies_to(scale):
                continue
            if month_start(step.effective_date) <= start:
                if step.percentage is not None:
                    level *= 1 + as_fraction(step.percentage) / 100
                if step.fixed_amount_per_month is not None:
                    level += as_fraction(step.fixed_amount_per_month) * 12
                used.append(step)
        out.append((start, level, used))
    return out


def indexed_norm(*, base_norm: Decimal, scale: int, steps: list[CaoStep], base_date: date, year: int):
    """A year's norm: the average of its twelve monthly levels (docs/indexation.md). Returns (exact, provenance)."""
    levels = monthly_levels(base_norm=base_norm, scale=scale, steps=steps, base_date=base_date, year=year)
    exact = sum((lvl for _m, lvl, _u in levels), Fraction(0)) / 12
    counted: dict[int, int] = defaultdict(int)
    by_pk = {}
    for _m, _lvl, used in levels:
        for step in used:
            counted[step.pk] += 1
            by_pk[step.pk] = step
    lines = [f"Basis schaal {scale}: {format_amount(base_norm)} (prijspeil {format_date(base_date)})."]
    for pk, months in counted.items():
        step = by_pk[pk]
        demo = " [demogegeven]" if step.is_demo else ""
        lines.append(f"CAO-stap #{pk} {step} ({step.source}){demo}: telt {months} van 12 maanden.")
    if not counted:
        lines.append("Geen CAO-stappen na het prijspeil.")
    lines.append("Jaarnorm = gemiddelde van de twaalf maandniveaus.")
    return exact, "\n".join(lines)


def add_cao_step(
    *,
    user,
    region: Region,
    effective_date: date,
    source: str,
    percentage: Decimal | None = None,
    fixed_amount_per_month: Decimal | None = None,
    scales: list[int] | None = None,
    is_demo: bool = False,
) -> CaoStep:
    """Enter a CAO step (WM-SO 6.4, WM-DVO 5.3). The indexation task runs after commit: it derives the later years
    and sends the updated cost overview to every member (WM-SO 6.6)."""
    require_coordinator(user, region)
    from costsharing.tasks import index_norms as index_task

    step = CaoStep(
        region=region,
        effective_date=effective_date,
        source=source,
        percentage=percentage,
        fixed_amount_per_month=fixed_amount_per_month,
        scales=scales or [],
        is_demo=is_demo,
    )
    step.full_clean()
    with transaction.atomic():
        step.save()
        transaction.on_commit(lambda: index_task.delay(region.pk))
    return step


def _to_norm_decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.000001"))


@dataclass
class IndexResult:
    changed_years: list[int] = field(default_factory=list)
    unchanged_years: list[int] = field(default_factory=list)


def index_norms(*, user, region: Region, through_year: int | None = None) -> IndexResult:
    """Derive the indexed norms of every year after the base price level (WM-SO 6.4, WM-DVO 5.3): "in de afrekening
    van 2025 en verder [worden] alle CAO loonsverhoging verrekend". Safe to run twice: a year whose figures do not
    change keeps its revision; a changed year gets a new revision and the old one is kept (superseded)."""
    require_coordinator(user, region)
    result = IndexResult()
    with transaction.atomic():
        Region.objects.unrestricted().select_for_update().get(pk=region.pk)  # one indexation per region at a time
        entered = list(
            NormYear.objects.unrestricted()
            .current()
            .filter(region=region, origin=NormYear.Origin.ENTERED)
            .prefetch_related("scales")
            .order_by("year")
        )
        if not entered:
            return result
        steps = list(CaoStep.objects.unrestricted().filter(region=region).order_by("effective_date", "pk"))
        overheads = {o.year: o for o in OverheadYear.objects.unrestricted().filter(region=region)}
        entered_years = {n.year for n in entered}
        last_year = max(
            [timezone.localdate().year, entered[-1].year + 1]
            + [s.effective_date.year for s in steps]
            + list(FormationLine.objects.unrestricted().filter(region=region).values_list("year", flat=True))
        )
        if through_year:
            last_year = max(last_year, through_year)
        for year in range(entered[0].year + 1, last_year + 1):
            if year in entered_years:
                continue
            base = [n for n in entered if n.year < year][-1]
            base_date = base.price_level_date or date(base.year, 1, 1)
            scales = {}
            for scale in base.scales.all():
                exact, provenance = indexed_norm(
                    base_norm=scale.norm, scale=scale.scale, steps=steps, base_date=base_date, year=year
                )
                scales[scale.scale] = (_to_norm_decimal(exact), provenance)
            overhead = overheads.get(year)
            hours = (overhead.productive_hours if overhead and overhead.productive_hours else None) or (
                base.productive_hours
            )
            per_hour = overhead.overhead_per_hour if overhead else base.overhead_per_hour
            percentage = overhead.overhead_percentage if overhead else base.overhead_percentage
            if overhead:
                overhead_text = f"Overhead {year} uit de begroting van dat jaar (WM-DVO 5.4): {overhead.source}."
            else:
                overhead_text = (
                    f"Productieve uren en overhead overgenomen van {base.year} (WM-DVO 5.4: leg de overhead van "
                    f"{year} vast zodra de begroting van dat jaar bekend is)."
                )
            provenance = (
                f"Afgeleid van {base.year} (prijspeil {format_date(base_date)}) met de CAO-stappen tot en met "
                f"{year}. {overhead_text}"
            )
            current = NormYear.objects.unrestricted().current().filter(region=region, year=year).first()
            if current is not None:
                same = (
                    current.productive_hours == hours
                    and current.overhead_per_hour == per_hour
                    and current.overhead_percentage == percentage
                    and {s.scale: s.norm for s in current.scales.all()} == {k: v[0] for k, v in scales.items()}
                )
                if same:
                    result.unchanged_years.append(year)
                    continue
                if current.origin == NormYear.Origin.ENTERED:
                    continue
                current.superseded_at = timezone.now()
                current.save()
            norm_year = NormYear.objects.create(
                region=region,
                year=year,
                revision=(current.revision + 1) if current else 1,
                origin=NormYear.Origin.INDEXED,
                price_level_date=base_date,
                productive_hours=hours,
                overhead_per_hour=per_hour,
                overhead_percentage=percentage,
                provenance=provenance,
            )
            NormScale.objects.bulk_create(
                NormScale(norm_year=norm_year, scale=s, norm=v[0], provenance=v[1]) for s, v in scales.items()
            )
            result.changed_years.append(year)
    return result


# --- Budget, advances, actuals (WM-SO 6.1, 6.3, 6.7) ------------------------------------------------------------


def charge(category: str, amount) -> Fraction:
    """The chargeable part of a cost: all of it, except 50 % of Annual Insight (WM-SO 6.1 h)."""
    return as_fraction(amount) * as_fraction(CATEGORY_CHARGE.get(category, Decimal(1)))


def staff_costs(*, region: Region, year: int) -> tuple[dict[str, Fraction], NormYear | None, dict[str, list[str]]]:
    """Formation × (indexed norm + overhead) per staff category (WM-SO 6.3): fte × productive hours × hourly rate."""
    lines = list(FormationLine.objects.unrestricted().filter(region=region, year=year))
    if not lines:
        return {}, None, {}
    norm_year = current_norm_year(region=region, year=year)
    norms = {s.scale: s.norm for s in NormScale.objects.unrestricted().filter(norm_year=norm_year)}
    totals: dict[str, Fraction] = defaultdict(Fraction)
    notes: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        if line.scale not in norms:
            raise ValidationError(f"Geen norm voor schaal {line.scale} in {year} (formatie: {line.function}).")
        rate = hourly_rate_exact(norm_year, norms[line.scale])
        amount = as_fraction(line.fte) * as_fraction(norm_year.productive_hours) * rate
        totals[line.category] += amount
        notes[line.category].append(
            f"{line.get_task_area_display()}: {format_number(line.fte, decimals=2)} fte {line.function} schaal "
            f"{line.scale} × {format_number(norm_year.productive_hours, decimals=0)} uur × "
            f"{format_amount(fraction_to_cents(rate))} = {format_amount(fraction_to_cents(amount))}"
        )
    return dict(totals), norm_year, notes


def budget_totals(*, region: Region, year: int) -> dict[str, Decimal]:
    """The budget per category: staff from the formation at the indexed norm, the rest from budget lines (6.1 b-h)."""
    staff, _norm_year, _notes = staff_costs(region=region, year=year)
    totals: dict[str, Fraction] = defaultdict(Fraction, staff)
    for line in BudgetLine.objects.unrestricted().filter(region=region, year=year):
        totals[line.category] += charge(line.category, line.amount)
    return {c: fraction_to_cents(v) for c, v in totals.items()}


def category_keys(*, region: Region) -> dict[str, AllocationKey]:
    return {
        ck.category: ck.key for ck in CategoryKey.objects.unrestricted().filter(region=region).select_related("key")
    }


def compute_advances(*, user, region: Region, year: int) -> list[Advance]:
    """Budget → advances per member: each category's budget split by its key version of 1 January (WM-SO 6.2:
    inhabitants on 1 January of the year concerned). Stored, so that a later budget change does not rewrite them."""
    require_coordinator(user, region)
    keys = category_keys(region=region)
    per_member: dict[Municipality, Decimal] = defaultdict(Decimal)
    notes: dict[Municipality, list[str]] = defaultdict(list)
    for category, amount in sorted(budget_totals(region=region, year=year).items()):
        if category not in keys:
            raise ValidationError(f"Geen verdeelsleutel voor kostensoort '{Category(category).label}'.")
        version = version_on(key=keys[category], on=date(year, 1, 1))
        for part in split(amount=amount, version=version, year=year):
            per_member[part.municipality] += part.amount
            notes[part.municipality].append(f"{Category(category).label}: {format_amount(part.amount)}")
    out = []
    with transaction.atomic():
        for municipality, amount in per_member.items():
            advance, created = Advance.objects.unrestricted().get_or_create(
                region=region,
                municipality=municipality,
                year=year,
                defaults={"amount": amount, "basis": "\n".join(notes[municipality])},
            )
            if not created and advance.amount != amount:
                advance.amount, advance.basis = amount, "\n".join(notes[municipality])
                advance.save()
            out.append(advance)
    return out


@dataclass
class ImportProblem:
    row: int
    message: str

    def __str__(self) -> str:
        return f"rij {self.row}: {self.message}"


class ImportRefused(ValidationError):
    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__([str(p) for p in problems])


HEADERS = {
    "datum": "date",
    "date": "date",
    "kostensoort": "category",
    "categorie": "category",
    "category": "category",
    "omschrijving": "description",
    "description": "description",
    "bedrag": "amount",
    "amount": "amount",
}


def _category(value: str) -> str | None:
    text = (value or "").strip().lower()
    for choice in Category:
        if text in {choice.value, choice.label.lower(), choice.label.split(".")[0].lower()}:
            return choice.value
    return None


def _amount(value) -> Decimal:
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):  # Excel stores numbers as binary floats: take their shortest decimal form
        result = Decimal(repr(value))
    else:
        text = str(value or "").strip().replace("€", "").replace(" ", "")
        if "," in text:  # Dutch: 1.234,56
            text = text.replace(".", "").replace(",", ".")
        result = Decimal(text)
    if result != result.quantize(Decimal("0.01")):
        raise InvalidOperation
    return result


def _date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _rows(filename: str, content: bytes) -> list[tuple[int, dict]]:
    if filename.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ImportRefused([ImportProblem(1, f"het Excel-bestand is niet te lezen ({exc}).")]) from exc
        raw = [(i, list(r)) for i, r in enumerate(sheet.iter_rows(values_only=True), start=1)]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportRefused([ImportProblem(1, "het bestand is geen tekst in UTF-8.")]) from exc
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=";,\t")
        raw = [(i, r) for i, r in enumerate(csv.reader(io.StringIO(text), dialect), start=1)]
    raw = [(i, r) for i, r in raw if any(str(c or "").strip() for c in r)]
    if not raw:
        raise ImportRefused([ImportProblem(1, "het bestand is leeg.")])
    header_row, header = raw[0]
    columns = [HEADERS.get(str(h or "").strip().lower()) for h in header]
    missing = {"date", "category", "description", "amount"} - set(columns)
    if missing:
        names = {"date": "datum", "category": "kostensoort", "description": "omschrijving", "amount": "bedrag"}
        raise ImportRefused(
            [ImportProblem(header_row, "kolom ontbreekt: " + ", ".join(sorted(names[m] for m in missing)))]
        )
    return [(i, {c: r[k] if k < len(r) else None for k, c in enumerate(columns) if c}) for i, r in raw[1:]]


def import_actuals(*, user, region: Region, year: int, filename: str, content: bytes) -> list[ActualCostLine]:
    """Import actual cost lines from the coordinating municipality's ledger (CSV or Excel: datum, kostensoort,
    omschrijving, bedrag). Every bad row is reported with its row number; when any row is bad nothing is imported.
    A row imported before from the same file (same values) is not imported twice."""
    require_coordinator(user, region)
    problems: list[ImportProblem] = []
    parsed = []
    for row, values in _rows(filename, content):
        try:
            day = _date(values.get("date"))
        except ValueError:
            problems.append(ImportProblem(row, f"'{values.get('date')}' is geen datum (gebruik dd-mm-jjjj)."))
            day = None
        category = _category(str(values.get("category") or ""))
        if category is None:
            problems.append(ImportProblem(row, f"onbekende kostensoort '{values.get('category')}'."))
        elif category in STAFF_CATEGORIES:
            problems.append(
                ImportProblem(row, "personeelskosten komen uit de formatie tegen de geïndexeerde norm (WM-SO 6.3).")
            )
        description = str(values.get("description") or "").strip()
        if not description:
            problems.append(ImportProblem(row, "de omschrijving ontbreekt."))
        try:
            amount = _amount(values.get("amount"))
        except (InvalidOperation, ValueError):
            problems.append(ImportProblem(row, f"'{values.get('amount')}' is geen bedrag in euro's en centen."))
            amount = None
        if day is not None and day.year != year:
            problems.append(ImportProblem(row, f"de datum {format_date(day)} valt niet in {year}."))
        parsed.append((row, day, category, description[:300], amount))
    if problems:
        raise ImportRefused(problems)
    created = []
    with transaction.atomic():
        for row, day, category, description, amount in parsed:
            source = f"{filename} rij {row}"
            line, made = ActualCostLine.objects.unrestricted().get_or_create(
                region=region,
                year=day.year,
                date=day,
                category=category,
                description=description,
                amount=amount,
                source=source,
            )
            if made:
                created.append(line)
    return created


def add_actual(*, user, region: Region, day: date, category: str, description: str, amount: Decimal) -> ActualCostLine:
    """One actual cost line entered by hand by the coordinating municipality."""
    require_coordinator(user, region)
    if category in STAFF_CATEGORIES:
        raise ValidationError("Personeelskosten komen uit de formatie tegen de geïndexeerde norm (WM-SO 6.3).")
    line = ActualCostLine(
        region=region,
        year=day.year,
        date=day,
        category=category,
        description=description,
        amount=amount,
        source="ingevoerd",
    )
    line.full_clean()
    line.save()
    return line


# --- The December reckoning (WM-SO 6.7, WM-DVO 5-6, BNO 10.6) ------------------------------------------------------


class ReckoningAborted(Exception):
    """Raised by the test hook to prove that a failure halfway leaves the previous state."""


@dataclass
class ComputedPart:
    category: str
    version: KeyVersion
    norm_year: NormYear | None
    amount: Decimal
    cost_line_ids: list[int]
    parts: list[Part]
    explanation: str


@dataclass
class Computation:
    total: Decimal
    parts: list[ComputedPart]
    advances: dict[int, Decimal]
    municipalities: dict[int, Municipality]
    inputs: dict
    inputs_hash: str


def compute_reckoning(
    *, region: Region, year: int, progress: Callable[[int], None] | None = None, fail_halfway: bool = False
) -> Computation:
    """Each member's share of the actual integral costs by the applicable keys (WM-SO 6.7; BNO 10.6), without
    writing anything. Staff costs come from the formation at the indexed norm and are split by the key version of
    1 January (WM-SO 6.2); every other cost line is split by the version valid on its date (SPEC §6.1).

    The number of queries does not grow with the number of cost lines: the lines are read in one query.
    """
    progress = progress or (lambda p: None)
    keys = category_keys(region=region)
    versions: dict[int, list[KeyVersion]] = {}
    for key in keys.values():
        if key.pk not in versions:
            versions[key.pk] = list(KeyVersion.objects.unrestricted().filter(key=key).select_related("key__region"))
    weights_cache: dict[int, list] = {}

    def version_for(category: str, on: date) -> KeyVersion:
        if category not in keys:
            raise ValidationError(f"Geen verdeelsleutel voor kostensoort '{Category(category).label}'.")
        for v in versions[keys[category].pk]:
            if v.is_valid_on(on):
                return v
        raise ValidationError(f"Sleutel {keys[category].code} heeft geen versie die geldt op {format_date(on)}.")

    def weights(version: KeyVersion):
        if version.pk not in weights_cache:
            weights_cache[version.pk] = weights_of(version=version, year=year)
        return weights_cache[version.pk]

    progress(10)
    staff, norm_year, staff_notes = staff_costs(region=region, year=year)
    buckets: dict[tuple[str, int], list] = defaultdict(lambda: [Fraction(0), [], None])
    for category, amount in staff.items():
        version = version_for(category, date(year, 1, 1))
        bucket = buckets[(category, version.pk)]
        bucket[0] += amount
        bucket[2] = version
    progress(25)
    lines = (
        ActualCostLine.objects.unrestricted()
        .filter(region=region, year=year)
        .values_list("pk", "category", "date", "amount")
    )
    # Sum per (category, key version) in Decimal (exact for cents); the charge of WM-SO 6.1 h is applied once per
    # bucket below. The version of a date is looked up once per (category, date).
    line_sums: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    version_of_day: dict[tuple[str, date], KeyVersion] = {}
    for pk, category, day, amount in lines.order_by("pk").iterator(chunk_size=5000):
        version = version_of_day.get((category, day))
        if version is None:
            version = version_of_day[(category, day)] = version_for(category, day)
        bucket = buckets[(category, version.pk)]
        line_sums[(category, version.pk)] += amount
        bucket[1].append(pk)
        bucket[2] = version
    for (category, vpk), amount in line_sums.items():
        buckets[(category, vpk)][0] += charge(category, amount)
    progress(50)
    if fail_halfway:
        raise ReckoningAborted("de berekening is halverwege afgebroken (test)")
    computed = []
    municipalities: dict[int, Municipality] = {}
    for (category, _vpk), (amount, ids, version) in sorted(
        buckets.items(), key=lambda kv: (kv[0][0], kv[1][2].valid_from)
    ):
        rounded = fraction_to_cents(amount)
        parts = split_weights(amount=rounded, weights=weights(version))
        for p in parts:
            municipalities[p.municipality.pk] = p.municipality
        if category in STAFF_CATEGORIES:
            explanation = "\n".join(staff_notes.get(category, []))
        else:
            explanation = f"{len(ids)} kostenregels"
        if CATEGORY_CHARGE.get(category):
            percentage = format_number(CATEGORY_CHARGE[category] * 100, decimals=0)
            explanation += f" (waarvan {percentage} % ten laste van de regio, WM-SO 6.1 h)"
        computed.append(
            ComputedPart(
                category,
                version,
                norm_year if category in STAFF_CATEGORIES else None,
                rounded,
                ids,
                parts,
                explanation,
            )
        )
    progress(75)
    advances = {}
    for advance in Advance.objects.unrestricted().filter(region=region, year=year).select_related("municipality"):
        advances[advance.municipality_id] = advance.amount
        municipalities[advance.municipality_id] = advance.municipality
    total = sum((c.amount for c in computed), Decimal("0.00"))
    inputs = {
        "region": region.code,
        "year": year,
        "norm_year": (
            {
                "id": norm_year.pk,
                "year": norm_year.year,
                "revision": norm_year.revision,
                "scales": {str(s.scale): str(s.norm) for s in norm_year.scales.all()},
                "productive_hours": str(norm_year.productive_hours),
                "overhead_per_hour": str(norm_year.overhead_per_hour),
            }
            if norm_year
            else None
        ),
        "parts": [
            {
                "category": c.category,
                "key_version": c.version.pk,
                "amount": str(c.amount),
                "weights": {m.code: str(w) for m, w in weights(c.version)},
                "cost_lines": c.cost_line_ids,
            }
            for c in computed
        ],
        "advances": {municipalities[k].code: str(v) for k, v in sorted(advances.items())},
    }
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()
    return Computation(total, computed, advances, municipalities, inputs, digest)


def request_reckoning(*, user, region: Region, year: int) -> Reckoning:
    """Start (or restart) the reckoning of a region for a year; runs as a Celery task after commit.

    Running twice for the same inputs gives the same reckoning (the database allows one row per region, year and
    version). A draft is recomputed; after approval a run with changed inputs makes a correction version."""
    require_coordinator(user, region)
    from costsharing.tasks import run_reckoning

    with transaction.atomic():
        Region.objects.unrestricted().select_for_update().get(pk=region.pk)
        reckoning = latest_reckoning(region=region, year=year)
        if reckoning is None:
            reckoning = Reckoning.objects.create(region=region, year=year, version=1)
        if reckoning.run_state != Reckoning.RunState.RUNNING:
            Reckoning.objects.filter(pk=reckoning.pk).update(run_state=Reckoning.RunState.QUEUED, progress=0, error="")
        transaction.on_commit(lambda: run_reckoning.delay(reckoning.pk))
    reckoning.refresh_from_db()
    return reckoning


def latest_reckoning(*, region: Region, year: int) -> Reckoning | None:
    return Reckoning.objects.unrestricted().filter(region=region, year=year).order_by("-version").first()


def _set_progress(pk: int, **values) -> None:
    Reckoning.objects.unrestricted().filter(pk=pk).update(**values)


def perform_reckoning(*, reckoning_id: int, fail_halfway: bool = False) -> Reckoning:
    """The body of the Celery task: compute everything first, then write it in one transaction. A failure anywhere
    leaves the previous state (the previous lines or none) and a message in words; a re-run completes."""
    reckoning = Reckoning.objects.unrestricted().select_related("region").get(pk=reckoning_id)
    _set_progress(reckoning.pk, run_state=Reckoning.RunState.RUNNING, progress=5, error="")
    try:
        computation = compute_reckoning(
            region=reckoning.region,
            year=reckoning.year,
            progress=lambda p: _set_progress(reckoning.pk, progress=p),
            fail_halfway=fail_halfway,
        )
        with transaction.atomic():
            locked = Reckoning.objects.unrestricted().select_for_update().get(pk=reckoning.pk)
            target = locked
            if locked.is_frozen:
                newer = latest_reckoning(region=locked.region, year=locked.year)
                if newer.pk != locked.pk and not newer.is_frozen:
                    target = Reckoning.objects.unrestricted().select_for_update().get(pk=newer.pk)
                elif computation.inputs_hash == locked.inputs_hash:
                    _set_progress(locked.pk, run_state=Reckoning.RunState.DONE, progress=100, error="")
                    return locked
                else:
                    target = Reckoning.objects.create(
                        region=locked.region, year=locked.year, version=newer.version + 1, previous=newer
                    )
            _write(target, computation)
        if target.pk != reckoning.pk:
            _set_progress(reckoning.pk, run_state=Reckoning.RunState.DONE, progress=100, error="")
        target.refresh_from_db()
        return target
    except Exception as exc:  # every failure is shown in words; the previous state stays (transaction rolled back)
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        _set_progress(
            reckoning.pk,
            run_state=Reckoning.RunState.FAILED,
            error=f"De berekening is mislukt: {reason}. De vorige stand is bewaard; start de berekening opnieuw.",
        )
        if not isinstance(exc, ValidationError | ReckoningAborted):
            import logging

            logging.getLogger(__name__).exception("afrekening %s mislukt", reckoning.pk)
        reckoning.refresh_from_db()
        return reckoning


def _write(target: Reckoning, computation: Computation) -> None:
    if target.is_frozen:  # never: a frozen reckoning gets a correction version instead (STYLE.md rule 8)
        raise ValidationError("Een vastgestelde afrekening verandert niet; maak een correctieversie.")
    # A draft's derived rows are replaced wholesale on each run (its audit is the reckoning's own history and the
    # stored inputs); deleting them without per-row signals keeps a re-run as fast as a first run.
    for model in (ReckoningItem, ReckoningPart, ReckoningLine):
        queryset = model.objects.unrestricted().filter(reckoning=target)
        queryset._raw_delete(queryset.db)
    previous_shares = {}
    if target.previous_id:
        previous_shares = dict(
            ReckoningLine.objects.unrestricted()
            .filter(reckoning_id=target.previous_id)
            .values_list("municipality_id", "share")
        )
    shares: dict[int, Decimal] = defaultdict(Decimal)
    items = []
    for computed in computation.parts:
        part = ReckoningPart.objects.create(
            reckoning=target,
            category=computed.category,
            key_version=computed.version,
            norm_year=computed.norm_year,
            amount=computed.amount,
            cost_line_ids=computed.cost_line_ids,
            weights={p.municipality.code: str(p.weight) for p in computed.parts},
            explanation=computed.explanation,
        )
        for p in computed.parts:
            shares[p.municipality.pk] += p.amount
            items.append(
                ReckoningItem(
                    reckoning=target, part=part, municipality=p.municipality, weight=p.weight, amount=p.amount
                )
            )
    ReckoningItem.objects.bulk_create(items)
    lines = []
    for pk in sorted(set(shares) | set(computation.advances)):
        share = shares.get(pk, Decimal("0.00"))
        advances = computation.advances.get(pk, Decimal("0.00"))
        lines.append(
            ReckoningLine(
                reckoning=target,
                municipality=computation.municipalities[pk],
                share=share,
                advances=advances,
                difference=share - advances,
                previous_share=previous_shares.get(pk) if target.previous_id else None,
            )
        )
    ReckoningLine.objects.bulk_create(lines)
    Reckoning.objects.unrestricted().filter(pk=target.pk).update(
        total=computation.total,
        inputs=computation.inputs,
        inputs_hash=computation.inputs_hash,
        computed_at=timezone.now(),
        run_state=Reckoning.RunState.DONE,
        progress=100,
        error="",
    )


def approve_reckoning(*, user, reckoning: Reckoning) -> Reckoning:
    """Coordinating staff approve a computed draft: frozen from now on, its inputs kept (WM-SO 6.7; SPEC §6.5)."""
    require_coordinator(user, reckoning.region)
    with transaction.atomic():
        locked = Reckoning.objects.unrestricted().select_for_update().get(pk=reckoning.pk)
        if locked.status != Reckoning.Status.DRAFT:
            raise ValidationError("Alleen een concept kan worden vastgesteld.")
        if locked.run_state != Reckoning.RunState.DONE:
            raise ValidationError("De afrekening is nog niet (goed) berekend; bereken haar eerst.")
        locked.status = Reckoning.Status.APPROVED
        locked.approved_at = timezone.now()
        locked.approved_by = user
        locked.save()
    return locked


def mark_settled(*, user, reckoning: Reckoning) -> Reckoning:
    """Approved → settled, called by invoicing when the December invoices for this reckoning are issued
    (WM-DVO 6.1). Refuses anything but an approved reckoning."""
    require_coordinator(user, reckoning.region)
    with transaction.atomic():
        locked = Reckoning.objects.unrestricted().select_for_update().get(pk=reckoning.pk)
        if locked.status != Reckoning.Status.APPROVED:
            raise ValidationError("Alleen een vastgestelde afrekening kan als gefactureerd worden gemarkeerd.")
        locked.status = Reckoning.Status.SETTLED
        locked.settled_at = timezone.now()
        locked.save()
    return locked


def start_december_reckonings(*, year: int | None = None) -> list[int]:
    """Celery beat, 1 December (WM-SO 6.7 "in de maand december"): start the reckoning of every region that shares
    costs. Idempotent: a region whose latest reckoning is already approved for unchanged inputs stays as it is."""
    year = year or timezone.localdate().year
    started = []
    for region in Region.objects.unrestricted().filter(pk__in=CategoryKey.objects.unrestricted().values("region_id")):
        started.append(request_reckoning(user=None, region=region, year=year).pk)
    return started

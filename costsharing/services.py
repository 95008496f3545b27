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

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

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
from regio.bounds import check_date, check_percentage, year_window
from regio.formatting import format_amount, format_date, format_number
from regio.models import Municipality, PopulationFigure, Region
from regio.tenancy import CHANGE, can, person, system_actor
from regio.weights import provided_weights, weight_provider

HUNDRED = Decimal("100")


# --- Permissions -------------------------------------------------------------------------------------------------


def require_coordinator(user, region: Region) -> None:
    """Only staff of the coordinating municipality act for the region (SPEC §1; WM-SO 4.12, BNO 5); a job passes
    ``system_actor`` (Celery beat), a missing user raises."""
    if not can(user, CHANGE, region):
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
    provider = weight_provider(basis)
    if provider is None:
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
        errors.append(provider.no_own_shares)
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


def _ordered_weights(
    version: KeyVersion,
    *,
    provided: list[tuple[Municipality, Decimal]],
    shares: list[tuple[Municipality, Decimal]],
    year,
) -> list[tuple[Municipality, Decimal]]:
    """The weights a version splits by, ordered by CBS code: for a basis with a registered provider
    (``regio.weights``: the FTE basis from toezicht's supervision capacity, WM-DVO annex 4) what it provides, else
    the version's own shares. One rule for ``weights_of`` and the reckoning's preloaded inputs."""
    provider = weight_provider(version.basis)
    if provider is not None:
        if not provided:
            raise ValidationError(provider.missing(year))
        return sorted(provided, key=lambda mw: mw[0].code)
    return sorted(shares, key=lambda mw: mw[0].code)


def weights_of(*, version: KeyVersion, year: int | None = None) -> list[tuple[Municipality, Decimal]]:
    """The exact weights of a version, ordered by CBS code. A basis with a registered provider (the FTE basis:
    toezicht's supervision capacity of the year, WM-DVO annex 4) reads it from there: one source of truth."""
    if weight_provider(version.basis) is not None:
        year = year or version.valid_from.year
        provided = provided_weights(versions=[version], year=year).get(version.pk, [])
        return _ordered_weights(version, provided=provided, shares=[], year=year)
    shares = KeyShare.objects.unrestricted().filter(version=version).select_related("municipality")
    return _ordered_weights(version, provided=[], shares=[(s.municipality, s.weight) for s in shares], year=year)


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
        provider = weight_provider(previous.basis)
        if provider is not None:
            raise ValidationError(provider.not_mergeable)
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
    confirmed: bool = False,
) -> CaoStep:
    """Enter a CAO step (WM-SO 6.4, WM-DVO 5.3). The indexation task runs after commit: it derives the later years
    and sends the updated cost overview to every member (WM-SO 6.6).

    Issue 10, finding 4: the date lies in the plausible window and the percentage between ``CAO_STEP_MIN_PERCENTAGE``
    and ``CAO_STEP_MAX_PERCENTAGE``; a step beyond ±``CAO_STEP_CONFIRM_PERCENTAGE`` needs ``confirmed`` (a
    deliberate second look: no CAO Gemeenten since 2000 raised more than that in one step)."""
    require_coordinator(user, region)
    from costsharing.tasks import index_norms as index_task

    check_cao_step(effective_date=effective_date, percentage=percentage, confirmed=confirmed)

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


def cao_bounds() -> tuple[Decimal, Decimal, Decimal]:
    """(lowest, highest, confirm-beyond) percentage of one CAO step, from the settings (README)."""
    return (
        Decimal(str(getattr(settings, "CAO_STEP_MIN_PERCENTAGE", "-10"))),
        Decimal(str(getattr(settings, "CAO_STEP_MAX_PERCENTAGE", "25"))),
        Decimal(str(getattr(settings, "CAO_STEP_CONFIRM_PERCENTAGE", "10"))),
    )


def check_cao_step(*, effective_date: date, percentage: Decimal | None, confirmed: bool = False) -> None:
    """Refuse an implausible CAO step in Dutch, per field (issue 10, finding 4: 01-01-9999 and -50 % were accepted)."""
    errors: dict[str, list] = {}
    try:
        check_date(effective_date, label=_("De ingangsdatum"))
    except ValidationError as exc:
        errors["effective_date"] = exc.messages
    if percentage is not None:
        low, high, confirm = cao_bounds()
        try:
            check_percentage(percentage, low=low, high=high, label=_("Het percentage van een CAO-stap"))
        except ValidationError as exc:
            errors["percentage"] = exc.messages
        else:
            if abs(percentage) > confirm and not confirmed:
                errors["confirmed"] = [
                    _(
                        "Een CAO-stap van %(pct)s %% is ongebruikelijk groot (meer dan %(confirm)s %%). "
                        "Controleer het percentage en bevestig dat het klopt."
                    )
                    % {"pct": fmt_pct(percentage), "confirm": fmt_pct(confirm)}
                ]
    if errors:
        raise ValidationError(errors)


def _to_norm_decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.000001"))


@dataclass
class IndexResult:
    changed_years: list[int] = field(default_factory=list)
    unchanged_years: list[int] = field(default_factory=list)


def index_norms(*, user, region: Region, through_year: int | None = None) -> IndexResult:
    """Derive the indexed norms of every year after the base price level (WM-SO 6.4, WM-DVO 5.3): "in de afrekening
    van 2025 en verder [worden] alle CAO loonsverhoging verrekend". Safe to run twice: a year whose figures do not
    change keeps its revision; a changed year gets a new revision and the old one is kept (superseded).

    Bounded by construction (issue 10, finding 4): never beyond next year and never before the plausible window,
    whatever the data says (a step dated 01-01-9999 made 7.977 norm years), so one run is a handful of years and
    the region's lock is held for moments."""
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
        last_year = min(last_year, timezone.localdate().year + 1)
        first_year = max(entered[0].year + 1, year_window()[0])
        for year in range(first_year, last_year + 1):
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


def _staff(
    *, lines: list[FormationLine], norm_year: NormYear, norms: dict[int, Decimal], year: int
) -> tuple[dict[str, Fraction], dict[str, list[str]]]:
    """Formation × (indexed norm + overhead) per staff category, exact, with a line of explanation per function."""
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
    return dict(totals), dict(notes)


def staff_costs(*, region: Region, year: int) -> tuple[dict[str, Fraction], NormYear | None, dict[str, list[str]]]:
    """Formation × (indexed norm + overhead) per staff category (WM-SO 6.3): fte × productive hours × hourly rate."""
    lines = list(FormationLine.objects.unrestricted().filter(region=region, year=year))
    if not lines:
        return {}, None, {}
    norm_year = current_norm_year(region=region, year=year)
    norms = {s.scale: s.norm for s in NormScale.objects.unrestricted().filter(norm_year=norm_year)}
    totals, notes = _staff(lines=lines, norm_year=norm_year, norms=norms, year=year)
    return totals, norm_year, notes


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
    """A ledger amount: an Excel number (a binary float, taken by its shortest decimal form) or text typed the Dutch
    way, read by the product's one amount parser (regio.amounts; issue 10, finding 6: no "1e5", no 14+ digits)."""
    from django.core.exceptions import ValidationError as AmountError

    from regio.amounts import parse_dutch, parse_plain

    try:
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return parse_plain(value, minimum=None)
        return parse_dutch(str(value or ""), minimum=None)
    except AmountError:
        raise InvalidOperation from None


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
    advances: list[Advance] = field(default_factory=list)


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
    *, regions: list[Region], year: int, exact_region_ids: frozenset[int] = frozenset()
) -> tuple[dict[int, _RegionInputs], dict[int, list[KeyVersion]], Callable]:
    """Read the inputs of the reckoning of ``regions`` for ``year`` in nine queries, however many regions.

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
    for line in FormationLine.objects.unrestricted().filter(region_id__in=region_ids, year=year):
        data[line.region_id].formation.append(line)
    norm_years = NormYear.objects.unrestricted().current().filter(region_id__in=region_ids, year=year)
    for norm_year in norm_years.prefetch_related("scales"):
        data[norm_year.region_id].norm_year = norm_year
        data[norm_year.region_id].norms = {s.scale: s.norm for s in norm_year.scales.all()}
    provided = provided_weights(versions=[v for vs in versions.values() for v in vs], year=year)
    for advance in (
        Advance.objects.unrestricted().filter(region_id__in=region_ids, year=year).select_related("municipality")
    ):
        data[advance.region_id].advances.append(advance)

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
    lines = ActualCostLine.objects.unrestricted().filter(region_id__in=region_ids, year=year)
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

    cache: dict[int, list[tuple[Municipality, Decimal]]] = {}

    def weights(version: KeyVersion) -> list[tuple[Municipality, Decimal]]:
        """The exact weights of a version, as ``weights_of`` gives them, from the loaded inputs."""
        if version.pk not in cache:
            cache[version.pk] = _ordered_weights(
                version, provided=provided.get(version.pk, []), shares=shares[version.pk], year=year
            )
        return cache[version.pk]

    return data, versions, weights


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
    advances = {}
    for advance in d.advances:
        advances[advance.municipality_id] = advance.amount
        municipalities[advance.municipality_id] = advance.municipality
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


def request_reckoning(*, user, region: Region, year: int, start: bool = True) -> Reckoning:
    """Start (or restart) the reckoning of a region for a year; runs as a Celery task after commit.

    Running twice for the same inputs gives the same reckoning (the database allows one row per region, year and
    version). A draft is recomputed; after approval a run with changed inputs makes a correction version.
    ``start=False`` only queues it (the December job starts all regions in one task)."""
    require_coordinator(user, region)
    from costsharing.tasks import run_reckoning

    with transaction.atomic():
        Region.objects.unrestricted().select_for_update().get(pk=region.pk)
        reckoning = latest_reckoning(region=region, year=year)
        if reckoning is None:
            reckoning = Reckoning.objects.create(region=region, year=year, version=1)
        if reckoning.run_state != Reckoning.RunState.RUNNING:
            Reckoning.objects.unrestricted().filter(pk=reckoning.pk).update(
                run_state=Reckoning.RunState.QUEUED, progress=0, error=""
            )
        if start:
            transaction.on_commit(lambda: run_reckoning.delay(reckoning.pk))
    reckoning.refresh_from_db()
    return reckoning


def latest_reckoning(*, region: Region, year: int) -> Reckoning | None:
    return Reckoning.objects.unrestricted().filter(region=region, year=year).order_by("-version").first()


def _set_progress(pks, **values) -> None:
    pks = [pks] if isinstance(pks, int) else list(pks)
    if pks:
        Reckoning.objects.unrestricted().filter(pk__in=pks).update(**values)


def _failure(exc: Exception) -> str:
    reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    return f"De berekening is mislukt: {reason}. De vorige stand is bewaard; start de berekening opnieuw."


def perform_reckoning(*, reckoning_id: int) -> Reckoning:
    """The body of the Celery task for one reckoning (see ``perform_reckonings``)."""
    return perform_reckonings(reckoning_ids=[reckoning_id])[0]


def perform_reckonings(*, reckoning_ids: list[int]) -> list[Reckoning]:
    """Compute everything first, then write it in one transaction. A region whose inputs are incomplete fails in
    words and the others complete; a failure while writing leaves the previous state of all of them (the previous
    lines or none) and a message in words; a re-run completes. Returns the reckonings in the order asked, each
    refreshed (a frozen one whose inputs changed answers with its new correction version)."""
    reckonings = list(Reckoning.objects.unrestricted().filter(pk__in=reckoning_ids).select_related("region"))
    _set_progress([r.pk for r in reckonings], run_state=Reckoning.RunState.RUNNING, progress=5, error="")
    answer: dict[int, int] = {r.pk: r.pk for r in reckonings}
    for year in sorted({r.year for r in reckonings}):
        group = [r for r in reckonings if r.year == year]
        pks = [r.pk for r in group]
        failed: dict[int, Exception] = {}
        try:
            # A frozen reckoning is compared by its exact inputs (the cost line ids); a draft needs only the sums.
            computations = compute_reckonings(
                regions=[r.region for r in group],
                year=year,
                exact_region_ids={r.region_id for r in group if r.is_frozen},
                progress=lambda p, pks=pks: _set_progress(pks, progress=p),
            )
            failed = {
                r.pk: computations[r.region_id] for r in group if isinstance(computations[r.region_id], Exception)
            }
            for pk, exc in failed.items():
                _set_progress(pk, run_state=Reckoning.RunState.FAILED, error=_failure(exc))
            todo = [r for r in group if r.pk not in failed]
            with transaction.atomic():
                answer.update(_store(todo, computations))
        except Exception as exc:  # every failure is shown in words; the previous state stays (rolled back)
            _set_progress(
                [pk for pk in pks if pk not in failed],
                run_state=Reckoning.RunState.FAILED,
                error=_failure(exc),
            )
            if not isinstance(exc, ValidationError):
                import logging

                logging.getLogger(__name__).exception("afrekening(en) %s mislukt", pks)
    done = Reckoning.objects.unrestricted().select_related("region").in_bulk(set(answer.values()))
    return [done[answer[pk]] for pk in reckoning_ids if pk in answer]


def _store(group: list[Reckoning], computations: dict) -> dict[int, int]:
    """Inside the caller's transaction: decide per reckoning where its computation goes (the draft itself, a
    correction version of a frozen one, or nowhere when the frozen inputs are unchanged) and write them all."""
    if not group:
        return {}
    locked = {
        r.pk: r for r in Reckoning.objects.unrestricted().select_for_update().filter(pk__in=[r.pk for r in group])
    }
    newest: dict[tuple[int, int], Reckoning] = {}
    others = Reckoning.objects.unrestricted().filter(
        region_id__in=[r.region_id for r in group], year__in={r.year for r in group}
    )
    for r in others.order_by("region_id", "year", "-version"):
        newest.setdefault((r.region_id, r.year), r)
    answer, writes, unchanged = {}, [], []
    for pk, reckoning in locked.items():
        computation = computations[reckoning.region_id]
        target = reckoning
        if reckoning.is_frozen:
            # Compared with the newest version, not with the one asked: re-running version 1 after an approved
            # correction (version 2) with the inputs of version 2 changes nothing.
            newer = newest[(reckoning.region_id, reckoning.year)]
            if not newer.is_frozen:
                target = Reckoning.objects.unrestricted().select_for_update().get(pk=newer.pk)
            elif computation.exact_hash == newer.inputs_hash:
                unchanged.append(pk)
                answer[pk] = newer.pk
                continue
            else:
                target = Reckoning.objects.create(
                    region=reckoning.region, year=reckoning.year, version=newer.version + 1, previous=newer
                )
            unchanged.append(pk)  # the frozen one itself is done: its correction carries the change
        writes.append((target, computation))
        answer[pk] = target.pk
    _write(writes)
    _set_progress(unchanged, run_state=Reckoning.RunState.DONE, progress=100, error="")
    return answer


def _write(writes: list[tuple[Reckoning, Computation]]) -> None:
    """Replace the derived rows of draft reckonings in bulk: a handful of queries for any number of regions."""
    if not writes:
        return
    if any(target.is_frozen for target, _c in writes):  # never: a frozen one gets a correction version instead
        raise ValidationError("Een vastgestelde afrekening verandert niet; maak een correctieversie.")
    targets = [target.pk for target, _c in writes]
    # A draft's derived rows are replaced wholesale on each run (its audit is the reckoning's own history and the
    # stored inputs); deleting them without per-row signals keeps a re-run as fast as a first run.
    for model in (ReckoningItem, ReckoningPart, ReckoningLine):
        queryset = model.objects.unrestricted().filter(reckoning_id__in=targets)
        queryset._raw_delete(queryset.db)
    previous_shares: dict[tuple[int, int], Decimal] = {}
    previous_ids = [t.previous_id for t, _c in writes if t.previous_id]
    if previous_ids:
        for rid, mid, share in (
            ReckoningLine.objects.unrestricted()
            .filter(reckoning_id__in=previous_ids)
            .values_list("reckoning_id", "municipality_id", "share")
        ):
            previous_shares[(rid, mid)] = share
    parts, owners = [], []
    for target, computation in writes:
        for computed in computation.parts:
            parts.append(
                ReckoningPart(
                    reckoning=target,
                    category=computed.category,
                    key_version=computed.version,
                    norm_year=computed.norm_year,
                    amount=computed.amount,
                    line_count=computed.line_count,
                    lines_total=computed.lines_total,
                    weights={p.municipality.code: str(p.weight) for p in computed.parts},
                    explanation=computed.explanation,
                )
            )
            owners.append((target, computed))
    ReckoningPart.objects.bulk_create(parts)
    items, lines, now = [], [], timezone.now()
    shares: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for part, (target, computed) in zip(parts, owners, strict=True):
        for p in computed.parts:
            shares[target.pk][p.municipality.pk] += p.amount
            items.append(
                ReckoningItem(
                    reckoning=target, part=part, municipality=p.municipality, weight=p.weight, amount=p.amount
                )
            )
    ReckoningItem.objects.bulk_create(items)
    for target, computation in writes:
        own = shares[target.pk]
        for pk in sorted(set(own) | set(computation.advances)):
            share = own.get(pk, Decimal("0.00"))
            advances = computation.advances.get(pk, Decimal("0.00"))
            lines.append(
                ReckoningLine(
                    reckoning=target,
                    municipality=computation.municipalities[pk],
                    share=share,
                    advances=advances,
                    difference=share - advances,
                    previous_share=previous_shares.get((target.previous_id, pk)) if target.previous_id else None,
                )
            )
        target.total, target.inputs, target.inputs_hash = (
            computation.total,
            computation.inputs,
            computation.inputs_hash,
        )
        target.computed_at, target.run_state, target.progress, target.error = now, Reckoning.RunState.DONE, 100, ""
    ReckoningLine.objects.bulk_create(lines)
    Reckoning.objects.unrestricted().bulk_update(
        [t for t, _c in writes], ["total", "inputs", "inputs_hash", "computed_at", "run_state", "progress", "error"]
    )


def part_cost_lines(part: ReckoningPart) -> Q:
    """Which cost lines a reckoning part came from (the trace of issue #5): the recorded ids once approved; for a
    draft, the lines of its region, year and category dated in the period of its key version, as they are now."""
    if part.reckoning.is_frozen:
        return Q(pk__in=part.cost_line_ids)
    version = part.key_version
    reckoning = part.reckoning
    start = max(version.valid_from, date(reckoning.year, 1, 1))
    end = min(version.valid_until or date(reckoning.year, 12, 31), date(reckoning.year, 12, 31))
    if part.category in STAFF_CATEGORIES:
        return Q(pk__in=[])  # staff costs come from the formation at the indexed norm, not from ledger lines
    return Q(region_id=reckoning.region_id, year=reckoning.year, category=part.category, date__range=(start, end))


def approve_reckoning(*, user, reckoning: Reckoning) -> Reckoning:
    """Coordinating staff approve a computed draft: frozen from now on, its inputs kept (WM-SO 6.7; SPEC §6.5).

    The cost lines are read once more, one by one: when they no longer add up to what was computed (a line added,
    changed or removed since), approval is refused until the draft is recomputed. Otherwise every part records the
    ids of its cost lines and the reckoning keeps the exact inputs, so a later change makes a correction version."""
    require_coordinator(user, reckoning.region)
    with transaction.atomic():
        locked = Reckoning.objects.unrestricted().select_for_update().select_related("region").get(pk=reckoning.pk)
        if locked.status != Reckoning.Status.DRAFT:
            raise ValidationError("Alleen een concept kan worden vastgesteld.")
        if locked.run_state != Reckoning.RunState.DONE:
            raise ValidationError("De afrekening is nog niet (goed) berekend; bereken haar eerst.")
        computation = compute_reckoning(region=locked.region, year=locked.year, exact=True)
        if computation.inputs_hash != locked.inputs_hash:
            raise ValidationError(
                "De invoer (kostenregels, sleutels, normen of voorschotten) is gewijzigd sinds de berekening van "
                f"{format_date(timezone.localtime(locked.computed_at).date())}; bereken de afrekening opnieuw en "
                "stel haar dan vast."
            )
        ids = {(c.category, c.version.pk): c.cost_line_ids for c in computation.parts}
        parts = list(ReckoningPart.objects.unrestricted().filter(reckoning=locked))
        for part in parts:
            part.cost_line_ids = ids.get((part.category, part.key_version_id), [])
        ReckoningPart.objects.bulk_update(parts, ["cost_line_ids"])
        locked.inputs, locked.inputs_hash = computation.exact_inputs, computation.exact_hash
        locked.status = Reckoning.Status.APPROVED
        locked.approved_at = timezone.now()
        locked.approved_by = person(user)
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
    """Celery beat, 1 December (WM-SO 6.7 "in de maand december"): queue the reckoning of every region that shares
    costs and compute them all in one task (a constant number of queries for all regions). Idempotent: a region
    whose latest reckoning is already approved for unchanged inputs stays as it is."""
    from costsharing.tasks import run_reckonings

    year = year or timezone.localdate().year
    beat = system_actor(f"Celery beat: decemberafrekening {year} (WM-SO 6.7)")
    started = []
    for region in Region.objects.unrestricted().filter(pk__in=CategoryKey.objects.unrestricted().values("region_id")):
        started.append(request_reckoning(user=beat, region=region, year=year, start=False).pk)
    if started:
        transaction.on_commit(lambda: run_reckonings.delay(started))
    return started

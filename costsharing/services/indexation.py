"""CAO indexation of the staff norms: monthly levels, CAO steps, their bounds and indexing the norms. Articles:
WM-SO 6.4, WM-DVO 5.3, WM-SO 6.6, WM-DVO 5.4.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from costsharing.models import (
    CaoStep,
    FormationLine,
    NormScale,
    NormYear,
    OverheadYear,
)
from costsharing.services._common import require_coordinator
from costsharing.services.keys import fmt_pct
from costsharing.split import as_fraction
from regio.bounds import check_date, check_percentage, year_window
from regio.formatting import format_amount, format_date
from regio.models import Region

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

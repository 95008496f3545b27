"""Budget, staff costs and advances (voorschotten) per municipality. Articles: WM-SO 6.1, WM-SO 6.3, WM-SO 6.2."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction

from costsharing.models import (
    CATEGORY_CHARGE,
    Advance,
    AllocationKey,
    BudgetLine,
    Category,
    CategoryKey,
    FormationLine,
    NormScale,
    NormYear,
)
from costsharing.services._common import require_coordinator
from costsharing.services.keys import split, version_on
from costsharing.services.norms import current_norm_year, hourly_rate_exact
from costsharing.split import as_fraction, fraction_to_cents
from regio.formatting import format_amount, format_number
from regio.models import Municipality, Region

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

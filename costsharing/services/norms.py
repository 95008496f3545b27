"""Norms, hourly rates and activity prices (tariffs) of a year. Articles: SPEC §6.2, WM-DVO 5.4, WM-SO 6.5."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError

from costsharing.models import (
    Activity,
    NormScale,
    NormYear,
)
from costsharing.split import as_fraction, fraction_to_cents
from regio.models import Region

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

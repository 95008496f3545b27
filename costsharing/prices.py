"""The activity prices and hourly rates cost sharing gives other apps through ``regio.prices`` (WM-DVO annex 1,
SPEC §6.2): beschermd wonen charges its access fees by them without importing cost sharing."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from costsharing.models import Activity, NormScale, NormYear
from costsharing.services.norms import hourly_rate_exact
from costsharing.split import as_fraction, fraction_to_cents
from regio.prices import Prices


def activity_prices_of_regions(*, region_ids, year: int) -> dict[int, Prices]:
    """Each region's activity prices and hourly rates of ``year`` (each price rounded once, as ``tariffs`` does), in
    three queries for all regions. A region without current norms for the year is left out."""
    norm_years = {
        n.region_id: n
        for n in NormYear.objects.unrestricted("prices for a caller that checked the region")
        .current()
        .filter(region_id__in=region_ids, year=year)
    }
    rates: dict[int, dict[int, Fraction]] = defaultdict(dict)
    by_norm_year = {n.pk: n for n in norm_years.values()}
    for scale in NormScale.objects.unrestricted("the scales of those norm years").filter(norm_year__in=by_norm_year):
        norm_year = by_norm_year[scale.norm_year_id]
        rates[norm_year.region_id][scale.scale] = hourly_rate_exact(norm_year, scale.norm)
    activities: dict[int, dict] = defaultdict(dict)
    for activity in (
        Activity.objects.unrestricted("the activities of those regions")
        .filter(region_id__in=list(norm_years))
        .prefetch_related("components")
    ):
        region_rates = rates[activity.region_id]
        parts = [
            as_fraction(c.hours) * region_rates[c.scale] for c in activity.components.all() if c.scale in region_rates
        ]
        if len(parts) == len(activity.components.all()):
            activities[activity.region_id][activity.code] = fraction_to_cents(sum(parts, Fraction(0)))
    return {
        region_id: Prices(
            activities=activities.get(region_id, {}),
            rates={scale: fraction_to_cents(rate) for scale, rate in rates[region_id].items()},
            exact_rates=dict(rates[region_id]),
        )
        for region_id in norm_years
    }

"""The activity prices and hourly rates cost sharing gives other apps through ``regio.prices`` (WM-DVO annex 1,
SPEC §6.2): beschermd wonen charges its access fees by them without importing cost sharing."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from costsharing.models import ActivityComponent, NormScale, NormYear
from costsharing.services.norms import hourly_rate_exact
from costsharing.split import as_fraction, fraction_to_cents
from regio.prices import Prices


def activity_prices_of_regions(*, region_ids, year: int) -> dict[int, Prices]:
    """Each region's activity prices and hourly rates of ``year`` (each price rounded once, as ``tariffs`` does), in
    two queries for all regions. A region without current norms for the year is left out."""
    rates: dict[int, dict[int, Fraction]] = defaultdict(dict)
    scales = (
        NormScale.objects.unrestricted("prices for a caller that checked the region")
        .filter(
            norm_year__in=NormYear.objects.unrestricted("idem").current().filter(region_id__in=region_ids, year=year)
        )
        .select_related("norm_year")
    )
    for scale in scales:
        rates[scale.norm_year.region_id][scale.scale] = hourly_rate_exact(scale.norm_year, scale.norm)
    components: dict[tuple[int, str], list] = defaultdict(list)
    for region_id, code, scale, hours in (
        ActivityComponent.objects.unrestricted("the activities of those regions")
        .filter(activity__region_id__in=list(rates))
        .values_list("activity__region_id", "activity__code", "scale", "hours")
    ):
        components[(region_id, code)].append((scale, hours))
    activities: dict[int, dict] = defaultdict(dict)
    for (region_id, code), parts in components.items():
        region_rates = rates[region_id]
        if all(scale in region_rates for scale, _hours in parts):
            exact = sum((as_fraction(hours) * region_rates[scale] for scale, hours in parts), Fraction(0))
            activities[region_id][code] = fraction_to_cents(exact)
    return {
        region_id: Prices(
            activities=activities.get(region_id, {}),
            rates={scale: fraction_to_cents(rate) for scale, rate in region_rates.items()},
            exact_rates=dict(region_rates),
        )
        for region_id, region_rates in rates.items()
    }

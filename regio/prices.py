"""Activity prices and hourly rates of a year: where an app that charges by them reads them (STYLE.md rule 16).

Cost sharing owns the norms, the CAO indexation and the activity prices (WM-DVO annex 1, SPEC §6.2); beschermd
wonen charges its access fees by them (a notification, a running indication, consultation hours) but may not import
cost sharing. Cost sharing registers one provider here in ``CostsharingConfig.ready()``::

    register_price_provider(activity_prices_of_regions)   # (*, region_ids, year) -> {region pk: Prices}

The provider answers for many regions at once (the fees of every region in a fixed number of queries) and leaves
out a region without norms for that year. Prices are rounded once, as cost sharing's tariffs page shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction


@dataclass(frozen=True)
class Prices:
    activities: dict[str, Decimal] = field(default_factory=dict)  # activity code -> price of the year
    rates: dict[int, Decimal] = field(default_factory=dict)  # salary scale -> hourly rate of the year (rounded)
    # The exact hourly rates (norm / productive hours + overhead): hours × rate is rounded once (SPEC §6.2).
    exact_rates: dict[int, Fraction] = field(default_factory=dict)


_PROVIDER: list[Callable[..., dict[int, Prices]]] = []


def register_price_provider(provider: Callable[..., dict[int, Prices]]) -> None:
    """Register the one provider of activity prices (cost sharing). A second, different one raises."""
    if _PROVIDER and _PROVIDER[0] is not provider:
        raise ValueError("Er is al een leverancier van activiteitsprijzen geregistreerd.")
    _PROVIDER[:] = [provider]


def prices_of(*, region_ids: Iterable[int], year: int) -> dict[int, Prices]:
    """The year's prices of each region that has them; an empty answer when no provider is registered."""
    if not _PROVIDER:
        return {}
    return _PROVIDER[0](region_ids=list(region_ids), year=year)

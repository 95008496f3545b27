"""The FTE key's weights for cost sharing (WM-DVO annex 4): registered in ``ToezichtConfig.ready`` with
``regio.weights``, so that cost sharing splits supervision costs by the capacity entered here without importing
toezicht (one source of truth, STYLE.md rule 16)."""

from __future__ import annotations

from regio.weights import WeightProvider, Weights
from toezicht.services import fte_weights_by_region


def fte_weights_of_versions(*, versions, year: int) -> dict[int, Weights]:
    """Each FTE version's weights: the supervision capacity of its region in ``year``, one query for all regions.
    A region without capacity for the year is left out (cost sharing then says so)."""
    versions = list(versions)
    by_region = fte_weights_by_region(region_ids={v.key.region_id for v in versions}, year=year)
    return {v.pk: by_region[v.key.region_id] for v in versions if by_region.get(v.key.region_id)}


def _missing(year: int) -> str:
    return f"Er is geen toezichtcapaciteit (fte) vastgelegd voor {year}."


FTE_PROVIDER = WeightProvider(
    weights=fte_weights_of_versions,
    missing=_missing,
    no_own_shares="Een fte-sleutel heeft geen eigen aandelen: de fte komen uit de toezichtcapaciteit (DVO bijlage 4).",
    not_mergeable="Een fte-sleutel volgt de toezichtcapaciteit per jaar; leg die vast in Toezicht.",
)

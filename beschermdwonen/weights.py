"""The client-count key's weights for cost sharing (WM-DVO annex 3.4: the execution costs of beschermd wonen split by
the number of clients per member on a reference date), read from the register through ``regio.weights`` so that cost
sharing never imports this app and never copies the counts (one source of truth, STYLE.md rule 16)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from beschermdwonen.selectors import client_counts_by_region
from regio.weights import WeightProvider, Weights


def client_weights_of_versions(*, versions, year: int) -> dict[int, Weights]:
    """Each client-count version's weights: clients resident per municipality of its region on its reference date
    (1 January of ``year`` when it has none). One query per distinct reference date, not per version or region.
    A version whose region has no clients on that date is left out (cost sharing then says so)."""
    versions = list(versions)
    by_date: dict[date, list] = {}
    for version in versions:
        by_date.setdefault(version.reference_date or date(year, 1, 1), []).append(version)
    out: dict[int, Weights] = {}
    for on, group in by_date.items():
        counts = client_counts_by_region(region_ids={v.key.region_id for v in group}, on=on)
        for version in group:
            region_counts = counts.get(version.key.region_id)
            if region_counts:
                out[version.pk] = [(m, Decimal(n)) for m, n in region_counts.items()]
    return out


def _missing(year: int) -> str:
    return f"Er staan op de peildatum voor {year} geen cliënten beschermd wonen in het register."


CLIENTS_PROVIDER = WeightProvider(
    weights=client_weights_of_versions,
    missing=_missing,
    no_own_shares=(
        "Een cliëntensleutel heeft geen eigen aandelen: de aantallen komen uit het register beschermd wonen op de "
        "peildatum (DVO bijlage 3.4)."
    ),
    not_mergeable="Een cliëntensleutel volgt het register beschermd wonen op de peildatum (de woonplaatsen).",
)

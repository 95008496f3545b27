"""Read-side queries of the money of beschermd wonen shared by pages, API and the benchmark."""

from __future__ import annotations

from costsharing.split import split_weights


def execution_split(execution) -> list | None:
    """The execution costs of a year split by the number of clients per member on the reference date (annex 3 §4:
    "Op basis van de aantallen cliënten worden deze kosten vervolgens verdeeld over de drie individuele
    gemeenten"): the settled amount once known, the budgeted amount before. None when no client is registered."""
    from beschermdwonen.models import ExecutionKey
    from beschermdwonen.selectors import client_counts_by_region

    if execution.key != ExecutionKey.CLIENTS:
        return None  # split by cost sharing's key, in its reckoning (category staff_bw)
    counts = client_counts_by_region(region_ids=[execution.region_id], on=execution.reference_date)
    region_counts = counts.get(execution.region_id) or {}
    weights = sorted(((m, n) for m, n in region_counts.items() if n), key=lambda pair: pair[0].code)
    if not weights:
        return None
    from decimal import Decimal

    amount = execution.realised if execution.realised is not None else execution.budgeted
    return split_weights(amount=amount, weights=[(m, Decimal(n)) for m, n in weights])

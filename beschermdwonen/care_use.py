"""Beschermd wonen's realised costs (iWmo WMO303 declarations and table imports) as care-use lines for the
half-yearly monitoring report of the region (BNO 4), through ``regio.care_use`` (registered in ``apps.py``)."""

from __future__ import annotations

from regio.care_use import CareUseLine


def realised_cost_lines(region, start, end):
    """The realised costs of the region whose period starts within [start, end], per client pseudonym."""
    from beschermdwonen.models import RealisedCost

    rows = (
        RealisedCost.objects.unrestricted("monitoring report: the caller checked the region; aggregates only")
        .filter(region=region, period_start__gte=start, period_start__lte=end)
        .values_list("municipality_id", "client_key", "product", "period_start", "period_end", "amount")
    )
    for municipality_id, client_key, product, period_start, period_end, amount in rows.iterator():
        yield CareUseLine(municipality_id, client_key, product, "beschermd_wonen", period_start, period_end, amount)

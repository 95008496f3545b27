"""Cost sharing's panels on the dashboards (issue 18): the municipality's costs over the years, its share in the
region, the year's fee and last year's settlement, and the cycle status per region for the coordinating team. Every
figure comes from ``costsharing.selectors``, the same functions the trend, key and cycle pages call."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from costsharing import selectors
from regio.dashboards import Audience, Column, DashboardContext, Figure, Kind, register_panel
from regio.models import Region

ZERO = Decimal("0.00")


def costs_by_year(ctx: DashboardContext) -> Figure | None:
    lines = selectors.reckoning_trend(ctx.user)
    if not lines:
        return None
    return Figure(
        key="costs-by-year",
        title=_("Kosten per jaar: aandeel in de werkelijke kosten tegen wat vooraf is betaald"),
        columns=[
            Column(_("Jaar en regio")),
            Column(_("Aandeel werkelijke kosten"), Kind.MONEY),
            Column(_("Vooraf gefactureerd"), Kind.MONEY),
            Column(_("Verschil"), Kind.MONEY),
        ],
        rows=[
            [f"{li.reckoning.year} {li.reckoning.region.name}", li.share, li.advances, li.difference] for li in lines
        ],
        url=reverse("costsharing-trend"),
        chart="bar",
    )


def share_in_region(ctx: DashboardContext) -> Figure | None:
    rows = selectors.own_key_shares(ctx.user)
    if not rows:
        return None
    return Figure(
        key="share-in-region",
        title=_("Ons aandeel in de verdeelsleutel"),
        columns=[Column(_("Sleutel en geldig vanaf")), Column(_("Aandeel"), Kind.PERCENT)],
        rows=[
            [f"{v.key.region.name}: {v.key.name} {v.valid_from:%d-%m-%Y}", (fraction * 100).quantize(Decimal("0.01"))]
            for v, fraction in rows
        ],
        url=reverse("costsharing-home"),
        chart="bar",  # one bar per key version: a line would join different keys
    )


def _member_regions(ctx: DashboardContext):
    return (
        Region.objects.visible_to(ctx.user)
        .filter(memberships__municipality_id=ctx.scope.municipality_id)
        .distinct()
        .order_by("name")
    )


def fee_and_settlement(ctx: DashboardContext) -> Figure | None:
    """The fee of this year and the settlement of last year (WM-DVO 6.1, WM-SO 6.7), the member's own line."""
    rows = []
    for region in _member_regions(ctx):
        fee = selectors.fee_overview(user=ctx.user, region=region, year=ctx.year)
        settlement = selectors.settlement_overview(user=ctx.user, region=region, year=ctx.year - 1)
        own_fee = next((li for li in fee.lines if li.municipality.pk == ctx.scope.municipality_id), None)
        own_settlement = next((li for li in settlement.lines if li.municipality.pk == ctx.scope.municipality_id), None)
        if own_fee is None and own_settlement is None:
            continue
        rows.append(
            [
                region.name,
                own_fee.share if own_fee else None,
                own_fee.invoiced if own_fee else None,
                own_settlement.difference if own_settlement else None,
                _settlement_status(settlement),
            ]
        )
    if not rows:
        return None
    return Figure(
        key="fee-and-settlement",
        title=_("Bijdrage %(year)s en afrekening %(last)s") % {"year": ctx.year, "last": ctx.year - 1},
        columns=[
            Column(_("Regio")),
            Column(_("Bijdrage %(year)s") % {"year": ctx.year}, Kind.MONEY),
            Column(_("Daarvan gefactureerd"), Kind.MONEY),
            Column(_("Afrekening %(year)s: bij (+) of terug (-)") % {"year": ctx.year - 1}, Kind.MONEY),
            Column(_("Stand van de afrekening")),
        ],
        rows=rows,
        url=reverse("costsharing-home"),
    )


def _settlement_status(settlement) -> str:
    if settlement.reckoning is None:
        return _("nog niet opgesteld")
    return str(settlement.reckoning.get_status_display())


def cycle_status(ctx: DashboardContext) -> Figure | None:
    """Per region the user coordinates: the fee of this year (total, invoiced) and the settlement of last year."""
    rows = []
    regions = Region.objects.visible_to(ctx.user).filter(pk__in=ctx.region_ids).order_by("name")
    for region in regions:
        fee = selectors.fee_overview(user=ctx.user, region=region, year=ctx.year)
        settlement = selectors.settlement_overview(user=ctx.user, region=region, year=ctx.year - 1)
        rows.append(
            [
                region.name,
                fee.total,
                sum((li.invoiced for li in fee.lines), ZERO),
                _settlement_status(settlement),
                sum((li.difference for li in settlement.lines), ZERO) if settlement.lines else None,
            ]
        )
    if not rows:
        return None
    return Figure(
        key="cycle-status",
        title=_("De jaarcyclus per regio: bijdrage %(year)s en afrekening %(last)s")
        % {"year": ctx.year, "last": ctx.year - 1},
        columns=[
            Column(_("Regio")),
            Column(_("Bijdrage %(year)s") % {"year": ctx.year}, Kind.MONEY),
            Column(_("Daarvan gefactureerd"), Kind.MONEY),
            Column(_("Afrekening %(year)s") % {"year": ctx.year - 1}),
            Column(_("Saldo afrekening"), Kind.MONEY),
        ],
        rows=rows,
        url=reverse("costsharing-home"),
    )


def register() -> None:
    members = (Audience.PORTFOLIO, Audience.MEMBER)
    register_panel("fee-and-settlement", fee_and_settlement, audiences=members, order=10)
    register_panel("costs-by-year", costs_by_year, audiences=members, order=20)
    register_panel("share-in-region", share_in_region, audiences=members, order=30)
    register_panel("cycle-status", cycle_status, audiences=(Audience.COORDINATOR,), order=10)

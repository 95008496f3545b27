"""Toezicht's panels on the dashboards (issue 18): aggregates only (WM-DVO annex 4: the supervisors' secrecy limits
what may be reported): signals, investigations and hours against capacity per municipality, never a signal, a case or
a provider. A municipality's people see their own municipality; the coordinating team its regions' members."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from regio.dashboards import Audience, Column, DashboardContext, Figure, Kind, register_panel
from regio.models import Membership
from toezicht import selectors


def _figure(ctx: DashboardContext, key: str, municipality_ids) -> Figure | None:
    rows = selectors.year_figures(municipality_ids=municipality_ids, year=ctx.year)
    rows = [r for r in rows if r["signals"] or r["started"] or r["open"] or r["hours"] or r["capacity"]]
    if not rows:
        return None
    return Figure(
        key=key,
        title=_("Toezicht Wmo %(year)s (alleen aantallen)") % {"year": ctx.year},
        columns=[
            Column(_("Gemeente")),
            Column(_("Signalen"), Kind.COUNT),
            Column(_("Onderzoeken gestart"), Kind.COUNT),
            Column(_("Onderzoeken lopend"), Kind.COUNT),
            Column(_("Uren besteed"), Kind.COUNT),
            Column(_("Uren capaciteit"), Kind.COUNT),
        ],
        rows=[[r["municipality"], r["signals"], r["started"], r["open"], r["hours"], r["capacity"]] for r in rows],
        url=reverse("toezicht-reports"),
        chart="bar",
        series=[4, 5],  # hours against capacity; the counts stand in the table
    )


def own_supervision(ctx: DashboardContext) -> Figure | None:
    if ctx.scope.municipality_id is None:
        return None
    return _figure(ctx, "supervision", [ctx.scope.municipality_id])


def regional_supervision(ctx: DashboardContext) -> Figure | None:
    if not ctx.region_ids:
        return None
    members = (
        Membership.objects.visible_to(ctx.user)
        .filter(region_id__in=ctx.region_ids)
        .values_list("municipality_id", flat=True)
    )
    return _figure(ctx, "supervision-region", sorted(set(members)))


def register() -> None:
    register_panel("supervision", own_supervision, audiences=(Audience.PORTFOLIO, Audience.MEMBER), order=50)
    register_panel("supervision-region", regional_supervision, audiences=(Audience.COORDINATOR,), order=50)

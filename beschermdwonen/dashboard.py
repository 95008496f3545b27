"""Beschermd wonen's panels on the dashboards (issue 18): counts only, never a client. The member's clients and
running indications (the counts page's selector), the advice awaiting the member's own decision (annex 2 §2), and
the access team's worklists as counts for the coordinating team."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from beschermdwonen import selectors
from regio.dashboards import Audience, Column, DashboardContext, Figure, Kind, register_panel
from regio.models import Region


def clients(ctx: DashboardContext) -> Figure | None:
    """Clients resident in the user's municipality and the indications it is responsible for, per region today."""
    own = ctx.scope.municipality_id
    if own is None:
        return None
    rows = []
    for region in Region.objects.visible_to(ctx.user).filter(memberships__municipality_id=own).distinct():
        resident = {m.pk: n for m, n in selectors.client_counts(region=region, on=ctx.today).items()}
        running = selectors.running_indications(on=ctx.today, region=region, municipality=own).count()
        if resident.get(own) or running:
            rows.append([region.name, resident.get(own, 0), running])
    if not rows:
        return None
    return Figure(
        key="bw-clients",
        title=_("Beschermd wonen: aantallen (geen cliëntgegevens)"),
        columns=[
            Column(_("Regio")),
            Column(_("Cliënten woonachtig in onze gemeente"), Kind.COUNT),
            Column(_("Lopende indicaties onder onze verantwoordelijkheid"), Kind.COUNT),
        ],
        rows=rows,
        url=reverse("bw-counts"),
        chart="bar",
        note=_("De toegangsvergoedingen staan op de facturen van de regio."),
    )


def advice_awaiting(ctx: DashboardContext) -> Figure | None:
    waiting = selectors.advice_awaiting_decision(ctx.user).count()
    if not waiting:
        return None
    return Figure(
        key="bw-advice-awaiting",
        title=_("Adviezen beschermd wonen die op ons eigen besluit wachten"),
        columns=[Column(_("Wat")), Column(_("Aantal"), Kind.COUNT)],
        rows=[[_("Advies ontvangen, besluit nog niet vastgelegd (bijlage 2 §2)"), waiting]],
        url=reverse("bw-advice-list"),
        action=True,
    )


def worklists(ctx: DashboardContext) -> Figure | None:
    counts = selectors.worklist_counts(ctx.user, region_ids=ctx.region_ids)
    if not any(n for _label, n in counts):
        return None
    return Figure(
        key="bw-worklists",
        title=_("Werklijsten van de Toegang beschermd wonen (aantallen)"),
        columns=[Column(_("Werklijst")), Column(_("Aantal"), Kind.COUNT)],
        rows=[[label, n] for label, n in counts],
        url=reverse("bw-worklists") if selectors.is_access_team(ctx.user) else "",
        action=True,
    )


def register() -> None:
    register_panel("bw-clients", clients, audiences=(Audience.PORTFOLIO, Audience.MEMBER), order=40)
    register_panel("bw-advice-awaiting", advice_awaiting, audiences=(Audience.MEMBER,), order=6)
    register_panel("bw-worklists", worklists, audiences=(Audience.COORDINATOR, Audience.MEMBER), order=30)

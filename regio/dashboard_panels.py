"""Regio's own panels on the dashboards (issue 18): the deadlines ahead for everyone, and for the platform
administrator the installation at a glance (regions, municipalities and people, counts only)."""

from __future__ import annotations

from itertools import islice

from django.urls import reverse
from django.utils.translation import gettext as _

from regio.dashboards import Audience, Column, DashboardContext, Figure, Kind, register_panel
from regio.deadlines import deadlines_for
from regio.models import Municipality, Region, User

DEADLINE_ROWS = 10


def deadlines(ctx: DashboardContext) -> Figure | None:
    """The deadlines of the next 90 days, overdue first: the home page's list (notice dates, reports, meetings,
    votes, invoices), from the one deadline service."""
    rows = [
        [d.due, d.title, d.article, _("verlopen") if d.overdue else ""]
        for d in islice(deadlines_for(ctx.user), DEADLINE_ROWS)
    ]
    if not rows:
        return None
    return Figure(
        key="deadlines",
        title=_("Termijnen die eraan komen"),
        columns=[Column(_("Uiterlijk"), Kind.DATE), Column(_("Wat")), Column(_("Grondslag")), Column(_("Stand"))],
        rows=rows,
        url=reverse("home"),
        action=True,
    )


def installation(ctx: DashboardContext) -> Figure | None:
    """Regions, municipalities and active people on the installation (the platform administrator configures them)."""
    reason = "tellingen van de installatie voor de platformbeheerder"
    rows = [
        [_("Regio's"), Region.objects.unrestricted(reason).count()],
        [_("Gemeenten"), Municipality.objects.unrestricted(reason).count()],
        [_("Mensen met een actief account"), User.objects.filter(is_active=True).count()],
    ]
    return Figure(
        key="installation",
        title=_("De installatie in één oogopslag"),
        columns=[Column(_("Wat")), Column(_("Aantal"), Kind.COUNT)],
        rows=rows,
        url=reverse("region-list"),
    )


def register() -> None:
    everyone = (Audience.PORTFOLIO, Audience.MEMBER, Audience.COORDINATOR)
    register_panel("deadlines", deadlines, audiences=everyone, order=1)
    register_panel("installation", installation, audiences=(Audience.PLATFORM,), order=10)

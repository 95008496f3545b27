"""Invoicing's panels on the dashboards (issue 18): the invoices a member still has to pay, the coordinating team's
invoices by state with what is overdue, and for the platform administrator the invoice documents whose rendering
failed. Counts and sums come from ``invoicing.selectors`` (the invoice list filters the same way)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from invoicing import selectors
from invoicing.models import InvoiceStatus
from regio.dashboards import Audience, Column, DashboardContext, Figure, Kind, register_panel


def invoices_to_pay(ctx: DashboardContext) -> Figure | None:
    """Issued invoices addressed to the user's municipality that are not yet paid in full, oldest due date first."""
    invoices = selectors.open_invoices_to(ctx.user, municipality_id=ctx.scope.municipality_id)
    if not invoices:
        return None
    rows = [
        [
            invoice.number,
            invoice.issuer.name,
            invoice.due_on,
            invoice.open_amount,
            _("te laat") if invoice.overdue_on or (invoice.due_on and invoice.due_on < ctx.today) else _("open"),
        ]
        for invoice in invoices
    ]
    return Figure(
        key="invoices-to-pay",
        title=_("Facturen die wij nog moeten betalen"),
        columns=[
            Column(_("Factuur")),
            Column(_("Van")),
            Column(_("Uiterlijk betalen"), Kind.DATE),
            Column(_("Nog te betalen"), Kind.MONEY),
            Column(_("Stand")),
        ],
        rows=rows,
        url=reverse("invoice-list"),
        action=True,
    )


def invoices_by_state(ctx: DashboardContext) -> Figure | None:
    """Invoices the user's municipality issued for the regions it coordinates, per state, with the overdue ones."""
    if not ctx.region_ids:
        return None
    counts = selectors.invoices_by_status(ctx.user, region_ids=ctx.region_ids)
    if not counts:
        return None
    labels = dict(InvoiceStatus.choices)
    rows = [[str(labels[status]), number, total] for status, number, total in counts]
    overdue = selectors.overdue_invoices(ctx.user, region_ids=ctx.region_ids)
    if overdue["count"]:
        rows.append([_("waarvan te laat betaald"), overdue["count"], overdue["open"]])
    return Figure(
        key="invoices-by-state",
        title=_("Facturen naar stand"),
        columns=[Column(_("Stand")), Column(_("Aantal"), Kind.COUNT), Column(_("Totaal"), Kind.MONEY)],
        rows=rows,
        url=reverse("invoice-list"),
        chart="bar",
        series=[2],  # the amounts; the counts stand in the table
        note=_("Te laat betaald: het openstaande bedrag, zonder wettelijke rente; de rente staat op elke factuur."),
    )


def failed_documents(ctx: DashboardContext) -> Figure | None:
    """PDF renderings that failed, per region: the platform administrator's 'jobs that failed' (counts only)."""
    rows = selectors.failed_documents_by_region()
    return Figure(
        key="failed-documents",
        title=_("Mislukte taken: facturen en brieven die niet als PDF konden worden gemaakt"),
        columns=[Column(_("Regio")), Column(_("Aantal"), Kind.COUNT)],
        rows=[[name, count] for name, count in rows],
        note="" if rows else _("Geen mislukte taken."),
    )


def register() -> None:
    register_panel("invoices-to-pay", invoices_to_pay, audiences=(Audience.PORTFOLIO, Audience.MEMBER), order=5)
    register_panel("invoices-by-state", invoices_by_state, audiences=(Audience.COORDINATOR,), order=20)
    register_panel("failed-documents", failed_documents, audiences=(Audience.PLATFORM,), order=20)

"""Invoicing feeds the one deadline service (regio.deadlines): payment terms of open invoices and the 14-day term of
a reminder (WM-SO 6.9), and the payout date of a refund credit note that the coordinating municipality still owes
(it stays listed, flagged as late, until it is paid out). Only documents the scope may see. Each title says who pays
whom."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from regio.deadlines import Deadline
from regio.tenancy import VIEW, Scope


def invoice_deadlines(scope: Scope, start: date, end: date):
    from invoicing.models import DocumentType, Invoice, InvoiceStatus

    invoices = (
        Invoice.objects.unrestricted()
        .filter(Invoice.tenant_filter(scope, VIEW))
        .filter(status__in=[InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID], document_type=DocumentType.INVOICE)
        .filter(due_on__lte=end)
        .select_related("recipient", "issuer")
    )
    for invoice in invoices:
        url = reverse("invoice-detail", args=[invoice.pk])
        if invoice.due_on and invoice.due_on >= start:
            yield Deadline(
                key=f"invoicing:due:{invoice.pk}",
                title=f"{invoice.recipient.name} betaalt factuur {invoice.number} aan {invoice.issuer.name}",
                due=invoice.due_on,
                source="invoicing",
                article="WM-SO 6.9",
                url=url,
                municipality_id=invoice.recipient_id,
                region_id=invoice.region_id,
            )
        if invoice.reminder_due_on and start <= invoice.reminder_due_on <= end:
            yield Deadline(
                key=f"invoicing:reminder:{invoice.pk}",
                title=f"Aanmaning factuur {invoice.number}: uiterste betaaldag",
                due=invoice.reminder_due_on,
                source="invoicing",
                article="WM-SO 6.9",
                url=url,
                municipality_id=invoice.recipient_id,
                region_id=invoice.region_id,
            )
    yield from refund_deadlines(scope, start, end)


def refund_deadlines(scope: Scope, start: date, end: date):
    """Refund credit notes not yet (fully) paid out by their payout date: the coordinating municipality's deadline.
    A late one stays in view, flagged, until the money is paid out."""
    from invoicing.models import DocumentType, Invoice, InvoiceStatus

    refunds = (
        Invoice.objects.unrestricted("filtered by the scope on the next line")
        .filter(Invoice.tenant_filter(scope, VIEW))
        .filter(
            status__in=[InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID_OUT],
            document_type=DocumentType.CREDIT_NOTE,
            credit_for__isnull=True,
            due_on__lte=end,
        )
        .select_related("recipient", "issuer")
    )
    for note in refunds:
        yield Deadline(
            key=f"invoicing:payout:{note.pk}",
            title=f"{note.issuer.name} betaalt creditfactuur {note.number} uit aan {note.recipient.name}",
            due=note.due_on,
            source="invoicing",
            article="WM-SO 6.7",
            url=reverse("invoice-detail", args=[note.pk]),
            municipality_id=note.issuer_id,
            region_id=note.region_id,
        )

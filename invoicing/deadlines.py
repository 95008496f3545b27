"""Invoicing feeds the one deadline service (regio.deadlines): payment terms of open invoices and the 14-day term of
a reminder (SPEC §4 "payment terms", WM-SO 6.9). Only invoices the scope may see."""

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
        .select_related("recipient")
    )
    for invoice in invoices:
        url = reverse("invoice-detail", args=[invoice.pk])
        if invoice.due_on and invoice.due_on >= start:
            yield Deadline(
                key=f"invoicing:due:{invoice.pk}",
                title=f"Factuur {invoice.number} aan {invoice.recipient.name} betalen",
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

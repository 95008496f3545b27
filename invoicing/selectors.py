"""Read-side queries of invoicing that the pages and the API share (issue #11). Every function takes the acting
user and returns only what that user may see (``visible_to``); the rules that change anything live in
``invoicing.services``."""

from __future__ import annotations

from django.db.models import QuerySet

from invoicing.models import Invoice, InvoiceDocument, InvoiceLine, Overpayment, Payment, Payout


def invoice_lines(user, *, invoice: Invoice) -> QuerySet[InvoiceLine]:
    """The invoice's lines in their printed order."""
    return InvoiceLine.objects.visible_to(user).filter(invoice=invoice).order_by("position", "pk")


def payments_of(user, *, invoice: Invoice) -> QuerySet[Payment]:
    """The payments on the invoice, oldest first."""
    return Payment.objects.visible_to(user).filter(invoice=invoice).order_by("paid_on", "pk")


def payouts_of(user, *, invoice: Invoice) -> QuerySet[Payout]:
    """The payouts on a refund credit note, oldest first."""
    return Payout.objects.visible_to(user).filter(invoice=invoice).order_by("paid_on", "pk")


def overpayments_of(user, *, invoice: Invoice) -> QuerySet[Overpayment]:
    """What was paid above the invoice ("terug te betalen" until refunded), oldest first."""
    return Overpayment.objects.visible_to(user).filter(invoice=invoice).order_by("received_on", "pk")


def invoice_document(user, *, invoice: Invoice, kind: str) -> InvoiceDocument | None:
    """The invoice's PDF of one kind (invoice, reminder, interest claim), or None while there is none."""
    return InvoiceDocument.objects.visible_to(user).filter(invoice=invoice, kind=kind).first()

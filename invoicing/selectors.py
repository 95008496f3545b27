"""Read-side queries of invoicing that the pages and the API share (issue #11). Every function takes the acting
user and returns only what that user may see (``visible_to``); the rules that change anything live in
``invoicing.services``."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from invoicing.models import (
    DocumentStatus,
    Invoice,
    InvoiceDocument,
    InvoiceLine,
    InvoiceStatus,
    Overpayment,
    Payment,
    Payout,
)


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


OPEN_STATUSES = (InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID)
_MONEY = DecimalField(max_digits=14, decimal_places=2)
_ZERO = Value(Decimal("0.00"), output_field=_MONEY)


def _sum_of(queryset, group: str, field: str):
    """A correlated sum (one query for the whole list, not one per invoice)."""
    summed = queryset.order_by().values(group).annotate(s=Sum(field)).values("s")[:1]
    return Coalesce(Subquery(summed, output_field=_MONEY), _ZERO)


def with_open_amount(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """Each invoice with ``open_amount``: what is due (its total plus the issued credit notes that correct it) minus
    what was paid, the same as ``Invoice.outstanding()`` but in the list's one query."""
    paid = Payment.objects.unrestricted("som van betalingen op al getoonde facturen").filter(invoice=OuterRef("pk"))
    credited = (
        Invoice.objects.unrestricted("som van creditfacturen op al getoonde facturen")
        .filter(credit_for=OuterRef("pk"))
        .exclude(status=InvoiceStatus.DRAFT)
    )
    return invoices.annotate(
        open_amount=F("total_incl")
        + _sum_of(credited, "credit_for", "total_incl")
        - _sum_of(paid, "invoice", "amount")
    )


def open_invoices_to(user, *, municipality_id: int | None, limit: int = 10) -> list[Invoice]:
    """Issued invoices (not credit notes) addressed to the municipality and not paid in full, oldest due first."""
    if municipality_id is None:
        return []
    invoices = (
        Invoice.objects.visible_to(user)
        .filter(recipient_id=municipality_id, status__in=OPEN_STATUSES, total_incl__gt=0)
        .select_related("issuer")
        .order_by("due_on", "pk")
    )
    return [i for i in with_open_amount(invoices)[:limit] if i.open_amount > 0]


def invoices_by_status(user, *, region_ids) -> list[tuple[str, int, Decimal]]:
    """(status, count, total including VAT) of the invoices of the regions, in the order of the states."""
    rows = {
        status: (n, total)
        for status, n, total in Invoice.objects.visible_to(user)
        .filter(region_id__in=region_ids)
        .values_list("status")
        .annotate(n=Count("pk"), total=Sum("total_incl"))
        .values_list("status", "n", "total")
    }
    return [(status, *rows[status]) for status in InvoiceStatus.values if status in rows]


def overdue_invoices(user, *, region_ids) -> dict:
    """How many invoices of the regions are overdue (``overdue_on`` set by the daily job) and what is still open."""
    overdue = with_open_amount(
        Invoice.objects.visible_to(user).filter(
            region_id__in=region_ids, status__in=OPEN_STATUSES, overdue_on__isnull=False
        )
    )
    amounts = [i.open_amount for i in overdue.only("pk", "total_incl")]
    return {"count": len(amounts), "open": sum(amounts, Decimal("0.00"))}


def failed_documents_by_region() -> list[tuple[str, int]]:
    """Invoice documents whose rendering failed, counted per region (the platform administrator's view of failed
    jobs: counts only, never a document)."""
    return list(
        InvoiceDocument.objects.unrestricted("alleen tellingen van mislukte taken voor de platformbeheerder")
        .filter(status=DocumentStatus.FAILED)
        .values_list("invoice__region__name")
        .annotate(n=Count("pk"))
        .values_list("invoice__region__name", "n")
        .order_by("invoice__region__name")
    )

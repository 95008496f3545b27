"""Overdue invoices: the overdue mark and reminder, interest on an invoice, collection costs, claiming interest,
retrying a document. Articles: WM-SO 6.9.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from invoicing import interest as interest_core
from invoicing.collection import BASIS as STATUTORY_BASIS
from invoicing.collection import check_collection_costs, statutory_collection_costs
from invoicing.models import (
    CollectionCost,
    DocumentKind,
    DocumentStatus,
    DocumentType,
    Invoice,
    InvoiceDocument,
    InvoiceStatus,
)
from invoicing.services._common import REMINDER_TERM_DAYS, ZERO, InvoicingError
from invoicing.services.issuing import _render_later
from invoicing.services.payments import _settle_status
from invoicing.services.settlement import statutory_interest
from regio.formatting import round_cents
from regio.tenancy import CHANGE, can, person

# --- overdue, reminder, interest (WM-SO 6.9) ---------------------------------------------------------------------


def mark_overdue_and_remind(*, today: date | None = None) -> dict:
    """The daily job: mark invoices overdue after their payment term and prepare, once per invoice, the written
    request to pay within 14 days of the letter's date (WM-SO 6.9). Running it twice changes nothing more."""
    today = today or timezone.localdate()
    counts = {"overdue": 0, "reminded": 0}
    candidates = (
        Invoice.objects.unrestricted()
        .filter(status__in=[InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID], document_type=DocumentType.INVOICE)
        .filter(due_on__lt=today)
        .values_list("pk", flat=True)
    )
    for pk in list(candidates):
        with transaction.atomic():
            invoice = Invoice.objects.unrestricted().select_for_update().get(pk=pk)
            if (
                invoice.is_credit_note
                or invoice.status not in (InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID)
                or invoice.outstanding() <= 0
            ):
                continue
            fields = []
            if invoice.overdue_on is None:
                invoice.overdue_on = today
                fields.append("overdue_on")
                counts["overdue"] += 1
            if invoice.reminded_on is None:
                invoice.reminded_on = today
                invoice.reminder_due_on = today + timedelta(days=REMINDER_TERM_DAYS)
                fields += ["reminded_on", "reminder_due_on"]
                document, created = InvoiceDocument.objects.unrestricted().get_or_create(
                    invoice=invoice, kind=DocumentKind.REMINDER, defaults={"letter_date": today}
                )
                if created:
                    transaction.on_commit(lambda d=document.pk: _render_later(d))
                counts["reminded"] += 1
            if fields:
                invoice.save(update_fields=[*fields, "updated_at"])
    return counts


def interest_on_invoice(invoice: Invoice, *, until: date | None = None) -> interest_core.InterestResult | None:
    """Interest due on an overdue invoice (WM-SO 6.9): only once the 14-day term of the reminder has passed, from the
    last payment day (the invoice's due date) to the day of payment (or ``until``). Payments after the due date
    settle the collection costs first, then interest, then the principal (art. 6:44 BW)."""
    if invoice.is_draft or invoice.is_credit_note or not invoice.reminder_due_on or not invoice.due_on:
        return None
    until = until or timezone.localdate()
    payments = list(invoice.payments.unrestricted().order_by("paid_on"))
    principal = invoice.amount_due() - sum((p.amount for p in payments if p.paid_on <= invoice.due_on), ZERO)
    later = [p for p in payments if p.paid_on > invoice.due_on]
    end = until
    if invoice.status == InvoiceStatus.PAID and later:
        end = later[-1].paid_on
    if end <= invoice.reminder_due_on or principal <= 0:
        return None
    record = invoice.collection_cost_record()
    return statutory_interest(
        principal=principal,
        start=invoice.due_on,
        end=end,
        kind=invoice.interest_kind,
        payments=[(p.paid_on, p.amount) for p in later if p.paid_on <= end],
        costs=record.amount if record else ZERO,
        costs_on=record.incurred_on if record else None,
    )


def suggested_collection_costs(invoice: Invoice, *, on: date | None = None) -> Decimal:
    """The statutory scale over the principal still unpaid (Besluit vergoeding voor buitengerechtelijke
    incassokosten art. 2): a suggestion the coordinating staff may override."""
    return statutory_collection_costs(max(invoice.outstanding(), ZERO))


def record_collection_costs(
    *, user, invoice: Invoice, amount: Decimal | None = None, incurred_on: date | None = None, basis: str = ""
) -> CollectionCost:
    """Record (or change) the extrajudicial collection costs of an overdue invoice (art. 6:96 lid 2 sub c BW).

    Without an ``amount`` the statutory scale applies. Stored beside the invoice, which itself stays unchanged
    (Wet OB art. 35a); payments settle these costs first (art. 6:44 BW). History-audited like every model.
    """
    incurred_on = incurred_on or timezone.localdate()
    if amount is not None and not isinstance(amount, Decimal):
        raise TypeError("bedragen zijn Decimal, geen float")
    with transaction.atomic():
        locked = Invoice.objects.unrestricted().select_for_update().get(pk=invoice.pk)
        if not can(user, CHANGE, locked):
            raise PermissionDenied(_("U mag voor deze factuur geen incassokosten vastleggen."))
        if locked.is_draft or locked.is_credit_note:
            raise InvoicingError(_("Incassokosten horen alleen bij een verzonden factuur."))
        if locked.overdue_on is None:
            raise InvoicingError(
                _("Incassokosten horen bij een factuur die te laat is betaald; deze is niet te laat.")
            )
        if incurred_on < locked.overdue_on:
            raise InvoicingError({"incurred_on": _("De datum ligt voor de dag waarop de factuur te laat was.")})
        if incurred_on > timezone.localdate():
            raise InvoicingError({"incurred_on": _("De datum ligt in de toekomst.")})
        principal = max(locked.outstanding(), ZERO)
        statutory = statutory_collection_costs(principal)
        if principal <= 0 and amount is None:
            raise InvoicingError(_("Er staat geen hoofdsom meer open: er zijn geen incassokosten volgens de staffel."))
        amount = statutory if amount is None else round_cents(amount)
        if amount <= 0:
            raise InvoicingError({"amount": _("Het bedrag moet groter zijn dan nul.")})
        # Besluit vergoeding voor buitengerechtelijke incassokosten: above the scale only with a recorded reason,
        # and never beyond a sane ceiling (issue 10, finding 5).
        check_collection_costs(amount=amount, principal=principal, reason=basis)
        basis = basis.strip() or (
            STATUTORY_BASIS if amount == statutory else _("Bedrag vastgesteld door de coördinerende gemeente")
        )
        record, _created = (
            CollectionCost.objects.unrestricted()
            .select_for_update()
            .get_or_create(
                invoice=locked,
                defaults={
                    "amount": amount,
                    "incurred_on": incurred_on,
                    "basis": basis[:300],
                    "statutory_amount": statutory,
                    "principal": principal,
                    "registered_by": person(user),
                },
            )
        )
        if not _created:
            record.amount, record.incurred_on, record.basis = amount, incurred_on, basis[:300]
            record.statutory_amount, record.principal, record.registered_by = statutory, principal, person(user)
            record.save()
        _settle_status(locked)
    return record


def claim_interest(*, user, invoice: Invoice, on: date | None = None) -> InvoiceDocument:
    """Mark the invoice interest-claimed and prepare the interest claim letter (PDF), once (WM-SO 6.9)."""
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = Invoice.objects.unrestricted().select_for_update().get(pk=invoice.pk)
        if not can(user, CHANGE, locked):
            raise PermissionDenied(_("U mag voor deze factuur geen rente vorderen."))
        if interest_on_invoice(locked, until=on) is None:
            raise InvoicingError(_("Er is (nog) geen wettelijke rente verschuldigd op deze factuur."))
        document, created = InvoiceDocument.objects.unrestricted().get_or_create(
            invoice=locked, kind=DocumentKind.INTEREST_CLAIM, defaults={"letter_date": on}
        )
        if locked.interest_claimed_on is None:
            locked.interest_claimed_on = on
            locked.save(update_fields=["interest_claimed_on", "updated_at"])
        if created:
            transaction.on_commit(lambda: _render_later(document.pk))
    return document


def retry_document(*, user, document: InvoiceDocument) -> InvoiceDocument:
    """Render a failed (or stuck) PDF again; the invoice itself is not touched."""
    if not can(user, CHANGE, document.invoice):
        raise PermissionDenied(_("U mag dit document niet opnieuw laten maken."))
    if document.status == DocumentStatus.READY:
        return document
    InvoiceDocument.objects.unrestricted().filter(pk=document.pk).update(status=DocumentStatus.PENDING, error="")
    transaction.on_commit(lambda: _render_later(document.pk))
    document.refresh_from_db()
    return document

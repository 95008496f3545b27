"""Payments, payouts, overpayments and their refund, offsetting credit against open invoices. Articles: SPEC §1,
SPEC §6.5, WM-SO 6.7.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from invoicing.models import (
    DocumentType,
    Invoice,
    InvoiceStatus,
    Overpayment,
    Payment,
    Payout,
)
from invoicing.services._common import ZERO, InvoicingError
from invoicing.services.settlement import settlement
from regio.amounts import MAX_AMOUNT
from regio.bounds import check_date
from regio.formatting import format_amount
from regio.tenancy import ADD, can, person

# --- payments ----------------------------------------------------------------------------------------------------


def _settle_status(invoice: Invoice) -> None:
    """The only way the status moves after issue.

    An invoice: issued → partly paid → paid, from what the payments settled. Payments settle the collection costs
    first, then the interest, then the principal (art. 6:44 BW), so an invoice is paid once nothing of the three is
    left on the day of its last payment. A refund credit note: issued → partly paid out → paid out, from the payouts.
    """
    if invoice.is_refund:
        paid_out = invoice.paid_out_amount()
        if paid_out > 0 and paid_out >= invoice.payable_out():
            status = InvoiceStatus.PAID_OUT
        elif paid_out > 0:
            status = InvoiceStatus.PARTLY_PAID_OUT
        else:
            status = InvoiceStatus.ISSUED
    elif invoice.is_credit_note:
        return
    else:
        payments = list(invoice.payments.unrestricted().order_by("paid_on"))
        if not payments:
            status = InvoiceStatus.ISSUED
        else:
            left = settlement(invoice, until=payments[-1].paid_on, payments=payments).total_outstanding
            status = InvoiceStatus.PAID if invoice.total_incl > 0 and left <= 0 else InvoiceStatus.PARTLY_PAID
    if status != invoice.status:
        invoice.status = status
        invoice.save(update_fields=["status", "updated_at"])


def _check_money(amount: Decimal, what: str) -> None:
    """An amount a service takes: Decimal, positive, within the 14-digit column (issue 10, finding 5)."""
    if not isinstance(amount, Decimal):
        raise TypeError("bedragen zijn Decimal, geen float")
    if not amount.is_finite() or amount <= 0:
        raise InvoicingError({"amount": _("%(what)s is een positief bedrag.") % {"what": what}})
    if amount > MAX_AMOUNT:
        raise InvoicingError(
            {"amount": _("Dit bedrag is te groot: hoogstens %(max)s.") % {"max": format_amount(MAX_AMOUNT)}}
        )


def _check_money_date(day: date, *, not_before: date | None, field: str, label: str, before_message: str) -> None:
    """A payment, payout or refund date: within the plausible window and not in the future (money that has not
    moved yet is not registered), and not before the document it belongs to (issue 10, findings 5 and 7)."""
    try:
        check_date(day, not_in_future=True, label=label)
    except ValidationError as exc:
        raise InvoicingError({field: exc.messages}) from None
    if not_before is not None and day < not_before:
        raise InvoicingError({field: before_message})


def open_amount(invoice: Invoice, on: date) -> Decimal:
    """What a payment on ``on`` may still settle on an invoice: the collection costs, the interest up to that day and
    the principal (art. 6:44 BW); never below zero. A payment above it is an overpayment (``register_overpayment``)."""
    payments = list(invoice.payments.unrestricted().order_by("paid_on"))
    until = max([on, *(p.paid_on for p in payments)])
    left = settlement(invoice, until=until, payments=payments).total_outstanding
    return max(left, invoice.outstanding(), ZERO)


def register_payment(
    *, user, invoice: Invoice, amount: Decimal, paid_on: date, reference: str = "", statement_line=None
) -> Payment:
    """Register a (partial) payment on an issued invoice; the coordinating municipality's staff do this (SPEC §1).

    Never more than is open, never on a paid invoice, never dated in the future or before the invoice (issue 10,
    finding 5): money received above what is open is an overpayment, a separate act with its reason."""
    _check_money(amount, _("Een betaling"))
    with transaction.atomic():
        locked = Invoice.objects.unrestricted().select_for_update().get(pk=invoice.pk)
        if not can(user, ADD, locked):
            raise PermissionDenied(_("U mag op deze factuur geen betaling registreren."))
        if locked.is_draft:
            raise InvoicingError(_("Op een concept kan niet worden betaald."))
        if locked.is_credit_note:
            raise InvoicingError(
                _("Op een creditfactuur wordt niet betaald; registreer een uitbetaling aan de gemeente.")
            )
        _check_money_date(
            paid_on,
            not_before=locked.invoice_date,
            field="paid_on",
            label=_("De betaaldatum"),
            before_message=_("De betaaldatum ligt voor de factuurdatum."),
        )
        if locked.status == InvoiceStatus.PAID:
            raise InvoicingError(
                {
                    "amount": _(
                        "Factuur %(number)s is al betaald: een nieuwe betaling is een overbetaling. Registreer die "
                        "apart, met de reden; het bedrag staat dan als terug te betalen."
                    )
                    % {"number": locked.number}
                }
            )
        left = open_amount(locked, paid_on)
        if amount > left:
            raise InvoicingError(
                {
                    "amount": _(
                        "Op factuur %(number)s staat nog %(left)s open; %(amount)s is meer. Registreer een betaling "
                        "van hoogstens het open bedrag, en wat te veel is apart als overbetaling met de reden."
                    )
                    % {"number": locked.number, "left": format_amount(left), "amount": format_amount(amount)}
                }
            )
        payment = Payment.objects.unrestricted().create(
            invoice=locked,
            amount=amount,
            paid_on=paid_on,
            reference=reference,
            statement_line=statement_line,
            registered_by=person(user),
        )
        _settle_status(locked)
    return payment


def register_payout(
    *, user, credit_note: Invoice, amount: Decimal, paid_on: date, reference: str = "", statement_line=None
) -> Payout:
    """Register a (partial) payout of a refund credit note: the coordinating municipality pays the member what the
    reckoning gives back (SPEC §6.5, WM-SO 6.7). issued → partly paid out → paid out; never more than is owed."""
    _check_money(amount, _("Een uitbetaling"))
    with transaction.atomic():
        locked = Invoice.objects.unrestricted().select_for_update().get(pk=credit_note.pk)
        if not can(user, ADD, locked):
            raise PermissionDenied(_("U mag op deze creditfactuur geen uitbetaling registreren."))
        if locked.is_draft:
            raise InvoicingError(_("Een concept wordt niet uitbetaald; verzend de creditfactuur eerst."))
        if not locked.is_refund:
            raise InvoicingError(
                _(
                    "Alleen een creditfactuur die een bedrag teruggeeft (zonder oorspronkelijke factuur) wordt "
                    "uitbetaald."
                )
            )
        _check_money_date(
            paid_on,
            not_before=locked.invoice_date,
            field="paid_on",
            label=_("De datum van uitbetaling"),
            before_message=_("De datum van uitbetaling ligt voor de datum van de creditfactuur."),
        )
        left = locked.to_pay_out()
        if amount > left:
            raise InvoicingError(
                {
                    "amount": _("Er staat nog %(left)s uit te betalen op creditfactuur %(number)s.")
                    % {"left": format_amount(left), "number": locked.number}
                }
            )
        payout = Payout.objects.unrestricted().create(
            invoice=locked,
            amount=amount,
            paid_on=paid_on,
            reference=reference[:200],
            statement_line=statement_line,
            registered_by=person(user),
        )
        _settle_status(locked)
    return payout


STATEMENT_REASON = "bankafschrift"


def register_overpayment(
    *,
    user,
    invoice: Invoice,
    amount: Decimal,
    received_on: date,
    reason: str,
    reference: str = "",
    statement_line=None,
) -> tuple[Payment | None, Overpayment]:
    """Money received on an invoice above what is open (issue 10, finding 5): a deliberate act with its reason.

    ``amount`` is all that was received: what is still open is booked as a payment, the rest is recorded as an
    overpayment that the coordinating municipality owes back ("terug te betalen"; onverschuldigde betaling, art.
    6:203 BW) until the refund is registered (``refund_overpayment``). On a paid invoice all of it is an overpayment.
    A bank-statement line that pays too much comes here with the reason "bankafschrift", so nothing is lost."""
    _check_money(amount, _("Een overbetaling"))
    reason = (reason or "").strip()
    if not reason:
        raise InvoicingError({"reason": _("Geef de reden van de overbetaling, bijvoorbeeld 'dubbel betaald'.")})
    with transaction.atomic():
        locked = Invoice.objects.unrestricted().select_for_update().get(pk=invoice.pk)
        if not can(user, ADD, locked):
            raise PermissionDenied(_("U mag op deze factuur geen betaling registreren."))
        if locked.is_draft or locked.is_credit_note:
            raise InvoicingError(_("Een overbetaling hoort bij een verzonden factuur."))
        _check_money_date(
            received_on,
            not_before=locked.invoice_date,
            field="received_on",
            label=_("De ontvangstdatum"),
            before_message=_("De ontvangstdatum ligt voor de factuurdatum."),
        )
        left = ZERO if locked.status == InvoiceStatus.PAID else open_amount(locked, received_on)
        if amount <= left:
            raise InvoicingError(
                {
                    "amount": _(
                        "Op factuur %(number)s staat nog %(left)s open: %(amount)s is geen overbetaling. Registreer "
                        "het als gewone betaling."
                    )
                    % {"number": locked.number, "left": format_amount(left), "amount": format_amount(amount)}
                }
            )
        payment = None
        if left > 0:
            payment = register_payment(
                user=user,
                invoice=locked,
                amount=left,
                paid_on=received_on,
                reference=reference[:200],
                statement_line=statement_line,
            )
        overpayment = Overpayment.objects.unrestricted().create(
            invoice=locked,
            amount=amount - left,
            received_on=received_on,
            reason=reason[:300],
            reference=reference[:200],
            statement_line=statement_line,
            registered_by=user,
        )
    return payment, overpayment


def refund_overpayment(*, user, overpayment: Overpayment, paid_on: date, reference: str = "") -> Overpayment:
    """Record that the coordinating municipality paid an overpayment back to the member (art. 6:203 BW)."""
    with transaction.atomic():
        locked = (
            Overpayment.objects.unrestricted().select_for_update().select_related("invoice").get(pk=overpayment.pk)
        )
        if not can(user, ADD, locked.invoice):
            raise PermissionDenied(_("U mag deze terugbetaling niet registreren."))
        if locked.refunded_on is not None:
            raise InvoicingError(_("Deze overbetaling is al terugbetaald."))
        _check_money_date(
            paid_on,
            not_before=locked.received_on,
            field="paid_on",
            label=_("De datum van terugbetaling"),
            before_message=_("De terugbetaling ligt voor de ontvangst van het te veel betaalde."),
        )
        locked.refunded_on, locked.refund_reference, locked.refunded_by = paid_on, reference[:200], user
        locked.save(update_fields=["refunded_on", "refund_reference", "refunded_by"])
    return locked


def to_refund(invoice: Invoice) -> Decimal:
    """What the coordinating municipality still owes back on an invoice's overpayments ("terug te betalen")."""
    return sum((o.to_refund for o in invoice.overpayments.unrestricted().all()), ZERO)


def offsettable_invoices(credit_note: Invoice) -> list[Invoice]:
    """The issuer's open invoices to the same member that a refund credit note can be offset against."""
    if not credit_note.is_refund or credit_note.is_draft or credit_note.to_pay_out() <= 0:
        return []
    candidates = (
        Invoice.objects.unrestricted()
        .filter(issuer=credit_note.issuer, recipient=credit_note.recipient, document_type=DocumentType.INVOICE)
        .exclude(status__in=[InvoiceStatus.DRAFT, InvoiceStatus.PAID])
        .order_by("invoice_date", "number")
    )
    return [i for i in candidates if i.outstanding() > 0]


def offset(*, user, credit_note: Invoice, invoice: Invoice, on: date | None = None) -> tuple[Payment, Payout]:
    """Offset (verrekenen, art. 6:127 BW) a refund credit note against an open invoice of the same issuer to the
    same member: one transaction books a payment on the invoice and a payout on the credit note of the same amount,
    each naming the other. The amount is what the invoice still asks on that day (collection costs and interest
    first, art. 6:44 BW) or what the credit note still owes, whichever is less."""
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = {
            i.pk: i
            for i in Invoice.objects.unrestricted().select_for_update().filter(pk__in=[credit_note.pk, invoice.pk])
        }
        note, target = locked[credit_note.pk], locked[invoice.pk]
        if not (can(user, ADD, note) and can(user, ADD, target)):
            raise PermissionDenied(_("Alleen de coördinerende gemeente die de facturen maakte, verrekent ze."))
        if target.pk not in {i.pk for i in offsettable_invoices(note)}:
            raise InvoicingError(
                {
                    "invoice": _(
                        "Factuur %(invoice)s kan niet met creditfactuur %(note)s worden verrekend: het moet een "
                        "openstaande factuur van dezelfde uitgever aan dezelfde gemeente zijn, en op de "
                        "creditfactuur moet nog iets uit te betalen zijn."
                    )
                    % {"invoice": target.number, "note": note.number}
                }
            )
        owed = settlement(target, until=on).total_outstanding
        amount = min(owed, note.to_pay_out())
        payment = register_payment(
            user=user,
            invoice=target,
            amount=amount,
            paid_on=max(on, target.invoice_date, note.invoice_date),
            reference=_("Verrekend met creditfactuur %(n)s") % {"n": note.number},
        )
        payout = register_payout(
            user=user,
            credit_note=note,
            amount=amount,
            paid_on=payment.paid_on,
            reference=_("Verrekend met factuur %(n)s") % {"n": target.number},
        )
    return payment, payout

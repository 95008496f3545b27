"""Issuing an invoice with an unbroken number, credit invoices, deleting a draft, rendering the PDF on commit.
Articles: SPEC §5, SPEC §6.6.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Mandate
from invoicing.models import (
    DocumentKind,
    DocumentType,
    Invoice,
    InvoiceCounter,
    InvoiceDocument,
    InvoiceLine,
    InvoiceStatus,
    InvoicingProfile,
    SourceType,
)
from invoicing.services._common import InvoicingError
from invoicing.services.drafts import _locked_draft, _store_totals
from invoicing.services.mandates import check_invoicing_mandate
from invoicing.services.payments import _settle_status
from regio.tenancy import CHANGE, can, person

# --- issuing -----------------------------------------------------------------------------------------------------


def _next_number(issuer_id: int, year: int) -> tuple[int, str]:
    """The next number of the issuer's unbroken sequence for the year, under a row lock held until commit."""
    InvoiceCounter.objects.unrestricted().bulk_create(
        [InvoiceCounter(issuer_id=issuer_id, year=year, last=0)], ignore_conflicts=True
    )
    counter = InvoiceCounter.objects.unrestricted().select_for_update().get(issuer_id=issuer_id, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, f"{year}-{counter.last:04d}"


def issue(*, user, invoice: Invoice, on: date | None = None) -> Invoice:
    """Issue a draft: number, date, parties' details and totals are fixed in one transaction (Wet OB art. 35a).

    The draft row is locked first, so issuing the same draft twice at once gives one number; the counter row is
    locked next, so concurrent issues of one issuer get consecutive numbers without gaps (a rollback returns the
    number with the transaction). When the issuer acts for another municipality the invoicing mandate is checked
    and recorded (SPEC §5).
    """
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = Invoice.objects.unrestricted().select_for_update().get(pk=invoice.pk)
        if not can(user, CHANGE, locked):
            raise PermissionDenied(_("U mag deze factuur niet verzenden."))
        if not locked.is_draft:
            raise InvoicingError(_("Factuur %(number)s is al verzonden.") % {"number": locked.number})
        lines = list(locked.lines.unrestricted())
        if not lines:
            raise InvoicingError(_("Een factuur zonder regels kan niet worden verzonden."))
        profiles = {
            p.municipality_id: p
            for p in InvoicingProfile.objects.unrestricted()
            .select_related("municipality")
            .filter(municipality_id__in=[locked.issuer_id, locked.recipient_id])
        }
        missing = [m.name for m in (locked.issuer, locked.recipient) if m.pk not in profiles]
        if missing:
            raise InvoicingError(
                _("Vul eerst de factuurgegevens (adres, OIN of KvK, btw-nummer) in van: %(names)s.")
                % {"names": ", ".join(missing)}
            )
        mandate = check_invoicing_mandate(issuer=locked.issuer, recipient=locked.recipient, on=on)
        if not mandate.allowed:
            raise InvoicingError(
                _("Geen geldig mandaat om namens %(name)s te factureren: %(reason)s")
                % {"name": locked.recipient.name, "reason": mandate.reason}
            )
        sequence, number = _next_number(locked.issuer_id, on.year)
        excl, vat, incl = locked.computed_totals(lines)
        locked.number = number
        locked.year = on.year
        locked.sequence = sequence
        locked.invoice_date = on
        locked.due_on = locked.due_date_for(on)
        locked.issuer_details = profiles[locked.issuer_id].details()
        locked.recipient_details = profiles[locked.recipient_id].details()
        locked.total_excl, locked.total_vat, locked.total_incl = excl, vat, incl
        locked.mandate = mandate.mandate if isinstance(mandate.mandate, Mandate) else None
        locked.mandate_reference = mandate.reference[:300]
        locked.issued_at = timezone.now()
        locked.issued_by = person(user)
        locked.status = InvoiceStatus.ISSUED
        locked.save()
        document, _created = InvoiceDocument.objects.unrestricted().get_or_create(
            invoice=locked, kind=DocumentKind.INVOICE
        )
        transaction.on_commit(lambda: _render_later(document.pk))
        if locked.credit_for_id:
            original = Invoice.objects.unrestricted().select_for_update().get(pk=locked.credit_for_id)
            _settle_status(original)
    return locked


def _render_later(document_id: int) -> None:
    from invoicing.tasks import render_document

    render_document.delay(document_id)


def credit(*, user, invoice: Invoice, reason: str) -> Invoice:
    """A draft credit invoice for an issued invoice: the same lines, negative (SPEC §6.6; Wet OB art. 35a lid 1 h)."""
    if not reason.strip():
        raise InvoicingError({"reason": _("Geef de reden van de creditering.")})
    with transaction.atomic():
        original = Invoice.objects.unrestricted().select_for_update().get(pk=invoice.pk)
        if not can(user, CHANGE, original):
            raise PermissionDenied(_("U mag deze factuur niet crediteren."))
        if original.is_draft:
            raise InvoicingError(_("Een concept wordt niet gecrediteerd maar aangepast of verwijderd."))
        if original.is_credit_note:
            raise InvoicingError(_("Een creditfactuur wordt niet opnieuw gecrediteerd."))
        note = Invoice(
            region=original.region,
            issuer=original.issuer,
            recipient=original.recipient,
            subject=_("Creditering van factuur %(number)s") % {"number": original.number},
            period_start=original.period_start,
            period_end=original.period_end,
            payment_term_days=original.payment_term_days,
            interest_kind=original.interest_kind,
            # A correction keeps the VAT treatment of what it corrects (issue 12), not today's of the agreement.
            vat_rate=original.vat_rate,
            vat_reason=original.vat_reason,
            vat_article=original.vat_article,
            vat_exemption_code=original.vat_exemption_code,
            credit_for=original,
            credit_reason=reason.strip(),
            document_type=DocumentType.CREDIT_NOTE,
        )
        note.save()
        for line in original.lines.unrestricted():
            InvoiceLine(
                invoice=note,
                position=line.position,
                description=line.description,
                quantity=-line.quantity,
                unit=line.unit,
                unit_price=line.unit_price,
                vat_rate=line.vat_rate,
                source_type=SourceType.CREDIT,
                source_id=str(line.pk),
            ).save()
        _store_totals(note)
        note.refresh_from_db()
    return note


def delete_draft(*, user, invoice: Invoice) -> None:
    """Delete a draft with its lines; an issued invoice is never deleted (a credit invoice corrects it)."""
    with transaction.atomic():
        locked = _locked_draft(user, invoice, _("verwijderen"))
        locked.lines.unrestricted().delete()
        locked.documents.unrestricted().delete()
        locked.delete()

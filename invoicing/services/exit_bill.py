"""Invoicing the leaver's bill and the secondment credits, through the same draft/issue services as every other
invoice. Articles: WM-SO 16.3, WM-SO 16.4, WM-SO 16.6, WM-2015 6.7, BNO 15.4, WM-SO 4.10, WM-SO 6.8.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from invoicing.models import DocumentType, Invoice, InvoiceStatus
from invoicing.services._common import InvoicingError
from invoicing.services.drafts import _require_issuer_staff, add_line, create_draft
from invoicing.services.issuing import issue
from invoicing.services.payments import offset, offsettable_invoices
from regio.formatting import format_amount, format_date

# The lines of these documents take the VAT of the draft, which follows the agreement (issue 12; WM-SO 6.8 gives 21 %,
# BNO's centrumregeling is outside the scope): ``create_draft`` sets it, ``add_line`` inherits it.


def invoice_exit_statement(*, user, statement, on: date | None = None) -> Invoice:
    """One invoice for a final exit statement: a line per item, each naming its article and basis, issued at once
    (WM-SO 16.3-16.4; WM-2015 6.7; BNO 15.4; on a full termination WM-SO 16.6). A fee of the exit year invoiced
    before the notice took effect is on the statement as a deduction: it goes on a credit note of its own, issued on
    the same day and naming the fee invoice (one sign per document, EN 16931; the fee invoice is never edited).
    Twice gives the same documents (natural keys ``exit:<id>`` and ``exit:<id>:terug``). The coordinating
    municipality does not invoice itself: its share stays on its statement. Returns the invoice, or the credit note
    when the statement only gives back."""
    from costsharing import services as costsharing_services
    from costsharing.models import ExitStatement, ExitStatementLine, ExitStatus

    on = on or timezone.localdate()
    region = statement.region
    issuer = _require_issuer_staff(user, region)
    with transaction.atomic():
        statement = (
            ExitStatement.objects.unrestricted("service: the issuer check above; the row is the lock")
            .select_for_update()
            .select_related("region", "agreement", "municipality")
            .get(pk=statement.pk)
        )
        key = f"exit:{statement.pk}"
        documents = {
            i.source_key: i
            for i in Invoice.objects.unrestricted("the issuer's own documents by their natural keys").filter(
                issuer=issuer, source_key__in=[key, f"{key}:terug"]
            )
        }
        if statement.status == ExitStatus.INVOICED and documents:
            return documents.get(key) or documents[f"{key}:terug"]
        if statement.status == ExitStatus.DRAFT:
            raise InvoicingError(_("Stel de eindafrekening eerst vast; een concept wordt niet gefactureerd."))
        if statement.municipality_id == issuer.pk:
            raise InvoicingError(
                _("De coördinerende gemeente factureert zichzelf niet; haar aandeel staat op haar eindafrekening.")
            )
        lines = list(
            ExitStatementLine.objects.unrestricted("children of the locked statement")
            .filter(statement=statement)
            .order_by("position", "pk")
        )
        charged = [line for line in lines if line.amount > 0]
        given_back = [line for line in lines if line.amount < 0]
        if not charged and not given_back:
            raise InvoicingError(_("Op deze eindafrekening staat niets te betalen."))
        last = max(statement.exit_date, statement.obligations_until or statement.exit_date) - timedelta(days=1)
        first = min(date(statement.exit_date.year, 1, 1), last)
        subject = _("Eindafrekening %(code)s bij uittreding per %(date)s") % {
            "code": statement.agreement.code,
            "date": format_date(statement.exit_date),
        }
        issued = []
        for lines_of, source_key, credit in ((charged, key, False), (given_back, f"{key}:terug", True)):
            if not lines_of:
                continue
            document = documents.get(source_key)
            if document is None:
                document = create_draft(
                    user=user,
                    region=region,
                    recipient=statement.municipality,
                    subject=subject,
                    period_start=first,
                    period_end=last,
                    source_key=source_key,
                    **(
                        {
                            "document_type": DocumentType.CREDIT_NOTE,
                            "credit_reason": _("Al gefactureerde bijdrage van het uittredingsjaar verrekend"),
                            "credit_reference": _fee_reference(statement) or lines_of[0].description[:100],
                        }
                        if credit
                        else {}
                    ),
                )
            if document.is_draft:
                if not document.lines.unrestricted("children of the issuer's own draft").exists():
                    for line in lines_of:
                        add_line(
                            user=user,
                            invoice=document,
                            description=f"{line.description} ({line.article})"[:300],
                            quantity=Decimal("-1") if credit else Decimal("1"),
                            unit_price=abs(line.amount),
                            unit="stuk",
                            source_type="exit_line",
                            source_id=str(line.pk),
                        )
                document = issue(user=user, invoice=document, on=on)
            issued.append(document)
        costsharing_services.mark_exit_invoiced(user=user, statement=statement)
    return issued[0]


def _fee_reference(statement) -> str:
    """The invoice of the leaver's fee of its exit year, which the credit note of the deduction names."""
    from costsharing.models import Fee

    fee = (
        Fee.objects.unrestricted("the leaver's fee of its exit year, under the locked statement")
        .filter(region=statement.region, municipality=statement.municipality, year=statement.exit_date.year)
        .first()
    )
    return fee.reference[:100] if fee is not None else ""


@dataclass
class SecondmentInvoicing:
    credit_notes: list[Invoice] = field(default_factory=list)
    offsets: list[str] = field(default_factory=list)
    open: list[str] = field(default_factory=list)


def invoice_secondments(*, user, region, year: int, on: date | None = None) -> SecondmentInvoicing:
    """WM-SO 4.10: the cost of seconded staff is owed to the member that seconds them. Per member one credit note (a
    credit of its own), issued; when the region chose to set it off against the fee, the credit note is offset
    (art. 6:127 BW) against that member's open fee invoice of the year, and where there is none yet it stays open and
    says so. Twice gives nothing new (natural key ``secondment:<region>:<year>:<CBS code>``)."""
    from costsharing import services as costsharing_services
    from costsharing.models import SecondmentSettlement

    on = on or timezone.localdate()
    issuer = _require_issuer_staff(user, region)
    mode = costsharing_services.secondment_settlement(region=region)
    result = SecondmentInvoicing()
    with transaction.atomic():
        for member, rows in costsharing_services.secondments_of(region=region, year=year).items():
            total = sum((r.amount for r in rows), Decimal("0.00"))
            if member.pk == issuer.pk or total <= 0:
                continue
            key = f"secondment:{region.pk}:{year}:{member.code}"
            note = (
                Invoice.objects.unrestricted("the issuer's own document by its natural key")
                .filter(issuer=issuer, source_key=key)
                .first()
            )
            if note is None:
                note = create_draft(
                    user=user,
                    region=region,
                    recipient=member,
                    subject=_("Detachering %(year)s: kosten verschuldigd aan %(name)s")
                    % {"year": year, "name": member.name},
                    period_start=date(year, 1, 1),
                    period_end=date(year, 12, 31),
                    source_key=key,
                    document_type=DocumentType.CREDIT_NOTE,
                    credit_reason=_("Kosten van gedetacheerd personeel, WM-SO 4.10: %(total)s")
                    % {"total": format_amount(total)},
                    credit_reference=f"detachering-{region.code}-{year}-{member.code}"[:100],
                )
            if note.is_draft:
                if not note.lines.unrestricted("children of the issuer's own draft").exists():
                    for row in rows:
                        add_line(
                            user=user,
                            invoice=note,
                            description=(
                                f"Detachering {row.function}, {row.fte.normalize():f} fte ({year}): {row.basis}"
                            )[:300],
                            quantity=Decimal("-1"),
                            unit_price=row.amount,
                            unit="jaar",
                            source_type="secondment",
                            source_id=str(row.pk),
                        )
                note = issue(user=user, invoice=note, on=on)
            result.credit_notes.append(note)
            if mode != SecondmentSettlement.OFFSET:
                continue
            fees = [
                i
                for i in offsettable_invoices(note)
                if i.period_start <= date(year, 12, 31) and i.period_end >= date(year, 1, 1)
            ]
            if fees and note.to_pay_out() > 0:
                offset(user=user, credit_note=note, invoice=fees[0], on=max(on, fees[0].invoice_date))
                result.offsets.append(f"{note.number} verrekend met {fees[0].number}")
            elif note.to_pay_out() > 0:
                result.open.append(
                    f"{note.number}: nog geen openstaande bijdragefactuur {year} van {member.name} "
                    "om mee te verrekenen"
                )
    return result


def exit_invoice(statement) -> Invoice | None:
    """The issued invoice of an exit statement (or its credit note, when it only gives back), if any."""
    return (
        Invoice.objects.unrestricted("read helper: the statement was restricted by the caller")
        .filter(source_key__in=[f"exit:{statement.pk}", f"exit:{statement.pk}:terug"])
        .exclude(status=InvoiceStatus.DRAFT)
        .order_by("source_key")
        .first()
    )

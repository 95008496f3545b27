"""Invoicing the December cycle of WM: one invoice per member carrying the fee of year Y and the final settlement of
Y−1. Articles: WM-DVO 6.1 (invoiced once a year, in December of that year at the latest), WM-SO 6.7 (the final
settlement of the past calendar year in December), WM-SO 6.8 (VAT on the coordinating municipality's services),
EN 16931 BR-27 and the sign rule of the invoice lines (a refund goes on a credit note).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from invoicing.models import DocumentType, Invoice, InvoiceLine, InvoiceStatus, SourceType
from invoicing.services._common import InvoicingError
from invoicing.services.drafts import _require_issuer_staff, add_line, create_draft
from invoicing.services.issuing import issue
from regio.formatting import format_amount
from regio.models import Region

FEE_SOURCE = "wm_fee"  # registered by cost sharing (costsharing/line_sources.py)


@dataclass
class CycleInvoicing:
    year: int
    invoices: list[Invoice]
    created: int
    own_share: str  # what the coordinating municipality's statement shows instead of an invoice
    settlement_year: int
    settlement_status: str


def _billed_lines(reckoning_line_ids: list[int]) -> set[str]:
    """Reckoning lines already on an issued invoice or credit note (of the cycle or of ``invoice_reckoning``)."""
    return set(
        InvoiceLine.objects.unrestricted("reckoning lines of the region being invoiced, checked by the caller")
        .filter(source_type=SourceType.RECKONING_LINE, source_id__in=[str(i) for i in reckoning_line_ids])
        .exclude(invoice__status=InvoiceStatus.DRAFT)
        .values_list("source_id", flat=True)
    )


def invoice_cycle(*, user, region: Region, year: int, on: date | None = None) -> CycleInvoicing:
    """The December invoices of year ``year``: per member one invoice with (a) the fee of ``year`` on budget basis
    (WM-DVO 6.1; the line names the budget and the norm year) and (b) the final settlement of ``year - 1`` (WM-SO
    6.7: actual integral costs by recalculation minus the fee invoiced for that year; the line names the reckoning).

    The settlement of ``year - 1``, when there is one, must be approved first; it is marked settled here and stays
    frozen. The coordinating municipality never invoices itself: its fee and settlement show on its statement. A
    settlement in a member's favour cannot share an invoice with the fee (one sign per document, EN 16931): it is a
    credit note of its own, issued on the same day, naming the fee invoice. Doing it twice creates nothing new: every
    document carries the key ``cycle:<region>:<year>:<CBS code>`` (unique per issuer)."""
    from costsharing import services as costsharing_services
    from costsharing.models import FeeOrigin, Reckoning, ReckoningLine

    on = on or timezone.localdate()
    issuer = _require_issuer_staff(user, region)
    with transaction.atomic():
        Region.objects.unrestricted("the lock of the region whose December cycle is invoiced").select_for_update().get(
            pk=region.pk
        )
        settlement = costsharing_services.latest_reckoning(region=region, year=year - 1)
        settle_lines: dict[int, ReckoningLine] = {}
        if settlement is not None:
            settlement = (
                Reckoning.objects.unrestricted("the settlement being invoiced")
                .select_for_update()
                .get(pk=settlement.pk)
            )
            if settlement.status == Reckoning.Status.DRAFT:
                raise InvoicingError(
                    _(
                        "Stel eerst de afrekening %(year)s vast; daarna gaan bijdrage en afrekening samen op de "
                        "factuur."
                    )
                    % {"year": year - 1}
                )
            lines = list(
                ReckoningLine.objects.unrestricted("the lines of the settlement being invoiced")
                .filter(reckoning=settlement)
                .select_related("municipality")
            )
            billed = _billed_lines([line.pk for line in lines])
            settle_lines = {
                line.municipality_id: line for line in lines if line.to_settle != 0 and str(line.pk) not in billed
            }
        fees = costsharing_services.draw_up_fees(user=user, region=region, year=year)
        # A leaver's exit statement takes the place of its fee of the exit year (WM-SO 16.3; one owner per euro).
        on_exit_statement = costsharing_services.exit_charged_members(region=region, year=year)
        result = CycleInvoicing(
            year=year,
            invoices=[],
            created=0,
            own_share="",
            settlement_year=year - 1,
            settlement_status=settlement.get_status_display() if settlement else _("geen afrekening"),
        )
        members = {fee.municipality_id: fee.municipality for fee in fees}
        members.update({mid: line.municipality for mid, line in settle_lines.items()})
        fee_by_member = {fee.municipality_id: fee for fee in fees}
        values = {"year": year, "previous": year - 1}
        for member_id, member in sorted(members.items(), key=lambda kv: kv[1].code):
            fee = fee_by_member.get(member_id)
            line = settle_lines.get(member_id)
            if member_id == issuer.pk:
                result.own_share = _("eigen aandeel (niet gefactureerd): bijdrage %(year)s %(fee)s%(settle)s") % {
                    "year": year,
                    "fee": format_amount(fee.amount) if fee else format_amount(Decimal("0")),
                    "settle": (
                        _(", afrekening %(previous)s %(amount)s")
                        % {"previous": year - 1, "amount": format_amount(line.to_settle)}
                        if line is not None
                        else ""
                    ),
                }
                continue
            charge_fee = (
                fee is not None
                and fee.origin == FeeOrigin.PRODUCT
                and not fee.reference
                and fee.amount > 0
                and member_id not in on_exit_statement
            )
            extra = line is not None and line.to_settle > 0
            refund = line is not None and line.to_settle < 0
            key = f"cycle:{region.pk}:{year}:{member.code}"
            invoice = (
                Invoice.objects.unrestricted("the cycle invoice of this member, by its key")
                .filter(issuer=issuer, source_key=key)
                .first()
            )
            if invoice is not None and not invoice.is_draft and extra:
                # The fee went out before the settlement was approved: the settlement gets an invoice of its own.
                key = f"{key}:afrekening"
                invoice = (
                    Invoice.objects.unrestricted("the settlement invoice of this member, by its key")
                    .filter(issuer=issuer, source_key=key)
                    .first()
                )
            if invoice is None and (charge_fee or extra):
                if charge_fee and extra:
                    subject = _("Bijdrage Wmo %(year)s en afrekening %(previous)s") % values
                elif charge_fee:
                    subject = _("Bijdrage Wmo %(year)s") % values
                else:
                    subject = _("Afrekening Wmo %(previous)s") % values
                invoice = create_draft(
                    user=user,
                    region=region,
                    recipient=member,
                    subject=subject,
                    period_start=date(year, 1, 1),
                    period_end=date(year, 12, 31),
                    source_key=key,
                )
                result.created += 1
                if charge_fee:
                    source = _("begroting %(year)s") % values
                    if fee.norm_year_id:
                        source += _(", normjaar %(norm)s") % {"norm": fee.norm_year.year}
                    add_line(
                        user=user,
                        invoice=invoice,
                        description=_("Bijdrage %(year)s op basis van de begroting (%(source)s; WM-DVO 6.1)")
                        % {**values, "source": source},
                        quantity=Decimal("1"),
                        unit_price=fee.amount,
                        unit="jaar",
                        source_type=FEE_SOURCE,
                        source_id=str(fee.pk),
                    )
                if extra:
                    add_line(
                        user=user,
                        invoice=invoice,
                        description=_settlement_text(line, settlement, year - 1),
                        quantity=Decimal("1"),
                        unit_price=line.to_settle,
                        unit="jaar",
                        source_type=SourceType.RECKONING_LINE,
                        source_id=str(line.pk),
                    )
            if invoice is not None:
                if invoice.is_draft:
                    invoice = issue(user=user, invoice=invoice, on=on)
                if charge_fee:
                    costsharing_services.mark_fee_invoiced(user=user, fee=fee, reference=invoice.number)
                result.invoices.append(invoice)
            if refund:
                refund_key = f"{key}:terug"
                credit = (
                    Invoice.objects.unrestricted("the cycle credit note of this member, by its key")
                    .filter(issuer=issuer, source_key=refund_key)
                    .first()
                )
                if credit is None:
                    credit = create_draft(
                        user=user,
                        region=region,
                        recipient=member,
                        subject=_("Terugbetaling afrekening Wmo %(previous)s") % values,
                        period_start=date(year - 1, 1, 1),
                        period_end=date(year - 1, 12, 31),
                        source_key=refund_key,
                        document_type=DocumentType.CREDIT_NOTE,
                        credit_reason=_(
                            "Afrekening %(previous)s, afrekeningsregel %(line)s: %(name)s betaalde meer bijdrage dan "
                            "de werkelijke kosten"
                        )
                        % {**values, "line": line.pk, "name": member.name},
                        credit_reference=(invoice.number if invoice is not None else (fee.reference if fee else ""))
                        or f"afrekening-{region.code}-{year - 1}-v{settlement.version}"[:100],
                    )
                    result.created += 1
                    add_line(
                        user=user,
                        invoice=credit,
                        description=_settlement_text(line, settlement, year - 1),
                        quantity=Decimal("-1"),
                        unit_price=abs(line.to_settle),
                        unit="jaar",
                        source_type=SourceType.RECKONING_LINE,
                        source_id=str(line.pk),
                    )
                if credit.is_draft:
                    credit = issue(user=user, invoice=credit, on=on)
                result.invoices.append(credit)
        if settlement is not None and settlement.status == Reckoning.Status.APPROVED:
            costsharing_services.mark_settled(user=user, reckoning=settlement)
            result.settlement_status = Reckoning.Status.SETTLED.label
    return result


def _settlement_text(line, settlement, year: int) -> str:
    values = {
        "year": year,
        "v": settlement.version,
        "share": format_amount(line.share),
        "fee": format_amount(line.advances),
    }
    if line.previous_share is None:
        return (
            _(
                "Afrekening %(year)s (afrekening versie %(v)s, WM-SO 6.7): aandeel in de werkelijke kosten %(share)s "
                "min gefactureerde bijdrage %(fee)s"
            )
            % values
        )
    return _(
        "Correctie afrekening %(year)s (versie %(v)s): aandeel in de werkelijke kosten %(share)s, eerder %(previous)s"
    ) % {**values, "previous": format_amount(line.previous_share)}

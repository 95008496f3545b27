"""Invoicing a reckoning: the settlement invoices or refunds of an approved reckoning. Articles: WM-SO 6.7, WM-DVO 6,
WM-DVO 6.1, WM-SO 6.8, SPEC §6.5.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from invoicing.models import (
    DocumentType,
    Invoice,
    InvoiceStatus,
    SourceType,
)
from invoicing.services._common import InvoicingError
from invoicing.services.cycle import _billed_lines
from invoicing.services.drafts import _require_issuer_staff, add_line, create_draft
from invoicing.services.issuing import issue
from regio.formatting import format_amount

# --- invoicing a reckoning (WM-SO 6.7, WM-DVO 6) -----------------------------------------------------------------


@dataclass
class ReckoningInvoicing:
    invoices: list[Invoice]
    created: int
    skipped: list[str]


def _refund_reference(reckoning, member) -> str:
    """The preceding document a refund credit note names (EN 16931 BT-25; NLCIUS BR-NL-9 asks one on every credit
    note): the member's invoice or credit note of the nearest earlier version of this reckoning, else the reckoning
    itself (its advances were not invoiced in this product)."""
    from costsharing.models import ReckoningLine

    previous = getattr(reckoning, "previous", None)
    while previous is not None:
        earlier = (
            Invoice.objects.unrestricted()
            .filter(source_key=f"reckoning:{previous.pk}:{member.code}")
            .exclude(status=InvoiceStatus.DRAFT)
            .first()
        )
        if earlier is None:  # settled on the December cycle invoice beside the fee (issue 12)
            line_ids = ReckoningLine.objects.unrestricted("the earlier version's line of this member").filter(
                reckoning=previous, municipality=member
            )
            earlier = (
                Invoice.objects.unrestricted()
                .filter(
                    lines__source_type=SourceType.RECKONING_LINE,
                    lines__source_id__in=[str(pk) for pk in line_ids.values_list("pk", flat=True)],
                )
                .exclude(status=InvoiceStatus.DRAFT)
                .first()
            )
        if earlier is not None:
            return earlier.number
        previous = getattr(previous, "previous", None)
    return f"afrekening-{reckoning.region.code}-{reckoning.year}-v{reckoning.version}"[:100]


def invoice_reckoning(*, user, reckoning, on: date | None = None, progress=None) -> ReckoningInvoicing:
    """One action: the invoices of all members for an approved reckoning, issued, and the reckoning marked settled
    (WM-SO 6.7: once a year, in December at the latest; WM-DVO 6.1). Doing it twice creates nothing new: each
    document carries the natural key ``reckoning:<id>:<CBS code>`` (unique per issuer).

    One line per member: its share of the actual costs minus the advances it paid (the difference of the reckoning
    line), at the VAT of the region's agreement (WM-SO 6.8: 21 % on the coordinating municipality's services). For a
    correction version only the change against the previous version is invoiced (``ReckoningLine.to_settle``): the
    previous version's difference was settled by its own invoices (SPEC §6.5). A member that gets money back (a
    negative amount to settle) gets a credit note of its own (EN 16931 code 381, same number sequence) that the
    coordinating municipality pays out (``register_payout``). The coordinating municipality does not invoice itself;
    a member with nothing to settle gets nothing. A region that settles through its annual report (BNO 10.5-10.6)
    is refused here.
    """
    from costsharing import services as costsharing_services
    from costsharing.models import Reckoning, ReckoningLine

    on = on or timezone.localdate()
    region = reckoning.region
    issuer = _require_issuer_staff(user, region)
    if costsharing_services.settles_by_annual_report(region=region, on=date(reckoning.year, 12, 31)):
        # BNO 10.5-10.6: a centrumregeling settles through the adopted proposal of its annual report, never through
        # the December reckoning (issue 12); ``invoice_annual_report`` is its only path to invoices.
        raise InvoicingError(
            _(
                "%(region)s rekent af via het jaarverslag met het voorstel voor afrekening per gemeente (BNO "
                "10.5-10.6), niet via de decemberafrekening."
            )
            % {"region": region.name}
        )
    result = ReckoningInvoicing(invoices=[], created=0, skipped=[])
    with transaction.atomic():
        # The reckoning row is the lock: two runs at once wait for each other, the second finds everything done.
        reckoning = Reckoning.objects.unrestricted().select_for_update().get(pk=reckoning.pk)
        if reckoning.status == Reckoning.Status.DRAFT:
            raise InvoicingError(_("Alleen een vastgestelde afrekening wordt gefactureerd."))
        lines = list(
            ReckoningLine.objects.unrestricted()
            .filter(reckoning=reckoning)
            .select_related("municipality")
            .order_by("pk")
        )
        billed = _billed_lines([line.pk for line in lines])  # settled on a December cycle invoice already
        for index, line in enumerate(lines, start=1):
            member = line.municipality
            amount = line.to_settle
            if (
                member.pk == issuer.pk
                or amount == 0
                or (
                    str(line.pk) in billed
                    and not Invoice.objects.unrestricted("this reckoning's own invoice of the member, by its key")
                    .filter(issuer=issuer, source_key=f"reckoning:{reckoning.pk}:{member.code}")
                    .exists()
                )
            ):
                result.skipped.append(member.name)
                continue
            key = f"reckoning:{reckoning.pk}:{member.code}"
            refund = amount < 0
            invoice = Invoice.objects.unrestricted().filter(issuer=issuer, source_key=key).first()
            if invoice is None:
                values = {"year": reckoning.year, "v": reckoning.version}
                invoice = create_draft(
                    user=user,
                    region=region,
                    recipient=member,
                    subject=(
                        _("Terugbetaling afrekening Wmo %(year)s (versie %(v)s)")
                        if refund
                        else _("Afrekening Wmo %(year)s (versie %(v)s)")
                    )
                    % values,
                    period_start=date(reckoning.year, 1, 1),
                    period_end=date(reckoning.year, 12, 31),
                    source_key=key,
                    document_type=DocumentType.CREDIT_NOTE if refund else DocumentType.INVOICE,
                    credit_reason=(
                        _("Afrekening %(year)s (versie %(v)s), afrekeningsregel %(line)s: %(name)s krijgt geld terug")
                        % {**values, "line": line.pk, "name": member.name}
                        if refund
                        else ""
                    ),
                    credit_reference=_refund_reference(reckoning, member) if refund else "",
                )
                result.created += 1
            if invoice.is_draft and not invoice.lines.unrestricted().exists():
                if line.previous_share is None:
                    description = _(
                        "Afrekening %(year)s: aandeel in de werkelijke kosten %(share)s min gefactureerde bijdrage "
                        "%(advances)s"
                    ) % {
                        "year": reckoning.year,
                        "share": format_amount(line.share),
                        "advances": format_amount(line.advances),
                    }
                else:
                    description = _(
                        "Correctie afrekening %(year)s (versie %(v)s): aandeel in de werkelijke kosten %(share)s, "
                        "eerder afgerekend %(previous)s"
                    ) % {
                        "year": reckoning.year,
                        "v": reckoning.version,
                        "share": format_amount(line.share),
                        "previous": format_amount(line.previous_share),
                    }
                add_line(
                    user=user,
                    invoice=invoice,
                    description=description,
                    # A credit note keeps the sign convention of every credit invoice: negative quantity, positive
                    # price; documents and the e-invoice present the amounts as a positive credit.
                    quantity=Decimal("-1") if refund else Decimal("1"),
                    unit_price=abs(amount),
                    unit="jaar",
                    source_type=SourceType.RECKONING_LINE,
                    source_id=str(line.pk),
                )
            if invoice.is_draft:
                invoice = issue(user=user, invoice=invoice, on=on)
            result.invoices.append(invoice)
            if progress:
                progress(index, len(lines))
        if reckoning.status == Reckoning.Status.APPROVED:
            costsharing_services.mark_settled(user=user, reckoning=reckoning)
    return result

"""Invoicing BNO's annual report: the adopted settlement proposal per municipality becomes invoices and credit notes,
never before its adoption. Articles: BNO 10.6, 11.1; SPEC §6.5.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from invoicing.models import DocumentType, Invoice
from invoicing.services._common import InvoicingError
from invoicing.services.drafts import _require_issuer_staff, add_line, create_draft
from invoicing.services.issuing import issue
from regio.formatting import format_amount, format_date
from regio.models import Municipality

ANNUAL_REPORT_SOURCE = "annual_report"


@dataclass
class AnnualReportInvoicing:
    invoices: list[Invoice]
    created: int
    skipped: list[str]


def annual_report_source_key(report, code: str) -> str:
    return f"annual-report:{report.pk}:{code}"


def invoice_annual_report(*, user, report, on: date | None = None) -> AnnualReportInvoicing:
    """The invoices and credit notes of an adopted annual report (BNO 10.6: "een voorstel voor afrekening per
    gemeente"), issued in one action. Refused, in words, while the proposal is not adopted: the colleges decide
    first. One document per member with a difference (a positive difference an invoice, a negative one a credit note
    that the centre municipality pays out); the centre municipality never invoices itself. The VAT treatment is the
    agreement's (BNO says nothing about VAT: the demo records the centrumregeling as outside the scope). Doing it
    twice creates nothing new: each document carries the key ``annual-report:<id>:<CBS code>``."""
    from costsharing.models import AnnualReport

    on = on or timezone.localdate()
    issuer = _require_issuer_staff(user, report.region)
    result = AnnualReportInvoicing(invoices=[], created=0, skipped=[])
    with transaction.atomic():
        # The report row is the lock: two runs at once wait for each other, the second finds everything done.
        report = (
            AnnualReport.objects.unrestricted("a service: _require_issuer_staff checked the acting user first")
            .select_for_update(of=("self",))
            .select_related("region", "adopted_version")
            .get(pk=report.pk)
        )
        if report.adopted_on is None:
            raise InvoicingError(
                _(
                    "Het voorstel voor afrekening van het jaarverslag %(year)s is nog niet vastgesteld; er wordt pas "
                    "gefactureerd nadat het is vastgesteld (BNO 10.6)."
                )
                % {"year": report.year}
            )
        version = report.adopted_version
        members = {
            m.code: m
            for m in Municipality.objects.unrestricted(
                "a service: _require_issuer_staff checked the acting user first"
            ).filter(code__in=[p["code"] for p in version.figures["proposal"]])
        }
        for row in version.figures["proposal"]:
            member = members[row["code"]]
            amount = Decimal(row["difference"])
            if member.pk == issuer.pk or amount == 0:
                result.skipped.append(member.name)
                continue
            refund = amount < 0
            values = {"year": report.year, "v": version.number, "date": format_date(report.adopted_on)}
            invoice = create_draft(
                user=user,
                region=report.region,
                recipient=member,
                subject=(
                    _("Terugbetaling afrekening jaarverslag Wmo %(year)s")
                    if refund
                    else _("Afrekening jaarverslag Wmo %(year)s")
                )
                % values,
                period_start=date(report.year, 1, 1),
                period_end=date(report.year, 12, 31),
                source_key=annual_report_source_key(report, member.code),
                document_type=DocumentType.CREDIT_NOTE if refund else DocumentType.INVOICE,
                credit_reason=(
                    _(
                        "Afrekening jaarverslag %(year)s (versie %(v)s, vastgesteld %(date)s): "
                        "%(name)s krijgt geld terug"
                    )
                    % {**values, "name": member.name}
                    if refund
                    else ""
                ),
                credit_reference=f"jaarverslag-{report.region.code}-{report.year}-v{version.number}"[:100]
                if refund
                else "",
            )
            if (
                invoice.is_draft
                and not invoice.lines.unrestricted(
                    "a service: _require_issuer_staff checked the acting user first"
                ).exists()
            ):
                result.created += 1
                add_line(
                    user=user,
                    invoice=invoice,
                    description=_(
                        "Afrekening %(year)s volgens het jaarverslag (versie %(v)s, vastgesteld %(date)s): aandeel in "
                        "de werkelijke kosten %(share)s, betaald %(paid)s (BNO 10.6)"
                    )
                    % {
                        **values,
                        "share": format_amount(Decimal(row["actual_share"])),
                        "paid": format_amount(Decimal(row["paid"])),
                    },
                    # A credit note keeps the sign convention of every credit invoice: negative quantity.
                    quantity=Decimal("-1") if refund else Decimal("1"),
                    unit_price=abs(amount),
                    unit="jaar",
                    source_type=ANNUAL_REPORT_SOURCE,
                    source_id=str(version.pk),
                )
            if invoice.is_draft:
                invoice = issue(user=user, invoice=invoice, on=on)
            result.invoices.append(invoice)
    return result


def annual_report_invoices(*, user, report) -> list[Invoice]:
    """The invoices made from a report that the user may see (the centre's staff all, a member its own issued ones)."""
    keys = [annual_report_source_key(report, "")]
    return list(
        Invoice.objects.visible_to(user)
        .filter(source_key__startswith=keys[0], region=report.region)
        .select_related("recipient")
        .order_by("recipient__name")
    )

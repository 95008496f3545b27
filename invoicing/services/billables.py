"""Invoicing the lines another app registered as billable (``regio.line_sources``: ``billable``), e.g. the access
fees of beschermd wonen (WM-DVO annex 1: "De facturering wordt gedaan per lopende indicatie beschermd wonen voor de
gemeenten Stein en Beek"). Invoicing never imports that app: it asks the registry."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from invoicing.models import Invoice
from invoicing.services.drafts import _require_issuer_staff, add_line, create_draft
from regio.line_sources import billable_lines, line_source_label


def invoice_billables(*, user, region, source_type: str, year: int) -> list[Invoice]:
    """One draft invoice per recipient with the source's billable lines of ``year`` (WM-SO 6.7: the coordinating
    municipality invoices the members). A line whose record is already on that invoice is not added again; an
    issued invoice is left as it is (a later change goes on a new invoice or a credit note)."""
    issuer = _require_issuer_staff(user, region)
    lines = billable_lines(source_type, region=region, year=year)
    invoices = []
    with transaction.atomic():
        by_recipient: dict[int, list] = {}
        for line in lines:
            if line.recipient.pk != issuer.pk and line.quantity and line.unit_price:
                by_recipient.setdefault(line.recipient.pk, []).append(line)
        for recipient_lines in by_recipient.values():
            recipient = recipient_lines[0].recipient
            key = f"{source_type}:{region.pk}:{year}:{recipient.code}"
            invoice = Invoice.objects.unrestricted("the issuer's own invoice").filter(
                issuer=issuer, source_key=key
            ).first() or create_draft(
                user=user,
                region=region,
                recipient=recipient,
                subject=f"{line_source_label(source_type)} {year}".capitalize(),
                period_start=date(year, 1, 1),
                period_end=date(year, 12, 31),
                source_key=key,
            )
            if invoice.is_draft:
                lines_of_draft = invoice.lines.unrestricted("the lines of the draft being filled")
                billed = set(lines_of_draft.filter(source_type=source_type).values_list("source_id", flat=True))
                for line in recipient_lines:
                    if line.source_id not in billed:
                        add_line(
                            user=user,
                            invoice=invoice,
                            description=line.description,
                            quantity=line.quantity,
                            unit_price=line.unit_price,
                            unit=line.unit,
                            vat_rate="21",
                            source_type=source_type,
                            source_id=line.source_id,
                        )
            invoices.append(invoice)
    return invoices


__all__ = ["invoice_billables"]

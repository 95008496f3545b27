"""The invoice-line sources invoicing itself writes or offers: a credited line (its credit note points at the
original line), a provider's pass-through cost and a hand-made line. Registered in ``InvoicingConfig.ready`` with
``regio.line_sources``; other apps register theirs (cost sharing the reckoning line, beschermd wonen its fee)."""

from __future__ import annotations

from django.urls import reverse

from invoicing.models import Invoice, InvoiceLine, SourceType
from regio.line_sources import Link, register_issued_lookup, register_line_source


def credited_line_links(user, source_ids: list[str]) -> dict[str, Link]:
    """The invoice of each credited line the user may see, in one query."""
    pks = [int(i) for i in source_ids if i.isdigit()]
    rows = (
        InvoiceLine.objects.visible_to(user)
        .filter(pk__in=pks, invoice__in=Invoice.objects.visible_to(user))
        .values_list("pk", "invoice_id", "invoice__number", "description")
    )
    return {
        str(pk): Link(
            url=reverse("invoice-detail", args=[invoice_id]),
            text=f"{number}: {description}" if number else description,
        )
        for pk, invoice_id, number, description in rows
    }


def issued_source_ids(code: str, source_ids: list[str]) -> set[str]:
    """Which records of a source are on an issued (not draft) invoice, one query: the owning app freezes them
    (``regio.line_sources.issued_source_ids``). A credit note does not unfreeze: the record was billed."""
    from invoicing.models import InvoiceStatus

    rows = (
        InvoiceLine.objects.unrestricted("which records are billed: ids only, for the owner's frozen guard")
        .filter(source_type=code, source_id__in=source_ids)
        .exclude(invoice__status=InvoiceStatus.DRAFT)
        .values_list("source_id", flat=True)
    )
    return set(rows)


def register() -> None:
    register_issued_lookup(issued_source_ids)
    register_line_source(SourceType.CREDIT, SourceType.CREDIT.label, links=credited_line_links, order=40)
    # No record to link to yet: the providers' contracts will register their own source with a link.
    register_line_source(SourceType.PASS_THROUGH, SourceType.PASS_THROUGH.label, manual=True, order=30)
    register_line_source(SourceType.MANUAL, SourceType.MANUAL.label, manual=True, order=90)

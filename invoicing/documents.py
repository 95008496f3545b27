"""PDFs of invoices, reminder letters and interest claims (WeasyPrint), in a clean Dutch layout.

Amounts via ``regio.formatting.format_amount`` (€ 1.234,56) and dates as 22-11-2026 (the |bedrag and |datum filters).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from invoicing.models import DocumentKind, Invoice, InvoiceDocument

TEMPLATES = {
    DocumentKind.INVOICE: "invoicing/pdf/invoice.html",
    DocumentKind.REMINDER: "invoicing/pdf/reminder.html",
    DocumentKind.INTEREST_CLAIM: "invoicing/pdf/interest_claim.html",
}


def context_for(invoice: Invoice, document: InvoiceDocument | None = None) -> dict:
    from invoicing.services import interest_on_invoice, settlement

    lines = list(invoice.lines.unrestricted().order_by("position", "pk"))
    letter_date = (document.letter_date if document else None) or timezone.localdate()
    letter = bool(document and document.kind != "invoice")
    collection_cost = invoice.collection_cost_record() if letter else None
    return {
        "invoice": invoice,
        "lines": lines,
        "breakdown": invoice.vat_breakdown(lines),
        "issuer": invoice.issuer_details,
        "recipient": invoice.recipient_details,
        "document": document,
        "letter_date": letter_date,
        "interest": interest_on_invoice(invoice, until=letter_date)
        if document and document.kind != "invoice"
        else None,
        "outstanding": invoice.outstanding(),
        # The interest claim shows the collection costs and what the payments settled (art. 6:44 BW).
        "collection_cost": collection_cost,
        "settlement": settlement(invoice, until=letter_date)
        if document and document.kind == "interest_claim" and not invoice.is_credit_note
        else None,
    }


def render_html(invoice: Invoice, kind: str = DocumentKind.INVOICE, document: InvoiceDocument | None = None) -> str:
    return render_to_string(TEMPLATES[kind], context_for(invoice, document))


_font_config = None


def render_pdf(html: str) -> bytes:
    """HTML to PDF. One FontConfiguration per worker process (our templates load no web fonts), which saves the font
    set-up on every document (bench/invoices.py: about 10 %)."""
    global _font_config
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    if _font_config is None:
        _font_config = FontConfiguration()
    return HTML(string=html, base_url=None).write_pdf(font_config=_font_config)

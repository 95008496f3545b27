"""Excel export of invoices (openpyxl): one row per invoice, amounts as numbers in euro format, dates as dd-mm-jjjj."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

HEADERS = [
    "Factuurnummer",
    "Factuurdatum",
    "Van",
    "Aan (CBS-code)",
    "Aan",
    "Omschrijving",
    "Leveringsperiode vanaf",
    "Leveringsperiode tot en met",
    "Totaal excl. btw",
    "Btw",
    "Totaal incl. btw",
    "Betaald",
    "Status",
    "Uiterste betaaldatum",
    "Creditfactuur voor",
    "Soort",
    "Uitbetaald",
    "Incassokosten",
    "Incassokosten per",
]
EURO = '"€" #,##0.00;"€" -#,##0.00'
DATE = "dd-mm-yyyy"


def workbook(invoices) -> bytes:
    """One row per invoice or credit note. A credit note keeps its negative totals (so a column sums to what the
    members owe); refunds show what was paid out, overdue invoices their collection costs."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Facturen"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for inv in invoices:
        costs = inv.collection_cost_record()
        sheet.append(
            [
                inv.number,
                inv.invoice_date,
                inv.issuer.name,
                inv.recipient.code,
                inv.recipient.name,
                inv.subject,
                inv.period_start,
                inv.period_end,
                inv.total_excl,
                inv.total_vat,
                inv.total_incl,
                inv.paid_amount(),
                inv.get_status_display(),
                inv.due_on,
                inv.credit_for.number if inv.credit_for_id else "",
                inv.get_document_type_display(),
                inv.paid_out_amount() if inv.is_refund else None,
                costs.amount if costs else None,
                costs.incurred_on if costs else None,
            ]
        )
        row = sheet.max_row
        for col in (2, 7, 8, 14, 19):
            sheet.cell(row=row, column=col).number_format = DATE
        for col in (9, 10, 11, 12, 17, 18):
            sheet.cell(row=row, column=col).number_format = EURO
    for column, width in zip(
        "ABCDEFGHIJKLMNOPQRS",
        (14, 12, 24, 10, 24, 40, 12, 12, 16, 14, 16, 16, 14, 12, 14, 14, 14, 14, 12),
        strict=True,
    ):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

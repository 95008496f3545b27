"""The rules of invoicing (SPEC §6.6, WM-SO 6.7-6.9), one module per topic: drafts, lines, issuing with an unbroken
number, credit invoices, payments, overdue marks, reminders and statutory interest.

Keyword-only functions, the acting user first (STYLE.md rule 1). Writes lock first and re-check the user's scope
inside the transaction (rule 2, 5); side effects (PDF render, e-mail) start on commit (rule 10). Callers import
this package (``from invoicing import services``), which re-exports every module's names.

- ``mandates``: the invoicing mandate and the agreement's terms; ``drafts``: drafts and lines;
- ``issuing``: issuing, credit invoices; ``payments``: payments, payouts, overpayments, offsetting;
- ``settlement``: statutory interest, what is outstanding; ``overdue``: reminders, interest, collection costs;
- ``reckoning``: invoicing a reckoning; ``annual_report``: invoicing BNO's adopted annual report;
- ``_common``: the errors and constants.
"""

from invoicing.services._common import REMINDER_TERM_DAYS, ZERO, InvoiceIsIssued, InvoicingError
from invoicing.services.annual_report import (
    AnnualReportInvoicing,
    annual_report_invoices,
    annual_report_source_key,
    invoice_annual_report,
)
from invoicing.services.billables import invoice_billables
from invoicing.services.cycle import CycleInvoicing, invoice_cycle
from invoicing.services.drafts import (
    LINE_FIELDS,
    _check_line,
    _is_issuer_staff,
    _locked_draft,
    _require_issuer_staff,
    _store_totals,
    add_line,
    create_draft,
    invoicing_regions,
    new_draft,
    remove_line,
    update_line,
)
from invoicing.services.issuing import _next_number, _render_later, credit, delete_draft, issue
from invoicing.services.mandates import MandateCheck, agreement_terms, check_invoicing_mandate
from invoicing.services.overdue import (
    claim_interest,
    interest_on_invoice,
    mark_overdue_and_remind,
    record_collection_costs,
    retry_document,
    suggested_collection_costs,
)
from invoicing.services.payments import (
    STATEMENT_REASON,
    _check_money,
    _check_money_date,
    _settle_status,
    offset,
    offsettable_invoices,
    open_amount,
    refund_overpayment,
    register_overpayment,
    register_payment,
    register_payout,
    to_refund,
)
from invoicing.services.reckoning import ReckoningInvoicing, _refund_reference, invoice_reckoning
from invoicing.services.settlement import (
    Settlement,
    _interest_start_applies,
    rate_table,
    settlement,
    statutory_interest,
)

__all__ = [
    "AnnualReportInvoicing",
    "annual_report_invoices",
    "annual_report_source_key",
    "invoice_annual_report",
    "invoice_billables",
    "InvoiceIsIssued",
    "InvoicingError",
    "LINE_FIELDS",
    "MandateCheck",
    "REMINDER_TERM_DAYS",
    "ReckoningInvoicing",
    "STATEMENT_REASON",
    "Settlement",
    "ZERO",
    "_check_line",
    "_check_money",
    "_check_money_date",
    "_interest_start_applies",
    "_is_issuer_staff",
    "_locked_draft",
    "_next_number",
    "_refund_reference",
    "_render_later",
    "_require_issuer_staff",
    "_settle_status",
    "_store_totals",
    "CycleInvoicing",
    "add_line",
    "invoice_cycle",
    "agreement_terms",
    "check_invoicing_mandate",
    "claim_interest",
    "create_draft",
    "credit",
    "delete_draft",
    "interest_on_invoice",
    "invoice_reckoning",
    "invoicing_regions",
    "issue",
    "mark_overdue_and_remind",
    "new_draft",
    "offset",
    "offsettable_invoices",
    "open_amount",
    "rate_table",
    "record_collection_costs",
    "refund_overpayment",
    "register_overpayment",
    "register_payment",
    "register_payout",
    "remove_line",
    "retry_document",
    "settlement",
    "statutory_interest",
    "suggested_collection_costs",
    "to_refund",
    "update_line",
]

# The leaver's bill and secondment credits (issue #12, part C: WM-SO 16.3-16.6, BNO 15.4, WM-SO 4.10).
from invoicing.services.exit_bill import (  # noqa: E402
    SecondmentInvoicing,
    exit_invoice,
    invoice_exit_statement,
    invoice_secondments,
)

__all__ += ["SecondmentInvoicing", "exit_invoice", "invoice_exit_statement", "invoice_secondments"]

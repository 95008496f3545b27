"""Pages of invoicing (issue #6): invoices with lines, VAT, payments and interest; issuing, credit, payments,
PDF and e-invoice downloads, bank statements. Every queryset is restricted (regio.tenancy); another municipality's
invoice answers 404, a missing permission 403 (STYLE.md rule 5)."""

from invoicing.views.annual_report import AnnualReportInvoiceView
from invoicing.views.cycle import InvoiceCycleView
from invoicing.views.drafts import (
    InvoiceCreateView,
    InvoiceDeleteView,
    InvoiceLineCreateView,
    InvoiceLineDeleteView,
    InvoiceLineUpdateView,
)
from invoicing.views.invoices import (
    InvoiceCreditView,
    InvoiceDetailView,
    InvoiceDocumentView,
    InvoiceExportView,
    InvoiceIssueView,
    InvoiceListView,
    InvoiceUblView,
)
from invoicing.views.payments import (
    CollectionCostView,
    InterestClaimView,
    OffsetView,
    OverpaymentCreateView,
    OverpaymentRefundView,
    PaymentCreateView,
    PayoutCreateView,
)
from invoicing.views.reckoning import ReckoningInvoiceView
from invoicing.views.statements import StatementDetailView, StatementListView

__all__ = [
    "AnnualReportInvoiceView",
    "CollectionCostView",
    "InterestClaimView",
    "InvoiceCreateView",
    "InvoiceCreditView",
    "InvoiceDeleteView",
    "InvoiceDetailView",
    "InvoiceDocumentView",
    "InvoiceExportView",
    "InvoiceIssueView",
    "InvoiceLineCreateView",
    "InvoiceLineDeleteView",
    "InvoiceLineUpdateView",
    "InvoiceListView",
    "InvoiceUblView",
    "OffsetView",
    "OverpaymentCreateView",
    "OverpaymentRefundView",
    "PaymentCreateView",
    "PayoutCreateView",
    "ReckoningInvoiceView",
    "StatementDetailView",
    "StatementListView",
    "InvoiceCycleView",
]

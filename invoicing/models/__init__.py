"""Invoices and payments (issue #6): statutory interest rates, invoicing details, invoices with their lines,
documents (PDF), payments and bank statements.

An issued invoice never changes (Wet OB 1968 art. 35a asks a unique sequential number, dates, parties, VAT; SPEC §6.6):
the model refuses it in ``save``/``delete``, the querysets refuse bulk ``update``/``delete``, and on PostgreSQL a
trigger refuses it (migrations 0003 and 0008). Corrections are credit invoices (``credit_for``). Only the payment
status (forward, see ``NEXT_STATUS``) and the overdue / reminded / interest-claimed marks move after issue
(WM-SO 6.9). A settled bank statement and the payments it booked are written once (see "A settled statement" below).
"""

from invoicing.models.collection import CollectionCost
from invoicing.models.documents import DocumentKind, DocumentStatus, InvoiceDocument
from invoicing.models.interest import INTEREST_KIND_HELP, InterestKind, StatutoryInterestRate
from invoicing.models.invoices import (
    MUTABLE_AFTER_ISSUE,
    NEXT_STATUS,
    STATUS_MESSAGE,
    UNIT_CODE,
    VAT_CATEGORY,
    VAT_ORDER,
    VAT_PERCENT,
    ZERO,
    DocumentType,
    Invoice,
    InvoiceImmutableError,
    InvoiceQuerySet,
    InvoiceStatus,
    SourceType,
    Unit,
    VatRate,
    invoice_scope_q,
)
from invoicing.models.lines import InvoiceCounter, InvoiceLine, InvoiceLineQuerySet
from invoicing.models.payments import Booking, Overpayment, Payment, Payout
from invoicing.models.profiles import InvoicingProfile, kvk_validator, oin_validator
from invoicing.models.statements import (
    BOOKING_MESSAGE,
    LINE_MESSAGE,
    LINE_MUTABLE,
    SETTLED_LINE,
    STATEMENT_MESSAGE,
    BankStatement,
    BankStatementLine,
    BookingQuerySet,
    Direction,
    LineStatus,
    StatementFormat,
    StatementLineQuerySet,
    WrittenOnce,
    WrittenOnceQuerySet,
)

__all__ = [
    "BOOKING_MESSAGE",
    "BankStatement",
    "BankStatementLine",
    "Booking",
    "BookingQuerySet",
    "CollectionCost",
    "Direction",
    "DocumentKind",
    "DocumentStatus",
    "DocumentType",
    "INTEREST_KIND_HELP",
    "InterestKind",
    "Invoice",
    "InvoiceCounter",
    "InvoiceDocument",
    "InvoiceImmutableError",
    "InvoiceLine",
    "InvoiceLineQuerySet",
    "InvoiceQuerySet",
    "InvoiceStatus",
    "InvoicingProfile",
    "LINE_MESSAGE",
    "LINE_MUTABLE",
    "LineStatus",
    "MUTABLE_AFTER_ISSUE",
    "NEXT_STATUS",
    "Overpayment",
    "Payment",
    "Payout",
    "SETTLED_LINE",
    "STATEMENT_MESSAGE",
    "STATUS_MESSAGE",
    "SourceType",
    "StatementFormat",
    "StatementLineQuerySet",
    "StatutoryInterestRate",
    "UNIT_CODE",
    "Unit",
    "VAT_CATEGORY",
    "VAT_ORDER",
    "VAT_PERCENT",
    "VatRate",
    "WrittenOnce",
    "WrittenOnceQuerySet",
    "ZERO",
    "invoice_scope_q",
    "kvk_validator",
    "oin_validator",
]

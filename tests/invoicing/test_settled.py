"""Frozen means frozen for invoices and settled statements (issue 10, "what to build"; STYLE.md rule 8), in the model
and on the queryset; the PostgreSQL triggers are tried with raw SQL in test_postgres.py. States are reached through the
services only (issue, register_payment, import_statement, resolve_line).

A settled statement: a bank statement is settled once its import commits; its record, its entries' bank data and the
payments and payouts it booked never change, and an entry moves once from "needs a person" to settled.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from invoicing import services, statements
from invoicing.models import (
    BankStatement,
    BankStatementLine,
    Invoice,
    InvoiceImmutableError,
    InvoiceStatus,
    Payment,
)
from tests.invoicing.helpers import coordinator, draft, issued
from tests.invoicing.test_payments import camt

D = Decimal
pytestmark = pytest.mark.django_db


def status_of(invoice) -> str:
    return Invoice.objects.unrestricted().get(pk=invoice.pk).status


def paid(world):
    invoice = issued(world, on=date(2025, 12, 10))
    services.register_payment(
        user=coordinator(world), invoice=invoice, amount=invoice.total_incl, paid_on=date(2026, 1, 2)
    )
    return Invoice.objects.unrestricted().get(pk=invoice.pk)


def test_no_bulk_status_change_of_invoices_not_even_back_to_draft(world):
    """Before: ``update(status="draft")`` on an issued invoice passed the queryset guard (status was "mutable")."""
    invoice = issued(world)
    with pytest.raises(InvoiceImmutableError, match="nooit terug naar concept"):
        Invoice.objects.unrestricted().filter(pk=invoice.pk).update(status=InvoiceStatus.DRAFT)
    other = draft(world, subject="Nog een concept")
    with pytest.raises(InvoiceImmutableError):  # issuing numbers an invoice: never in bulk
        Invoice.objects.unrestricted().filter(pk=other.pk).update(status=InvoiceStatus.ISSUED)
    assert (status_of(invoice), status_of(other)) == ("issued", "draft")


def test_a_paid_invoice_never_goes_back_to_issued_or_draft(world):
    invoice = paid(world)
    assert invoice.status == "paid"
    for status in (InvoiceStatus.ISSUED, InvoiceStatus.DRAFT, InvoiceStatus.PAID_OUT):
        fresh = Invoice.objects.unrestricted().get(pk=invoice.pk)
        fresh.status = status
        with pytest.raises(InvoiceImmutableError):
            fresh.save(update_fields=["status", "updated_at"])
    assert status_of(invoice) == "paid"


def test_an_invoice_is_born_a_draft(world):
    template = draft(world)
    born_issued = Invoice.objects.unrestricted().get(pk=template.pk)
    born_issued.pk = None
    born_issued._state.adding = True
    born_issued.status = InvoiceStatus.ISSUED
    with pytest.raises(InvoiceImmutableError):
        born_issued.save()
    with pytest.raises(InvoiceImmutableError):
        Invoice.objects.unrestricted().bulk_create([born_issued])
    assert Invoice.objects.unrestricted().count() == 1


@pytest.fixture
def imported(world):
    """One statement: an entry matched to invoice 2025-0001 (a payment booked) and one nobody recognises."""
    invoice = issued(world, on=date(2025, 12, 10))
    data = camt(
        [
            ("1000.00", "CRDT", "2026-01-05", f"Factuur {invoice.number} deelbetaling"),
            ("25.00", "CRDT", "2026-01-06", "Onbekende storting"),
        ]
    )
    result = statements.import_statement(user=coordinator(world), municipality=world.a1, filename="jan.xml", data=data)
    lines = list(BankStatementLine.objects.unrestricted().order_by("position"))
    assert [line.status for line in lines] == ["matched", "unmatched"]
    return result.statement, lines


def test_an_imported_statement_is_never_changed_or_deleted(imported):
    statement, _lines = imported
    statement.filename = "anders.xml"
    with pytest.raises(ValidationError, match="ingelezen bankafschrift"):
        statement.save()
    with pytest.raises(ValidationError, match="ingelezen bankafschrift"):
        statement.delete()
    with pytest.raises(ValidationError, match="ingelezen bankafschrift"):
        BankStatement.objects.unrestricted().filter(pk=statement.pk).update(filename="anders.xml")
    with pytest.raises(ValidationError, match="ingelezen bankafschrift"):
        BankStatement.objects.unrestricted().filter(pk=statement.pk).delete()
    assert BankStatement.objects.unrestricted().get().filename == "jan.xml"


def test_a_settled_entry_never_changes_and_bank_data_never_do(world, imported):
    _statement, (matched, unmatched) = imported
    matched.status = "unmatched"
    with pytest.raises(ValidationError, match="verwerkte afschriftregel"):
        matched.save(update_fields=["status"])
    fresh = BankStatementLine.objects.unrestricted().get(pk=unmatched.pk)
    fresh.amount = D("2500.00")
    with pytest.raises(ValidationError, match="verwerkte afschriftregel"):
        fresh.save()
    for queryset in (
        BankStatementLine.objects.unrestricted().filter(pk=unmatched.pk),
        BankStatementLine.objects.unrestricted().filter(pk=matched.pk),
    ):
        with pytest.raises(ValidationError):
            queryset.update(status="ignored")
        with pytest.raises(ValidationError):
            queryset.delete()
    with pytest.raises(ValidationError):
        matched.delete()
    # The way forward: a person settles the entry (here: not an invoice payment), once.
    done = statements.resolve_line(user=coordinator(world), line=unmatched, invoice=None, ignore=True)
    assert done.status == "ignored"
    done.status = "unmatched"
    with pytest.raises(ValidationError, match="verwerkte afschriftregel"):
        done.save()
    assert list(BankStatementLine.objects.unrestricted().order_by("position").values_list("status", "amount")) == [
        ("matched", D("1000.00")),
        ("ignored", D("25.00")),
    ]


def test_a_booked_payment_is_never_changed_or_deleted(world, imported):
    payment = Payment.objects.unrestricted().get()
    payment.amount = D("1.00")
    with pytest.raises(ValidationError, match="geboekte betaling"):
        payment.save()
    with pytest.raises(ValidationError, match="geboekte betaling"):
        payment.delete()
    with pytest.raises(ValidationError, match="geboekte betaling"):
        Payment.objects.unrestricted().filter(pk=payment.pk).update(amount=D("1.00"))
    with pytest.raises(ValidationError, match="geboekte betaling"), transaction.atomic():
        Payment.objects.unrestricted().all().delete()
    assert Payment.objects.unrestricted().get().amount == D("1000.00")

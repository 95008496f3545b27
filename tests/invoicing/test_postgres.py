"""Reliability on PostgreSQL (issue #6): concurrent issuing gives an unbroken sequence, one number per draft, and an
issued invoice refuses change through the ORM, queryset update and raw SQL (the trigger of migration 0003). Issue 10:
an invoice's status moves forward only and a settled statement with its bookings never changes, also in raw SQL
(migration 0008_settled_records_forward_only)."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, close_old_connections, connection, connections, transaction

from invoicing import services
from invoicing.models import Invoice, InvoiceImmutableError, InvoiceLine
from tests.invoicing.helpers import coordinator, draft, issued

D = Decimal
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_at_once(targets):
    """Start all targets together (a barrier), each in its own thread with its own database connection."""
    barrier = threading.Barrier(len(targets))
    results: list = [None] * len(targets)

    def wrap(index, target):
        try:
            barrier.wait(timeout=30)
            results[index] = target()
        except Exception as exc:  # collected for the assertions
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrap, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_twenty_threads_issuing_twenty_drafts_get_twenty_consecutive_numbers(world):
    user = coordinator(world)
    drafts = [draft(world, subject=f"Factuur {i}") for i in range(20)]
    close_old_connections()

    def issuer(pk):
        return lambda: services.issue(user=user, invoice=Invoice(pk=pk), on=date(2025, 12, 15)).number

    results = run_at_once([issuer(d.pk) for d in drafts])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(results) == [f"2025-{n:04d}" for n in range(1, 21)]
    numbers = list(Invoice.objects.unrestricted().order_by("sequence").values_list("sequence", flat=True))
    assert numbers == list(range(1, 21))


def test_the_same_draft_issued_twice_at_once_gets_one_number(world):
    user = coordinator(world)
    invoice = draft(world)

    def attempt():
        return services.issue(user=user, invoice=Invoice(pk=invoice.pk), on=date(2025, 12, 15)).number

    results = run_at_once([attempt, attempt])
    numbers = [r for r in results if isinstance(r, str)]
    errors = [r for r in results if isinstance(r, Exception)]
    assert numbers == ["2025-0001"], results
    assert len(errors) == 1 and isinstance(errors[0], services.InvoicingError)
    assert Invoice.objects.unrestricted().exclude(number="").count() == 1


def test_a_failed_issue_leaves_no_gap(world):
    user = coordinator(world)
    first = draft(world)
    empty = services.create_draft(
        user=user,
        region=world.a,
        recipient=world.a2,
        subject="leeg",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
    )
    with pytest.raises(services.InvoicingError):
        services.issue(user=user, invoice=empty, on=date(2025, 12, 15))
    assert services.issue(user=user, invoice=first, on=date(2025, 12, 15)).number == "2025-0001"


def test_issued_invoice_refuses_change_through_orm_queryset_and_raw_sql(world):
    invoice = issued(world)
    invoice.subject = "Anders"
    with pytest.raises(InvoiceImmutableError):
        invoice.save()
    with pytest.raises(InvoiceImmutableError):
        Invoice.objects.unrestricted().filter(pk=invoice.pk).update(subject="Anders")
    # Past the ORM: the trigger refuses (SQLSTATE 23001 → IntegrityError).
    for sql in (
        "UPDATE invoicing_invoice SET total_incl = 1 WHERE id = %s",
        "UPDATE invoicing_invoice SET number = '2025-9999' WHERE id = %s",
        "UPDATE invoicing_invoice SET status = 'draft' WHERE id = %s",
        "DELETE FROM invoicing_invoice WHERE id = %s",
        "UPDATE invoicing_invoiceline SET unit_price = 1 WHERE invoice_id = %s",
        "DELETE FROM invoicing_invoiceline WHERE invoice_id = %s",
        "INSERT INTO invoicing_invoiceline (invoice_id, position, description, quantity, unit, unit_price, vat_rate, "
        "total_excl, source_type, source_id) VALUES (%s, 9, 'x', 1, 'stuk', 1, '21', 1, 'manual', '')",
    ):
        with pytest.raises(IntegrityError, match="verzonden"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [invoice.pk])
    fresh = Invoice.objects.unrestricted().get(pk=invoice.pk)
    assert (fresh.subject, fresh.number, fresh.total_incl) == (
        "Uitvoeringskosten Wmo 2025",
        invoice.number,
        invoice.total_incl,
    )
    assert InvoiceLine.objects.unrestricted().filter(invoice=invoice).count() == 2
    # The marks of WM-SO 6.9 and the payment status still move, also in raw SQL.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE invoicing_invoice SET overdue_on = '2026-01-10', status = 'partly_paid' WHERE id = %s",
            [invoice.pk],
        )
    assert Invoice.objects.unrestricted().get(pk=invoice.pk).status == "partly_paid"


def test_drafts_stay_changeable_in_raw_sql(world):
    invoice = draft(world)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE invoicing_invoice SET subject = 'Nieuw' WHERE id = %s", [invoice.pk])
        cursor.execute("DELETE FROM invoicing_invoiceline WHERE invoice_id = %s", [invoice.pk])
    assert Invoice.objects.unrestricted().get(pk=invoice.pk).subject == "Nieuw"


def test_invoicing_a_reckoning_twice_at_once_makes_one_set(world):
    from costsharing.models import Reckoning
    from tests.invoicing.test_reckoning import approved_reckoning

    reckoning, _ = approved_reckoning(world)
    user = coordinator(world)

    def attempt():
        return services.invoice_reckoning(
            user=user, reckoning=Reckoning.objects.unrestricted().get(pk=reckoning.pk), on=date(2025, 12, 15)
        ).created

    results = run_at_once([attempt, attempt])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(results) == [0, 2]
    assert sorted(Invoice.objects.unrestricted().values_list("number", flat=True)) == ["2025-0001", "2025-0002"]


# --- Frozen means frozen past the ORM (issue 10; migration 0008_settled_records_forward_only) -------------------


def refused(sql: str, params, match: str) -> None:
    with pytest.raises(IntegrityError, match=match), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_raw_sql_moves_an_invoice_forward_only(world):
    """Before: 0003 refused only "back to draft"; a paid invoice could be set back to issued, and an invoice could be
    inserted as issued (skipping the numbering)."""
    invoice = issued(world)
    services.register_payment(
        user=coordinator(world), invoice=invoice, amount=invoice.total_incl, paid_on=date(2026, 1, 2)
    )
    assert Invoice.objects.unrestricted().get(pk=invoice.pk).status == "paid"
    for status in ("issued", "draft", "paid_out"):
        refused("UPDATE invoicing_invoice SET status = %s WHERE id = %s", [status, invoice.pk], "verandert niet meer")
    refused(
        "INSERT INTO invoicing_invoice SELECT (jsonb_populate_record(NULL::invoicing_invoice, to_jsonb(i) || "
        "jsonb_build_object('id', i.id + 1000, 'number', '2025-9999', 'sequence', 9999, 'source_key', ''))).* "
        "FROM invoicing_invoice i WHERE id = %s",
        [invoice.pk],
        "begint als concept",
    )
    assert list(Invoice.objects.unrestricted().values_list("status", flat=True)) == ["paid"]


def test_raw_sql_cannot_touch_a_settled_statement_or_its_bookings(world):
    """A statement is settled once its import commits: its record, its entries' bank data and the payments it booked
    never change; nothing is added to it later; an entry moves once from needing a person to settled."""
    from invoicing import statements
    from invoicing.models import BankStatement, BankStatementLine, Payment
    from tests.invoicing.test_payments import camt

    invoice = issued(world)
    data = camt(
        [
            ("1000.00", "CRDT", "2026-01-05", f"Factuur {invoice.number} deelbetaling"),
            ("25.00", "CRDT", "2026-01-06", "Onbekende storting"),
        ]
    )
    # The import itself (its own transaction, the statement written in a savepoint) adds its entries.
    statement = statements.import_statement(
        user=coordinator(world), municipality=world.a1, filename="jan.xml", data=data
    ).statement
    matched, unmatched = BankStatementLine.objects.unrestricted().order_by("position")
    payment = Payment.objects.unrestricted().get()
    for sql, params, match in (
        ("UPDATE invoicing_bankstatement SET filename = 'x.xml' WHERE id = %s", [statement.pk], "ingelezen"),
        ("DELETE FROM invoicing_bankstatement WHERE id = %s", [statement.pk], "ingelezen"),
        (
            "INSERT INTO invoicing_bankstatementline SELECT (jsonb_populate_record(NULL::invoicing_bankstatementline, "
            "to_jsonb(l) || jsonb_build_object('id', l.id + 1000, 'fingerprint', 'nieuw', 'position', 99))).* "
            "FROM invoicing_bankstatementline l WHERE id = %s",
            [unmatched.pk],
            "al ingelezen",
        ),
        ("UPDATE invoicing_bankstatementline SET amount = 2500 WHERE id = %s", [unmatched.pk], "verwerkte"),
        ("UPDATE invoicing_bankstatementline SET status = 'unmatched' WHERE id = %s", [matched.pk], "verwerkte"),
        ("UPDATE invoicing_bankstatementline SET note = 'x' WHERE id = %s", [matched.pk], "verwerkte"),
        ("DELETE FROM invoicing_bankstatementline WHERE id = %s", [unmatched.pk], "ingelezen"),
        ("UPDATE invoicing_payment SET amount = 1 WHERE id = %s", [payment.pk], "geboekte betaling"),
        ("DELETE FROM invoicing_payment WHERE id = %s", [payment.pk], "geboekte betaling"),
    ):
        refused(sql, params, match)
    assert BankStatement.objects.unrestricted().get().filename == "jan.xml"
    assert list(BankStatementLine.objects.unrestricted().order_by("position").values_list("status", "amount")) == [
        ("matched", D("1000.00")),
        ("unmatched", D("25.00")),
    ]
    assert Payment.objects.unrestricted().get().amount == D("1000.00")
    # Forward is allowed, also in raw SQL: the open entry settled once; then it is frozen too.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE invoicing_bankstatementline SET status = 'ignored', note = 'rente' WHERE id = %s", [unmatched.pk]
        )
    refused("UPDATE invoicing_bankstatementline SET status = 'unmatched' WHERE id = %s", [unmatched.pk], "verwerkte")
    # A next statement imports as usual.
    later = camt([("5.00", "CRDT", "2026-02-02", "Nog een storting")], stmt_id="STMT-2026-002")
    statements.import_statement(user=coordinator(world), municipality=world.a1, filename="feb.xml", data=later)
    assert BankStatementLine.objects.unrestricted().count() == 3

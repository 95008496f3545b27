"""Matrix cases of invoicing (issue #6): invoices, their actions and downloads, bank statements.

The recipient (a2) sees issued invoices addressed to it; the issuer's coordinating staff (a1 coordinator) see and act
on those it issued; region B's coordinator (b1) gets 404 everywhere and a list without them.
"""

from __future__ import annotations

from datetime import date

from invoicing import statements
from invoicing.models import (
    BankStatementLine,
    CollectionCost,
    Invoice,
    InvoiceDocument,
    InvoiceLine,
    Overpayment,
    Payment,
    Payout,
)
from tests.invoicing.helpers import coordinator, draft, grant_invoicing_mandate, issued, overdue, profile, refund
from tests.tenancy.matrix import Case

# Computation only: POST /api/v1/interest/statutory/ reads and writes no tenant data, so there is no other tenant to
# hide anything from; it refuses anonymous requests (tests/invoicing/test_api.py::test_interest_api_refuses_anonymous).

SUBJECT = "Uitvoeringskosten Wmo regio A 2025"
CSV = (
    b"datum;bedrag;omschrijving;naam\n"
    b"2026-01-05;100,00;Betaling factuur 2025-0001;Gemeente Beek\n"
    b"2026-01-06;12,34;Onbekende storting regio A;Iemand\n"
)


def _draft(world):
    return {"pk": draft(world, subject=SUBJECT).pk}


def _issued(world):
    return {"pk": issued(world, subject=SUBJECT).pk}


def _nothing_but_an_issued_invoice(world):
    issued(world, subject=SUBJECT)
    return {}


def _statement(world):
    issued(world, subject=SUBJECT)
    result = statements.import_statement(
        user=coordinator(world), municipality=world.a1, filename="afschrift-regio-a.csv", data=CSV
    )
    return {"pk": result.statement.pk}


def _statement_list(world):
    _statement(world)
    return {}


def _reckoning(world):
    from tests.costsharing import reckonings
    from tests.invoicing.helpers import coordinator, grant_invoicing_mandate, profile

    profile(world.a1)
    profile(world.a2)
    grant_invoicing_mandate(world)
    reckoning = reckonings.approved_reckoning(  # through the services, never by setting status
        user=coordinator(world), region=world.a, year=2025, figures={world.a2: ("100.00", "0.00")}
    )
    return {"pk": reckoning.pk}


def _reckoning_state(world, kwargs):
    from costsharing.models import Reckoning

    return (Invoice.objects.unrestricted().count(), Reckoning.objects.unrestricted().get(pk=kwargs["pk"]).status)


def _number(world, kwargs):
    return "2025-0001"


def _subject(world, kwargs):
    return SUBJECT


def _invoice_state(world, kwargs):
    return list(Invoice.objects.unrestricted().order_by("pk").values_list("pk", "status", "number", "subject"))


def _payments(world, kwargs):
    return (
        Payment.objects.unrestricted().count(),
        list(Invoice.objects.unrestricted().values_list("status", "interest_claimed_on")),
    )


def _documents(world, kwargs):
    return list(InvoiceDocument.objects.unrestricted().values_list("pk", "status", "attempts"))


def _lines(world, kwargs):
    return list(BankStatementLine.objects.unrestricted().values_list("pk", "status"))


def _draft_line(world):
    invoice = draft(world, subject=SUBJECT)
    return {"pk": invoice.pk, "line_pk": invoice.lines.unrestricted().order_by("position").first().pk}


def _draft_line_api(world):
    kwargs = _draft_line(world)
    return {"pk": kwargs["pk"], "line_id": kwargs["line_pk"]}


def _line_description(world, kwargs):
    return "Uitvoeringskosten Wmo-inkoop 2025 (aandeel 12 %)"


def _line_state(world, kwargs):
    return (
        _invoice_state(world, kwargs),
        list(InvoiceLine.objects.unrestricted().order_by("pk").values_list("pk", "description", "quantity")),
    )


def _can_invoice(world):
    profile(world.a1)
    profile(world.a2)
    grant_invoicing_mandate(world)
    return {}


def _refund(world):
    return {"pk": refund(world, subject=SUBJECT).pk}


def _refund_and_open_invoice(world):
    note = refund(world, subject=SUBJECT)
    issued(world, subject="Open factuur A-2025", on=date(2025, 12, 20))
    return {"pk": note.pk}


def _payouts(world, kwargs):
    return (Payout.objects.unrestricted().count(), list(Invoice.objects.unrestricted().values_list("status")))


def _overdue(world):
    return {"pk": overdue(world, subject=SUBJECT).pk}


def _collection_costs(world, kwargs):
    return list(CollectionCost.objects.unrestricted().values_list("invoice_id", "amount"))


def _overpaid(world):
    from decimal import Decimal

    from invoicing import services

    invoice = issued(world, subject=SUBJECT)
    _payment, overpayment = services.register_overpayment(
        user=coordinator(world),
        invoice=invoice,
        amount=invoice.total_incl + Decimal("10.00"),
        received_on=date(2026, 1, 5),
        reason="dubbel betaald",
    )
    return {"pk": invoice.pk, "opk": overpayment.pk}


def _overpaid_api(world):
    kwargs = _overpaid(world)
    return {"pk": kwargs["pk"], "overpayment_id": kwargs["opk"]}


def _overpayments(world, kwargs):
    return (
        Payment.objects.unrestricted().count(),
        list(Overpayment.objects.unrestricted().order_by("pk").values_list("pk", "amount", "refunded_on")),
    )


LINE = {
    "description": "Overgenomen",
    "quantity": "1",
    "unit": "stuk",
    "unit_price": "1,00",
    "vat_rate": "21",
    "source_type": "manual",
}
LINE_API = {**LINE, "unit_price": "1.00"}
COORD = ("a1", "coordinator")
# Another ordinary member of region A: an invoice to a2 is not a3's business (member <-> member isolation).
A3 = (("a3", "ambtenaar"),)

CASES = [
    # Pages
    Case("invoice-list", _nothing_but_an_issued_invoice, _number, kind="list", outsiders=A3),
    Case("invoice-export", _nothing_but_an_issued_invoice, lambda w, kw: "Beek (GM0888)", kind="list"),
    Case("invoice-detail", _issued, _number, outsiders=A3),
    Case("invoice-issue", _draft, _subject, insider=COORD, writes=("POST",), snapshot=_invoice_state),
    Case(
        "invoice-credit",
        _issued,
        _number,
        insider=COORD,
        writes=("POST",),
        write_payload={"reason": "overgenomen"},
        snapshot=_invoice_state,
    ),
    Case(
        "invoice-payment",
        _issued,
        _number,
        insider=COORD,
        writes=("POST",),
        write_payload={"amount": "10,00", "paid_on": "2026-01-05"},
        snapshot=_payments,
    ),
    Case("invoice-interest", _issued, _number, insider=COORD, writes=("POST",), snapshot=_payments),
    Case("invoice-pdf", _issued, _number, writes=("POST",), snapshot=_documents, outsiders=A3),
    Case("invoice-ubl", _issued, _number, outsiders=A3),
    Case(
        "reckoning-invoice",
        _reckoning,
        lambda w, kw: "Afrekening Regio A 2025",
        insider=COORD,
        writes=("POST",),
        snapshot=_reckoning_state,
    ),
    # Region B's coordinator may import its own statements: its POST (empty) is refused as invalid, saving nothing.
    Case(
        "statement-list",
        _statement_list,
        lambda w, kw: "afschrift-regio-a.csv",
        kind="list",
        insider=COORD,
        writes=("POST",),
        snapshot=_lines,
        viewer=("a2", "ambtenaar"),
    ),
    Case(
        "statement-detail",
        _statement,
        lambda w, kw: "afschrift-regio-a.csv",
        insider=COORD,
        writes=("POST",),
        write_payload={"line": "0", "ignore": "on"},
        snapshot=_lines,
    ),
    # Drafts and lines by hand: only the issuer's coordinating staff see a draft (the member sees it once issued).
    # Region B's coordinator may make drafts too, but only to region B's members: the page lists none of region A
    # (tests/invoicing/test_drafts.py proves a POST aimed at region A's member saves nothing).
    Case(
        "invoice-create",
        _can_invoice,
        lambda w, kw: "Beek (GM0888)",
        kind="list",
        insider=COORD,
        writes=("POST",),
        write_payload={
            "recipient": "GM0888",
            "subject": "Overgenomen",
            "period_start": "01-01-2025",
            "period_end": "31-12-2025",
        },
        snapshot=_invoice_state,
        viewer=("a2", "ambtenaar"),
    ),
    Case("invoice-delete", _draft, _subject, insider=COORD, writes=("POST",), snapshot=_line_state),
    Case(
        "invoice-line-add",
        _draft,
        _subject,
        insider=COORD,
        writes=("POST",),
        write_payload=LINE,
        snapshot=_line_state,
    ),
    Case(
        "invoice-line-edit",
        _draft_line,
        _line_description,
        insider=COORD,
        writes=("POST",),
        write_payload=LINE,
        snapshot=_line_state,
    ),
    Case(
        "invoice-line-delete",
        _draft_line,
        _line_description,
        insider=COORD,
        writes=("POST",),
        snapshot=_line_state,
    ),
    # A refund credit note and its payouts; collection costs of an overdue invoice.
    Case(
        "invoice-payout",
        _refund,
        _number,
        insider=COORD,
        writes=("POST",),
        write_payload={"amount": "10,00", "paid_on": "2026-01-05"},
        snapshot=_payouts,
    ),
    Case(
        "invoice-offset",
        _refund_and_open_invoice,
        lambda w, kw: "2025-0002",  # the open invoice it can be offset against
        insider=COORD,
        writes=("POST",),
        write_payload={"invoice": "1"},
        snapshot=_payouts,
    ),
    Case(
        "invoice-collection-costs",
        _overdue,
        _number,
        insider=COORD,
        writes=("POST",),
        write_payload={"amount": "40,00", "incurred_on": "2026-01-20"},
        snapshot=_collection_costs,
    ),
    # Overpayments (issue 10, finding 5): registered and refunded by the issuer's coordinating staff only.
    Case(
        "invoice-overpayment",
        _issued,
        _number,
        insider=COORD,
        writes=("POST",),
        write_payload={"amount": "100.000,00", "received_on": "2026-01-05", "reason": "overgenomen"},
        snapshot=_overpayments,
    ),
    Case(
        "invoice-overpayment-refund",
        _overpaid,
        _number,
        insider=COORD,
        writes=("POST",),
        write_payload={"paid_on": "2026-01-06"},
        snapshot=_overpayments,
    ),
    # API
    Case(
        "api:invoice-overpayments",
        _issued,
        _number,
        writes=("POST",),
        write_payload={"amount": "100000.00", "received_on": "2026-01-05", "reason": "overgenomen"},
        snapshot=_overpayments,
    ),
    Case(
        "api:invoice-overpayment-refund",
        _overpaid_api,
        _number,
        writes=("POST",),
        write_payload={"paid_on": "2026-01-06"},
        snapshot=_overpayments,
    ),
    Case(
        "api:invoice-list",
        _nothing_but_an_issued_invoice,
        _number,
        kind="list",
        writes=("POST",),
        write_payload={
            "region": "regio-a",
            "recipient": "GM0888",
            "subject": "Overgenomen",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
        },
        snapshot=_invoice_state,
    ),
    Case(
        "api:invoice-lines",
        _issued,
        lambda w, kw: "Onderhoud PGAX-systeem toezicht",
        writes=("POST",),
        write_payload=LINE_API,
        snapshot=_line_state,
    ),
    Case(
        "api:invoice-line-detail",
        _draft_line_api,
        _line_description,
        insider=COORD,
        writes=("PATCH", "DELETE"),
        write_payload={"description": "Overgenomen"},
        snapshot=_line_state,
    ),
    Case(
        "api:invoice-detail",
        _issued,
        _number,
        outsiders=A3,
    ),
    Case("api:invoice-issue", _draft, _subject, insider=COORD, writes=("POST",), snapshot=_invoice_state),
    Case("api:invoice-pdf", _issued, _number, query="?info=1", outsiders=A3),
    Case("api:invoice-ubl", _issued, _number, outsiders=A3),
    Case(
        "api:invoice-payouts",
        _refund,
        _number,
        insider=COORD,
        writes=("POST",),
        write_payload={"amount": "10.00", "paid_on": "2026-01-05"},
        snapshot=_payouts,
    ),
    Case(
        "api:invoice-offset",
        _refund_and_open_invoice,
        lambda w, kw: "2025-0001",
        insider=COORD,
        writes=("POST",),
        write_payload={"invoice": "2025-0002"},
        snapshot=_payouts,
    ),
    Case(
        "api:invoice-payments",
        _issued,
        _number,
        writes=("POST",),
        write_payload={"amount": "10.00", "paid_on": "2026-01-05"},
        snapshot=_payments,
    ),
]

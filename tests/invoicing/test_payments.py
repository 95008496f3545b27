"""Payments (WM-SO 6.9): by hand, from CAMT.053 / MT940 / CSV statements, matching, idempotent imports, refusal of
malformed files; the daily overdue/reminder job; interest on an overdue invoice."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from invoicing import services, statements
from invoicing.models import BankStatement, BankStatementLine, Invoice, Payment
from invoicing.schedule import BEAT_SCHEDULE
from tests.invoicing.helpers import coordinator, issued

D = Decimal
pytestmark = pytest.mark.django_db


def camt(entries, stmt_id="STMT-2026-001"):
    ntry = "".join(
        f"""<Ntry><NtryRef>{i}</NtryRef><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{ind}</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>{booked}</Dt></BookgDt><ValDt><Dt>{booked}</Dt></ValDt><AcctSvcrRef>REF{i}</AcctSvcrRef>
        <BkTxCd/><NtryDtls><TxDtls><Refs><EndToEndId>E2E{i}</EndToEndId></Refs>
        <RltdPties><Dbtr><Nm>Gemeente Beek</Nm></Dbtr>
        <DbtrAcct><Id><IBAN>NL02ABNA0123456789</IBAN></Id></DbtrAcct></RltdPties>
        <RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"""
        for i, (amount, ind, booked, text) in enumerate(entries, start=1)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-01-31T10:00:00</CreDtTm></GrpHdr>
<Stmt><Id>{stmt_id}</Id><CreDtTm>2026-01-31T10:00:00</CreDtTm><Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></Acct>
{ntry}</Stmt></BkToCstmrStmt></Document>""".encode()


MT940 = b""":20:STARTUMS
:25:NL91ABNA0417164300
:28C:00001/001
:60F:C260101EUR1000,00
:61:2601050105C5000,00NTRFNONREF//B6A05
:86:/TRTP/SEPA OVERBOEKING/IBAN/NL02ABNA0123456789/NAME/Gemeente Beek/REMI/Factuur 2025-0001 deelbetaling/
:62F:C260105EUR6000,00
-
"""


@pytest.fixture
def invoice(world):
    return issued(world, on=date(2025, 12, 10))  # 2025-0001, € 31,279.92


def imp(world, data, name="afschrift.xml", fmt=None):
    return statements.import_statement(
        user=coordinator(world), municipality=world.a1, filename=name, data=data, fmt=fmt
    )


def test_register_payment_by_hand_partial_then_paid(world, invoice):
    services.register_payment(user=coordinator(world), invoice=invoice, amount=D("1000.00"), paid_on=date(2026, 1, 2))
    invoice.refresh_from_db()
    assert invoice.status == "partly_paid" and invoice.outstanding() == D("30279.92")
    services.register_payment(user=coordinator(world), invoice=invoice, amount=D("30279.92"), paid_on=date(2026, 1, 3))
    invoice.refresh_from_db()
    assert invoice.status == "paid"


def test_member_cannot_register_a_payment(world, invoice):
    with pytest.raises(PermissionDenied):
        services.register_payment(user=world.user("a2"), invoice=invoice, amount=D("1.00"), paid_on=date(2026, 1, 2))


def test_payment_page_registers_a_payment(world, invoice):
    client = world.client("a1", "coordinator")
    response = client.post(f"/facturen/{invoice.pk}/betaling/", {"amount": "1.234,56", "paid_on": "05-01-2026"})
    assert response.status_code == 302, response.content.decode().split("error-summary")[-1][:800]
    assert Payment.objects.unrestricted().get().amount == D("1234.56")
    assert world.client("a2").post(f"/facturen/{invoice.pk}/betaling/", {"amount": "1"}).status_code == 403


def test_camt053_matches_on_number_and_amount_and_keeps_the_rest(world, invoice):
    second = issued(world, on=date(2025, 12, 11))  # 2025-0002
    data = camt(
        [
            ("31279.92", "CRDT", "2026-01-05", "Betaling factuur 2025-0001"),
            ("100.00", "CRDT", "2026-01-06", "Factuur 2025-0002 deel"),
            ("50.00", "CRDT", "2026-01-06", "Facturen 2025-0001 en 2025-0002"),
            ("75.00", "CRDT", "2026-01-07", "Geen nummer"),
            ("999999.00", "CRDT", "2026-01-07", "2025-0002 te veel"),
            ("12.00", "DBIT", "2026-01-07", "Bankkosten"),
        ]
    )
    result = imp(world, data)
    # The bank costs (money out, no credit note named) are kept for a person too: never dropped.
    # Issue 10, finding 5: the line that pays more than is open on 2025-0002 is booked up to the open amount and
    # the rest recorded as an overpayment (reason "bankafschrift", terug te betalen): not lost, no negative principal.
    assert (result.matched, result.paid_out, result.needs_person, result.overpaid) == (3, 0, 3, 1)
    invoice.refresh_from_db()
    second.refresh_from_db()
    assert invoice.status == "paid" and second.status == "paid"
    assert second.outstanding() == D("0.00")
    overpayment = second.overpayments.unrestricted().get()
    assert (overpayment.amount, overpayment.reason) == (D("999999.00") - D("31179.92"), "bankafschrift")
    statuses = list(BankStatementLine.objects.unrestricted().order_by("position").values_list("status", flat=True))
    assert statuses == ["matched", "matched", "ambiguous", "unmatched", "matched", "unmatched"]
    debit = BankStatementLine.objects.unrestricted().get(direction="debit")
    assert (debit.amount, debit.note) == (D("12.00"), "Geen openstaand nummer van een creditfactuur gevonden.")
    # Money that went out shows with its minus sign (issue 17: outgoing lines showed as if received).
    page = world.client("a1", "coordinator").get(f"/bankafschriften/{debit.statement_id}/").content.decode()
    assert "€ -12,00" in page and "€ 12,00" not in page
    assert BankStatementLine.objects.unrestricted().get(status="ambiguous").candidates == ["2025-0001", "2025-0002"]


def test_importing_the_same_statement_twice_books_nothing_twice(world, invoice):
    data = camt([("100.00", "CRDT", "2026-01-05", "Factuur 2025-0001")])
    imp(world, data)
    with pytest.raises(statements.StatementError, match="al eerder ingelezen"):
        imp(world, data)
    # The same entry in a differently-named, re-exported file (other bytes) is skipped, not booked again.
    result = imp(world, data.replace(b"M1", b"M2"), name="opnieuw.xml")
    assert result.skipped_known == 1 and result.matched == 0
    assert Payment.objects.unrestricted().count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<Document><BkToCstmrStmt>", "geen geldige XML"),
        (b"<Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.054.001.02'/>", "geen CAMT.053"),
        (None, "<Amt> 'twaalf' is geen bedrag"),
        (None, "<CdtDbtInd> moet CRDT of DBIT"),
    ],
)
def test_malformed_camt_is_refused_whole_naming_the_element(world, invoice, data, message):
    if data is None and "twaalf" in message:
        data = camt([("100.00", "CRDT", "2026-01-05", "Factuur 2025-0001"), ("twaalf", "CRDT", "2026-01-05", "x")])
    elif data is None:
        data = camt([("100.00", "CRDT", "2026-01-05", "Factuur 2025-0001"), ("1.00", "XX", "2026-01-05", "x")])
    with pytest.raises(statements.StatementError) as info:
        imp(world, data)
    assert message in str(info.value)
    assert not BankStatement.objects.unrestricted().exists() and not Payment.objects.unrestricted().exists()


def test_mt940_import(world, invoice):
    result = imp(world, MT940, name="afschrift.sta")
    assert result.matched == 1
    payment = Payment.objects.unrestricted().get()
    assert (payment.amount, payment.paid_on) == (D("5000.00"), date(2026, 1, 5))


def test_mt940_amount_without_decimals_as_some_banks_write_it(world, invoice):
    """Issue 17: ":61:1407290729C500NTRF…" (no decimal comma) was refused whole; it is € 500,00."""
    data = MT940.replace(b":61:2601050105C5000,00NTRF", b":61:260105C5000NTRF")
    result = imp(world, data, name="afschrift.sta")
    assert result.matched == 1
    assert Payment.objects.unrestricted().get().amount == D("5000.00")


def test_unreadable_mt940_says_which_line_never_the_librarys_internals(world, invoice):
    """Issue 17: a refusal showed "Unable to parse <mt940.tags.Statement object at 0x…>" to the user."""
    bad = MT940.replace(b":62F:C260105EUR6000,00", b":62F:C2601XXEUR6000,00")
    with pytest.raises(statements.StatementError) as info:
        imp(world, bad, name="afschrift.sta", fmt="mt940")
    message = str(info.value)
    assert "regel 7 (:62F:)" in message and "<" not in message and "object at" not in message
    assert not BankStatement.objects.unrestricted().exists()


def test_malformed_mt940_names_the_line(world, invoice):
    bad = MT940.replace(b":61:2601050105C5000,00", b":61:26AB050105C5000,00")
    with pytest.raises(statements.StatementError, match="Regel 5"):
        imp(world, bad, name="afschrift.sta", fmt="mt940")


def test_csv_import_and_bad_line(world, invoice):
    data = b"datum;bedrag;omschrijving\n05-01-2026;1.000,00;factuur 2025-0001\n"
    assert imp(world, data, name="a.csv").matched == 1
    bad = b"datum;bedrag;omschrijving\n2026-01-06;10,00;x\n2026-13-45;5,00;y\n"
    with pytest.raises(statements.StatementError, match="Regel 3: datum"):
        imp(world, bad, name="b.csv")
    with pytest.raises(statements.StatementError, match="kolom"):
        imp(world, b"date,amount\n2026-01-01,1\n", name="c.csv")


def test_a_person_resolves_an_unmatched_line(world, invoice):
    imp(world, camt([("75.00", "CRDT", "2026-01-07", "Geen nummer")]))
    line = BankStatementLine.objects.unrestricted().get()
    response = world.client("a1", "coordinator").post(
        f"/bankafschriften/{line.statement_id}/", {"line": line.pk, "invoice_number": "2025-0001"}
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.status == "resolved" and line.payment.invoice == invoice


def test_statement_upload_page_refuses_malformed_file_whole(world, invoice):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("kapot.xml", b"<Document>", content_type="text/xml")
    response = world.client("a1", "coordinator").post("/bankafschriften/", {"file": upload})
    assert response.status_code == 400 and "geen geldige XML" in response.content.decode()


def test_daily_job_marks_overdue_and_prepares_one_reminder(world, invoice):
    assert services.mark_overdue_and_remind(today=date(2026, 1, 9)) == {"overdue": 0, "reminded": 0}  # due 09-01
    assert services.mark_overdue_and_remind(today=date(2026, 1, 10)) == {"overdue": 1, "reminded": 1}
    invoice.refresh_from_db()
    assert invoice.overdue_on == date(2026, 1, 10) and invoice.reminder_due_on == date(2026, 1, 24)
    assert services.mark_overdue_and_remind(today=date(2026, 1, 11)) == {"overdue": 0, "reminded": 0}
    assert invoice.documents.unrestricted().filter(kind="reminder").count() == 1


def test_beat_schedule_names_a_real_task():
    from celery import current_app

    import invoicing.tasks  # noqa: F401

    for entry in BEAT_SCHEDULE.values():
        assert entry["task"] in current_app.tasks


def test_interest_on_overdue_invoice_starts_after_the_reminder_term(world, invoice):
    services.mark_overdue_and_remind(today=date(2026, 1, 10))
    invoice.refresh_from_db()
    assert services.interest_on_invoice(invoice, until=date(2026, 1, 24)) is None  # 14 days not yet passed
    result = services.interest_on_invoice(invoice, until=date(2026, 2, 8))
    # From the last payment day (09-01-2026) at 4 % (art. 6:119, rate of 2026-01-01): 30 days on 31,279.92.
    assert [(p.start, p.days, p.rate) for p in result.periods] == [(date(2026, 1, 9), 30, D("4.00"))]
    assert result.interest == D("102.84")
    page = world.client("a2").get(f"/facturen/{invoice.pk}/")
    assert "Wettelijke rente" in page.content.decode()


def test_overdue_invoice_page_shows_marks(world, invoice):
    services.mark_overdue_and_remind(today=date(2026, 1, 10))
    assert Invoice.objects.unrestricted().get(pk=invoice.pk).reminded_on == date(2026, 1, 10)
    body = world.client("a2").get("/facturen/").content.decode()
    assert "te laat" in body and "aangemaand" in body
    # Late since its due date (09-01-2026), not since the day the job ran (issue 17 rough edge).
    detail = world.client("a2").get(f"/facturen/{invoice.pk}/").content.decode()
    assert "te laat: de uiterste betaaldatum was 09-01-2026" in detail and "10-01-2026, te betalen" in detail


def test_payment_terms_feed_the_deadline_service(world, invoice):
    from regio.deadlines import deadlines_for

    found = deadlines_for(world.user("a2"), start=date(2025, 12, 1), end=date(2026, 3, 1))
    assert [d.key for d in found if d.source == "invoicing"] == [f"invoicing:due:{invoice.pk}"]
    assert [
        d
        for d in deadlines_for(world.user("b1", "coordinator"), start=date(2025, 12, 1), end=date(2026, 3, 1))
        if d.source == "invoicing"
    ] == []


def test_reminder_is_emailed_once_after_rendering(world, invoice, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_overdue_and_remind(today=date(2026, 1, 10))
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["crediteuren@beek.example"] and "2025-0001" in mailoutbox[0].subject
    assert mailoutbox[0].attachments[0][2] == "application/pdf"
    from invoicing.tasks import email_document

    assert email_document(invoice.documents.unrestricted().get(kind="reminder").pk) == "skipped"


def test_credit_invoice_lowers_what_is_due(world, invoice):
    services.register_payment(user=coordinator(world), invoice=invoice, amount=D("1000.00"), paid_on=date(2026, 1, 2))
    note = services.credit(user=coordinator(world), invoice=invoice, reason="Te hoog")
    # Credit only part: drop all but the first line of the credit draft.
    note.lines.unrestricted().exclude(position=1).delete()
    excl, vat, incl = note.computed_totals()
    Invoice.objects.unrestricted().filter(pk=note.pk).update(total_excl=excl, total_vat=vat, total_incl=incl)
    services.issue(user=coordinator(world), invoice=note, on=date(2026, 1, 3))
    invoice.refresh_from_db()
    assert invoice.amount_due() == D("508.20")  # 31,279.92 - 30,771.72 (25,431.17 + 21 %)
    assert invoice.status == "paid" and invoice.outstanding() == D("-491.80")
    assert services.mark_overdue_and_remind(today=date(2026, 2, 1)) == {"overdue": 0, "reminded": 0}

"""Refunds from the reckoning are credit notes (EN 16931 code 381, one number sequence per issuer) that the
coordinating municipality pays out: by hand or from the debit entries of a bank statement (SPEC §6.5, WM-SO 6.7)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from lxml import etree
from peppol import check_rules, validate_xsd

from costsharing.models import ReckoningLine
from invoicing import documents, services, statements, ubl
from invoicing.models import BankStatementLine, Invoice, Payout
from tests.costsharing import reckonings
from tests.invoicing.helpers import coordinator, issued, profile, refund
from tests.invoicing.test_payments import camt
from tests.invoicing.test_reckoning import approved_reckoning

D = Decimal
pytestmark = pytest.mark.django_db
NS = {"cbc": ubl.CBC, "cac": ubl.CAC}


def invoiced(world):
    reckoning, stein = approved_reckoning(world)
    result = services.invoice_reckoning(user=coordinator(world), reckoning=reckoning, on=date(2025, 12, 15))
    by_member = {i.recipient.code: i for i in result.invoices}
    return reckoning, by_member["GM0888"], by_member["GM0971"]


def test_a_member_that_gets_money_back_gets_a_credit_note_in_the_same_sequence(world):
    reckoning, beek, stein = invoiced(world)
    assert (beek.document_type, beek.number, beek.total_incl) == ("invoice", "2025-0001", D("12100.00"))
    # Stein paid 5,000.00 too much in advances: a credit note of its own, the next number of the same sequence.
    assert (stein.document_type, stein.number, stein.status) == ("credit_note", "2025-0002", "issued")
    assert stein.is_credit_note and stein.is_refund and stein.credit_for is None
    assert stein.total_excl == D("-5000.00") and stein.total_incl == D("-6050.00")
    assert stein.payable_out() == D("6050.00") and stein.to_pay_out() == D("6050.00")
    assert stein.source_key == f"reckoning:{reckoning.pk}:GM0971"
    assert stein.credit_reference == "afrekening-regio-a-2025-v1"
    assert f"afrekeningsregel {stein.lines.unrestricted().get().source_id}" in stein.credit_reason
    again = services.invoice_reckoning(user=coordinator(world), reckoning=reckoning, on=date(2025, 12, 16))
    assert again.created == 0 and Invoice.objects.unrestricted().count() == 2


def test_the_refund_e_invoice_is_a_valid_credit_note_381_with_positive_amounts(world):
    _, _, stein = invoiced(world)
    xml = ubl.build_xml(stein)
    ok, errors = validate_xsd(xml)
    assert ok, errors
    assert [str(f) for f in check_rules(xml) if f.severity == "fatal"] == []
    root = etree.fromstring(xml)
    assert etree.QName(root).localname == "CreditNote"
    assert root.findtext("cbc:CreditNoteTypeCode", namespaces=NS) == "381"
    assert root.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS) == "6050.00"
    assert root.findtext("cac:CreditNoteLine/cbc:CreditedQuantity", namespaces=NS) == "1.0000"
    assert root.findtext("cac:CreditNoteLine/cbc:LineExtensionAmount", namespaces=NS) == "5000.00"


def test_br_nl_9_a_credit_note_of_its_own_still_names_a_preceding_document(world):
    """EN 16931 makes BT-25 optional; NLCIUS BR-NL-9 (Peppol NL-R-001) asks an invoice reference on every credit
    note: a refund names the reckoning it settles (no earlier invoice exists for the advances)."""
    _, _, stein = invoiced(world)
    root = etree.fromstring(ubl.build_xml(stein))
    assert root.findtext("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", namespaces=NS) == (
        "afrekening-regio-a-2025-v1"
    )
    # The money goes to the member: payment means name its account, or are left out when it has none.
    assert root.find("cac:PaymentMeans", NS) is None


def test_refund_payment_means_name_the_members_account(world):
    profile(world.a2, iban="NL02ABNA0123456789")
    note = refund(world)
    means = etree.fromstring(ubl.build_xml(note)).find("cac:PaymentMeans", NS)
    assert means.findtext("cac:PayeeFinancialAccount/cbc:ID", namespaces=NS) == "NL02ABNA0123456789"


def test_a_correction_version_refund_names_the_earlier_invoice(world):
    first, beek, stein = invoiced(world)
    first.refresh_from_db()
    second = reckonings.approved_correction(  # through the services: changed inputs, a re-run, approval
        user=coordinator(world),
        reckoning=first,
        figures={
            world.a1: ("690400.00", "680000.00"),
            world.a2: ("119600.00", "110000.00"),  # Beek's share went down by 400.00: money back
            stein.recipient: ("190000.00", "195000.00"),
        },
    )
    previous = ReckoningLine.objects.unrestricted().filter(reckoning=second)
    assert dict(previous.values_list("municipality__code", "previous_share")) == {
        "GM1883": D("690000.00"),
        "GM0888": D("120000.00"),
        "GM0971": D("190000.00"),
    }
    result = services.invoice_reckoning(user=coordinator(world), reckoning=second, on=date(2026, 3, 1))
    [note] = result.invoices
    assert note.is_refund and note.number == "2026-0001" and note.total_incl == D("-484.00")  # only the change
    assert note.credit_reference == beek.number == "2025-0001"
    root = etree.fromstring(ubl.build_xml(note))
    assert root.findtext("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", namespaces=NS) == "2025-0001"
    # The earlier invoice itself is not touched: what Beek owes on it stays, the credit is paid out on its own.
    beek.refresh_from_db()
    assert beek.amount_due() == D("12100.00")


def test_credit_note_pdf_is_titled_creditfactuur_with_positive_amounts(world):
    _, _, stein = invoiced(world)
    html = documents.render_html(stein)
    assert "<title>Creditfactuur 2025-0002</title>" in html
    assert "€ 6.050,00" in html and "-6.050" not in html and "€ -" not in html
    assert "U ontvangt dit bedrag" in html and "afrekening-regio-a-2025-v1" in html
    page = world.client("a1", "coordinator").get(f"/facturen/{stein.pk}/").content.decode()
    assert "Creditfactuur 2025-0002" in page and "€ 6.050,00" in page and "krijgt geld terug" in page


def test_payouts_by_hand_partly_then_fully(world):
    note = refund(world)  # 6,050.00 to pay out
    user = coordinator(world)
    services.register_payout(user=user, credit_note=note, amount=D("50.00"), paid_on=date(2026, 1, 5))
    note.refresh_from_db()
    assert (note.status, note.to_pay_out()) == ("partly_paid_out", D("6000.00"))
    with pytest.raises(services.InvoicingError, match="nog € 6.000,00 uit te betalen"):
        services.register_payout(user=user, credit_note=note, amount=D("6000.01"), paid_on=date(2026, 1, 6))
    services.register_payout(user=user, credit_note=note, amount=D("6000.00"), paid_on=date(2026, 1, 6))
    note.refresh_from_db()
    assert (note.status, note.to_pay_out()) == ("paid_out", D("0.00"))
    assert note.history.count() >= 3  # audited: issued, partly paid out, paid out


def test_payout_rules(world):
    note = refund(world)
    invoice = issued(world)
    user = coordinator(world)
    with pytest.raises(PermissionDenied):
        services.register_payout(user=world.user("a2"), credit_note=note, amount=D("1.00"), paid_on=date(2026, 1, 5))
    with pytest.raises(services.InvoicingError, match="Alleen een creditfactuur"):
        services.register_payout(user=user, credit_note=invoice, amount=D("1.00"), paid_on=date(2026, 1, 5))
    with pytest.raises(services.InvoicingError, match="wordt niet betaald"):
        services.register_payment(user=user, invoice=note, amount=D("1.00"), paid_on=date(2026, 1, 5))
    with pytest.raises(services.InvoicingError):
        services.register_payout(user=user, credit_note=note, amount=D("1.00"), paid_on=date(2025, 1, 5))
    correction = services.issue(
        user=user, invoice=services.credit(user=user, invoice=invoice, reason="Fout"), on=date(2025, 12, 20)
    )
    assert correction.is_credit_note and not correction.is_refund
    with pytest.raises(services.InvoicingError, match="Alleen een creditfactuur"):
        services.register_payout(user=user, credit_note=correction, amount=D("1.00"), paid_on=date(2026, 1, 5))
    assert not Payout.objects.unrestricted().exists()


def test_overdue_reminder_and_interest_jobs_ignore_credit_notes(world):
    note = refund(world, on=date(2025, 6, 1))
    assert note.due_on < date(2026, 1, 1)
    assert services.mark_overdue_and_remind(today=date(2026, 1, 10)) == {"overdue": 0, "reminded": 0}
    note.refresh_from_db()
    assert note.overdue_on is None and note.reminded_on is None
    assert services.interest_on_invoice(note, until=date(2026, 6, 1)) is None
    with pytest.raises(services.InvoicingError):
        services.record_collection_costs(user=coordinator(world), invoice=note)


def test_payout_page(world):
    note = refund(world)
    client = world.client("a1", "coordinator")
    assert "Uitbetaling registreren" in client.get(f"/facturen/{note.pk}/").content.decode()
    response = client.post(f"/facturen/{note.pk}/uitbetaling/", {"amount": "6.050,00", "paid_on": "05-01-2026"})
    assert response.status_code == 302
    assert Invoice.objects.unrestricted().get(pk=note.pk).status == "paid_out"
    bad = client.post(f"/facturen/{note.pk}/uitbetaling/", {"amount": "1,00", "paid_on": "05-01-2026"})
    assert bad.status_code == 400 and "nog € 0,00 uit te betalen" in bad.content.decode()
    assert world.client("a2").post(f"/facturen/{note.pk}/uitbetaling/", {"amount": "1"}).status_code == 403


def imp(world, data, name="afschrift.xml", fmt=None):
    return statements.import_statement(
        user=coordinator(world), municipality=world.a1, filename=name, data=data, fmt=fmt
    )


def test_camt053_debit_entry_pays_out_the_credit_note_it_names(world):
    note = refund(world)  # 2025-0001, 6,050.00
    data = camt(
        [
            ("1000.00", "DBIT", "2026-01-05", "Terugbetaling creditfactuur 2025-0001"),
            ("9999.00", "DBIT", "2026-01-06", "Creditfactuur 2025-0001 te veel"),
            ("12.00", "DBIT", "2026-01-07", "Bankkosten"),
        ]
    ).replace(b"<Dbtr><Nm>Gemeente Beek</Nm></Dbtr>", b"<Cdtr><Nm>Gemeente Beek</Nm></Cdtr>")
    result = imp(world, data)
    assert (result.matched, result.paid_out, result.needs_person) == (0, 1, 2)
    note.refresh_from_db()
    assert note.status == "partly_paid_out" and note.to_pay_out() == D("5050.00")
    payout = Payout.objects.unrestricted().get()
    assert payout.statement_line.counterparty_name == "Gemeente Beek" and payout.paid_on == date(2026, 1, 5)
    lines = list(BankStatementLine.objects.unrestricted().order_by("position"))
    assert [(line.direction, line.status) for line in lines] == [
        ("debit", "matched"),
        ("debit", "unmatched"),
        ("debit", "unmatched"),
    ]
    # The same statement again books nothing; an overlapping re-export skips the known entries.
    with pytest.raises(statements.StatementError, match="al eerder ingelezen"):
        imp(world, data)
    again = imp(world, data.replace(b"M1", b"M2"), name="opnieuw.xml")
    assert again.skipped_known == 3 and again.paid_out == 0
    assert Payout.objects.unrestricted().count() == 1
    # A person links the line that was too high once the amount is right... or ignores it: never dropped.
    response = world.client("a1", "coordinator").post(
        f"/bankafschriften/{lines[2].statement_id}/", {"line": lines[2].pk, "ignore": "on"}
    )
    assert response.status_code == 302
    assert BankStatementLine.objects.unrestricted().get(pk=lines[2].pk).status == "ignored"


def test_a_credit_and_a_debit_with_the_same_text_are_two_entries(world):
    note = refund(world)
    invoice = issued(world, on=date(2025, 12, 20))  # 2025-0002
    data = (
        b"datum;bedrag;omschrijving\n"
        b"05-01-2026;-6.050,00;Creditfactuur 2025-0001\n"
        b"06-01-2026;100,00;Factuur 2025-0002\n"
        b"06-01-2026;-100,00;Factuur 2025-0002\n"
    )
    result = imp(world, data, name="a.csv")
    # Money out naming an invoice (not a credit note) is for a person to look at.
    assert (result.matched, result.paid_out, result.needs_person) == (1, 1, 1)
    note.refresh_from_db()
    invoice.refresh_from_db()
    assert note.status == "paid_out" and invoice.status == "partly_paid"


def test_mt940_debit_line_is_a_payout(world):
    refund(world)
    mt940 = b""":20:STARTUMS
:25:NL91ABNA0417164300
:28C:00002/001
:60F:C260101EUR10000,00
:61:2601080108D6050,00NTRFNONREF//B6A06
:86:/TRTP/SEPA OVERBOEKING/IBAN/NL02ABNA0123456789/NAME/Gemeente Beek/REMI/Creditfactuur 2025-0001/
:62F:C260108EUR3950,00
-
"""
    result = imp(world, mt940, name="afschrift.sta")
    assert result.paid_out == 1
    payout = Payout.objects.unrestricted().get()
    assert (payout.amount, payout.paid_on, payout.invoice.status) == (D("6050.00"), date(2026, 1, 8), "paid_out")


def test_a_refund_is_offset_against_an_open_invoice_of_the_same_member(world, client):
    """Verrekenen (art. 6:127 BW): one transaction books a payment on the invoice and a payout on the credit note."""
    note = refund(world, amount=D("5000.00"))  # a1 owes a2 6,050.00
    small = issued(
        world,
        subject="Doorbelasting juridisch advies",
        on=date(2025, 12, 20),
        lines=[
            ("Juridisch advies", D("1"), D("1000.00"), "21"),
        ],
    )  # a2 owes a1 1,210.00
    assert services.offsettable_invoices(note) == [small]
    payment, payout = services.offset(user=coordinator(world), credit_note=note, invoice=small, on=date(2026, 1, 5))
    assert payment.amount == payout.amount == D("1210.00") and payment.paid_on == date(2026, 1, 5)
    assert payment.reference == f"Verrekend met creditfactuur {note.number}"
    assert payout.reference == f"Verrekend met factuur {small.number}"
    small.refresh_from_db()
    note.refresh_from_db()
    assert small.status == "paid" and small.outstanding() == 0
    assert note.status == "partly_paid_out" and note.to_pay_out() == D("4840.00")
    # Nothing left to offset against; a second attempt is refused in words and books nothing.
    assert services.offsettable_invoices(note) == []
    with pytest.raises(services.InvoicingError, match="kan niet met creditfactuur"):
        services.offset(user=coordinator(world), credit_note=note, invoice=small)
    assert Payout.objects.unrestricted().count() == 1


def test_offsetting_is_capped_by_what_the_credit_note_still_owes_and_refused_for_others(world, client):
    note = refund(world, amount=D("100.00"))  # a1 owes a2 121.00
    big = issued(world, on=date(2025, 12, 20))  # the default lines: a2 owes a1 far more
    payment, _payout = services.offset(user=coordinator(world), credit_note=note, invoice=big, on=date(2026, 1, 5))
    assert payment.amount == D("121.00")
    note.refresh_from_db()
    big.refresh_from_db()
    assert note.status == "paid_out" and big.status == "partly_paid"
    # Only the issuer's coordinating staff; the member itself may not offset.
    other = refund(world, amount=D("10.00"))
    with pytest.raises(PermissionDenied):
        services.offset(user=world.user("a2", "ambtenaar"), credit_note=other, invoice=big)
    # The page: options listed, a bad choice is a 400 in words, a good one redirects.
    client.force_login(coordinator(world))
    page = client.get(f"/facturen/{other.pk}/verrekenen/")
    assert page.status_code == 200 and big.number in page.content.decode()
    bad = client.post(f"/facturen/{other.pk}/verrekenen/", {"invoice": "abc"})
    assert bad.status_code == 400 and "Kies de factuur" in bad.content.decode()
    done = client.post(f"/facturen/{other.pk}/verrekenen/", {"invoice": str(big.pk)})
    assert done.status_code == 302
    other.refresh_from_db()
    assert other.status == "paid_out"


def test_payouts_and_offsetting_via_the_api(world):
    note = refund(world, amount=D("1000.00"))  # a1 owes a2 1,210.00
    small = issued(world, on=date(2025, 12, 20), lines=[("Juridisch advies", D("1"), D("100.00"), "21")])
    coord = world.client("a1", "coordinator", api=True)
    url = f"/api/v1/invoices/{note.pk}/payouts/"
    paid = coord.post(url, {"amount": "10.00", "paid_on": "2026-01-05"}, format="json")
    assert paid.status_code == 201, paid.content
    assert paid.json()["to_pay_out"] == "1200.00" and paid.json()["status"] == "partly_paid_out"
    too_much = coord.post(url, {"amount": "5000.00", "paid_on": "2026-01-05"}, format="json")
    assert too_much.status_code == 400 and "nog" in str(too_much.json())
    assert coord.post(url, {"amount": "abc", "paid_on": "2026-01-05"}, format="json").status_code == 400
    member = world.client("a2", api=True)
    assert member.get(url).json()["payouts"][0]["amount"] == "10.00"
    assert member.post(url, {"amount": "1.00", "paid_on": "2026-01-05"}, format="json").status_code == 403
    offset_url = f"/api/v1/invoices/{note.pk}/offset/"
    assert coord.post(offset_url, {"invoice": "9999-0001"}, format="json").status_code == 400
    assert coord.post(offset_url, {}, format="json").status_code == 400
    assert coord.get(offset_url).json()["invoices"] == [{"number": small.number, "outstanding": "121.00"}]
    done = coord.post(offset_url, {"invoice": small.number, "on": "2026-01-10"}, format="json")
    assert done.status_code == 201, done.content
    assert done.json()["to_pay_out"] == "1079.00"  # 1,200.00 - 121.00
    assert done.json()["payouts"][-1]["reference"] == f"Verrekend met factuur {small.number}"
    small.refresh_from_db()
    assert small.status == "paid"
    again = coord.post(offset_url, {"invoice": small.number}, format="json")
    assert again.status_code == 400 and "kan niet met creditfactuur" in str(again.json())


def test_a_refund_past_its_payout_date_is_flagged_for_the_coordinator_until_paid_out(world):
    """Issue 17: a refund credit note past its payout date was flagged nowhere. It is the coordinating
    municipality's deadline, saying who pays whom, late once the date has passed, gone once paid out."""
    from regio.deadlines import deadlines_for

    _, _, stein = invoiced(world)
    assert stein.due_on is not None
    window = {"start": date(2025, 12, 1), "end": date(2027, 1, 1)}
    found = [d for d in deadlines_for(coordinator(world), **window) if d.key == f"invoicing:payout:{stein.pk}"]
    assert len(found) == 1 and found[0].overdue  # today is after the payout date of December 2025's refund
    assert found[0].title == f"Sittard-Geleen betaalt creditfactuur {stein.number} uit aan {stein.recipient.name}"
    services.register_payout(
        user=coordinator(world), credit_note=stein, amount=stein.to_pay_out(), paid_on=date(2026, 1, 20)
    )
    assert [d for d in deadlines_for(coordinator(world), **window) if d.key.startswith("invoicing:payout:")] == []

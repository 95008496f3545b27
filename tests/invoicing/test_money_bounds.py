"""Money bounds (issue 10, finding 5; the money part of finding 7; finding 6 on the invoicing forms), each sub-point
replayed as the issue states it. Every test here failed on the code before the fix."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from invoicing import services, statements
from invoicing.models import CollectionCost, Invoice, InvoiceLine, Overpayment, Payment
from regio.roles import Role
from tests.invoicing.helpers import coordinator, draft, issued, overdue
from tests.invoicing.test_payments import camt

D = Decimal
pytestmark = pytest.mark.django_db

SMALL = [("Doorbelaste kosten toezicht", D("1"), D("428.70"), "21")]  # 428,70 + 90,03 btw = € 518,73


@pytest.fixture
def small(world):
    invoice = issued(world, on=date(2025, 12, 10), lines=SMALL)
    assert invoice.total_incl == D("518.73")
    return invoice


def _page(world):
    return world.client("a1", "coordinator")


def _api(world):
    return world.client("a1", "coordinator", api=True)


# --- finding 5: payments above what is open ------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "amount"), [("99.999", D("99999")), ("1.234.567,89", D("1234567.89"))])
def test_finding_5_payment_above_the_open_amount_is_refused_by_service_form_and_api(world, small, typed, amount):
    with pytest.raises(ValidationError, match="nog € 518,73 open"):
        services.register_payment(user=coordinator(world), invoice=small, amount=amount, paid_on=date(2026, 1, 5))
    response = _page(world).post(f"/facturen/{small.pk}/betaling/", {"amount": typed, "paid_on": "05-01-2026"})
    assert response.status_code == 400 and "nog € 518,73 open" in response.content.decode()
    api = _api(world).post(
        f"/api/v1/invoices/{small.pk}/payments/", {"amount": f"{amount:.2f}", "paid_on": "2026-01-05"}, format="json"
    )
    assert api.status_code == 400 and "nog € 518,73 open" in " ".join(api.json()["amount"])
    assert not Payment.objects.unrestricted().exists()


def test_finding_5_the_exact_open_amount_pays_the_invoice(world, small):
    services.register_payment(user=coordinator(world), invoice=small, amount=D("518.73"), paid_on=date(2026, 1, 5))
    small.refresh_from_db()
    assert small.status == "paid" and small.outstanding() == D("0.00")


def test_finding_5_no_new_payment_on_a_paid_invoice(world, small):
    services.register_payment(user=coordinator(world), invoice=small, amount=D("518.73"), paid_on=date(2026, 1, 5))
    with pytest.raises(ValidationError, match="al betaald"):
        services.register_payment(user=coordinator(world), invoice=small, amount=D("1.00"), paid_on=date(2026, 1, 6))
    response = _page(world).post(f"/facturen/{small.pk}/betaling/", {"amount": "1,00", "paid_on": "06-01-2026"})
    assert response.status_code == 400 and "al betaald" in response.content.decode()
    api = _api(world).post(
        f"/api/v1/invoices/{small.pk}/payments/", {"amount": "1.00", "paid_on": "2026-01-06"}, format="json"
    )
    assert api.status_code == 400 and "al betaald" in " ".join(api.json()["amount"])
    assert Payment.objects.unrestricted().count() == 1


@pytest.mark.parametrize(("typed", "iso"), [("01-01-2099", "2099-01-01"), ("31-12-9999", "9999-12-31")])
def test_finding_5_and_7_payment_dated_2099_or_9999_is_a_dutch_400_by_form_and_api(world, small, typed, iso):
    with pytest.raises(ValidationError, match="in de toekomst"):
        services.register_payment(
            user=coordinator(world), invoice=small, amount=D("1.00"), paid_on=date.fromisoformat(iso)
        )
    response = _page(world).post(f"/facturen/{small.pk}/betaling/", {"amount": "1,00", "paid_on": typed})
    assert response.status_code == 400 and "in de toekomst" in response.content.decode()
    api = _api(world).post(f"/api/v1/invoices/{small.pk}/payments/", {"amount": "1.00", "paid_on": iso}, format="json")
    assert api.status_code == 400 and "in de toekomst" in " ".join(api.json()["paid_on"])
    assert not Payment.objects.unrestricted().exists()


def test_finding_5_payment_dated_tomorrow_is_refused(world, small, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 1, 10))
    with pytest.raises(ValidationError, match="in de toekomst"):
        services.register_payment(user=coordinator(world), invoice=small, amount=D("1.00"), paid_on=date(2026, 1, 11))
    services.register_payment(user=coordinator(world), invoice=small, amount=D("1.00"), paid_on=date(2026, 1, 10))


def test_finding_5_portfolio_holder_never_sees_a_negative_principal(world, monkeypatch):
    """Payments registered before the bounds (or a credit invoice after payment) leave more paid than asked: the
    member's portfolio holder sees a principal of € 0,00 and what was paid too much, never € −1.434.060,16."""
    from django.utils import timezone

    invoice = overdue(world, lines=SMALL)
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 1, 20))
    Payment.objects.unrestricted().create(invoice=invoice, amount=D("1234567.89"), paid_on=date(2026, 1, 12))
    Payment.objects.unrestricted().create(invoice=invoice, amount=D("99999.00"), paid_on=date(2026, 1, 13))
    Payment.objects.unrestricted().create(invoice=invoice, amount=D("100012.00"), paid_on=date(2026, 1, 14))
    settled = services.settlement(invoice, until=date(2026, 1, 20))
    assert settled.principal_outstanding == D("0.00") and settled.total_outstanding == D("0.00")
    assert settled.overpaid == D("1434060.16")
    page = world.client("a2", Role.PORTFOLIO_HOLDER).get(f"/facturen/{invoice.pk}/").content.decode()
    assert "-1.434.060,16" not in page and "−1.434.060,16" not in page
    assert "Meer betaald dan gevraagd</dt><dd>€ 1.434.060,16" in page


# --- the overpayment: a deliberate, separate act with its reason ------------------------------------------------


def test_an_overpayment_books_the_open_part_and_records_the_rest_as_terug_te_betalen(world, small):
    user = coordinator(world)
    with pytest.raises(ValidationError, match="reden"):
        services.register_overpayment(
            user=user, invoice=small, amount=D("600.00"), received_on=date(2026, 1, 5), reason=" "
        )
    with pytest.raises(ValidationError, match="geen overbetaling"):
        services.register_overpayment(
            user=user, invoice=small, amount=D("500.00"), received_on=date(2026, 1, 5), reason="dubbel"
        )
    payment, overpayment = services.register_overpayment(
        user=user, invoice=small, amount=D("600.00"), received_on=date(2026, 1, 5), reason="bedrag verkeerd overgetypt"
    )
    small.refresh_from_db()
    assert payment.amount == D("518.73") and small.status == "paid"
    assert (overpayment.amount, overpayment.reason) == (D("81.27"), "bedrag verkeerd overgetypt")
    assert services.to_refund(small) == D("81.27")
    # On a paid invoice all of it is an overpayment (paid twice).
    _payment, twice = services.register_overpayment(
        user=user, invoice=small, amount=D("518.73"), received_on=date(2026, 1, 6), reason="dubbel betaald"
    )
    assert _payment is None and services.to_refund(small) == D("600.00")
    with pytest.raises(ValidationError, match="voor de ontvangst"):
        services.refund_overpayment(user=user, overpayment=twice, paid_on=date(2026, 1, 5))
    services.refund_overpayment(user=user, overpayment=twice, paid_on=date(2026, 1, 20), reference="NL91 retour")
    assert services.to_refund(small) == D("81.27")
    with pytest.raises(ValidationError, match="al terugbetaald"):
        services.refund_overpayment(user=user, overpayment=twice, paid_on=date(2026, 1, 21))
    assert Overpayment.history.count() >= 3  # audited


def test_overpayment_pages_and_api(world, small):
    client = _page(world)
    assert "Te veel ontvangen" in client.get(f"/facturen/{small.pk}/overbetaling/").content.decode()
    bad = client.post(f"/facturen/{small.pk}/overbetaling/", {"amount": "1e5", "received_on": "05-01-2026"})
    assert bad.status_code == 400 and "zonder exponent" in bad.content.decode()
    response = client.post(
        f"/facturen/{small.pk}/overbetaling/", {"amount": "1.000,00", "received_on": "05-01-2026", "reason": "dubbel"}
    )
    assert response.status_code == 302, response.content.decode()[-1500:]
    overpayment = Overpayment.objects.unrestricted().get()
    assert overpayment.amount == D("481.27")
    detail = world.client("a2", Role.PORTFOLIO_HOLDER).get(f"/facturen/{small.pk}/").content.decode()
    assert "Terug te betalen: € 481,27" in detail and "terug te betalen" in detail
    refund_url = f"/facturen/{small.pk}/overbetaling/{overpayment.pk}/terugbetaald/"
    assert world.client("a2").post(refund_url, {"paid_on": "20-01-2026"}).status_code == 403
    assert client.post(refund_url, {"paid_on": "20-01-2026"}).status_code == 302
    overpayment.refresh_from_db()
    assert overpayment.refunded_on == date(2026, 1, 20)

    api = _api(world)
    url = f"/api/v1/invoices/{small.pk}/overpayments/"
    assert api.post(url, {"amount": "10.00", "received_on": "2026-01-06"}, format="json").status_code == 400
    created = api.post(url, {"amount": "10.00", "received_on": "2026-01-06", "reason": "dubbel"}, format="json")
    assert created.status_code == 201 and created.json()["to_refund"] == "10.00"
    new_id = created.json()["overpayments"][-1]["id"]
    refunded = api.post(f"{url}{new_id}/refund/", {"paid_on": "2026-01-07"}, format="json")
    assert refunded.status_code == 201 and refunded.json()["to_refund"] == "0.00"
    assert world.client("a2", api=True).get(f"/api/v1/invoices/{small.pk}/").json()["overpayments"][0]["amount"]


def test_bank_statement_overpayment_is_booked_up_to_the_open_amount_and_the_rest_kept(world, small):
    """A statement that pays € 99.999 on the € 518,73 invoice and then the same invoice again: nothing is lost, the
    invoice is paid, the rest is terug te betalen with the reason "bankafschrift"."""
    data = camt(
        [
            ("99999.00", "CRDT", "2026-01-05", "Factuur 2025-0001"),
            ("518.73", "CRDT", "2026-01-06", "Factuur 2025-0001 nogmaals"),
        ]
    )
    result = statements.import_statement(user=coordinator(world), municipality=world.a1, filename="a.xml", data=data)
    assert (result.matched, result.needs_person, result.overpaid) == (2, 0, 2)
    assert "hoger dan het open bedrag" in result.summary()
    small.refresh_from_db()
    assert small.status == "paid" and small.paid_amount() == D("518.73")
    assert sorted(o.amount for o in small.overpayments.unrestricted()) == [D("518.73"), D("99480.27")]
    assert {o.reason for o in small.overpayments.unrestricted()} == {"bankafschrift"}
    assert services.to_refund(small) == D("99999.00")


def test_bank_statement_line_dated_in_the_future_is_kept_for_a_person(world, small):
    data = camt([("100.00", "CRDT", "9999-12-31", "Factuur 2025-0001")])
    result = statements.import_statement(user=coordinator(world), municipality=world.a1, filename="a.xml", data=data)
    assert (result.matched, result.needs_person) == (0, 1)
    assert not Payment.objects.unrestricted().exists()


# --- finding 5: collection costs -------------------------------------------------------------------------------


@pytest.mark.parametrize("basis", ["", "Kosten van de deurwaarder"])
def test_finding_5_collection_costs_of_999_999_999_999_99_are_refused(world, basis, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 2, 10))
    late = overdue(world, lines=SMALL)
    with pytest.raises(ValidationError, match="te veel"):
        services.record_collection_costs(
            user=coordinator(world),
            invoice=late,
            amount=D("999999999999.99"),
            incurred_on=date(2026, 1, 20),
            basis=basis,
        )
    response = _page(world).post(
        f"/facturen/{late.pk}/incassokosten/",
        {"amount": "999.999.999.999,99", "incurred_on": "20-01-2026", "basis": basis},
    )
    assert response.status_code == 400 and "hoogstens € 6.775,00" in response.content.decode()
    assert not CollectionCost.objects.unrestricted().exists()


def test_collection_costs_above_the_scale_need_a_reason(world, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 2, 10))
    late = overdue(world, lines=SMALL)  # scale over € 518,73: 15 % = € 77,81
    user = coordinator(world)
    with pytest.raises(ValidationError, match="boven de wettelijke staffel"):
        services.record_collection_costs(user=user, invoice=late, amount=D("250.00"), incurred_on=date(2026, 1, 20))
    record = services.record_collection_costs(
        user=user, invoice=late, amount=D("250.00"), incurred_on=date(2026, 1, 20), basis="Afspraak in de DVO"
    )
    assert record.amount == D("250.00") and record.statutory_amount == D("77.81")
    lower = services.record_collection_costs(user=user, invoice=late, amount=D("40.00"), incurred_on=date(2026, 1, 20))
    assert lower.amount == D("40.00")  # less than the scale needs no reason


# --- finding 6: amounts are read one way ------------------------------------------------------------------------


def test_finding_6_twelve_thousand_on_the_payment_form_is_twelve_thousand(world):
    invoice = issued(world, on=date(2025, 12, 10))  # € 31.279,92
    response = _page(world).post(f"/facturen/{invoice.pk}/betaling/", {"amount": "12.000", "paid_on": "05-01-2026"})
    assert response.status_code == 302, response.content.decode()[-1500:]
    assert Payment.objects.unrestricted().get().amount == D("12000.00")


def test_finding_6_twelve_thousand_as_an_invoice_line_price_is_twelve_thousand(world):
    invoice = draft(world, lines=[])
    response = _page(world).post(
        f"/facturen/{invoice.pk}/regels/nieuw/",
        {
            "description": "Inhuur",
            "quantity": "1",
            "unit": "stuk",
            "unit_price": "12.000",
            "vat_rate": "21",
            "source_type": "manual",
        },
    )
    assert response.status_code == 302, response.content.decode()[-1500:]
    assert InvoiceLine.objects.unrestricted().get().unit_price == D("12000")


@pytest.mark.parametrize(
    ("url", "payload"),
    [
        ("/facturen/{pk}/betaling/", {"amount": "1e5", "paid_on": "05-01-2026"}),
        ("/facturen/{pk}/overbetaling/", {"amount": "1e5", "received_on": "05-01-2026", "reason": "x"}),
    ],
)
def test_finding_6_1e5_is_refused_on_the_invoicing_pages(world, small, url, payload):
    response = _page(world).post(url.format(pk=small.pk), payload)
    assert response.status_code == 400 and "zonder exponent" in response.content.decode()
    assert not Payment.objects.unrestricted().exists()


def test_finding_6_1e5_is_refused_on_the_line_form_and_by_the_api(world, small):
    invoice = draft(world, lines=[])
    line = {"description": "x", "quantity": "1e5", "unit": "stuk", "unit_price": "1e5", "vat_rate": "21"}
    page = _page(world).post(f"/facturen/{invoice.pk}/regels/nieuw/", {**line, "source_type": "manual"})
    assert page.status_code == 400 and "zonder exponent" in page.content.decode()
    api = _api(world).post(f"/api/v1/invoices/{invoice.pk}/lines/", line, format="json")
    assert api.status_code == 400 and set(api.json()) >= {"quantity", "unit_price"}
    pay = _api(world).post(
        f"/api/v1/invoices/{small.pk}/payments/", {"amount": "1e5", "paid_on": "2026-01-05"}, format="json"
    )
    assert pay.status_code == 400 and "geen exponent" in " ".join(pay.json()["amount"])
    assert not InvoiceLine.objects.unrestricted().filter(invoice=invoice).exists()


# --- finding 7: the statutory interest API ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"principal": "518.73", "from": "2026-01-01", "to": "9999-12-31"}, "to"),
        ({"principal": "1e5", "from": "2024-01-01", "to": "2024-02-01"}, "principal"),
        ({"principal": "1000000000000", "from": "2024-01-01", "to": "2024-02-01"}, "principal"),
    ],
)
def test_finding_7_statutory_interest_to_9999_12_31_is_a_dutch_400(world, payload, field):
    response = world.client("a2", api=True).post("/api/v1/interest/statutory/", payload, format="json")
    assert response.status_code == 400, response.content
    assert response.json()[field]


def test_finding_7_interest_core_refuses_a_period_into_year_10000():
    from invoicing import interest

    rates = [interest.Rate(valid_from=date(2000, 1, 1), rate=D("4"))]
    with pytest.raises(interest.InterestError):
        interest.compute(
            principal=D("100"), start=date(9990, 1, 1), end=date(9999, 12, 31), kind="non-commercial", rates=rates
        )


def test_invoice_of_the_fixture_is_what_the_issue_names(small):
    assert Invoice.objects.unrestricted().get(pk=small.pk).total_incl == D("518.73")


def test_resolving_a_statement_line_dated_in_the_future_is_a_400_not_a_500(world, small):
    data = camt([("100.00", "CRDT", "9999-12-31", "Factuur 2025-0001")])
    result = statements.import_statement(user=coordinator(world), municipality=world.a1, filename="a.xml", data=data)
    line = result.statement.lines.unrestricted().get()
    response = _page(world).post(
        f"/bankafschriften/{result.statement.pk}/", {"line": str(line.pk), "invoice_number": "2025-0001"}
    )
    assert response.status_code == 400 and "in de toekomst" in response.content.decode()
    assert not Payment.objects.unrestricted().exists()

"""Extrajudicial collection costs (buitengerechtelijke incassokosten) on an overdue invoice: the statutory scale as a
suggestion, stored beside the immutable invoice, settled first by payments (art. 6:44 BW), shown on the invoice page,
the interest claim letter and the Excel export."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import given
from hypothesis import strategies as st

from invoicing import documents, services
from invoicing.collection import statutory_collection_costs
from invoicing.models import CollectionCost, DocumentKind, Invoice, InvoiceDocument
from tests.invoicing.helpers import coordinator, issued, overdue

D = Decimal


@pytest.mark.parametrize(
    ("principal", "costs"),
    [
        ("0.01", "40.00"),  # minimum € 40
        ("100.00", "40.00"),
        ("266.66", "40.00"),  # 15 % = 39.999: still the minimum
        ("266.67", "40.00"),  # 40.0005 rounds to 40.00
        ("266.70", "40.01"),  # 40.005 rounds half up
        ("1234.56", "185.18"),
        ("2500.00", "375.00"),  # 15 % of 2,500
        ("2500.01", "375.00"),  # + 10 % of 0.01 = 375.001
        ("5000.00", "625.00"),  # + 10 % of 2,500
        ("10000.00", "875.00"),  # + 5 % of 5,000
        ("31279.92", "1087.80"),  # + 1 % of 21,279.92 = 212.7992
        ("200000.00", "2775.00"),  # + 1 % of 190,000
        ("200001.00", "2775.01"),  # + 0.5 % of 1.00 = 0.005, rounded half up once
        ("1000000.00", "6775.00"),  # + 0.5 % of 800,000 = 4,000: exactly the maximum
        ("123456789.00", "6775.00"),  # maximum € 6,775
    ],
)
def test_statutory_scale_at_its_boundaries(principal, costs):
    assert statutory_collection_costs(D(principal)) == D(costs)


def test_scale_refuses_float_and_gives_nothing_on_nothing():
    with pytest.raises(TypeError):
        statutory_collection_costs(100.0)
    assert statutory_collection_costs(D("0")) == D("0.00")


@given(st.decimals(min_value=D("0.01"), max_value=D("5000000"), places=2))
def test_scale_is_monotone_and_bounded(principal):
    costs = statutory_collection_costs(principal)
    assert D("40.00") <= costs <= D("6775.00")
    assert costs == costs.quantize(D("0.01"))
    assert statutory_collection_costs(principal + D("100")) >= costs


pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def late(world):
    return overdue(world)  # 2025-0001, € 31,279.92, due 09-01-2026, reminded 10-01-2026 (pay by 24-01-2026)


def test_record_costs_defaults_to_the_scale_and_leaves_the_invoice_unchanged(world, late, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 1, 30))
    before = Invoice.objects.unrestricted().filter(pk=late.pk).values().get()
    record = services.record_collection_costs(user=coordinator(world), invoice=late, incurred_on=date(2026, 1, 25))
    assert (record.amount, record.statutory_amount, record.principal) == (D("1087.80"), D("1087.80"), D("31279.92"))
    assert record.basis.startswith("Besluit vergoeding voor buitengerechtelijke incassokosten")
    after = Invoice.objects.unrestricted().filter(pk=late.pk).values().get()
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"
    }
    # Overriding the suggestion is allowed, with its basis; the history keeps the earlier amount.
    services.record_collection_costs(
        user=coordinator(world), invoice=late, amount=D("500.00"), incurred_on=date(2026, 1, 25), basis="Afspraak"
    )
    record.refresh_from_db()
    assert (record.amount, record.statutory_amount, record.basis) == (D("500.00"), D("1087.80"), "Afspraak")
    assert [h.amount for h in record.history.order_by("history_date")] == [D("1087.80"), D("500.00")]
    assert CollectionCost.objects.unrestricted().count() == 1


def test_costs_only_on_an_overdue_invoice_by_the_issuers_staff(world, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 1, 30))
    fresh = issued(world, on=date(2025, 12, 10))
    with pytest.raises(services.InvoicingError, match="niet te laat"):
        services.record_collection_costs(user=coordinator(world), invoice=fresh)
    services.mark_overdue_and_remind(today=date(2026, 1, 10))
    fresh.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.record_collection_costs(user=world.user("a2"), invoice=fresh)
    with pytest.raises(services.InvoicingError):
        services.record_collection_costs(user=coordinator(world), invoice=fresh, incurred_on=date(2026, 1, 1))
    with pytest.raises(services.InvoicingError, match="toekomst"):
        services.record_collection_costs(user=coordinator(world), invoice=fresh, incurred_on=date(2026, 2, 1))
    assert not CollectionCost.objects.unrestricted().exists()


def test_payments_settle_costs_then_interest_then_principal(world, late, monkeypatch):
    """Art. 6:44 BW: paying the invoice amount after the reminder's term leaves costs and interest unpaid principal."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 2, 8))
    user = coordinator(world)
    services.record_collection_costs(user=user, invoice=late, incurred_on=date(2026, 1, 25))
    services.register_payment(user=user, invoice=late, amount=D("31279.92"), paid_on=date(2026, 2, 8))
    late.refresh_from_db()
    settled = services.settlement(late, until=date(2026, 2, 8))
    # 30 days at 4 % on 31,279.92 = 102.84 (see test_payments); 1,087.80 costs first, then that interest.
    assert (settled.costs_paid, settled.interest_paid) == (D("1087.80"), D("102.84"))
    assert settled.principal_outstanding == D("1190.64") and settled.total_outstanding == D("1190.64")
    assert late.status == "partly_paid"
    services.register_payment(user=user, invoice=late, amount=D("1190.64"), paid_on=date(2026, 2, 8))
    late.refresh_from_db()
    assert late.status == "paid" and services.settlement(late).total_outstanding == D("0.00")
    interest = services.interest_on_invoice(late)
    assert (interest.costs_paid, interest.interest) == (D("1087.80"), D("102.84"))


def test_a_payment_before_the_costs_were_incurred_does_not_pay_them(world, late, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 1, 30))
    user = coordinator(world)
    services.register_payment(user=user, invoice=late, amount=D("1000.00"), paid_on=date(2026, 1, 15))
    services.record_collection_costs(user=user, invoice=late, incurred_on=date(2026, 1, 20))
    settled = services.settlement(late, until=date(2026, 1, 20))
    assert settled.costs_paid == D("0.00") and settled.costs_outstanding == D("1077.80")  # scale over 30,279.92
    assert settled.principal_outstanding == D("30279.92")


def test_costs_on_the_page_the_claim_letter_and_the_export(world, late, monkeypatch):
    from django.utils import timezone
    from openpyxl import load_workbook

    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 2, 10))
    client = world.client("a1", "coordinator")
    form = client.get(f"/facturen/{late.pk}/incassokosten/").content.decode()
    assert "€ 1.087,80" in form and 'for="id_amount"' in form and 'for="id_basis"' in form
    response = client.post(f"/facturen/{late.pk}/incassokosten/", {"amount": "", "incurred_on": "25-01-2026"})
    assert response.status_code == 302, response.content.decode()[-1500:]
    bad = client.post(f"/facturen/{late.pk}/incassokosten/", {"amount": "veel", "incurred_on": "25-01-2026"})
    assert bad.status_code == 400 and "Geef een bedrag" in bad.content.decode()
    page = world.client("a2").get(f"/facturen/{late.pk}/").content.decode()
    assert "Incassokosten" in page and "€ 1.087,80" in page and "art. 6:44 BW" in page
    document = services.claim_interest(user=coordinator(world), invoice=late, on=date(2026, 2, 10))
    html = documents.render_html(
        late, DocumentKind.INTEREST_CLAIM, InvoiceDocument.objects.unrestricted().get(pk=document.pk)
    )
    assert "Buitengerechtelijke incassokosten" in html and "€ 1.087,80" in html
    # 32 days at 4 % on 31,279.92 = 109.69; total 31,279.92 + 1,087.80 + 109.69.
    assert "€ 32.477,41" in html and "€ 109,69" in html
    sheet = load_workbook(io.BytesIO(client.get("/facturen/export/?formaat=xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][17] == "Incassokosten" and D(str(rows[1][17])) == D("1087.80")
    assert (
        world.client("a2").post(f"/facturen/{late.pk}/incassokosten/", {"incurred_on": "25-01-2026"}).status_code
        == 403
    )

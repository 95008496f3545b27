"""The API's JSON parser (regio/api/parsers.py): a JSON number keeps its text, so an exponent written as a number
is refused like the string (issue 10, finding 6), and hostile bodies are a 400 in Dutch, never a 500."""

import json
from datetime import date
from decimal import Decimal

import pytest

from invoicing.models import Payment
from tests.invoicing.helpers import issued

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(world):
    return issued(world, on=date(2025, 12, 10), lines=[("Doorbelaste kosten", Decimal("1"), Decimal("428.70"), "21")])


def _post(world, url, body: str):
    client = world.client("a1", "coordinator", api=True)
    return client.generic("POST", url, body, content_type="application/json")


@pytest.mark.parametrize("number", ["1e5", "1E2", "100000.0e0", "1.5e-1"])
def test_an_amount_written_as_a_json_number_with_an_exponent_is_refused(world, invoice, number):
    response = _post(
        world, f"/api/v1/invoices/{invoice.pk}/payments/", f'{{"amount": {number}, "paid_on": "2026-01-05"}}'
    )
    assert response.status_code == 400, response.content
    assert "amount" in response.json()
    assert not Payment.objects.unrestricted().filter(invoice=invoice).exists()


def test_a_plain_json_number_is_read_exactly(world, invoice):
    response = _post(world, f"/api/v1/invoices/{invoice.pk}/payments/", '{"amount": 100.10, "paid_on": "2026-01-05"}')
    assert response.status_code == 201, response.content
    assert str(Payment.objects.unrestricted().get(invoice=invoice).amount) == "100.10"


@pytest.mark.parametrize(
    "body",
    [
        '{"amount": NaN, "paid_on": "2026-01-05"}',
        '{"amount": Infinity, "paid_on": "2026-01-05"}',
        "[" * 5000 + "]" * 5000,
        '{"amount": "1"',
        json.dumps({"amount": "1", "paid_on": "2026-01-05", "reference": "x" * (11 * 1024 * 1024)}),
    ],
    ids=["nan", "infinity", "deep", "truncated", "huge"],
)
def test_a_hostile_body_is_a_dutch_400(world, invoice, body):
    response = _post(world, f"/api/v1/invoices/{invoice.pk}/payments/", body)
    assert response.status_code == 400, response.content[:300]
    if response["Content-Type"] != "application/json":  # Django refuses a body above its limit before DRF reads it
        return
    detail = " ".join(str(v) for v in response.json().values())
    assert "JSON" in detail or "te groot" in detail, detail[:300]
    assert not Payment.objects.unrestricted().filter(invoice=invoice).exists()

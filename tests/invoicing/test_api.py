"""The invoicing API contract (issue #6): statutory interest, invoices, issue, PDF and UBL."""

from datetime import date

import pytest

from invoicing.models import Invoice
from tests.invoicing.helpers import draft, issued

pytestmark = pytest.mark.django_db
URL = "/api/v1/interest/statutory/"


@pytest.mark.parametrize(
    ("payload", "interest", "amounts"),
    [
        (
            {"principal": "1648.58", "from": "2014-12-12", "to": "2015-05-29", "kind": "non-commercial"},
            "16.08",
            ["2.71", "13.37"],
        ),
        (
            {"principal": "3796.99", "from": "2023-11-11", "to": "2024-07-01", "kind": "commercial"},
            "300.32",
            ["63.66", "236.66"],
        ),
    ],
)
def test_interest_api_reproduces_the_spec_examples(world, payload, interest, amounts):
    response = world.client("a2", api=True).post(URL, payload, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["interest"] == interest
    assert [p["amount"] for p in body["periods"]] == amounts
    assert set(body["periods"][0]) == {"from", "to", "rate", "days", "amount"}
    assert body["periods"][0]["days"] in (20, 51)


@pytest.mark.parametrize(
    ("payload", "field", "text"),
    [
        ({"principal": "100.00", "from": "2024-02-01", "to": "2024-01-01"}, "from", "na de einddatum"),
        ({"principal": "-1.00", "from": "2024-01-01", "to": "2024-02-01"}, "principal", "negatief"),
        ({"principal": "100.00", "from": "2010-01-01", "to": "2011-01-01"}, "from", "eerste rente in de tabel"),
        ({"principal": "100.00", "from": "2024-01-01", "to": "2024-02-01", "kind": "x"}, "kind", "Kies"),
        ({"principal": "honderd", "from": "2024-01-01", "to": "2024-02-01"}, "principal", "bedrag"),
    ],
)
def test_interest_api_refuses_bad_input_with_a_dutch_message(world, payload, field, text):
    response = world.client("a2", api=True).post(URL, payload, format="json")
    assert response.status_code == 400
    assert text in " ".join(response.json()[field])


def test_interest_api_refuses_anonymous(world):
    response = world.client(None, api=True).post(
        URL, {"principal": "1.00", "from": "2024-01-01", "to": "2024-02-01"}, format="json"
    )
    assert response.status_code in (401, 403)


def test_invoice_list_is_tenant_filtered(world, django_assert_max_num_queries):
    for _ in range(3):
        issued(world)
    draft(world, subject="Nog een concept")
    client = world.client("a2", api=True)
    with django_assert_max_num_queries(15):
        body = client.get("/api/v1/invoices/").json()
    assert body["count"] == 3
    assert {r["recipient"] for r in body["results"]} == {"GM0888"}
    assert world.client("a1", "coordinator", api=True).get("/api/v1/invoices/").json()["count"] == 4
    assert world.client("b1", "coordinator", api=True).get("/api/v1/invoices/").json()["count"] == 0


def test_issue_via_api(world):
    invoice = draft(world)
    url = f"/api/v1/invoices/{invoice.pk}/issue/"
    assert world.client("a1", "coordinator", api=True).get(url).json()["can_issue"] is True
    response = world.client("a1", "coordinator", api=True).post(url)
    assert response.status_code == 200, response.content
    assert response.json()["number"] == f"{date.today().year}-0001"
    assert response.json()["status"] == "issued"
    again = world.client("a1", "coordinator", api=True).post(url)
    assert again.status_code == 400


def test_member_cannot_issue_and_other_region_gets_404(world):
    invoice = issued(world)
    other = draft(world, subject="x")
    assert world.client("a2", api=True).post(f"/api/v1/invoices/{invoice.pk}/issue/").status_code == 403
    assert world.client("b1", "coordinator", api=True).post(f"/api/v1/invoices/{other.pk}/issue/").status_code == 404
    assert Invoice.objects.unrestricted().get(pk=other.pk).is_draft


def test_issued_invoice_cannot_be_changed_through_the_api(world):
    invoice = issued(world)
    client = world.client("a1", "coordinator", api=True)
    for method in ("put", "patch", "delete"):
        assert (
            getattr(client, method)(f"/api/v1/invoices/{invoice.pk}/", {"subject": "x"}, format="json").status_code
            == 405
        )
    assert Invoice.objects.unrestricted().get(pk=invoice.pk).subject == invoice.subject


def test_pdf_while_being_made_answers_202_then_the_pdf(world):
    invoice = issued(world)
    client = world.client("a2", api=True)
    response = client.get(f"/api/v1/invoices/{invoice.pk}/pdf/")
    assert response.status_code == 202 and response.json()["status"] == "pending"
    from invoicing.tasks import render_document

    render_document(invoice.documents.unrestricted().get().pk)
    response = client.get(f"/api/v1/invoices/{invoice.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_ubl_download(world):
    invoice = issued(world)
    response = world.client("a2", api=True).get(f"/api/v1/invoices/{invoice.pk}/ubl/")
    assert response.status_code == 200
    assert b"urn:fdc:nen.nl:nlcius:v1.0" in response.content
    assert world.client("b1", "coordinator", api=True).get(f"/api/v1/invoices/{invoice.pk}/ubl/").status_code == 404


def test_payments_via_api(world):
    invoice = issued(world)
    url = f"/api/v1/invoices/{invoice.pk}/payments/"
    client = world.client("a1", "coordinator", api=True)
    response = client.post(url, {"amount": "1000.00", "paid_on": "2026-01-05"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "partly_paid"
    assert world.client("a2", api=True).get(url).json()["payments"] == [
        {"amount": "1000.00", "paid_on": "2026-01-05", "reference": ""}
    ]
    assert world.client("a2", api=True).post(url, {"amount": "1.00", "paid_on": "2026-01-05"}).status_code == 403
    assert client.post(url, {"amount": "-1.00", "paid_on": "2026-01-05"}, format="json").status_code == 400


def test_issued_invoice_cannot_be_changed_in_the_admin(world, client):
    from tests.factories import UserFactory

    invoice = issued(world)
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = f"/django-admin/invoicing/invoice/{invoice.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="subject"' not in page.content.decode()  # read-only
    response = client.post(url, {"subject": "Overgenomen"})
    assert response.status_code == 403
    assert client.post(f"/django-admin/invoicing/invoice/{invoice.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Invoice.objects.unrestricted().get(pk=invoice.pk).subject == invoice.subject

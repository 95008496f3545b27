"""Pages of invoicing: list and detail with status, lines, VAT; issuing; credit; downloads; 404 across tenants."""

from datetime import date
from decimal import Decimal

import pytest

from invoicing.models import Invoice
from tests.invoicing.helpers import draft, issued

pytestmark = pytest.mark.django_db


def test_list_page_query_count_does_not_grow(world, django_assert_max_num_queries):
    for _ in range(5):
        issued(world)
    client = world.client("a2")
    with django_assert_max_num_queries(20):
        body = client.get("/facturen/").content.decode()
    assert body.count("/facturen/") >= 5 and "€ 31.279,92" in body


def test_detail_shows_lines_vat_and_download_links(world):
    invoice = issued(world, on=date(2025, 12, 10))
    body = world.client("a2").get(f"/facturen/{invoice.pk}/").content.decode()
    for text in (
        "2025-0001",
        "Onderhoud PGAX-systeem toezicht",
        "€ 5.428,75",
        "€ 31.279,92",
        "10-12-2025",
        "E-factuur (UBL 2.1, NLCIUS)",
        "De PDF wordt gemaakt",
    ):
        assert text in body, text
    assert "Factuur verzenden" not in body and "Betaling registreren" not in body  # the member only looks


def test_issue_button_issues_the_draft(world):
    invoice = draft(world)
    client = world.client("a1", "coordinator")
    assert "Factuur verzenden" in client.get(f"/facturen/{invoice.pk}/").content.decode()
    assert "verandert daarna niet meer" in client.get(f"/facturen/{invoice.pk}/verzenden/").content.decode()
    response = client.post(f"/facturen/{invoice.pk}/verzenden/")
    assert response.status_code == 302
    assert Invoice.objects.unrestricted().get(pk=invoice.pk).number.endswith("-0001")


def test_member_gets_403_on_actions_and_other_region_404(world):
    invoice = issued(world)
    assert world.client("a2").get(f"/facturen/{invoice.pk}/verzenden/").status_code == 403
    assert world.client("b1", "coordinator").get(f"/facturen/{invoice.pk}/").status_code == 404
    assert world.client("b1", "coordinator").get(f"/facturen/{invoice.pk}/e-factuur/").status_code == 404


def test_draft_is_invisible_to_the_recipient(world):
    invoice = draft(world)
    assert world.client("a2").get(f"/facturen/{invoice.pk}/").status_code == 404


def test_credit_page_makes_a_draft_credit_invoice(world):
    invoice = issued(world)
    response = world.client("a1", "coordinator").post(f"/facturen/{invoice.pk}/crediteren/", {"reason": "Fout"})
    assert response.status_code == 302
    note = Invoice.objects.unrestricted().get(credit_for=invoice)
    assert note.is_draft and note.total_incl == -invoice.total_incl


def test_excel_export_per_year_and_member(world):
    import io

    from openpyxl import load_workbook

    issued(world, on=date(2025, 12, 10))
    issued(world, on=date(2026, 1, 5))
    client = world.client("a1", "coordinator")
    assert "Beek (GM0888)" in client.get("/facturen/export/").content.decode()
    response = client.get("/facturen/export/?formaat=xlsx&jaar=2025&gemeente=GM0888")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "2025-0001" and rows[1][3] == "GM0888"
    assert Decimal(str(rows[1][10])) == Decimal("31279.92")
    other = world.client("b1", "coordinator").get("/facturen/export/?formaat=xlsx")
    assert len(list(load_workbook(io.BytesIO(other.content)).active.iter_rows())) == 1


def test_a_portfolio_holder_finds_the_invoices_in_the_menu(world):
    """Issue 17: the invoice list worked for a portfolio holder, but the menu did not offer it."""
    client = world.client("a2", "wethouder")
    home = client.get("/").content.decode()
    assert 'href="/facturen/"' in home
    assert client.get("/facturen/").status_code == 200

"""PDFs (WeasyPrint, in a Celery task, private media): the render never touches the invoice and can be retried."""

from datetime import date

import pytest

from invoicing import documents, services
from invoicing.models import Invoice, InvoiceDocument
from invoicing.tasks import render_document
from tests.invoicing.helpers import coordinator, issued

pytestmark = pytest.mark.django_db


def test_invoice_html_has_dutch_amounts_dates_and_what_the_law_asks(world):
    invoice = issued(world, on=date(2025, 12, 10))
    html = documents.render_html(invoice)
    for text in (
        "2025-0001",
        "10-12-2025",
        "09-01-2026",
        "€ 25.431,17",
        "€ 31.279,92",
        "NL004495445B01",
        "NL002230884B01",
        "Raadhuisplein 22",
        "01-01-2025 tot en met 31-12-2025",
        "Btw 21 %",
    ):
        assert text in html, text


def test_render_stores_a_private_pdf_and_is_idempotent(world, settings):
    invoice = issued(world)
    document = invoice.documents.unrestricted().get()
    assert render_document(document.pk) == "ready"
    document.refresh_from_db()
    assert document.status == "ready" and document.file.name.startswith("invoicing/")
    assert document.file.read(4) == b"%PDF"
    assert str(settings.MEDIA_ROOT) in document.file.path  # private media, served only through views
    assert render_document(document.pk) == "ready"
    assert InvoiceDocument.objects.unrestricted().get(pk=document.pk).attempts == 1


def test_failed_render_is_recorded_and_retried_without_touching_the_invoice(world, monkeypatch):
    invoice = issued(world)
    before = Invoice.objects.unrestricted().filter(pk=invoice.pk).values().get()
    document = invoice.documents.unrestricted().get()

    def broken(html):
        raise RuntimeError("lettertype ontbreekt")

    monkeypatch.setattr(documents, "render_pdf", broken)
    assert render_document(document.pk) == "failed"
    document.refresh_from_db()
    assert document.status == "failed" and "lettertype ontbreekt" in document.error
    page = world.client("a1", "coordinator").get(f"/facturen/{invoice.pk}/pdf/")
    assert "Opnieuw proberen" in page.content.decode()
    monkeypatch.undo()
    services.retry_document(user=coordinator(world), document=document)
    assert render_document(document.pk) == "ready"
    after = Invoice.objects.unrestricted().filter(pk=invoice.pk).values().get()
    assert after == before


def test_reminder_and_interest_claim_letters_render(world):
    invoice = issued(world, on=date(2025, 1, 10))
    services.mark_overdue_and_remind(today=date(2025, 2, 15))
    invoice.refresh_from_db()
    reminder = invoice.documents.unrestricted().get(kind="reminder")
    html = documents.render_html(invoice, "reminder", reminder)
    assert "binnen 14 dagen" in html and invoice.reminder_due_on.strftime("%d-%m-%Y") in html
    claim = services.claim_interest(user=coordinator(world), invoice=invoice, on=date(2025, 6, 1))
    html = documents.render_html(invoice, "interest_claim", claim)
    assert "Vordering wettelijke rente" in html and "art. 6:119 BW" in html
    assert render_document(claim.pk) == "ready"

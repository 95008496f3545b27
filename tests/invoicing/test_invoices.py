"""Invoices (issue #6, SPEC §6.6, Wet OB art. 35a): drafts, totals per VAT rate, issuing, immutability, credit."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from invoicing import services
from invoicing.models import Invoice, InvoiceImmutableError, InvoiceLine, InvoiceStatus
from tests.invoicing.helpers import coordinator, draft, issued, profile

D = Decimal
pytestmark = pytest.mark.django_db


def test_totals_excl_and_incl_vat_rounded_once_per_rate(world):
    invoice = draft(
        world,
        lines=[
            ("A", D("3"), D("0.3333"), "21"),  # 1.00 after rounding the line once
            ("B", D("1"), D("10.05"), "21"),
            ("C", D("1"), D("50.00"), "0"),
        ],
    )
    assert [line.total_excl for line in invoice.lines.unrestricted()] == [D("1.00"), D("10.05"), D("50.00")]
    groups = {g["rate"]: (g["base"], g["vat"]) for g in invoice.vat_breakdown()}
    assert groups == {"21": (D("11.05"), D("2.32")), "0": (D("50.00"), D("0.00"))}
    assert (invoice.total_excl, invoice.total_vat, invoice.total_incl) == (D("61.05"), D("2.32"), D("63.37"))


def test_outside_scope_lines_are_not_mixed_with_vat_lines(world):
    invoice = draft(world)
    with pytest.raises(services.InvoicingError):
        services.add_line(
            user=coordinator(world),
            invoice=invoice,
            description="Doorbelasting",
            quantity=D("1"),
            unit_price=D("10.00"),
            vat_rate="outside",
        )


def test_issue_gives_number_date_due_date_and_stores_both_parties(world):
    invoice = issued(world, on=date(2025, 12, 10))
    assert invoice.number == "2025-0001"
    assert invoice.status == InvoiceStatus.ISSUED
    assert invoice.invoice_date == date(2025, 12, 10)
    assert invoice.due_on == date(2026, 1, 9)  # 30 days
    assert invoice.issuer_details["vat_number"] == "NL004495445B01"
    assert invoice.recipient_details["street"] == "Raadhuisplein 22"
    assert invoice.total_incl == D("31279.92")  # 25,851.17 + 21 % (5,428.75)
    second = issued(world, on=date(2025, 12, 11))
    assert second.number == "2025-0002"
    third = issued(world, on=date(2026, 1, 2))
    assert third.number == "2026-0001"


def test_address_change_after_issue_does_not_rewrite_the_invoice(world):
    invoice = issued(world)
    profile(world.a2, street="Nieuwe Straat 1")
    invoice.refresh_from_db()
    assert invoice.recipient_details["street"] == "Raadhuisplein 22"


def test_issuing_twice_is_refused(world):
    invoice = issued(world)
    with pytest.raises(services.InvoicingError):
        services.issue(user=coordinator(world), invoice=invoice)


def test_only_the_coordinating_staff_of_the_issuer_issue(world):
    invoice = draft(world)
    for user in (world.user("a2", "ambtenaar"), world.user("a1", "ambtenaar"), world.user("b1", "coordinator")):
        with pytest.raises(PermissionDenied):
            services.issue(user=user, invoice=invoice)
    with pytest.raises(PermissionDenied):
        services.create_draft(
            user=world.user("b1", "coordinator"),
            region=world.a,
            recipient=world.a2,
            subject="x",
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
        )


def test_issue_needs_invoicing_details(world):
    invoice = draft(world)
    invoice.issuer.invoicing_profile.delete()
    with pytest.raises(services.InvoicingError):
        services.issue(user=coordinator(world), invoice=invoice)


def test_issued_invoice_refuses_change_through_the_model(world):
    invoice = issued(world)
    invoice.subject = "Anders"
    with pytest.raises(InvoiceImmutableError):
        invoice.save()
    fresh = Invoice.objects.unrestricted().get(pk=invoice.pk)
    fresh.total_incl = D("1.00")
    with pytest.raises(InvoiceImmutableError):
        fresh.save(update_fields=["total_incl"])
    with pytest.raises(InvoiceImmutableError):
        fresh.delete()
    line = InvoiceLine.objects.unrestricted().filter(invoice=invoice).first()
    line.unit_price = D("1.00")
    with pytest.raises(InvoiceImmutableError):
        line.save()
    with pytest.raises(InvoiceImmutableError):
        line.delete()
    with pytest.raises(InvoiceImmutableError):
        InvoiceLine(invoice=invoice, description="erbij", unit_price=D("1")).save()


def test_issued_invoice_refuses_queryset_update_and_delete(world):
    invoice = issued(world)
    with pytest.raises(InvoiceImmutableError):
        Invoice.objects.unrestricted().filter(pk=invoice.pk).update(total_incl=D("1.00"))
    with pytest.raises(InvoiceImmutableError):
        Invoice.objects.unrestricted().filter(pk=invoice.pk).delete()
    with pytest.raises(InvoiceImmutableError):
        InvoiceLine.objects.unrestricted().filter(invoice=invoice).update(unit_price=D("1.00"))
    with pytest.raises(InvoiceImmutableError):
        InvoiceLine.objects.unrestricted().filter(invoice=invoice).delete()
    # The marks of WM-SO 6.9 still move.
    Invoice.objects.unrestricted().filter(pk=invoice.pk).update(overdue_on=date(2026, 1, 10))
    assert Invoice.objects.unrestricted().get(pk=invoice.pk).total_incl == invoice.total_incl


def test_credit_invoice_refers_to_the_original_with_negative_lines(world):
    invoice = issued(world)
    note = services.credit(user=coordinator(world), invoice=invoice, reason="Verkeerde verdeelsleutel")
    assert note.is_draft and note.credit_for == invoice
    assert note.total_incl == -invoice.total_incl
    note = services.issue(user=coordinator(world), invoice=note, on=date(2025, 12, 12))
    assert note.number == "2025-0002"
    with pytest.raises(services.InvoicingError):
        services.credit(user=coordinator(world), invoice=note, reason="nogmaals")


def test_mandate_check_is_one_function(world, monkeypatch):
    """Issuing for another municipality asks the mandate service once (SPEC §5) and records the mandate."""
    invoice = draft(world)
    calls = []

    def refuse(**kwargs):
        calls.append(kwargs)
        return services.MandateCheck(False, None, "mandaat verlopen", "")

    monkeypatch.setattr("invoicing.services.issuing.check_invoicing_mandate", refuse)  # where issue() looks it up
    with pytest.raises(services.InvoicingError, match="mandaat verlopen"):
        services.issue(user=coordinator(world), invoice=invoice)
    assert calls and calls[0]["recipient"] == world.a2
    monkeypatch.setattr(
        "invoicing.services.issuing.check_invoicing_mandate",
        lambda **kw: services.MandateCheck(True, None, "", "Mandaatbesluit WM 2025 #3"),
    )
    issued_invoice = services.issue(user=coordinator(world), invoice=invoice)
    assert issued_invoice.mandate_reference == "Mandaatbesluit WM 2025 #3"


def test_tenancy_recipient_sees_issued_issuer_staff_sees_all_others_nothing(world):
    concept = draft(world, subject="concept")
    sent = issued(world)
    visible = lambda user: set(Invoice.objects.visible_to(user).values_list("pk", flat=True))  # noqa: E731
    assert visible(world.user("a2", "ambtenaar")) == {sent.pk}
    assert visible(world.user("a1", "coordinator")) == {concept.pk, sent.pk}
    assert visible(world.user("a1", "ambtenaar")) == set()
    assert visible(world.user("b1", "coordinator")) == set()
    assert visible(world.user("a2", "wethouder")) == {sent.pk}
    assert not Invoice.objects.restrict(world.user("a2", "ambtenaar"), "change").exists()


def test_create_draft_with_source_key_is_idempotent(world):
    profile(world.a1)
    args = {
        "user": coordinator(world),
        "region": world.a,
        "recipient": world.a2,
        "subject": "Afrekening 2025",
        "period_start": date(2025, 1, 1),
        "period_end": date(2025, 12, 31),
        "source_key": "reckoning:1:GM0888",
    }
    assert services.create_draft(**args).pk == services.create_draft(**args).pk


def test_issue_records_the_mandate_from_the_register(world):
    """SPEC §5: an invoice to another municipality needs a valid invoicing mandate and says which one it used."""
    from tests.invoicing.helpers import grant_invoicing_mandate

    invoice = issued(world)
    assert invoice.mandate == grant_invoicing_mandate(world)
    assert "A-SO-2025" in invoice.mandate_reference


def test_issue_without_mandate_is_refused(world):
    from agreements.models import Mandate

    invoice = draft(world)
    Mandate.objects.unrestricted().all().delete()
    with pytest.raises(services.InvoicingError, match="mandaat"):
        services.issue(user=coordinator(world), invoice=invoice)
    assert Invoice.objects.unrestricted().get(pk=invoice.pk).is_draft


def test_payment_term_and_interest_kind_come_from_the_agreement(world):
    from agreements.models import Agreement
    from tests.invoicing.helpers import grant_invoicing_mandate

    grant_invoicing_mandate(world)
    Agreement.objects.unrestricted().filter(code="A-SO-2025").update(payment_term_days=45, interest_kind="commercial")
    invoice = issued(world, on=date(2025, 12, 10))
    assert invoice.payment_term_days == 45 and invoice.interest_kind == "commercial"
    assert invoice.due_on == date(2026, 1, 24)

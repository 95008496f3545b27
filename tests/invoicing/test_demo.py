"""The demo steps of issues #6 and 12: the WM cycle 2025-2026 (fee 2025, settlement 2025 beside fee 2026), one invoice
paid, one overdue with a reminder, a correction with credit notes; a second ``load_demo`` changes nothing."""

from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from costsharing.models import Fee, Reckoning, ReckoningLine
from invoicing.models import (
    CollectionCost,
    DocumentKind,
    Invoice,
    InvoiceDocument,
    InvoiceStatus,
    Payment,
)
from regio.models import Region
from regio.tenancy import system_actor


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", "--quiet-logins", stdout=out)
    return out.getvalue()


def counts() -> tuple:
    models = [Reckoning, ReckoningLine, Invoice, Payment, InvoiceDocument, CollectionCost]
    return tuple(m.objects.unrestricted().count() for m in models) + tuple(m.history.count() for m in models)


@pytest.mark.django_db
def test_demo_runs_the_wm_cycle_2025_2026_once():
    """Issue 12: the fee 2025 invoiced in December 2025, the settlement 2025 beside the fee 2026 in December 2026,
    then a correction version whose refunds are credit notes (issue #6 states: paid, overdue, paid out, to pay out)."""
    output = load_demo()
    region = Region.objects.unrestricted().get(code="westelijke-mijnstreek")
    coordinator = region.coordinator_on(date(2025, 12, 10))

    # December 2025: the fee 2025 to Stein and Beek only (WM-DVO 6.1); Sittard-Geleen's own share on its statement.
    fee_invoices = list(Invoice.objects.unrestricted().filter(source_key__startswith=f"cycle:{region.pk}:2025:"))
    assert {i.recipient.code for i in fee_invoices} == {"GM0971", "GM0888"}
    assert all(i.issuer == coordinator and i.number.startswith("2025-") and i.mandate_id for i in fee_invoices)
    assert all([line.source_type for line in i.lines.unrestricted()] == ["wm_fee"] for i in fee_invoices)
    assert not Invoice.objects.unrestricted().filter(recipient=coordinator).exists()
    fees = {f.municipality.code: f for f in Fee.objects.unrestricted().filter(region=region, year=2025)}
    assert fees["GM1883"].origin == "own_share" and fees["GM0971"].reference
    assert "eigen aandeel Sittard-Geleen" in output

    paid = [i for i in fee_invoices if i.status == InvoiceStatus.PAID]
    assert len(paid) == 1
    assert paid[0].paid_amount() == paid[0].total_incl > 0 and paid[0].reminded_on is None
    overdue = [i for i in fee_invoices if i.overdue_on]
    assert len(overdue) == 1 and overdue[0] != paid[0]
    late = overdue[0]
    assert late.status == InvoiceStatus.ISSUED and late.outstanding() == late.total_incl > 0
    assert late.reminded_on and late.reminder_due_on and late.due_on < late.overdue_on
    assert InvoiceDocument.objects.unrestricted().filter(invoice=late, kind=DocumentKind.REMINDER).exists()
    costs = CollectionCost.objects.unrestricted().get(invoice=late)
    assert costs.amount == costs.statutory_amount > 0 and costs.principal == late.total_incl
    assert f"{paid[0].number} {paid[0].recipient.name} betaald" in output
    assert f"{late.number} {late.recipient.name} te laat" in output

    # December 2026: the settlement of 2025 (never 2026) beside the fee 2026, one invoice per member (WM-SO 6.7).
    reckoning = Reckoning.objects.unrestricted().get(region=region, year=2025, version=1)
    assert reckoning.status == Reckoning.Status.SETTLED
    assert reckoning.approved_by.username == "sittard-geleen-coordinator"
    assert not Reckoning.objects.unrestricted().filter(region=region, year=2026).exists()
    cycle = list(Invoice.objects.unrestricted().filter(source_key__startswith=f"cycle:{region.pk}:2026:"))
    assert {i.recipient.code for i in cycle} == {"GM0971", "GM0888"}
    for invoice in cycle:
        assert invoice.number.startswith("2026-") and invoice.invoice_date == date(2026, 12, 3)
        sources = [line.source_type for line in invoice.lines.unrestricted().order_by("pk")]
        assert sources == ["wm_fee", "reckoning_line"]

    # The correction step: a supplier's credit after settlement gives version 2, whose refunds are credit notes.
    correction = Reckoning.objects.unrestricted().get(region=region, year=2025, version=2)
    assert correction.previous_id == reckoning.pk and correction.status == Reckoning.Status.SETTLED
    refunds = list(
        Invoice.objects.unrestricted()
        .filter(source_key__startswith=f"reckoning:{correction.pk}:")
        .select_related("recipient")
        .order_by("number")
    )
    assert [i.recipient.code for i in refunds] == ["GM0971", "GM0888"]
    assert all(i.is_credit_note and i.is_refund and i.number.startswith("2026-") for i in refunds)
    stein, beek = refunds
    # Each credit note names the December 2026 invoice that settled the first version (EN 16931 BT-25).
    assert stein.credit_reference == next(i.number for i in cycle if i.recipient.code == "GM0971")
    # Beek's share of the € 12,000.00 credit by 69/19/12 is € 1,440.00, plus 21 % VAT (WM-SO 6.8).
    assert beek.to_pay_out() == 0 and beek.payouts.unrestricted().get().amount == Decimal("1742.40")
    assert stein.to_pay_out() == Decimal("2758.80")
    assert f"{beek.number} Beek uitbetaald (€ 1.742,40)" in output
    assert f"{stein.number} Stein nog uit te betalen" in output

    before = counts()
    again = load_demo()
    assert "WM 2025: bijdrage 2025 al gefactureerd" in again
    assert "WM 2026: bijdrage 2026 en afrekening 2025 al gefactureerd" in again
    assert "WM 2025 (versie 2): correctie al gefactureerd" in again
    assert counts() == before


@pytest.mark.django_db
def test_demo_step_without_invoicing_details_rolls_back_and_says_why():
    from django.conf import settings

    from invoicing.demo import invoice_westelijke_mijnstreek
    from regio.regionfile.loader import import_file

    for path in sorted((Path(settings.BASE_DIR) / "demo").glob("*.yaml")):
        if not path.name.startswith("40-invoicing"):
            import_file(path, user=system_actor("test"))
    line = invoice_westelijke_mijnstreek()
    assert line.startswith("WM 2025: niet gefactureerd: Vul eerst de factuurgegevens"), line
    assert not Reckoning.objects.unrestricted().filter(region__code="westelijke-mijnstreek", year=2025).exists()
    assert not Invoice.objects.unrestricted().exists()

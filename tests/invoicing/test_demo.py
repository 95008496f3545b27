"""The demo step of issue #6: the WM 2025 reckoning approved and invoiced, one invoice paid, one overdue with a
reminder; a second ``load_demo`` changes nothing."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from costsharing.models import Reckoning, ReckoningLine
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
def test_demo_invoices_the_wm_2025_reckoning_once():
    output = load_demo()
    region = Region.objects.unrestricted().get(code="westelijke-mijnstreek")
    reckoning = Reckoning.objects.unrestricted().get(region=region, year=2025, version=1)
    assert reckoning.status == Reckoning.Status.SETTLED
    assert reckoning.approved_at and reckoning.approved_by.username == "sittard-geleen-coordinator"

    # invoice_reckoning: one invoice per member with something to settle, never to the coordinating municipality.
    coordinator = region.coordinator_on(reckoning.approved_at.date())
    lines = ReckoningLine.objects.unrestricted().filter(reckoning=reckoning).exclude(municipality=coordinator)
    expected = {line.municipality.code for line in lines if line.difference != 0}
    invoices = list(Invoice.objects.unrestricted().filter(source_key__startswith=f"reckoning:{reckoning.pk}:"))
    assert {i.recipient.code for i in invoices} == expected == {"GM0971", "GM0888"}
    assert all(i.issuer == coordinator and i.number and i.mandate_id for i in invoices)
    assert not Invoice.objects.unrestricted().filter(recipient=coordinator).exists()

    paid = [i for i in invoices if i.status == InvoiceStatus.PAID]
    assert len(paid) == 1
    assert paid[0].paid_amount() == paid[0].total_incl > 0 and paid[0].reminded_on is None

    overdue = [i for i in invoices if i.overdue_on]
    assert len(overdue) == 1 and overdue[0] != paid[0]
    late = overdue[0]
    assert late.status == InvoiceStatus.ISSUED and late.outstanding() == late.total_incl > 0
    assert late.reminded_on and late.reminder_due_on and late.due_on < late.overdue_on
    assert InvoiceDocument.objects.unrestricted().filter(invoice=late, kind=DocumentKind.REMINDER).exists()
    costs = CollectionCost.objects.unrestricted().get(invoice=late)
    assert costs.amount == costs.statutory_amount > 0 and costs.principal == late.total_incl
    assert f"{paid[0].number} {paid[0].recipient.name} betaald" in output
    assert f"{late.number} {late.recipient.name} te laat" in output

    # The correction step: a supplier's credit after settlement gives version 2, whose refunds are credit notes in
    # the next year's sequence; one is paid out, the other still to pay out.
    correction = Reckoning.objects.unrestricted().get(region=region, year=2025, version=2)
    assert correction.previous_id == reckoning.pk and correction.status == Reckoning.Status.SETTLED
    refunds = list(
        Invoice.objects.unrestricted()
        .filter(source_key__startswith=f"reckoning:{correction.pk}:")
        .select_related("recipient")
        .order_by("number")
    )
    assert [(i.number, i.recipient.code) for i in refunds] == [("2026-0001", "GM0971"), ("2026-0002", "GM0888")]
    assert all(i.is_credit_note and i.is_refund for i in refunds)
    beek, stein = refunds[1], refunds[0]
    # Beek's share of the € 12,000.00 credit by 69/19/12 is € 1,440.00, plus 21 % VAT (WM-SO 6.8).
    assert beek.to_pay_out() == 0 and beek.payouts.unrestricted().get().amount == Decimal("1742.40")
    assert stein.to_pay_out() == Decimal("2758.80")
    assert "2026-0002 Beek uitbetaald (€ 1.742,40)" in output and "2026-0001 Stein nog uit te betalen" in output

    before = counts()
    again = load_demo()
    assert "WM 2025 (versie 2): afrekening al gefactureerd" in again
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

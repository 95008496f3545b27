"""Invoicing the leaver's bill (WM-SO 16.3-16.4; BNO 15.4) and the secondment credit (WM-SO 4.10) through the
ordinary draft/issue services: numbered, mandated, twice gives nothing new."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from agreements.models import Mandate
from costsharing import services as costsharing_services
from costsharing.models import BudgetLine, ExitStatus
from invoicing import services
from invoicing.models import Invoice
from invoicing.services.exit_bill import invoice_exit_statement, invoice_secondments
from tests.costsharing.builders import WM
from tests.costsharing.test_leavers import effected_notice, wm_agreement
from tests.invoicing.helpers import profile

D = Decimal
pytestmark = pytest.mark.django_db


def _wm_ready():
    wm = WM()
    agreement = wm_agreement(wm)
    for m in (wm.sg, wm.stein, wm.beek):
        profile(m)
    for m in (wm.stein, wm.beek):
        Mandate.objects.create(
            agreement=agreement,
            mandating=m,
            mandated=wm.sg,
            mandated_body="college",
            powers=["invoicing"],
            valid_from=date(2025, 4, 1),
        )
    return wm, agreement


def test_leaver_bill_is_one_issued_invoice_naming_each_article():
    wm, agreement = _wm_ready()
    BudgetLine.objects.create(
        region=wm.region, year=2028, category="legal", description="Juridisch", amount=D("300000.00")
    )
    notice = effected_notice(
        wm.coordinator, agreement, wm.beek, received=date(2028, 6, 1), effect_on=date(2028, 7, 1), dissolution=True
    )
    statement = costsharing_services.draw_up_exit_statement(user=wm.coordinator, notice=notice)
    costsharing_services.enter_exit_amount(
        user=wm.coordinator,
        statement=statement,
        kind="staff",
        description="Boventallig: 0,8 fte consulent schaal 10",
        basis="Loonkosten tot herplaatsing",
        amount=D("38880.00"),
    )
    with pytest.raises(services.InvoicingError, match="vast"):
        invoice_exit_statement(user=wm.coordinator, statement=statement, on=date(2028, 7, 15))
    costsharing_services.finalise_exit_statement(user=wm.coordinator, statement=statement)
    invoice = invoice_exit_statement(user=wm.coordinator, statement=statement, on=date(2028, 7, 15))
    assert invoice.recipient == wm.beek and invoice.number.startswith("2028-") and invoice.mandate_id
    assert invoice.total_excl == D("56880.00")
    lines = list(invoice.lines.unrestricted().order_by("position"))
    assert [line.source_type for line in lines] == ["exit_line", "exit_line"]
    assert all("WM-SO 16.3-16.4" in line.description for line in lines)
    statement.refresh_from_db()
    assert statement.status == ExitStatus.INVOICED
    assert invoice_exit_statement(user=wm.coordinator, statement=statement, on=date(2028, 7, 16)) == invoice
    assert Invoice.objects.unrestricted().count() == 1


def test_only_the_coordinating_staff_invoice_and_never_themselves():
    from django.core.exceptions import PermissionDenied

    wm, agreement = _wm_ready()
    lines = costsharing_services.enter_termination_consequences(
        user=wm.coordinator,
        agreement=agreement,
        end_date=date(2030, 1, 1),
        description="Frictiekosten",
        basis="Opheffingsplan",
        amount=D("1000.00"),
    )
    own = next(line.statement for line in lines if line.statement.municipality == wm.sg)
    costsharing_services.finalise_exit_statement(user=wm.coordinator, statement=own)
    with pytest.raises(services.InvoicingError, match="zichzelf"):
        invoice_exit_statement(user=wm.coordinator, statement=own)
    beek = next(line.statement for line in lines if line.statement.municipality == wm.beek)
    costsharing_services.finalise_exit_statement(user=wm.coordinator, statement=beek)
    with pytest.raises(PermissionDenied):
        invoice_exit_statement(user=wm.beek_user, statement=beek)
    assert not Invoice.objects.unrestricted().exists()


def test_wm_so_4_10_secondment_credit_note_of_its_own():
    """docs/costsharing.md: Stein seconds 0,5 fte contract manager (scale 10) in 2026; the cost owed to Stein is
    € 48.600,00. With the region's choice "credit" Stein gets a credit note of 48.600,00 excl. VAT (58.806,00
    incl.)."""
    wm, _agreement = _wm_ready()
    costsharing_services.record_secondment(
        user=wm.coordinator,
        region=wm.region,
        year=2026,
        municipality=wm.stein,
        function="Contractmanager",
        scale=10,
        fte=D("0.5"),
        amount=D("48600.00"),
        basis="0,5 fte schaal 10 volgens de detacheringsovereenkomst",
    )
    result = invoice_secondments(user=wm.coordinator, region=wm.region, year=2026, on=date(2026, 12, 1))
    (note,) = result.credit_notes
    assert note.recipient == wm.stein and note.is_refund
    assert (note.total_excl, note.total_incl) == (D("-48600.00"), D("-58806.00"))
    assert note.lines.unrestricted().get().source_type == "secondment"
    assert result.offsets == [] and result.open == []
    again = invoice_secondments(user=wm.coordinator, region=wm.region, year=2026, on=date(2026, 12, 2))
    assert again.credit_notes == [note] and Invoice.objects.unrestricted().count() == 1


def test_wm_so_4_10_secondment_set_off_against_the_fee():
    """The region's choice "offset": the credit note is set off against Stein's open fee invoice of 2026 (art. 6:127
    BW), so Stein owes 57.000,00 + VAT − 48.600,00 + VAT = 10.164,00 on it."""
    wm, _agreement = _wm_ready()
    costsharing_services.set_secondment_settlement(user=wm.coordinator, region=wm.region, settlement="offset")
    costsharing_services.record_secondment(
        user=wm.coordinator,
        region=wm.region,
        year=2026,
        municipality=wm.stein,
        function="Contractmanager",
        fte=D("0.5"),
        amount=D("48600.00"),
        basis="detacheringsovereenkomst",
    )
    fee = services.create_draft(
        user=wm.coordinator,
        region=wm.region,
        recipient=wm.stein,
        subject="Bijdrage Wmo 2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    services.add_line(
        user=wm.coordinator, invoice=fee, description="Bijdrage 2026", quantity=D("1"), unit_price=D("57000.00")
    )
    fee = services.issue(user=wm.coordinator, invoice=fee, on=date(2026, 12, 1))
    result = invoice_secondments(user=wm.coordinator, region=wm.region, year=2026, on=date(2026, 12, 1))
    assert len(result.offsets) == 1 and result.open == []
    fee.refresh_from_db()
    assert fee.outstanding() == D("10164.00")

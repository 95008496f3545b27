"""The leaver's exit year is charged exactly once (issue 12): the fee of the exit year is pro rata until the exit date
(WM-SO 16.3; WM-2015 6.7; BNO 15.4) and the members that stay carry the rest by their key (WM-SO 6.2, 16.5); the
leaver's exit statement takes the fee's place for that year, or, when the fee was invoiced before the notice took
effect, lists it and charges only the difference (a credit note, the fee invoice unchanged); the settlement of the
exit year (December after, WM-SO 6.7) compares the leaver's pro-rata actual share against everything invoiced for it.
The worked example of docs/costsharing.md ("The exit year: one owner per euro")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from agreements.models import Party
from costsharing import services
from costsharing.models import ExitLineKind, Fee, ReckoningLine
from invoicing import services as invoicing
from invoicing.models import DocumentType
from tests.costsharing.test_leavers import effected_notice
from tests.costsharing.test_yearly_cycle import _actual, _budget, _by_member, _lines

D = Decimal
pytestmark = pytest.mark.django_db


def _parties(wm):
    """The cycle's agreement with its three parties and WM-SO 16.2's default notice of 30 days."""
    agreement = wm.calendar.agreement
    agreement.default_notice_days = 30
    agreement.exit_citations = {"obligations": "WM-SO 16.3-16.4", "default_notice": "WM-SO 16.2"}
    agreement.save()
    for m in (wm.sg, wm.stein, wm.beek):
        Party.objects.create(agreement=agreement, municipality=m, role="coordinerend" if m == wm.sg else "")
    return agreement


def _settle_2026(wm, django_capture_on_commit_callbacks) -> dict[str, ReckoningLine]:
    """December 2027: the beat job settles 2026 (WM-SO 6.7); approved, as the coordinating staff do."""
    with django_capture_on_commit_callbacks(execute=True):
        services.start_calendar_steps(on=date(2027, 12, 1))
    settlement = services.approve_reckoning(
        user=wm.coordinator, reckoning=services.latest_reckoning(region=wm.region, year=2026)
    )
    return {
        line.municipality.name: line
        for line in ReckoningLine.objects.unrestricted().filter(reckoning=settlement).select_related("municipality")
    }


def test_exit_1_july_known_before_the_december_run_the_exit_statement_takes_the_fees_place(
    cycle, django_capture_on_commit_callbacks
):
    """(a) Beek (12 %) dissolves after a default notice of 1-6-2026 and is out per 1-7-2026 (WM-SO 16.2). Budget 2026
    € 300.000,00. Its exit statement (July) charges its share until the exit: 12 % of half the year = 18.000,00. The
    December 2026 run records the fee 2026 pro rata: Beek 18.000,00, Stein 60.886,36, Sittard-Geleen 221.113,64 (the
    second half 69/88 and 19/88), adding up to 300.000,00; it invoices Stein only (Beek's part is on its statement).
    Actual 2026 € 312.000,00, settled in December 2027: Beek's actual share 18.720,00 against the 18.000,00 invoiced
    on its statement: 720,00 extra, on its December 2027 invoice."""
    wm, user = cycle, cycle.coordinator
    agreement = _parties(wm)
    _budget(wm, 2026, "300000.00")
    notice = effected_notice(
        user, agreement, wm.beek, received=date(2026, 6, 1), effect_on=date(2026, 7, 1), dissolution=True
    )
    statement = services.draw_up_exit_statement(user=user, notice=notice)
    assert [(line.kind, line.amount) for line in statement.lines.unrestricted()] == [
        (ExitLineKind.PRO_RATA, D("18000.00"))
    ]
    services.finalise_exit_statement(user=user, statement=statement)
    exit_invoice = invoicing.invoice_exit_statement(user=user, statement=statement, on=date(2026, 7, 15))
    assert exit_invoice.total_excl == D("18000.00")

    december = invoicing.invoice_cycle(user=user, region=wm.region, year=2026, on=date(2026, 12, 10))
    fees = {f.municipality.name: f.amount for f in services.fees_of(region=wm.region, year=2026)}
    assert fees == {"Sittard-Geleen": D("221113.64"), "Stein": D("60886.36"), "Beek": D("18000.00")}
    assert sum(fees.values()) == D("300000.00")
    invoices = _by_member(december.invoices)
    assert set(invoices) == {"Stein"}  # Beek's fee of its exit year is on its exit statement, not invoiced twice
    assert _lines(invoices["Stein"]) == [("wm_fee", D("60886.36"))]
    assert invoicing.invoice_cycle(user=user, region=wm.region, year=2026, on=date(2026, 12, 11)).created == 0

    _actual(wm, 2026, "312000.00")
    lines = _settle_2026(wm, django_capture_on_commit_callbacks)
    beek = lines["Beek"]
    assert (beek.share, beek.advances, beek.difference) == (D("18720.00"), D("18000.00"), D("720.00"))
    assert lines["Stein"].advances == D("60886.36")
    assert sum(line.share for line in lines.values()) == D("312000.00")
    assert sum(line.advances for line in lines.values()) == D("300000.00")  # every euro of the fee once
    assert sum(line.difference for line in lines.values()) == D("12000.00")

    december_2027 = invoicing.invoice_cycle(user=user, region=wm.region, year=2027, on=date(2027, 12, 10))
    assert _lines(_by_member(december_2027.invoices)["Beek"]) == [("reckoning_line", D("720.00"))]


def test_fee_invoiced_before_the_notice_took_effect_is_deducted_on_the_exit_statement_never_edited(
    cycle, django_capture_on_commit_callbacks
):
    """(b) The December 2026 run (1-12-2026) invoices the full-year fee 2026: Beek 36.000,00. Beek's dissolution of
    1-11-2026 takes effect per 1-12-2026, after that run. Its statement charges its share until the exit (11 of 12
    months: 33.000,00) and lists the fee already invoiced (−36.000,00): 3.000,00 back, on a credit note; the fee and
    its invoice stay as they are. Beek is charged 33.000,00 for 2026 in all. The settlement of 2026 (December 2027):
    actual € 312.000,00, Beek's share 34.320,00 against 33.000,00: 1.320,00 extra."""
    wm, user = cycle, cycle.coordinator
    agreement = _parties(wm)
    _budget(wm, 2026, "300000.00")
    december = invoicing.invoice_cycle(user=user, region=wm.region, year=2026, on=date(2026, 12, 1))
    fee_invoice = _by_member(december.invoices)["Beek"]
    assert fee_invoice.total_excl == D("36000.00")

    notice = effected_notice(
        user, agreement, wm.beek, received=date(2026, 11, 1), effect_on=date(2026, 12, 1), dissolution=True
    )
    assert notice.exit_date == date(2026, 12, 1)
    statement = services.draw_up_exit_statement(user=user, notice=notice)
    kinds = [(line.kind, line.amount) for line in statement.lines.unrestricted().order_by("position")]
    assert kinds == [(ExitLineKind.PRO_RATA, D("33000.00")), (ExitLineKind.FEE_INVOICED, D("-36000.00"))]
    assert services.statement_total(statement) == D("-3000.00")
    services.finalise_exit_statement(user=user, statement=statement)
    invoice = invoicing.invoice_exit_statement(user=user, statement=statement, on=date(2026, 12, 5))
    credit = invoice.__class__.objects.unrestricted().get(source_key=f"exit:{statement.pk}:terug")
    assert credit.document_type == DocumentType.CREDIT_NOTE and abs(credit.total_excl) == D("36000.00")
    assert credit.credit_reference == fee_invoice.number  # the credit note names the fee invoice it corrects
    assert invoice.total_excl == D("33000.00")
    assert invoicing.invoice_exit_statement(user=user, statement=statement) == invoice  # twice: nothing new
    fee = Fee.objects.unrestricted().get(region=wm.region, municipality=wm.beek, year=2026)
    assert (fee.amount, fee.reference) == (D("36000.00"), fee_invoice.number)  # never edited
    charged = fee_invoice.total_excl + invoice.total_excl - abs(credit.total_excl)
    assert charged == D("33000.00")  # its pro-rata share of the fee, exactly once

    _actual(wm, 2026, "312000.00")
    lines = _settle_2026(wm, django_capture_on_commit_callbacks)
    beek = lines["Beek"]
    assert (beek.share, beek.advances, beek.difference) == (D("34320.00"), D("33000.00"), D("1320.00"))
    assert sum(line.share for line in lines.values()) == D("312000.00")
    assert sum(line.advances + line.difference for line in lines.values()) == D("312000.00")


def test_statement_drawn_up_after_the_pro_rata_fee_was_invoiced_charges_nothing_twice(
    cycle, django_capture_on_commit_callbacks
):
    """(c) Beek out per 1-7-2026; nobody draws up its statement before the December run, which invoices its pro-rata
    fee 2026 (18.000,00). The statement drawn up afterwards lists its share (18.000,00) and the fee already invoiced
    (−18.000,00): nothing more for the year; the settlement of 2026 counts 18.000,00 once."""
    wm, user = cycle, cycle.coordinator
    agreement = _parties(wm)
    _budget(wm, 2026, "300000.00")
    notice = effected_notice(
        user, agreement, wm.beek, received=date(2026, 6, 1), effect_on=date(2026, 7, 1), dissolution=True
    )
    december = invoicing.invoice_cycle(user=user, region=wm.region, year=2026, on=date(2026, 12, 10))
    assert _lines(_by_member(december.invoices)["Beek"]) == [("wm_fee", D("18000.00"))]
    statement = services.draw_up_exit_statement(user=user, notice=notice)
    assert services.statement_total(statement) == D("0.00")
    _actual(wm, 2026, "312000.00")
    beek = _settle_2026(wm, django_capture_on_commit_callbacks)["Beek"]
    assert (beek.share, beek.advances, beek.difference) == (D("18720.00"), D("18000.00"), D("720.00"))

"""The settlement of an exit year's actual costs is pro rata temporis (WM-SO 16.3), and the December fee and the
settlement leave beschermd wonen out (WM-DVO 6.1 "exclusief beschermd wonen")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from agreements.models import Agreement
from costsharing import services
from costsharing.models import ActualCostLine, BudgetLine, CaoStep, FormationLine
from regio.tenancy import system_actor
from tests.costsharing.test_leavers import wm_agreement

D = Decimal
pytestmark = pytest.mark.django_db


def _agreement(wm, *, beek_left: date | None) -> Agreement:
    return wm_agreement(wm, beek_left=beek_left)


def _actuals(wm, year: int, amount: str) -> None:
    ActualCostLine.objects.create(
        region=wm.region, year=year, date=date(year, 3, 1), category="legal", description="advies", amount=D(amount)
    )


def _shares(computation) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for part in computation.parts:
        for p in part.parts:
            out[p.municipality.name] = out.get(p.municipality.name, D("0")) + p.amount
    return out


def test_a_member_leaving_on_1_july_bears_half_its_share_of_the_actuals_and_the_split_adds_up(wm):
    """Beek (12 %) leaves on 1 July 2028: half a year at 12 % = 6 % of the actual costs; the rest of the second half
    goes to Sittard-Geleen and Stein by 69:19. The parts add up to the cent (SPEC §6.1)."""
    _agreement(wm, beek_left=date(2028, 7, 1))
    _actuals(wm, 2028, "312000.01")
    computation = services.compute_reckoning(region=wm.region, year=2028)
    shares = _shares(computation)
    assert sum(shares.values()) == computation.total == D("312000.01")
    assert shares["Beek"] == D("18720.00")  # 312.000,01 × 6 %
    # Second half: 156.000,005 over 69:19 → Stein 19/88 of it, plus 19 % of the first half.
    exact_stein = D("312000.01") * (D("0.19") / 2 + D("19") / D("88") / 2)
    assert abs(shares["Stein"] - exact_stein) < D("0.01")
    assert shares["Sittard-Geleen"] > D("0.69") * D("312000.01")
    weights = {p.municipality.name: p.weight for p in computation.parts[0].parts}
    assert weights["Beek"] == D("6.000000")


def test_a_year_without_a_leaver_keeps_the_key_and_a_later_exit_changes_nothing_before_it(wm):
    _agreement(wm, beek_left=date(2029, 1, 1))  # the first day of 2029: all of 2028 a party
    _actuals(wm, 2028, "300000.00")
    shares = _shares(services.compute_reckoning(region=wm.region, year=2028))
    assert shares == {"Sittard-Geleen": D("207000.00"), "Stein": D("57000.00"), "Beek": D("36000.00")}
    _actuals(wm, 2029, "300000.00")
    shares_2029 = _shares(services.compute_reckoning(region=wm.region, year=2029))
    assert shares_2029.get("Beek", D("0")) == D("0.00")
    assert sum(shares_2029.values()) == D("300000.00")


def test_the_settlement_of_the_exit_year_is_approved_with_the_pro_rata_shares(wm):
    """Through the stored reckoning (the weights column holds six decimals): the parts are stored, not only shown."""
    from costsharing.models import ReckoningItem

    _agreement(wm, beek_left=date(2028, 7, 1))
    _actuals(wm, 2028, "1000.00")
    reckoning = services.request_reckoning(user=wm.coordinator, region=wm.region, year=2028, start=False)
    services.perform_reckoning(reckoning_id=reckoning.pk)
    stored = {
        p.municipality.name: (p.weight, p.amount)
        for p in ReckoningItem.objects.unrestricted().filter(reckoning__region=wm.region, reckoning__year=2028)
    }
    assert stored["Beek"] == (D("6.000000"), D("60.00"))
    assert sum(amount for _w, amount in stored.values()) == D("1000.00")


def _staff_bw(wm, year: int) -> None:
    FormationLine.objects.create(
        region=wm.region, year=year, task_area="purchasing", function="Inkoper", scale=10, fte=D("1")
    )
    # Beschermd wonen staff (the builder maps staff_bw to the 69/19/12 key, so Stein and Beek would pay for it).
    FormationLine.objects.create(
        region=wm.region, year=year, task_area="protected_housing", function="Consulent bw", scale=10, fte=D("3")
    )


def test_the_fee_leaves_beschermd_wonen_staff_out_wm_dvo_6_1(wm):
    """WM-DVO 6.1: "Facturatie voor de taken (exclusief beschermd wonen) geschiedt éénmaal per jaar": the fee carries
    the purchasing staff only; three fte of beschermd-wonen staff would more than triple it."""
    CaoStep.objects.create(region=wm.region, effective_date=date(2024, 10, 1), percentage=D("1.25"), source="cao")
    services.index_norms(user=system_actor("test"), region=wm.region, through_year=2025)
    _staff_bw(wm, 2025)
    fee = services.compute_fee(region=wm.region, year=2025)
    only_purchasing = FormationLine.objects.filter(region=wm.region, task_area="protected_housing")
    only_purchasing.delete()
    without_bw = services.compute_fee(region=wm.region, year=2025)
    assert fee.total == without_bw.total > 0
    assert fee.shares == without_bw.shares
    assert not any("beschermd wonen" in s for s in fee.sources)


def test_the_settlement_leaves_beschermd_wonen_out_wm_dvo_6_1(wm):
    CaoStep.objects.create(region=wm.region, effective_date=date(2024, 10, 1), percentage=D("1.25"), source="cao")
    services.index_norms(user=system_actor("test"), region=wm.region, through_year=2025)
    _staff_bw(wm, 2025)
    ActualCostLine.objects.create(
        region=wm.region, year=2025, date=date(2025, 5, 1), category="staff_bw", description="bw", amount=D("5000")
    )
    BudgetLine.objects.create(region=wm.region, year=2025, category="legal", description="jur", amount=D("100.00"))
    computation = services.compute_reckoning(region=wm.region, year=2025)
    assert {c.category for c in computation.parts} == {"staff"}
    cycle = services.compute_cycle(regions=[wm.region], year=2026)["settlements"][wm.region.pk]
    assert cycle.total == computation.total


def test_secondment_shows_on_the_members_statement_page_and_pdf_wm_so_4_10(wm, client):
    """WM-SO 4.10: what Stein seconded in the year shows on its statement (page and PDF) with what it is owed; Beek,
    another member, does not see Stein's secondment."""
    import shutil
    import subprocess

    _actuals(wm, 2028, "1000.00")
    services.record_secondment(
        user=wm.coordinator,
        region=wm.region,
        year=2028,
        municipality=wm.stein,
        function="Toezichthouder Wmo",
        fte=D("0.5"),
        amount=D("31234.56"),
        basis="Loonkosten volgens de detacheringsovereenkomst",
    )
    reckoning = services.request_reckoning(user=wm.coordinator, region=wm.region, year=2028, start=False)
    services.perform_reckoning(reckoning_id=reckoning.pk)
    client.force_login(wm.coordinator)
    page = client.get(f"/kostenverdeling/afrekeningen/{reckoning.pk}/").content.decode()
    assert "Detachering 2028 (WM-SO 4.10)" in page and "€ 31.234,56" in page and "Toezichthouder Wmo" in page
    pdf = client.get(f"/kostenverdeling/afrekeningen/{reckoning.pk}/?formaat=pdf&gemeente=GM0971")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.content, capture_output=True, check=True)
        words = " ".join(text.stdout.decode().split())
        assert "Detachering 2028 (WM-SO 4.10)" in words and "€ 31.234,56" in words
    client.force_login(wm.beek_user)
    assert "Toezichthouder Wmo" not in client.get(f"/kostenverdeling/afrekeningen/{reckoning.pk}/").content.decode()


def test_the_leavers_share_of_its_exit_year_leaves_beschermd_wonen_out_wm_dvo_6_1(wm):
    """The leaver's pro-rata line rests on the exit year's fee basis: no line for the beschermd-wonen staff, whose
    three fte would otherwise be split by the 69/19/12 key of the builder. (Norms are indexed up to next year.)"""
    from costsharing.models import ExitStatementLine
    from tests.costsharing.test_leavers import effected_notice

    CaoStep.objects.create(region=wm.region, effective_date=date(2024, 10, 1), percentage=D("1.25"), source="cao")
    services.index_norms(user=system_actor("test"), region=wm.region, through_year=2027)
    _staff_bw(wm, 2027)
    agreement = _agreement(wm, beek_left=None)
    notice = effected_notice(
        wm.coordinator, agreement, wm.beek, received=date(2027, 6, 1), effect_on=date(2027, 7, 1), dissolution=True
    )
    statement = services.draw_up_exit_statement(user=wm.coordinator, notice=notice)
    lines = list(ExitStatementLine.objects.unrestricted().filter(statement=statement, kind="pro_rata"))
    assert [line.description.split(" 2027")[0] for line in lines] == [
        "a. personeel inkoop, contract- en leveranciersmanagement"
    ]
    assert lines[0].amount > 0

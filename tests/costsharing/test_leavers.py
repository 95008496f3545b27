"""The leaver's bill (WM-SO 16.3-16.6, WM-2015 6.7, BNO 15.4) and secondment (WM-SO 4.10): the worked examples of
docs/costsharing.md ("Leaving and secondment") as named tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from agreements import services as agreement_services
from agreements.models import Agreement, Party
from costsharing import services
from costsharing.models import BudgetLine, CategoryKey, ExitLineKind, ExitStatementLine, ExitStatus
from costsharing.services.leavers import Period, pro_rata_weights, year_fraction
from costsharing.split import split_weights
from tests.costsharing.builders import BNO, WM

D = Decimal
pytestmark = pytest.mark.django_db


def wm_agreement(wm: WM, *, beek_left: date | None = None) -> Agreement:
    agreement = Agreement.objects.create(
        code="WM-SO-2025",
        kind="samenwerkingsovereenkomst",
        title="Regionale Samenwerkingsovereenkomst Westelijke Mijnstreek 2025",
        region=wm.region,
        coordinator=wm.sg,
        effective_from=date(2025, 4, 1),
        exit_first_possible_end=date(2029, 4, 1),
        exit_min_notice_months=12,
        default_notice_days=30,
        exit_citations={"notice": "WM-SO 16.1", "obligations": "WM-SO 16.3-16.4", "default_notice": "WM-SO 16.2"},
    )
    Party.objects.create(agreement=agreement, municipality=wm.sg, role="coordinerend")
    Party.objects.create(agreement=agreement, municipality=wm.stein)
    Party.objects.create(agreement=agreement, municipality=wm.beek, left_on=beek_left)
    return agreement


def bno_agreement(bno: BNO) -> Agreement:
    agreement = Agreement.objects.create(
        code="BNO-2020",
        kind="centrumregeling",
        title="Centrumregeling Wmo Brabant Noordoost-oost 2020-2023",
        region=bno.region,
        coordinator=bno.m["Oss"],
        effective_from=date(2020, 1, 1),
        effective_until=date(2023, 12, 31),
        exit_fixed_end_month=1,
        exit_fixed_end_day=1,
        exit_min_notice_months=12,
        exit_requires_registered_letter=True,
        exit_obligations_until=date(2024, 1, 1),
        exit_citations={
            "fixed_day": "BNO 15.2",
            "notice": "BNO 15.3",
            "registered_letter": "BNO 15.3",
            "obligations": "BNO 15.4",
            "term": "BNO 22.2",
        },
    )
    for name, m in bno.m.items():
        Party.objects.create(
            agreement=agreement, municipality=m, role="centrumgemeente" if name == "Oss" else "deelnemer"
        )
    services.generate_population_version(
        user=bno.coordinator, key=bno.key, reference_year=2018, valid_from=date(2020, 1, 1)
    )
    CategoryKey.objects.create(region=bno.region, category="staff", key=bno.key)
    return agreement


def effected_notice(user, agreement, municipality, *, received: date, effect_on: date, dissolution=False):
    notice = agreement_services.receive_notice(
        user=user,
        agreement=agreement,
        municipality=municipality,
        received_on=received,
        kind="ontbinding" if dissolution else "opzegging",
        registered_letter=True,
    )
    notice = agreement_services.register_notice(user=user, notice=notice, on=received)
    return agreement_services.effect_notice(user=user, notice=notice, on=effect_on)


# --- pro rata temporis -------------------------------------------------------------------------------------------


def test_member_leaving_1_july_reckoned_for_half_a_year(wm):
    """docs/costsharing.md: € 300.000,00 in 2028, Beek (12 %) leaves on 1 July 2028: six of twelve months, exactly
    half a year (pro rata in months, a part of a month by its days). Beek pays 12 % of the first half: 18.000,00;
    the second half is split 69/88 and 19/88 between Sittard-Geleen and Stein."""
    agreement = wm_agreement(wm, beek_left=date(2028, 7, 1))
    parts = services.pro_rata_split(amount=D("300000.00"), version=wm.version, year=2028, agreement=agreement)
    by_code = {p.municipality.code: p.amount for p in parts}
    assert by_code == {"GM0888": D("18000.00"), "GM0971": D("60886.36"), "GM1883": D("221113.64")}


def test_year_fraction_counts_months_and_days_of_a_month():
    assert year_fraction(date(2028, 1, 1), date(2028, 7, 1)) == Fraction(1, 2)
    assert year_fraction(date(2027, 1, 1), date(2027, 7, 1)) == Fraction(1, 2)
    assert year_fraction(date(2029, 1, 1), date(2029, 9, 16)) == Fraction(8, 12) + Fraction(15, 30 * 12)
    assert year_fraction(date(2029, 4, 1), date(2030, 1, 1)) == Fraction(3, 4)


def test_pro_rata_shares_add_up_to_the_cent(wm):
    agreement = wm_agreement(wm, beek_left=date(2028, 7, 1))
    parts = services.pro_rata_split(amount=D("312000.01"), version=wm.version, year=2028, agreement=agreement)
    assert sum(p.amount for p in parts) == D("312000.01")


class _M:
    def __init__(self, pk, code):
        self.pk, self.code = pk, code


@settings(max_examples=60, deadline=None)
@given(
    cents=st.integers(min_value=0, max_value=10**13),
    left=st.dates(min_value=date(2027, 1, 2), max_value=date(2027, 12, 31)),
    joined=st.dates(min_value=date(2027, 1, 2), max_value=date(2027, 12, 31)),
)
def test_pro_rata_always_adds_up_and_the_leaver_pays_its_days(cents, left, joined):
    """Hypothesis (STYLE.md rule 12): whatever the exit and accession days, the parts add up to the amount, and a
    leaver's exact part is its key share of the days it was a party, when the others were there all year."""
    amount = D(cents) / 100
    sg, stein, beek, new = _M(1, "GM1883"), _M(2, "GM0971"), _M(3, "GM0888"), _M(4, "GM0001")
    weights = [(sg, D("69")), (stein, D("19")), (beek, D("12")), (new, D("5"))]
    periods = {3: Period(date(2025, 1, 1), left), 4: Period(joined, None)}
    exact = pro_rata_weights(weights=weights, periods=periods, year=2027)
    parts = split_weights(amount=amount, weights=exact)
    assert sum(p.amount for p in parts) == amount
    only_leaver = pro_rata_weights(weights=weights[:3], periods={3: Period(date(2025, 1, 1), left)}, year=2027)
    days = (left - date(2027, 1, 1)).days
    assert only_leaver[2][1] == Fraction(12, 100) * year_fraction(date(2027, 1, 1), left)
    assert 0 < year_fraction(date(2027, 1, 1), left) <= Fraction(days, 365) + Fraction(1, 12)


# --- the WM leaver's statement ------------------------------------------------------------------------------------


def test_wm_leaver_statement_pro_rata_until_exit_and_entered_staff(wm):
    """Beek dissolves the WM-SO after a default notice (WM-SO 16.2) and is out per 1 July 2028: its statement holds its
    share of the 2028 budget until then (WM-SO 16.3) and the surplus staff it must take over, entered with its basis
    (WM-SO 16.4)."""
    agreement = wm_agreement(wm)
    BudgetLine.objects.create(
        region=wm.region, year=2028, category="legal", description="Juridisch", amount=D("300000.00")
    )
    notice = effected_notice(
        wm.coordinator, agreement, wm.beek, received=date(2028, 6, 1), effect_on=date(2028, 7, 1), dissolution=True
    )
    assert notice.exit_date == date(2028, 7, 1)  # 1 June + 30 days (WM-SO 16.2)
    statement = services.draw_up_exit_statement(user=wm.coordinator, notice=notice)
    assert services.draw_up_exit_statement(user=wm.coordinator, notice=notice) == statement  # twice: the same
    line = statement.lines.unrestricted().get()
    assert line.kind == ExitLineKind.PRO_RATA and line.total == D("300000.00")
    assert line.article == "WM-SO 16.3-16.4"
    # 1 January to 30 June 2028 is 6 of 12 months: 12 % of half of 300.000,00 = 18.000,00
    assert line.amount == D("18000.00")
    assert "6,00 van de 12 maanden" in line.basis
    staff = services.enter_exit_amount(
        user=wm.coordinator,
        statement=statement,
        kind=ExitLineKind.STAFF,
        description="Boventallig: 0,8 fte consulent schaal 10",
        basis="Loonkosten 0,8 fte schaal 10 tot herplaatsing per 1-1-2029 (besluit bestuurlijk overleg)",
        amount=D("38880.00"),
    )
    assert staff.amount == D("38880.00") and staff.entered and staff.total is None
    assert services.statement_total(statement) == D("56880.00")


def test_a_stranger_or_a_member_cannot_draw_up_or_enter(wm):
    agreement = wm_agreement(wm)
    notice = effected_notice(
        wm.coordinator, agreement, wm.beek, received=date(2028, 6, 1), effect_on=date(2028, 7, 1), dissolution=True
    )
    with pytest.raises(PermissionDenied):
        services.draw_up_exit_statement(user=wm.beek_user, notice=notice)
    statement = services.draw_up_exit_statement(user=wm.coordinator, notice=notice)
    with pytest.raises(PermissionDenied):
        services.enter_exit_amount(
            user=wm.beek_user, statement=statement, kind="staff", description="x", basis="y", amount=D("1.00")
        )


def test_not_before_the_notice_took_effect(wm):
    agreement = wm_agreement(wm)
    notice = agreement_services.receive_notice(
        user=wm.coordinator, agreement=agreement, municipality=wm.beek, received_on=date(2028, 5, 31)
    )
    with pytest.raises(ValidationError, match="ingegaan"):
        services.draw_up_exit_statement(user=wm.coordinator, notice=notice)


def test_bad_amounts_are_refused_in_dutch_and_a_final_statement_is_frozen(wm):
    agreement = wm_agreement(wm)
    notice = effected_notice(
        wm.coordinator, agreement, wm.beek, received=date(2028, 6, 1), effect_on=date(2028, 7, 1), dissolution=True
    )
    statement = services.draw_up_exit_statement(user=wm.coordinator, notice=notice)
    for amount, message in ((D("-1.00"), "negatief"), (D("1.001"), "decimalen"), (D("1e15"), "te groot")):
        with pytest.raises(ValidationError, match=message):
            services.enter_exit_amount(
                user=wm.coordinator, statement=statement, kind="staff", description="x", basis="y", amount=amount
            )
    with pytest.raises(ValidationError, match="grondslag"):
        services.enter_exit_amount(
            user=wm.coordinator, statement=statement, kind="staff", description="x", basis=" ", amount=D("1.00")
        )
    with pytest.raises(ValidationError, match="zonder regels"):
        services.finalise_exit_statement(user=wm.coordinator, statement=statement)
    services.enter_exit_amount(
        user=wm.coordinator, statement=statement, kind="staff", description="x", basis="y", amount=D("1.00")
    )
    services.finalise_exit_statement(user=wm.coordinator, statement=statement)
    with pytest.raises(ValidationError, match="verandert niet"):
        services.enter_exit_amount(
            user=wm.coordinator, statement=statement, kind="staff", description="x", basis="y", amount=D("1.00")
        )
    line = ExitStatementLine.objects.unrestricted().get(statement=statement)
    line.amount = D("2.00")
    with pytest.raises(ValidationError, match="verandert niet"):
        line.save()
    statement.refresh_from_db()
    assert statement.status == ExitStatus.FINAL


# --- the BNO leaver (BNO 15.4) -----------------------------------------------------------------------------------


def test_bno_15_4_leaver_statement_obligations_until_2024_and_key_share_of_liquidation(bno):
    """docs/costsharing.md: Boekel (10.502 of 277.651 inhabitants, 1-1-2018) gives notice on 1 December 2021 by
    registered letter and leaves per 1 January 2023 (BNO 15.2-15.3). Until 1-1-2024 it keeps paying the execution costs
    (2023: € 2.400.000,00 → its key share 90.778,71) and its contract obligations with providers (entered:
    85.000,00), and by the key its share of the actual liquidation costs (€ 150.000,00 → 5.673,67). Total
    181.452,38."""
    agreement = bno_agreement(bno)
    notice = effected_notice(
        bno.coordinator, agreement, bno.m["Boekel"], received=date(2021, 12, 1), effect_on=date(2023, 1, 1)
    )
    assert notice.exit_date == date(2023, 1, 1) and notice.obligations_until == date(2024, 1, 1)
    statement = services.draw_up_exit_statement(user=bno.coordinator, notice=notice)
    assert statement.obligations_until == date(2024, 1, 1)
    assert not statement.lines.unrestricted().exists()  # per 1 January: no days of 2023 to reckon pro rata
    execution = services.enter_exit_amount(
        user=bno.coordinator,
        statement=statement,
        kind="obligations",
        description="Uitvoeringskosten centrumgemeente 2023",
        basis="Inkoopplan 2022-2023, vastgesteld door de colleges (BNO 11.1)",
        amount=D("2400000.00"),
        by_key=True,
    )
    contracts = services.enter_exit_amount(
        user=bno.coordinator,
        statement=statement,
        kind="obligations",
        description="Contractuele verplichtingen met aanbieders 2023",
        basis="Lopende raamcontracten tot 31-12-2023, zorggebruik Boekel",
        amount=D("85000.00"),
    )
    liquidation = services.enter_exit_amount(
        user=bno.coordinator,
        statement=statement,
        kind="liquidation",
        description="Opheffings- of liquidatiekosten",
        basis="Liquidatieplan (BNO 15.4)",
        amount=D("150000.00"),
        by_key=True,
    )
    assert (execution.total, execution.amount) == (D("2400000.00"), D("90778.71"))
    assert contracts.amount == D("85000.00") and contracts.total is None
    assert (liquidation.total, liquidation.amount) == (D("150000.00"), D("5673.67"))
    assert {execution.article, contracts.article, liquidation.article} == {"BNO 15.4"}
    assert services.statement_total(statement) == D("181452.38")


# --- full termination (WM-SO 16.6) -------------------------------------------------------------------------------


def test_wm_so_16_6_full_termination_consequences_split_by_the_key(wm):
    agreement = wm_agreement(wm)
    lines = services.enter_termination_consequences(
        user=wm.coordinator,
        agreement=agreement,
        end_date=date(2030, 1, 1),
        description="Frictiekosten personeel en lopende contracten",
        basis="Opheffingsplan (WM-SO 16.6)",
        amount=D("100000.01"),
    )
    by_code = {line.statement.municipality.code: line.amount for line in lines}
    assert by_code == {"GM1883": D("69000.01"), "GM0971": D("19000.00"), "GM0888": D("12000.00")}
    assert sum(by_code.values()) == D("100000.01")
    assert {line.article for line in lines} == {"WM-SO 16.6"}


# --- secondment (WM-SO 4.10) -------------------------------------------------------------------------------------


def test_wm_so_4_10_secondment_recorded_with_the_region_setting(wm):
    assert services.secondment_settlement(region=wm.region) == "credit"  # the default
    services.set_secondment_settlement(user=wm.coordinator, region=wm.region, settlement="offset")
    assert services.secondment_settlement(region=wm.region) == "offset"
    row = services.record_secondment(
        user=wm.coordinator,
        region=wm.region,
        year=2026,
        municipality=wm.stein,
        function="Contractmanager",
        scale=10,
        fte=D("0.5"),
        amount=D("48600.00"),
        basis="0,5 fte schaal 10, loonkosten volgens de detacheringsovereenkomst",
    )
    assert services.secondments_of(region=wm.region, year=2026) == {wm.stein: [row]}
    with pytest.raises(ValidationError, match="zichzelf"):
        services.record_secondment(
            user=wm.coordinator,
            region=wm.region,
            year=2026,
            municipality=wm.sg,
            function="x",
            fte=D("1"),
            amount=D("1.00"),
            basis="y",
        )
    with pytest.raises(PermissionDenied):
        services.set_secondment_settlement(user=wm.beek_user, region=wm.region, settlement="credit")

"""SPEC §3 worked examples (acceptance values) and the cases the rules cannot decide."""

from datetime import date

import pytest

from agreements.models import Agreement
from agreements.services import add_months, earliest_exit
from regio.models import Region


def exit_of(seeds, code, received):
    return earliest_exit(agreement=seeds[code], notice_received=date.fromisoformat(received))


def test_wm_so_16_1_first_exit_2029_04_01(seeds):
    result = exit_of(seeds, "WM-SO-2025", "2027-06-01")
    assert result.date == date(2029, 4, 1)
    assert result.decidable
    assert "WM-SO 16.1" in result.explanation
    assert "01-04-2029" in result.explanation and "01-06-2028" in result.explanation


def test_wm_so_16_1_notice_2028_09_15_exit_2029_09_15(seeds):
    result = exit_of(seeds, "WM-SO-2025", "2028-09-15")
    assert result.date == date(2029, 9, 15)
    assert "WM-SO 16.1" in result.explanation


def test_bno_15_2_15_3_notice_2021_01_01_exit_2022_01_01(seeds):
    result = exit_of(seeds, "BNO-2020", "2021-01-01")
    assert result.date == date(2022, 1, 1)
    assert "BNO 15.2" in result.explanation and "BNO 15.3" in result.explanation


def test_bno_15_2_15_3_notice_2021_03_15_exit_2023_01_01(seeds):
    result = exit_of(seeds, "BNO-2020", "2021-03-15")
    assert result.date == date(2023, 1, 1)


def test_bno_15_4_obligations_run_until_2024_01_01(seeds):
    result = exit_of(seeds, "BNO-2020", "2021-03-15")
    assert result.obligations_until == date(2024, 1, 1)
    assert "BNO 15.4" in result.explanation
    assert "aangetekende brief" in result.explanation


def test_wm_2015_6_6_decision_2015_08_20_exit_2016_02_20(seeds):
    result = exit_of(seeds, "WM-2015", "2015-08-20")
    assert result.date == date(2016, 2, 20)
    assert "WM-2015 6.6" in result.explanation


def test_wm_dvo_8_4_ends_with_its_so(seeds):
    result = exit_of(seeds, "WM-DVO-2025", "2027-06-01")
    assert result.date == date(2029, 4, 1)
    assert "WM-DVO 8.4" in result.explanation


def test_mh_3_5_six_months_for_special_circumstances(seeds):
    result = exit_of(seeds, "MH-2017", "2018-03-01")
    assert result.date == date(2018, 9, 1)
    assert "bijzondere omstandigheden" in result.explanation


def test_fixed_term_caps_the_exit_date(seeds):
    # BNO 22.2: the scheme ends after four years; a later notice cannot exit later than the end of the term.
    result = exit_of(seeds, "BNO-2020", "2023-03-01")
    assert result.date == date(2024, 1, 1)
    assert "BNO 22.2" in result.explanation
    # WM-2015 7.1: a decision announced in October 2016 meets the end of the term first.
    assert exit_of(seeds, "WM-2015", "2016-10-01").date == date(2017, 1, 1)


def test_notice_after_the_end_gives_no_date(seeds):
    result = exit_of(seeds, "WM-2015", "2017-01-01")
    assert result.date is None and not result.decidable
    assert "al geëindigd" in result.explanation


def test_only_possible_date_passed_is_undecidable(seeds):
    agreement = seeds["WM-SO-2025"]
    agreement.exit_only_on = date(2029, 4, 1)
    result = earliest_exit(agreement=agreement, notice_received=date(2028, 9, 15))
    assert result.date is None
    assert not result.decidable
    assert "beslist dit niet" in result.explanation


def test_indefinite_agreement_without_rules_is_undecidable(db):
    region = Region.objects.create(code="x", name="X")
    agreement = Agreement(
        code="X-1", kind="samenwerkingsovereenkomst", title="X", region=region, effective_from=date(2020, 1, 1)
    )
    result = earliest_exit(agreement=agreement, notice_received=date(2024, 1, 1))
    assert result.date is None and not result.decidable


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2015, 8, 20), 6, date(2016, 2, 20)),
        (date(2015, 8, 31), 6, date(2016, 2, 29)),
        (date(2029, 4, 1), -12, date(2028, 4, 1)),
        (date(2021, 3, 15), 12, date(2022, 3, 15)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_wm_so_16_2_dissolution_after_30_days_default_notice(seeds):
    from agreements.services import earliest_dissolution

    result = earliest_dissolution(agreement=seeds["WM-SO-2025"], default_notice_on=date(2026, 3, 2))
    assert result.date == date(2026, 4, 1)
    assert "WM-SO 16.2" in result.explanation
    assert earliest_dissolution(agreement=seeds["BNO-2020"], default_notice_on=date(2021, 1, 1)).date is None

"""Properties of earliest_exit over many notice dates (hypothesis), without a database."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from agreements.models import Agreement
from agreements.services import add_months, earliest_exit

NOTICES = st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31))


def wm_so() -> Agreement:
    return Agreement(
        code="WM-SO-2025",
        effective_from=date(2025, 4, 1),
        exit_first_possible_end=date(2029, 4, 1),
        exit_min_notice_months=12,
        exit_citations={"notice": "WM-SO 16.1", "first_end": "WM-SO 16.1"},
    )


def bno(until=None) -> Agreement:
    return Agreement(
        code="BNO-2020",
        effective_from=date(2020, 1, 1),
        effective_until=until,
        exit_fixed_end_month=1,
        exit_fixed_end_day=1,
        exit_min_notice_months=12,
        exit_citations={"notice": "BNO 15.3", "fixed_day": "BNO 15.2"},
    )


@given(NOTICES)
def test_wm_so_is_the_later_of_first_end_and_one_year(notice):
    result = earliest_exit(agreement=wm_so(), notice_received=notice)
    if notice < date(2025, 4, 1):  # before WM-SO 2025 was in force: no exit date, said in words (issue 17)
        assert not result.decidable and result.date is None and "nog niet" in result.explanation
        return
    assert result.decidable
    assert result.date == max(date(2029, 4, 1), add_months(notice, 12))


@given(NOTICES)
def test_bno_is_the_first_1_january_at_least_a_year_ahead(notice):
    result = earliest_exit(agreement=bno(), notice_received=notice)
    assert (result.date.month, result.date.day) == (1, 1)
    assert result.date >= add_months(notice, 12)
    # and it is the first such day: a year earlier would be too soon
    assert date(result.date.year - 1, 1, 1) < add_months(notice, 12)


@given(NOTICES)
def test_never_later_than_the_end_of_a_fixed_term(notice):
    agreement = bno(until=date(2023, 12, 31))
    result = earliest_exit(agreement=agreement, notice_received=notice)
    if notice > date(2023, 12, 31):
        assert result.date is None and not result.decidable
    else:
        assert result.decidable and result.date <= date(2024, 1, 1)

"""The one place for plausible dates, years and percentages (issue 10, findings 4 and 7)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from regio.bounds import PlausibleDate, check_date, check_percentage, check_year, date_window


def test_window_is_relative_to_today_and_follows_the_settings(settings):
    settings.PLAUSIBLE_PAST_YEARS = 5
    settings.PLAUSIBLE_FUTURE_YEARS = 2
    assert date_window(date(2026, 11, 29)) == (date(2021, 1, 1), date(2028, 12, 31))


@pytest.mark.parametrize("far", [date(9999, 1, 1), date(1, 1, 1), date(1900, 6, 30)])
def test_a_far_date_is_refused_in_dutch(far):
    with pytest.raises(ValidationError) as caught:
        check_date(far)
    assert "ligt te ver in" in caught.value.messages[0]
    assert far.strftime("%d-%m-%Y") in caught.value.messages[0]


def test_not_in_future_caps_at_today_and_narrowing_applies():
    today = timezone.localdate()
    assert check_date(today, not_in_future=True) == today
    with pytest.raises(ValidationError, match="in de toekomst"):
        check_date(today + timedelta(days=1), not_in_future=True)
    with pytest.raises(ValidationError):
        check_date(date(2020, 1, 1), earliest=date(2021, 1, 1))
    with pytest.raises(ValidationError):
        PlausibleDate(not_in_future=True)(today + timedelta(days=1))


@pytest.mark.parametrize("value", ["99999", "-1", "abc", None, "1e3", 10**30])
def test_a_year_outside_the_window_or_not_a_year_is_refused(value):
    with pytest.raises(ValidationError):
        check_year(value)


def test_a_year_inside_the_window_is_an_int():
    assert check_year(str(timezone.localdate().year)) == timezone.localdate().year


@pytest.mark.parametrize("value", ["-50", "25.01", "NaN", "Infinity", "x"])
def test_a_percentage_outside_its_bounds_is_refused(value):
    with pytest.raises(ValidationError):
        check_percentage(value, low=Decimal("-10"), high=Decimal("25"))


def test_a_percentage_inside_its_bounds_is_a_decimal():
    assert check_percentage("3.25", low=Decimal("-10"), high=Decimal("25")) == Decimal("3.25")

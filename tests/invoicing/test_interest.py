"""Statutory interest (art. 6:119 / 6:119a BW, WM-SO 6.9) as SPEC §6.6 describes, with its worked examples."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from invoicing.interest import InterestError, Payment, Rate, anniversary, compute
from invoicing.models import StatutoryInterestRate
from invoicing.services import statutory_interest

D = Decimal
NON = [Rate(date(2013, 7, 1), D("3.00")), Rate(date(2015, 1, 1), D("2.00")), Rate(date(2016, 7, 1), D("2.00"))]


def periods(result):
    return [(p.start, p.end, p.rate, p.days, p.amount) for p in result.periods]


@pytest.mark.django_db
def test_spec_6_6_non_commercial_example_1648_58_gives_16_08():
    """SPEC §6.6: € 1,648.58 from 12-12-2014 to 29-05-2015, art. 6:119: 20 d × 3 % = 2.71 + 148 d × 2 % = 13.37."""
    result = statutory_interest(
        principal=D("1648.58"), start=date(2014, 12, 12), end=date(2015, 5, 29), kind="non-commercial"
    )
    assert periods(result) == [
        (date(2014, 12, 12), date(2015, 1, 1), D("3.00"), 20, D("2.71")),
        (date(2015, 1, 1), date(2015, 5, 29), D("2.00"), 148, D("13.37")),
    ]
    assert result.interest == D("16.08")


@pytest.mark.django_db
def test_spec_6_6_commercial_example_3796_99_gives_300_32():
    """SPEC §6.6: € 3,796.99 from 11-11-2023 to 01-07-2024, art. 6:119a: 51 d × 12 % = 63.66 + 182 d × 12.5 % =
    236.66."""
    result = statutory_interest(
        principal=D("3796.99"), start=date(2023, 11, 11), end=date(2024, 7, 1), kind="commercial"
    )
    assert periods(result) == [
        (date(2023, 11, 11), date(2024, 1, 1), D("12.00"), 51, D("63.66")),
        (date(2024, 1, 1), date(2024, 7, 1), D("12.50"), 182, D("236.66")),
    ]
    assert result.interest == D("300.32")


def test_anniversary_adds_the_years_interest_to_the_principal():
    """Art. 6:119 lid 2: after each year the interest is added to the principal (compounding)."""
    rates = [Rate(date(2016, 7, 1), D("2.00"))]
    result = compute(
        principal=D("10000.00"), start=date(2020, 3, 1), end=date(2022, 3, 1), kind="non-commercial", rates=rates
    )
    # 2020-03-01 → 2021-03-01 is 365 days: 10,000 × 2 % = 200.00; the second year runs on 10,200.00.
    assert periods(result) == [
        (date(2020, 3, 1), date(2021, 3, 1), D("2.00"), 365, D("200.00")),
        (date(2021, 3, 1), date(2022, 3, 1), D("2.00"), 365, D("204.00")),
    ]
    assert result.periods[1].principal == D("10200.00")
    assert result.interest == D("404.00")


def test_leap_year_still_divides_by_365():
    rates = [Rate(date(2016, 7, 1), D("2.00"))]
    result = compute(
        principal=D("10000.00"), start=date(2024, 1, 1), end=date(2024, 12, 31), kind="non-commercial", rates=rates
    )
    assert result.periods[0].days == 365
    assert result.interest == D("200.00")


def test_partial_payment_settles_interest_then_principal():
    """Art. 6:44 BW: a payment goes to costs, then interest, then the principal; the period splits at the payment."""
    rates = [Rate(date(2016, 7, 1), D("2.00"))]
    result = compute(
        principal=D("10000.00"),
        start=date(2021, 1, 1),
        end=date(2021, 12, 31),
        kind="non-commercial",
        rates=rates,
        payments=[],
    )
    assert result.interest == D("199.45")  # 364 days
    paid = compute(
        principal=D("10000.00"),
        start=date(2021, 1, 1),
        end=date(2021, 12, 31),
        kind="non-commercial",
        rates=rates,
        payments=[Payment(date(2021, 7, 1), D("5100.00"))],
    )
    # 181 days on 10,000 = 99.18 interest; the payment pays 99.18 interest and 5,000.82 principal.
    assert periods(paid) == [
        (date(2021, 1, 1), date(2021, 7, 1), D("2.00"), 181, D("99.18")),
        (date(2021, 7, 1), date(2021, 12, 31), D("2.00"), 183, D("50.13")),
    ]
    assert paid.interest_paid == D("99.18")
    assert paid.principal_paid == D("5000.82")
    assert paid.periods[1].principal == D("4999.18")
    assert paid.interest == D("149.31")


def test_payment_pays_costs_first():
    rates = [Rate(date(2016, 7, 1), D("2.00"))]
    result = compute(
        principal=D("1000.00"),
        start=date(2021, 1, 1),
        end=date(2021, 3, 1),
        kind="non-commercial",
        rates=rates,
        costs=D("40.00"),
        payments=[Payment(date(2021, 2, 1), D("50.00"))],
    )
    assert result.costs_paid == D("40.00")
    assert result.interest_paid == D("1.70")  # 31 days × 2 % on 1,000 = 1.70
    assert result.principal_paid == D("8.30")


def test_anniversary_of_29_february():
    assert anniversary(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert anniversary(date(2024, 2, 29), 4) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"principal": D("-1.00")}, "principal"),
        ({"start": date(2016, 1, 2), "end": date(2016, 1, 1)}, "from"),
        ({"start": date(2012, 1, 1)}, "from"),
        ({"kind": "dutch"}, "kind"),
    ],
)
def test_refuses_bad_input_with_a_dutch_message(kwargs, field):
    args = {
        "principal": D("100.00"),
        "start": date(2016, 1, 1),
        "end": date(2016, 6, 1),
        "kind": "non-commercial",
        "rates": NON,
    } | kwargs
    with pytest.raises(InterestError) as info:
        compute(**args)
    assert info.value.field == field
    assert info.value.message


def test_refuses_float():
    with pytest.raises(TypeError):
        compute(principal=100.0, start=date(2016, 1, 1), end=date(2016, 2, 1), kind="non-commercial", rates=NON)


@settings(max_examples=60, deadline=None)
@given(
    principal=st.decimals(min_value=D("0"), max_value=D("1000000"), places=2, allow_nan=False),
    days=st.integers(min_value=0, max_value=2000),
)
def test_interest_is_sum_of_rounded_periods_and_days_add_up(principal, days):
    from datetime import timedelta

    start = date(2014, 3, 3)
    end = start + timedelta(days=days)
    result = compute(principal=principal, start=start, end=end, kind="non-commercial", rates=NON)
    assert result.interest == sum((p.amount for p in result.periods), D("0.00"))
    if principal > 0:
        assert sum(p.days for p in result.periods) == days
    assert all(p.amount == p.amount.quantize(D("0.01")) for p in result.periods)


@pytest.mark.django_db
def test_rates_table_is_loaded_by_the_data_migration():
    rates = StatutoryInterestRate.objects.unrestricted()
    assert rates.filter(kind="non-commercial").count() == 12
    assert rates.filter(kind="commercial").count() == 12
    row = rates.get(kind="commercial", valid_from=date(2024, 1, 1))
    assert row.rate == D("12.50") and row.verified == "yes"
    assert rates.get(kind="non-commercial", valid_from=date(2026, 1, 1)).verified == "no"

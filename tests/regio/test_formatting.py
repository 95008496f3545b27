from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from regio.formatting import format_amount, format_date, format_datetime, format_number, round_cents


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.56"), "€ 1.234,56"),
        (Decimal("0"), "€ 0,00"),
        (Decimal("1000000"), "€ 1.000.000,00"),
        (Decimal("-250.5"), "€ -250,50"),
        (Decimal("0.005"), "€ 0,01"),  # half up, not to even
        (Decimal("2.675"), "€ 2,68"),
    ],
)
def test_amounts_in_dutch(value, expected):
    with translation.override("nl"):
        assert format_amount(value) == expected


def test_amounts_in_english():
    with translation.override("en"):
        assert format_amount(Decimal("1234.56")) == "€1,234.56"


def test_money_is_never_a_float():
    with pytest.raises(TypeError):
        format_amount(1234.56)
    with pytest.raises(TypeError):
        round_cents(0.1)


def test_round_cents_is_half_up():
    assert round_cents(Decimal("731.865")) == Decimal("731.87")
    assert round_cents(Decimal("-0.125")) == Decimal("-0.13")


def test_dates_in_both_languages():
    with translation.override("nl"):
        assert format_date(date(2026, 11, 22)) == "22-11-2026"
    with translation.override("en"):
        assert format_date(date(2026, 11, 22)) == "22-11-2026"


def test_datetime_is_shown_in_amsterdam_time():
    moment = datetime(2026, 11, 22, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert format_datetime(moment) == "23-11-2026 00:30"


def test_numbers():
    with translation.override("nl"):
        assert format_number(Decimal("277651"), decimals=0) == "277.651"
        assert format_number(Decimal("0.12068966"), decimals=4) == "0,1207"


def test_template_filters():
    with translation.override("nl"):
        rendered = Template("{% load regio %}{{ a|bedrag }} {{ d|datum }}").render(
            Context({"a": Decimal("78.99"), "d": date(2025, 4, 1)})
        )
    assert rendered == "€ 78,99 01-04-2025"

"""The one amount parser (regio/amounts.py): issue 10, finding 6 ("amounts are read three ways") and the amount part
of finding 7 (no 500 on any amount). Property-tested with hypothesis (STYLE.md rule 12)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework import serializers

from regio.amounts import MAX_AMOUNT, AmountField, AmountSerializerField, parse_dutch, parse_plain
from regio.formatting import format_amount, format_number

D = Decimal


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234,56", D("1234.56")),
        ("1234,56", D("1234.56")),
        ("12.000", D("12000")),  # finding 6: twelve thousand, not € 12,00
        ("1.234.567", D("1234567")),
        ("1.234.567,8", D("1234567.80")),
        ("€ 1.234,56", D("1234.56")),
        ("€1.234,56", D("1234.56")),
        ("EUR 10", D("10")),
        ("1234.56", D("1234.56")),  # a lone dot before two digits: a decimal point, as a spreadsheet writes it
        ("  7,5 ", D("7.50")),
        ("999.999.999.999,99", MAX_AMOUNT),
    ],
)
def test_dutch_amounts_are_read_the_dutch_way(text, value):
    assert parse_dutch(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1e5", "zonder exponent"),  # finding 6: "1e5" was € 100.000 everywhere
        ("1E+5", "zonder exponent"),
        ("NaN", "Geef een bedrag"),
        ("Infinity", "Geef een bedrag"),
        ("1.23.456", "groepen van drie"),
        ("1234.567", "groepen van drie"),  # a lone dot before three digits groups thousands, but 1234 is no group
        ("0.500", "groepen van drie"),
        ("1,234.56", "groepen van drie"),
        ("12,500", "hoogstens 2 cijfers"),
        ("1.000.000.000.000", "te groot"),
        ("0", "groter zijn dan nul"),
        ("-5", "groter zijn dan nul"),
        ("€ -1,00", "groter zijn dan nul"),
        ("", "Geef een bedrag"),
        ("veel", "Geef een bedrag"),
        ("1" * 100, "Geef een bedrag"),
    ],
)
def test_dutch_amounts_that_are_refused(text, message):
    with pytest.raises(ValidationError) as info:
        parse_dutch(text)
    assert message in " ".join(info.value.messages)


def test_negatives_only_where_the_field_allows_them():
    assert parse_dutch("-1.234,56", minimum=None) == D("-1234.56")
    assert parse_dutch("€ -12,50", minimum=None) == D("-12.50")
    assert parse_dutch("\u221212,50", minimum=None) == D("-12.50")  # the typographic minus
    with pytest.raises(ValidationError, match="niet negatief"):
        parse_dutch("-1", minimum=D("0"))


def test_four_decimals_for_unit_prices_and_quantities():
    assert parse_dutch("1.234,5678", decimals=4, maximum=D("9999999999.9999")) == D("1234.5678")
    assert parse_dutch("3,5", decimals=4, number=True) == D("3.5")
    with pytest.raises(ValidationError, match="hoogstens 4 cijfers"):
        parse_dutch("1,23456", decimals=4, number=True)


@pytest.mark.parametrize(
    ("value", "result"),
    [("1234.56", D("1234.56")), (1234.56, D("1234.56")), (100000, D("100000")), ("-1.5", None), (" 5 ", D("5"))],
)
def test_plain_api_amounts(value, result):
    if result is None:
        assert parse_plain(value, minimum=None) == D("-1.50")
    else:
        assert parse_plain(value) == result


@pytest.mark.parametrize(
    "value",
    [
        "1e5",
        "1e30",
        1e16,
        "1.234,56",
        "1,234.56",
        "12.000",
        "NaN",
        "Infinity",
        float("nan"),
        float("inf"),
        True,
        None,
        [],
        {},
        "",
        "1_000",
        "0x10",
        "١٢٣",
    ],
)
def test_plain_api_amounts_that_are_refused(value):
    with pytest.raises(ValidationError):
        parse_plain(value)


# --- properties ---------------------------------------------------------------------------------------------------

amounts = st.decimals(min_value=D("0.01"), max_value=MAX_AMOUNT, places=2, allow_nan=False, allow_infinity=False)
signed = st.decimals(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(amounts)
def test_property_format_amount_parses_back_to_itself(amount):
    """Whatever the product shows (€ 1.234,56) can be typed back and means the same amount."""
    assert parse_dutch(format_amount(amount, locale="nl_NL")) == amount


@settings(max_examples=300, deadline=None)
@given(signed)
def test_property_signed_amounts_round_trip_dutch_and_plain(amount):
    assert parse_dutch(format_amount(amount, locale="nl_NL"), minimum=None) == amount
    assert parse_dutch(format_number(amount, decimals=2, locale="nl_NL"), minimum=None) == amount
    assert parse_plain(f"{amount:.2f}", minimum=None) == amount


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=D("0"), max_value=D("9999999999.9999"), places=4, allow_nan=False))
def test_property_four_decimal_numbers_round_trip(number):
    text = format_number(number, decimals=4, locale="nl_NL")
    assert parse_dutch(text, decimals=4, minimum=D("0"), maximum=D("9999999999.9999")) == number
    assert parse_plain(f"{number:.4f}", decimals=4, minimum=D("0"), maximum=D("9999999999.9999")) == number


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=60), st.text(alphabet="0123456789.,-+€eE \u2212", max_size=30)))
def test_property_random_text_is_an_amount_or_a_validation_error(text):
    """Never anything but a ValidationError (a 500 was InvalidOperation or OverflowError)."""
    for parse in (parse_dutch, parse_plain):
        try:
            value = parse(text, minimum=None)
        except ValidationError as exc:
            assert exc.messages
        else:
            assert isinstance(value, Decimal) and abs(value) <= MAX_AMOUNT


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.floats(), st.integers(), st.booleans(), st.none(), st.lists(st.integers(), max_size=2)))
def test_property_any_json_value_is_an_amount_or_a_validation_error(value):
    try:
        amount = parse_plain(value, minimum=None)
    except ValidationError as exc:
        assert exc.messages
    else:
        assert isinstance(amount, Decimal) and abs(amount) <= MAX_AMOUNT


def test_form_field_reads_dutch_and_shows_it_back_the_dutch_way():
    field = AmountField(label="Bedrag")
    assert field.clean("12.000") == D("12000.00")
    assert field.prepare_value(D("1234.5")) == "1.234,50"
    assert field.clean(field.prepare_value(D("12000.00"))) == D("12000.00")
    with pytest.raises(ValidationError, match="zonder exponent"):
        field.clean("1e5")
    assert AmountField(required=False).clean("") is None


def test_serializer_field_answers_in_dutch():
    class Payload(serializers.Serializer):
        amount = AmountSerializerField()

    for bad in ("1e5", 1e30, "1.234,56", "NaN", "0", "1000000000000"):
        payload = Payload(data={"amount": bad})
        assert not payload.is_valid()
        assert payload.errors["amount"][0].startswith(("Geef", "Het bedrag")), payload.errors
    payload = Payload(data={"amount": "1234.56"})
    assert payload.is_valid() and payload.validated_data["amount"] == D("1234.56")

"""The one split service (SPEC §6.1): exact ratios, largest remainder, parts add up to the amount."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from costsharing import services
from costsharing.split import fraction_to_cents, split_weights
from tests.costsharing.builders import BNO_2018


class M:
    def __init__(self, code, name=""):
        self.code, self.name = code, name or code

    def __repr__(self):
        return self.code


BNO_WEIGHTS = [(M(code, name), Decimal(n)) for code, name, n in BNO_2018]


def test_spec_6_1_bno_100000_by_population_1_1_2018():
    """SPEC §6.1 / BNO annex: the published percentages add up to 99.99; exact ratios lose nothing."""
    parts = split_weights(amount=Decimal("100000.00"), weights=BNO_WEIGHTS)
    assert {p.municipality.name: p.amount for p in parts} == {
        "Bernheze": Decimal("11003.02"),
        "Boekel": Decimal("3782.45"),
        "Boxmeer": Decimal("10391.82"),
        "Cuijk": Decimal("8972.06"),
        "Grave": Decimal("4472.88"),
        "Landerd": Decimal("5522.04"),
        "Mill en Sint Hubert": Decimal("3900.94"),
        "Oss": Decimal("32757.31"),
        "Sint Anthonis": Decimal("4169.62"),
        "Uden": Decimal("15027.86"),
    }
    assert sum(p.amount for p in parts) == Decimal("100000.00")


def test_bno_published_percentages_lose_a_hundredth_percent():
    """Why exact weights: splitting by the rounded published percentages loses € 10.00 of € 100,000.00."""
    published = ["11.00", "3.78", "10.39", "8.97", "4.47", "5.52", "3.90", "32.76", "4.17", "15.03"]
    naive = sum(Decimal("100000.00") * Decimal(p) / 100 for p in published)
    assert naive == Decimal("99990.0000")


def test_leftover_cents_go_by_largest_remainder_ties_by_cbs_code():
    parts = split_weights(amount=Decimal("0.02"), weights=[(M("GM0003"), 1), (M("GM0001"), 1), (M("GM0002"), 1)])
    assert [(p.municipality.code, p.amount) for p in parts] == [
        ("GM0003", Decimal("0.00")),
        ("GM0001", Decimal("0.01")),
        ("GM0002", Decimal("0.01")),
    ]


def test_negative_amount_mirrors_positive():
    pos = split_weights(amount=Decimal("100.00"), weights=[(M("GM0001"), 1), (M("GM0002"), 2)])
    neg = split_weights(amount=Decimal("-100.00"), weights=[(M("GM0001"), 1), (M("GM0002"), 2)])
    assert [p.amount for p in neg] == [-p.amount for p in pos]


@pytest.mark.parametrize(
    "weights, message",
    [([], "geen aandelen"), ([(M("GM0001"), 0)], "nul"), ([(M("GM0001"), -1), (M("GM0002"), 2)], "negatief")],
)
def test_bad_weights_are_refused(weights, message):
    with pytest.raises(ValidationError, match=message):
        split_weights(amount=Decimal("10.00"), weights=weights)


def test_float_is_refused():
    with pytest.raises(TypeError):
        split_weights(amount=10.0, weights=[(M("GM0001"), 1)])


def test_more_than_two_decimals_is_refused():
    with pytest.raises(ValidationError, match="twee decimalen"):
        split_weights(amount=Decimal("1.001"), weights=[(M("GM0001"), 1)])


def test_fraction_to_cents_rounds_half_up():
    assert fraction_to_cents(Fraction(1, 200)) == Decimal("0.01")
    assert fraction_to_cents(Fraction(-1, 200)) == Decimal("-0.01")
    assert fraction_to_cents(Fraction(1, 201)) == Decimal("0.00")


amounts = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("9999999999.99"), places=2)
weight_lists = st.lists(
    st.decimals(min_value=Decimal("0"), max_value=Decimal("1000000"), places=4), min_size=1, max_size=12
).filter(lambda ws: sum(ws) > 0)


@settings(max_examples=300, deadline=None)
@given(amount=amounts, weights=weight_lists)
def test_property_parts_add_up_within_a_cent_never_negative(amount, weights):
    pairs = [(M(f"GM{i:04d}"), w) for i, w in enumerate(weights)]
    parts = split_weights(amount=amount, weights=pairs)
    assert sum(p.amount for p in parts) == amount
    total = sum(Fraction(w) for w in weights)
    for part, (_m, w) in zip(parts, pairs, strict=True):
        exact = Fraction(amount) * Fraction(w) / total
        assert abs(Fraction(part.amount) - exact) < Fraction(1, 100)
        assert part.amount >= 0


@settings(max_examples=100, deadline=None)
@given(amount=amounts.map(lambda a: -a), weights=weight_lists)
def test_property_negative_amounts_add_up(amount, weights):
    parts = split_weights(amount=amount, weights=[(M(f"GM{i:04d}"), w) for i, w in enumerate(weights)])
    assert sum(p.amount for p in parts) == amount
    assert all(p.amount <= 0 for p in parts)


def test_split_service_by_key_version(bno, django_assert_max_num_queries):
    version = services.generate_population_version(
        user=bno.coordinator, key=bno.key, reference_year=2018, valid_from=__import__("datetime").date(2020, 1, 1)
    )
    with django_assert_max_num_queries(2):
        parts = services.split(amount=Decimal("100000.00"), version=version)
    assert {p.municipality.name: p.amount for p in parts}["Oss"] == Decimal("32757.31")

"""The one split service (SPEC §6.1, STYLE.md rule 7): an amount over weights, exact ratios, parts that add up.

Each part is the exact ratio of the amount; it is rounded to cents half up in the sense of "largest remainder":
every part first gets its exact value rounded down to the cent, then the cents that are left go one by one to the
parts with the largest remainders, ties broken by the municipality's CBS code. The parts therefore always add up to
the amount, and each part is within one cent of its exact value.

Example (BNO annex, SPEC §6.1): the published percentages add up to 99.99; splitting € 100,000.00 by the inhabitants
of 1-1-2018 gives Oss 32,757.31 and the parts add up to 100,000.00 exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import gcd

from django.core.exceptions import ValidationError

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Part:
    municipality: object
    weight: Decimal
    exact: Fraction  # the exact amount in euros
    amount: Decimal  # rounded to cents; the parts add up to the amount split

    @property
    def ratio(self) -> Fraction:
        return self.exact


def fraction_to_cents(value: Fraction) -> Decimal:
    """Round an exact value once, half up (away from zero at .5), to cents."""
    sign = -1 if value < 0 else 1
    cents_times = abs(value) * 100
    whole, rest = divmod(cents_times.numerator, cents_times.denominator)
    if 2 * rest >= cents_times.denominator:
        whole += 1
    return (Decimal(sign * whole) / 100).quantize(CENT)


def as_fraction(value) -> Fraction:
    if isinstance(value, float):
        raise TypeError("bedragen en gewichten zijn Decimal, geen float")
    return value if isinstance(value, Fraction) else Fraction(value)


def split_weights(*, amount: Decimal, weights: Sequence[tuple[object, Decimal]]) -> list[Part]:
    """Split ``amount`` over ``(municipality, weight)`` pairs by exact ratios (largest remainder, ties by code)."""
    if not isinstance(amount, Decimal):
        raise TypeError("bedragen zijn Decimal, geen " + type(amount).__name__)
    if amount != amount.quantize(CENT):
        raise ValidationError(f"Het bedrag {amount} heeft meer dan twee decimalen.")
    if not weights:
        raise ValidationError("De sleutel heeft geen aandelen: er valt niets te verdelen.")
    # Exact integer arithmetic: every weight as a whole number of its smallest unit (a Decimal with six places is
    # an integer of millionths), so ratios and remainders compare as integers over one common denominator.
    fractions = [as_fraction(w) for _m, w in weights]
    if any(f < 0 for f in fractions):
        raise ValidationError("Een gewicht in de sleutel is negatief.")
    denominator = 1
    for f in fractions:
        denominator = denominator * f.denominator // gcd(denominator, f.denominator)
    units = [f.numerator * (denominator // f.denominator) for f in fractions]
    total = sum(units)
    if total <= 0:
        raise ValidationError("De gewichten van de sleutel tellen op tot nul: er valt niets te verdelen.")
    cents = int(amount * 100)
    sign = -1 if cents < 0 else 1
    cents = abs(cents)
    rows = []
    for (municipality, weight), unit in zip(weights, units, strict=True):
        floor, rest = divmod(cents * unit, total)  # the exact part is (floor + rest / total) cents
        rows.append([municipality, weight, unit, floor, rest])
    leftover = cents - sum(r[3] for r in rows)
    order = sorted(range(len(rows)), key=lambda i: (-rows[i][4], getattr(rows[i][0], "code", str(rows[i][0]))))
    for i in order[:leftover]:
        rows[i][3] += 1
    return [
        Part(
            municipality=m,
            weight=w,
            exact=Fraction(sign * cents * unit, total * 100),
            amount=(Decimal(sign * floor) / 100).quantize(CENT),
        )
        for m, w, unit, floor, _rest in rows
    ]

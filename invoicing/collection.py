"""Extrajudicial collection costs (buitengerechtelijke incassokosten): the statutory scale (SPEC §6.6, WM-SO 6.9).

Besluit vergoeding voor buitengerechtelijke incassokosten, art. 2 lid 1: over the principal

* 15 % of the first € 2.500, with a minimum of € 40;
* 10 % of the next € 2.500;
* 5 % of the next € 5.000;
* 1 % of the next € 190.000;
* 0,5 % of the rest, with a maximum of € 6.775 in all.

Pure Decimal arithmetic, rounded once, half up, to cents at the end (STYLE.md rule 7). The scale is what the product
suggests; the coordinating municipality's staff may record another amount (with its basis).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from regio.formatting import format_amount, round_cents

ZERO = Decimal("0.00")
MINIMUM = Decimal("40")
MAXIMUM = Decimal("6775")
# (size of the bracket or None for "the rest", percentage)
SCALE = (
    (Decimal("2500"), Decimal("15")),
    (Decimal("2500"), Decimal("10")),
    (Decimal("5000"), Decimal("5")),
    (Decimal("190000"), Decimal("1")),
    (None, Decimal("0.5")),
)
# The scale's highest rate: with a recorded reason an amount above the scale may be claimed, but never more than
# this share of the principal or the statutory maximum, whichever is higher (issue 10, finding 5).
CEILING_PERCENT = Decimal("15")
BASIS = "Besluit vergoeding voor buitengerechtelijke incassokosten (staffel, art. 2)"


def statutory_collection_costs(principal: Decimal) -> Decimal:
    """The statutory collection costs over ``principal`` (the unpaid principal of the claim)."""
    if not isinstance(principal, Decimal):
        raise TypeError("bedragen zijn Decimal, geen float")
    if principal <= 0:
        return ZERO
    left = principal
    total = Decimal(0)
    for size, percent in SCALE:
        part = left if size is None else min(left, size)
        total += part * percent / Decimal(100)
        left -= part
        if left <= 0:
            break
    return round_cents(min(max(total, MINIMUM), MAXIMUM))


def collection_costs_ceiling(principal: Decimal) -> Decimal:
    """The most that may ever be recorded as collection costs over ``principal``, with a reason."""
    return max(MAXIMUM, round_cents(max(principal, ZERO) * CEILING_PERCENT / Decimal(100)))


def check_collection_costs(*, amount: Decimal, principal: Decimal, reason: str = "") -> None:
    """Collection costs stay within the statutory scale unless a reason is recorded, and never above the ceiling
    (``collection_costs_ceiling``); a Dutch ``ValidationError`` on the amount otherwise (issue 10, finding 5)."""
    if not isinstance(amount, Decimal):
        raise TypeError("bedragen zijn Decimal, geen float")
    statutory = statutory_collection_costs(max(principal, ZERO))
    ceiling = collection_costs_ceiling(principal)
    if amount > ceiling:
        raise ValidationError(
            {
                "amount": _(
                    "%(amount)s aan incassokosten is te veel: hoogstens %(ceiling)s (het wettelijke maximum van "
                    "€ 6.775 of, bij een grotere hoofdsom, 15 %% daarvan). Volgens de staffel is het %(statutory)s."
                )
                % {
                    "amount": format_amount(amount),
                    "ceiling": format_amount(ceiling),
                    "statutory": format_amount(statutory),
                }
            }
        )
    if amount > statutory and not (reason or "").strip():
        raise ValidationError(
            {
                "basis": _(
                    "%(amount)s ligt boven de wettelijke staffel (%(statutory)s over een hoofdsom van %(principal)s): "
                    "geef bij de grondslag de reden van het hogere bedrag."
                )
                % {
                    "amount": format_amount(amount),
                    "statutory": format_amount(statutory),
                    "principal": format_amount(max(principal, ZERO)),
                }
            }
        )

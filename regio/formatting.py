"""The one formatting helper: amounts and dates the Dutch way (`€ 1.234,56`, `22-11-2026`), English when asked.

Everything that shows money or a date to a person (templates, PDFs, Excel captions, e-mails) calls these.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import NumberPattern, parse_pattern
from django.utils import timezone, translation

CENT = Decimal("0.01")
LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def _locale() -> str:
    return LOCALES.get((translation.get_language() or "nl")[:2], "nl_NL")


@lru_cache(maxsize=8)
def _babel_locale(name: str) -> Locale:
    return Locale.parse(name)


@lru_cache(maxsize=32)
def _number_pattern(decimals: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


# (babel's format_currency/format_decimal parse the locale and the pattern on every call; a statement or a
# reckoning formats thousands of amounts, so both are parsed once and the pattern applied as babel itself does.)


def round_cents(value: Decimal) -> Decimal:
    """Round once, half up, to cents (STYLE.md rule 7)."""
    if not isinstance(value, Decimal):
        raise TypeError(f"bedragen zijn Decimal, geen {type(value).__name__}")
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def format_amount(value: Decimal | int | None, *, locale: str | None = None) -> str:
    """`€ 1.234,56` (Dutch) or `€1,234.56` (English). Refuses floats: money is Decimal end to end."""
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        raise TypeError("bedragen zijn Decimal, geen float")
    amount = round_cents(Decimal(value))
    babel_locale = _babel_locale(locale or _locale())
    text = babel_locale.currency_formats["standard"].apply(amount, babel_locale, currency="EUR")
    return text.replace("\xa0", " ")


def format_number(value, *, decimals: int = 2, locale: str | None = None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        raise TypeError("getallen voor geld en sleutels zijn Decimal, geen float")
    return _number_pattern(decimals).apply(Decimal(value), _babel_locale(locale or _locale()))


def format_date(value: date | datetime | None, *, locale: str | None = None) -> str:
    """`22-11-2026` in Dutch and in English (one date shape across the product and its PDFs)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return babel_format_date(value, format="dd-MM-yyyy", locale=locale or _locale())


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_date(local)} {local:%H:%M}"

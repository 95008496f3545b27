"""The one formatting helper: amounts and dates the Dutch way (`€ 1.234,56`, `22-11-2026`), English when asked.

Everything that shows money or a date to a person (templates, PDFs, Excel captions, e-mails) calls these.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date as babel_format_date
from babel.numbers import format_currency, format_decimal
from django.utils import timezone, translation

CENT = Decimal("0.01")
LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def _locale() -> str:
    return LOCALES.get((translation.get_language() or "nl")[:2], "nl_NL")


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
    text = format_currency(amount, "EUR", locale=locale or _locale(), format_type="standard")
    return text.replace("\xa0", " ")


def format_number(value, *, decimals: int = 2, locale: str | None = None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        raise TypeError("getallen voor geld en sleutels zijn Decimal, geen float")
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(Decimal(value), format=pattern, locale=locale or _locale())


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

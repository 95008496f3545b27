"""The one amount parser of the product (issue 10, findings 6 and 7): how people type money, how the API sends it.

Amounts were read three ways: "12.000" became € 12,00 on the payment form, the cost-line form refused "1.234,56",
and "1e5" was € 100.000 everywhere. Every form and serializer that takes an amount (or another decimal number such
as a quantity or an fte) now reads it here, so the grammar, the bounds and the Dutch messages are the same everywhere.

Forms (``parse_dutch``), as people in the Netherlands write money:

* the comma is the decimal separator, the dot groups thousands: ``1.234,56``, ``1234,56``, ``12.000`` (twelve
  thousand), ``1.234.567``; an optional ``€`` (or ``EUR``) and a sign: ``€ 1.234,56``, ``-1.234,56``, ``€ -12,50``;
* a lone dot followed by exactly three digits groups thousands (``12.000``); a lone dot followed by one, two or (for
  four-decimal numbers) four digits is a decimal point (``1234.56``, as pasted from a spreadsheet export);
* a grouping that is not groups of three (``1.23.456``, ``1234.567``, ``0.500``) is refused rather than guessed.

The API (``parse_plain``): ``"1234.56"`` as a JSON string or number; no thousands separators, no comma.

Both refuse exponents (``1e5``), NaN and Infinity, more decimals than the field has (two for money, four for unit
prices and quantities), values above the field's maximum (the 14-digit model column, lower where the domain says
so) and negatives where the field does not allow them. Every refusal is a ``ValidationError`` with a Dutch message;
nothing else is ever raised (property-tested in ``tests/regio/test_amounts.py``).
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers

# DecimalField(max_digits=14, decimal_places=2): the largest amount a money column holds (STYLE.md rule 7).
MAX_AMOUNT = Decimal("999999999999.99")
CENT = Decimal("0.01")
MAX_INPUT_LENGTH = 40  # "€ -999.999.999.999,99" is 21 characters; anything much longer is not an amount

_SIGNS = "-+\u2212"  # the minus people paste from word processors (U+2212) is a minus too
_DUTCH = re.compile(
    r"^(?P<sign1>[-+\u2212])?\s*(?:(?:€|eur)\s*)?(?P<sign2>[-+\u2212])?\s*(?P<body>[0-9.,]+)$", re.IGNORECASE
)
_GROUPED = re.compile(r"^[1-9][0-9]{0,2}(?:\.[0-9]{3})+$")
_DIGITS = re.compile(r"^[0-9]+$")  # ASCII digits only: "١٢٣" is no amount here
_PLAIN = re.compile(r"^(?P<sign>-)?(?P<whole>[0-9]+)(?:\.(?P<frac>[0-9]+))?$")


def _what(number: bool) -> str:
    return _("Het getal") if number else _("Het bedrag")


def _invalid(number: bool) -> ValidationError:
    if number:
        return ValidationError(_("Geef een getal, bijvoorbeeld 1.234,5."), code="invalid")
    return ValidationError(_("Geef een bedrag, bijvoorbeeld 1.234,56."), code="invalid")


def _invalid_plain(number: bool) -> ValidationError:
    if number:
        return ValidationError(_("Geef een getal als 1234.5 (punt als decimaalteken, geen exponent)."), code="invalid")
    return ValidationError(
        _("Geef een bedrag als 1234.56 (punt als decimaalteken, geen scheiding van duizendtallen, geen exponent)."),
        code="invalid",
    )


def show(value: Decimal, *, decimals: int = 2, number: bool = False) -> str:
    """A bound in a message, the Dutch way: ``€ 6.775,00`` for money, ``9.999,9999`` for a number."""
    from regio.formatting import format_amount, format_number

    if number:
        return format_number(value, decimals=decimals, locale="nl_NL")
    return format_amount(value, locale="nl_NL")


def check_bounds(
    amount: Decimal,
    *,
    decimals: int = 2,
    minimum: Decimal | None = CENT,
    maximum: Decimal = MAX_AMOUNT,
    number: bool = False,
    label: str | None = None,
) -> Decimal:
    """Refuse an amount with more than ``decimals`` decimals or outside [minimum, maximum]; returns it quantized.

    ``minimum=None`` allows every amount down to ``-maximum`` (a correction, a negative split)."""
    what = label or _what(number)
    if not amount.is_finite():
        raise _invalid(number)
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > decimals:
        raise ValidationError(
            _("%(what)s heeft hoogstens %(n)s cijfers achter de komma.") % {"what": what, "n": decimals},
            code="max_decimal_places",
        )
    if amount > maximum:
        raise ValidationError(
            _("%(what)s is te groot: hoogstens %(max)s.")
            % {"what": what, "max": show(maximum, decimals=decimals, number=number)},
            code="max_value",
        )
    low = -maximum if minimum is None else minimum
    if amount < low:
        if low > 0 and low == Decimal(1).scaleb(-decimals):
            message = _("%(what)s moet groter zijn dan nul.") % {"what": what}
        elif low == 0:
            message = _("%(what)s mag niet negatief zijn.") % {"what": what}
        else:
            message = _("%(what)s is te klein: minstens %(min)s.") % {
                "what": what,
                "min": show(low, decimals=decimals, number=number),
            }
        raise ValidationError(message, code="min_value")
    quantized = amount.quantize(Decimal(1).scaleb(-decimals))
    return abs(quantized) if quantized == 0 else quantized  # no "-0,00"


def _grouped(whole: str) -> str | None:
    """``1.234.567`` → ``1234567``; plain digits stay; any other grouping is None (refused, not guessed)."""
    if _DIGITS.match(whole):
        return whole
    if _GROUPED.match(whole):
        return whole.replace(".", "")
    return None


def _grouping_error(number: bool) -> ValidationError:
    return ValidationError(
        _(
            "Schrijf de punt alleen tussen groepen van drie cijfers (1.234.567,89) en de komma voor de decimalen; "
            "%(what)s is zo niet eenduidig te lezen."
        )
        % {"what": _what(number).lower()},
        code="grouping",
    )


def parse_dutch(
    text,
    *,
    decimals: int = 2,
    minimum: Decimal | None = CENT,
    maximum: Decimal = MAX_AMOUNT,
    number: bool = False,
    label: str | None = None,
) -> Decimal:
    """An amount as people type it in a form (see the module docstring); a Dutch ``ValidationError`` otherwise."""
    if not isinstance(text, str):
        raise _invalid(number)
    text = text.strip().replace("\xa0", " ").replace("\u202f", " ")
    if not text or len(text) > MAX_INPUT_LENGTH:
        raise _invalid(number)
    match = _DUTCH.match(text)
    if match is None:
        if re.search(r"\d[eE][-+]?\d", text):
            raise ValidationError(
                _("Een bedrag of getal schrijft u zonder exponent (dus 100.000, niet 1e5)."), code="exponent"
            )
        raise _invalid(number)
    if match["sign1"] and match["sign2"]:
        raise _invalid(number)
    sign = match["sign1"] or match["sign2"] or ""
    body = match["body"]
    if body.count(",") > 1:
        raise _grouping_error(number)
    if "," in body:
        whole, frac = body.split(",")
        whole = _grouped(whole) if whole else None
        if whole is None or not _DIGITS.match(frac):
            raise _grouping_error(number)
    elif body.count(".") == 1:
        head, tail = body.split(".")
        if len(tail) == 3:  # a lone dot before exactly three digits groups thousands: 12.000 is twelve thousand
            whole = _grouped(body)
            frac = ""
        elif _DIGITS.match(head) and _DIGITS.match(tail):  # 1234.56: a decimal point, as a spreadsheet writes it
            whole, frac = head, tail
        else:
            whole = None
        if whole is None:
            raise _grouping_error(number)
    else:
        whole, frac = _grouped(body), ""
        if whole is None:
            raise _grouping_error(number)
    if len(frac) > decimals:
        raise ValidationError(
            _("%(what)s heeft hoogstens %(n)s cijfers achter de komma.")
            % {"what": label or _what(number), "n": decimals},
            code="max_decimal_places",
        )
    negative = sign in ("-", "\u2212")
    amount = Decimal(f"{'-' if negative else ''}{whole}.{frac or '0'}")
    return check_bounds(amount, decimals=decimals, minimum=minimum, maximum=maximum, number=number, label=label)


def parse_plain(
    value,
    *,
    decimals: int = 2,
    minimum: Decimal | None = CENT,
    maximum: Decimal = MAX_AMOUNT,
    number: bool = False,
    label: str | None = None,
) -> Decimal:
    """An amount as the API takes it: ``"1234.56"`` (a JSON string) or ``1234.56`` (a JSON number, taken by its
    shortest decimal form); no thousands separators, no exponent. A Dutch ``ValidationError`` otherwise."""
    if isinstance(value, bool):
        raise _invalid_plain(number)
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        text = repr(value)  # the shortest decimal form; 1e+16 and nan/inf do not match below
    elif isinstance(value, Decimal):  # from code or a spreadsheet, not typed: its plain form, trailing zeros off
        if not value.is_finite():
            raise _invalid_plain(number)
        text = format(value, "f")
        text = text.rstrip("0").rstrip(".") if "." in text else text
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise _invalid_plain(number)
    if len(text) > MAX_INPUT_LENGTH:
        raise _invalid_plain(number)
    match = _PLAIN.match(text)
    if match is None:
        raise _invalid_plain(number)
    frac = match["frac"] or ""
    if len(frac) > decimals:
        raise ValidationError(
            _("%(what)s heeft hoogstens %(n)s cijfers achter de punt.")
            % {"what": label or _what(number), "n": decimals},
            code="max_decimal_places",
        )
    amount = Decimal(f"{match['sign'] or ''}{match['whole']}.{frac or '0'}")
    return check_bounds(amount, decimals=decimals, minimum=minimum, maximum=maximum, number=number, label=label)


class AmountField(forms.CharField):
    """A form field for an amount (or, with ``number=True``, another decimal number) typed the Dutch way.

    ``decimals`` (2 for money, 4 for unit prices and quantities), ``minimum`` (default one cent; ``Decimal(0)``
    allows zero; ``None`` allows negatives down to ``-maximum``), ``maximum`` (default the 14-digit column) and
    ``what`` (the subject of the messages, e.g. "Het aantal")."""

    def __init__(
        self,
        *,
        decimals: int = 2,
        minimum: Decimal | None = CENT,
        maximum: Decimal = MAX_AMOUNT,
        number: bool = False,
        what: str | None = None,
        **kwargs,
    ):
        self.decimals, self.minimum, self.maximum, self.number = decimals, minimum, maximum, number
        self.what = what
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        return parse_dutch(
            text,
            decimals=self.decimals,
            minimum=self.minimum,
            maximum=self.maximum,
            number=self.number,
            label=self.what,
        )

    def prepare_value(self, value):
        # Shown again the way it is typed (1.234,56), never as 1234.56: a round trip through the form keeps it.
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            from regio.formatting import format_number

            exponent = Decimal(value).as_tuple().exponent
            places = max(2 if not self.number else 0, -exponent if isinstance(exponent, int) else 0)
            return format_number(Decimal(value), decimals=min(places, self.decimals), locale="nl_NL")
        return value


class AmountSerializerField(serializers.DecimalField):
    """A DRF field for an amount (or a decimal number) in the API: ``"1234.56"``; answers 400 in Dutch otherwise.

    Shown as a string (COERCE_DECIMAL_TO_STRING), documented as a decimal with its bounds."""

    def __init__(
        self,
        *,
        decimals: int = 2,
        minimum: Decimal | None = CENT,
        maximum: Decimal = MAX_AMOUNT,
        number: bool = False,
        what: str | None = None,
        **kwargs,
    ):
        self.decimals, self.minimum, self.maximum, self.number = decimals, minimum, maximum, number
        self.what = what
        whole_digits = len(str(int(maximum)))
        super().__init__(
            max_digits=whole_digits + decimals,
            decimal_places=decimals,
            min_value=-maximum if minimum is None else minimum,
            max_value=maximum,
            **kwargs,
        )

    def to_internal_value(self, data):
        try:
            return parse_plain(
                data,
                decimals=self.decimals,
                minimum=self.minimum,
                maximum=self.maximum,
                number=self.number,
                label=self.what,
            )
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages, code=exc.code) from None

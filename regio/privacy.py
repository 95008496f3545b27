"""Special personal data stays out (SPEC §7, AVG art. 9): no citizen service number (BSN) in any free-text field.

A BSN is 9 digits that pass the 11-test (``9*d1 + 8*d2 + ... + 2*d8 - 1*d9`` divisible by 11). People type it with
dots or spaces (``123.456.782``, ``1234 56 782``); all of those are refused by ``no_bsn``, the validator every
free-text field of an app that handles client data uses. Where a BSN must come in (an import of the message traffic),
``pseudonymise_bsn`` turns it into a keyed HMAC pseudonym at the door, with the secret ``BW_PSEUDONYM_SECRET``: the
same BSN gives the same pseudonym, and nobody without the secret can go back. The BSN itself is never stored, logged
or echoed in a message.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Nine digits, each pair optionally separated by one dot, space or hyphen; not part of a longer run of digits.
_BSN_SHAPED = re.compile(r"(?<![\d])\d(?:[ .\-]?\d){8}(?![\d])")

BSN_MESSAGE = _(
    "Dit lijkt een burgerservicenummer (BSN). Een BSN mag hier niet worden ingevuld: gebruik de pseudonieme "
    "cliëntreferentie."
)


def passes_eleven_test(digits: str) -> bool:
    """The 11-test of a BSN: 9 digits, weights 9..2 and -1, sum divisible by 11 (and not all zeros)."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
    return total % 11 == 0


def bsn_digits(value: str) -> str | None:
    """The 9 digits of a value that is, as a whole, a BSN (separators allowed); else None."""
    text = (value or "").strip()
    if not _BSN_SHAPED.fullmatch(text):
        return None
    digits = re.sub(r"\D", "", text)
    return digits if passes_eleven_test(digits) else None


def contains_bsn(value) -> bool:
    """Whether a text holds anywhere a BSN-shaped number that passes the 11-test."""
    if not isinstance(value, str) or not value:
        return False
    return any(passes_eleven_test(re.sub(r"\D", "", m.group())) for m in _BSN_SHAPED.finditer(value))


@deconstructible
class NoBsnValidator:
    """Refuses a free text that holds a BSN, with a Dutch message that does not repeat the number."""

    code = "bsn"

    def __call__(self, value) -> None:
        if contains_bsn(value):
            raise ValidationError(BSN_MESSAGE, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, NoBsnValidator)


no_bsn = NoBsnValidator()


def pseudonymise_bsn(value: str) -> str:
    """The keyed pseudonym of a BSN (HMAC-SHA256 with ``BW_PSEUDONYM_SECRET``): ``P-`` and 24 hex characters.

    Raises a ValidationError (without the number in it) when the value is not a valid BSN.
    """
    digits = bsn_digits(value)
    if digits is None:
        raise ValidationError(
            _("Dit is geen geldig burgerservicenummer (de 11-proef klopt niet)."), code="bsn_invalid"
        )
    secret = settings.BW_PSEUDONYM_SECRET.encode()
    return "P-" + hmac.new(secret, digits.encode(), hashlib.sha256).hexdigest()[:24]


def refuse_bsn(text) -> None:
    """Raise a Dutch ``ValidationError`` when ``text`` holds a BSN anywhere (toezicht's Meldpunt and casework)."""
    no_bsn(str(text or ""))


def no_bsn_validator(value) -> None:
    """The Django/DRF field validator form of ``refuse_bsn``."""
    refuse_bsn(value)

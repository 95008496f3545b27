"""No BSN anywhere (SPEC §7): a free text that holds a BSN-shaped number is refused, with a Dutch message.

A BSN is nine digits that pass the eleven test (9·d1 + 8·d2 + … + 2·d8 − 1·d9 divisible by 11). A number with
separators inside (``123 456 782``, ``123.456.782``) counts too: that is how people type it.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

_NINE_DIGITS = re.compile(r"(?<![\d])(\d(?:[ .-]?\d){8})(?![\d])")

BSN_MESSAGE = (
    "Vermeld geen burgerservicenummer (BSN): de tekst bevat een nummer van negen cijfers dat een BSN kan zijn. "
    "Laat het weg; wij vragen er niet om."
)


def _passes_eleven_test(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0 and digits != "000000000"


def refuse_bsn(text) -> None:
    """Raise ``ValidationError`` (Dutch) when ``text`` holds a number that passes the BSN eleven test."""
    for match in _NINE_DIGITS.finditer(str(text or "")):
        if _passes_eleven_test(re.sub(r"\D", "", match.group(1))):
            raise ValidationError(BSN_MESSAGE, code="bsn_refused")


def no_bsn_validator(value) -> None:
    """The Django/DRF field validator form of ``refuse_bsn``."""
    refuse_bsn(value)

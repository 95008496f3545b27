"""Cost bookings: how another app puts a cost on the reckoning of the cooperation (STYLE.md rule 16).

Agreements records the joint decision on a dispute, including who bears the legal-advice costs (WM-SO 14.3); costs
put on the cooperation are a cost category of the reckoning (WM-SO 6.1 c juridische kosten, g extern advies bij
geschillen). Agreements may not import cost sharing, so cost sharing registers one booker here in
``CostsharingConfig.ready()``::

    register_cost_booker(book_external_cost)   # (*, region, day, category, description, amount, reference) -> str

The booker saves one actual cost line of the region's year (once per ``reference``: a second call returns the same
booking) and raises ``ValidationError`` in Dutch when the year is already settled or the category unknown. It
answers the booking's id as text.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError

# The categories another app may book (the codes of cost sharing's ``Category``), with the article of WM-SO 6.1.
LEGAL = "legal"  # c. de benodigde juridische kosten
DISPUTE_ADVICE = "dispute_advice"  # g. de kosten voor extern advies inzake geschillen
BOOKABLE = frozenset({LEGAL, DISPUTE_ADVICE})

_BOOKER: list[Callable[..., str]] = []


def register_cost_booker(booker: Callable[..., str]) -> None:
    """Register the one booker (cost sharing). A second, different one raises."""
    if _BOOKER and _BOOKER[0] is not booker:
        raise ValueError("Er is al een boeker van kosten geregistreerd.")
    _BOOKER[:] = [booker]


def book_cost(*, region, day, category: str, description: str, amount, reference: str) -> str:
    """Book a cost on the region's reckoning of ``day.year``; Dutch ``ValidationError`` when that cannot be done."""
    if category not in BOOKABLE:
        raise ValidationError(f"Kosten van de soort '{category}' kunnen hier niet geboekt worden.")
    if not _BOOKER:
        raise ValidationError("De kostenverdeling is niet geïnstalleerd: deze kosten kunnen niet geboekt worden.")
    return _BOOKER[0](
        region=region, day=day, category=category, description=description, amount=amount, reference=reference
    )

"""Query parameters that every app's API reads the same way: the year and the region code (STYLE.md rules 5, 9).

Shared here, below the apps, so that an app's API does not import another app's API (toezicht used to import cost
sharing's helpers; the import direction is tested in ``tests/test_architecture.py``).
"""

from __future__ import annotations

from rest_framework.exceptions import NotFound, ValidationError

from regio.models import Region


def parse_year(value) -> int:
    if value in (None, ""):
        raise ValidationError({"year": ["Geef het jaar op, bijvoorbeeld ?year=2025."]})
    try:
        year = int(str(value))
    except ValueError:
        raise ValidationError({"year": [f"'{value}' is geen jaartal; gebruik bijvoorbeeld 2025."]}) from None
    if not 1900 <= year <= 2100:
        raise ValidationError({"year": [f"{year} is geen geldig jaar."]})
    return year


def visible_region(user, code: str) -> Region:
    """The region by code: unknown → 400 (bad input); existing but not the user's → 404 (not leaked as data)."""
    if not code:
        raise ValidationError({"region": ["Geef de regiocode op."]})
    region = Region.objects.visible_to(user).filter(code=code).first()
    if region is not None:
        return region
    if not Region.objects.unrestricted().filter(code=code).exists():
        raise ValidationError({"region": [f"Onbekende regio '{code}'."]})
    raise NotFound(f"Regio '{code}' niet gevonden.")

"""Query parameters that every app's API reads the same way: the year and the region code (STYLE.md rules 5, 9).

Shared here, below the apps, so that an app's API does not import another app's API (toezicht used to import cost
sharing's helpers; the import direction is tested in ``tests/test_architecture.py``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import NotFound, ValidationError

from regio import bounds
from regio.models import Region


def parse_year(value) -> int:
    """The ``year`` query parameter within the plausible window (``regio.bounds.parse_year``): else 400
    ``{"year": [...]}`` in Dutch."""
    try:
        return bounds.parse_year(value, field="year")
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict) from None


def visible_region(user, code: str) -> Region:
    """The region by code, if the user may see it; an unknown code and another tenant's code answer alike (404), so
    that a region's existence is not told to those outside it (issue 11)."""
    if not code:
        raise ValidationError({"region": ["Geef de regiocode op."]})
    region = Region.objects.visible_to(user).filter(code=code).first()
    if region is None:
        raise NotFound(f"Regio '{code}' niet gevonden.")
    return region

"""Small checks the beschermd-wonen services share."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from regio.bounds import check_date
from regio.privacy import no_bsn


def field_date(value, field: str, label: str, *, required: bool = True, **bounds) -> date | None:
    """A date within the plausible window (``regio.bounds``), its error on the field."""
    if value is None:
        if required:
            raise ValidationError({field: f"Vul {label.lower()} in."})
        return None
    if not isinstance(value, date):
        raise ValidationError({field: f"{label} is geen geldige datum."})
    try:
        return check_date(value, label=label, **bounds)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


def field_text(value, field: str, label: str, *, required: bool = True, max_length: int = 4000) -> str:
    """A free text without a BSN (``regio.privacy``), bounded, its error on the field."""
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not text:
        raise ValidationError({field: f"Vul {label.lower()} in."})
    if len(text) > max_length:
        raise ValidationError({field: f"{label} is langer dan {max_length} tekens."})
    try:
        no_bsn(text)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    return text

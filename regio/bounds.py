"""Plausible values: the one place that says how far a date, a year or a percentage may lie (issue 10).

A date typed as 01-01-9999 or a CAO step of -50 % is not an error of the law but of a hand; accepting it made the
indexation compute thousands of norm years. Every form, serializer, region-file section and service that takes a date,
a year or a percentage from outside checks it here, so the window is the same everywhere and said in one sentence.

The window is relative to today: ``PLAUSIBLE_PAST_YEARS`` back and ``PLAUSIBLE_FUTURE_YEARS`` ahead (settings, both
with defaults fit for a cooperation that started in 2015 and signs agreements a few years ahead). Callers narrow it
further where the domain says so (a payment date is not in the future; an agreement's own dates).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import BadRequest, ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _


def _years(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def date_window(today: date | None = None) -> tuple[date, date]:
    """The first and the last plausible date: 1 January ``PAST`` years ago to 31 December ``FUTURE`` years ahead."""
    today = today or timezone.localdate()
    return (
        date(today.year - _years("PLAUSIBLE_PAST_YEARS", 30), 1, 1),
        date(today.year + _years("PLAUSIBLE_FUTURE_YEARS", 10), 12, 31),
    )


def year_window(today: date | None = None) -> tuple[int, int]:
    first, last = date_window(today)
    return first.year, last.year


def _d(value: date) -> str:
    return value.strftime("%d-%m-%Y")


def check_date(
    value: date,
    *,
    earliest: date | None = None,
    latest: date | None = None,
    not_in_future: bool = False,
    label: str | None = None,
) -> date:
    """Refuse a date outside the plausible window (or a narrower one), in Dutch; returns the date.

    ``earliest``/``latest`` narrow the window (an agreement's own start and end); ``not_in_future`` caps it at today
    (a payment or a receipt date).
    """
    if value is None:
        return value
    first, last = date_window()
    if earliest is not None and earliest > first:
        first = earliest
    if latest is not None and latest < last:
        last = latest
    if not_in_future:
        last = min(last, timezone.localdate())
    what = label or _("De datum")
    if value < first:
        raise ValidationError(
            _("%(what)s %(value)s ligt te ver in het verleden: de vroegste toegestane datum is %(first)s.")
            % {"what": what, "value": _d(value), "first": _d(first)},
            code="date_too_early",
        )
    if value > last:
        if not_in_future and last == timezone.localdate():
            message = _("%(what)s %(value)s ligt in de toekomst: vandaag (%(last)s) is de laatste toegestane datum.")
        else:
            message = _("%(what)s %(value)s ligt te ver in de toekomst: de laatste toegestane datum is %(last)s.")
        raise ValidationError(message % {"what": what, "value": _d(value), "last": _d(last)}, code="date_too_late")
    return value


def check_year(value, *, label: str | None = None) -> int:
    """A year as an integer within the plausible window, else a Dutch ValidationError (never an OverflowError)."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(
            _("%(what)s moet een jaartal zijn, bijvoorbeeld %(year)s.")
            % {"what": label or _("Het jaar"), "year": timezone.localdate().year},
            code="year_invalid",
        ) from None
    first, last = year_window()
    if not first <= year <= last:
        raise ValidationError(
            _("%(what)s %(year)s ligt buiten de toegestane jaren %(first)s tot en met %(last)s.")
            % {"what": label or _("Het jaar"), "year": year, "first": first, "last": last},
            code="year_out_of_range",
        )
    return year


def parse_year(value, *, default: int | None = None, field: str | None = None, label: str | None = None) -> int:
    """The one reader of a ``jaar``/``year`` query parameter or path part (issue 10, finding 7).

    Empty gives ``default`` when there is one; anything else goes through ``check_year``. With ``field`` the error
    is keyed by that field (the API answers ``{"year": ["..."]}`` with status 400).
    """
    if value in (None, "") and default is not None:
        return default
    if value in (None, ""):
        error = ValidationError(
            _("Geef het jaar op, bijvoorbeeld %(year)s.") % {"year": timezone.localdate().year}, code="year_missing"
        )
    else:
        try:
            return check_year(str(value)[:20], label=label)
        except ValidationError as exc:
            error = exc
    raise ValidationError({field: error.messages}) if field else error


class ImplausibleRequest(BadRequest):
    """A page asked for an implausible year or date in its address: the 400 page shows this Dutch message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.public_message = message


def page_year(value, *, default: int | None = None) -> int:
    """``parse_year`` for pages: an implausible ``?jaar=`` answers the Dutch 400 page naming the allowed years."""
    try:
        return parse_year(value, default=default if default is not None else timezone.localdate().year)
    except ValidationError as exc:
        raise ImplausibleRequest(" ".join(exc.messages)) from None


def check_percentage(value, *, low: Decimal, high: Decimal, label: str | None = None) -> Decimal:
    """A percentage (as Decimal, e.g. ``Decimal("3.25")`` for 3,25 %) within [low, high], else a Dutch error."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(_("Vul een percentage in, bijvoorbeeld 3,25."), code="percentage_invalid") from None
    if not number.is_finite() or not low <= number <= high:
        raise ValidationError(
            _("%(what)s moet tussen %(low)s en %(high)s procent liggen.")
            % {
                "what": label or _("Het percentage"),
                "low": str(low).replace(".", ","),
                "high": str(high).replace(".", ","),
            },
            code="percentage_out_of_range",
        )
    return number


@deconstructible
class PlausibleDate:
    """Validator for model, form and serializer fields: ``validators=[PlausibleDate()]``."""

    def __init__(self, *, not_in_future: bool = False):
        self.not_in_future = not_in_future

    def __call__(self, value: date) -> None:
        check_date(value, not_in_future=self.not_in_future)

    def __eq__(self, other) -> bool:
        return isinstance(other, PlausibleDate) and other.not_in_future == self.not_in_future

"""Shared by the agreement services: Dutch dates and months, citing an agreement's article, the change check."""

from __future__ import annotations

import calendar
from datetime import date

from django.core.exceptions import PermissionDenied

from agreements.models import (
    Agreement,
)
from regio.tenancy import CHANGE, can


def d(value: date | None) -> str:
    """A date the Dutch way in explanations: 01-04-2029."""
    return value.strftime("%d-%m-%Y") if value else ""


def add_months(start: date, months: int) -> date:
    """``start`` plus whole months; the 31st becomes the last day of a shorter month (art. 1:? BW practice)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _months_text(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return "één jaar" if years == 1 else f"{years} jaar"
    return f"{months} maanden"


def _cite(agreement: Agreement, rule: str) -> str:
    return (agreement.exit_citations or {}).get(rule) or agreement.code


def _check(user, obj, action: str = CHANGE) -> None:
    """Writes re-check the user's scope inside the transaction (STYLE.md rule 5); a job passes ``system_actor``."""
    if not can(user, action, obj):
        raise PermissionDenied("U mag dit niet wijzigen.")


_MONTHS = {
    1: "januari",
    2: "februari",
    3: "maart",
    4: "april",
    5: "mei",
    6: "juni",
    7: "juli",
    8: "augustus",
    9: "september",
    10: "oktober",
    11: "november",
    12: "december",
}

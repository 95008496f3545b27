"""The one deadline service (ROADMAP: every app feeds it).

Apps register a source: a function ``(scope, start, end) -> iterable of Deadline`` that yields only what the scope may
see. The home page, the deadlines view, the iCalendar feed and the reminder job all read ``deadlines_for``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from regio.tenancy import Scope, scope_of


@dataclass(frozen=True)
class Deadline:
    key: str  # stable and unique, e.g. "agreements:plan:17:2026": reminders are sent once per key and person
    title: str
    due: date
    source: str  # the app that feeds it
    article: str = ""  # the article it rests on, e.g. "BNO 6.1"
    url: str = ""
    municipality_id: int | None = None
    region_id: int | None = None

    @property
    def overdue(self) -> bool:
        return self.due < timezone.localdate()


DeadlineSource = Callable[[Scope, date, date], Iterable[Deadline]]
_SOURCES: dict[str, DeadlineSource] = {}


def register_source(name: str, source: DeadlineSource) -> None:
    _SOURCES[name] = source


def deadlines_for(user, *, start: date | None = None, end: date | None = None) -> list[Deadline]:
    """What is due for the user's municipality between start and end (default: the next 90 days, overdue first)."""
    scope = scope_of(user)
    if not scope.authenticated:
        return []
    today = timezone.localdate()
    start = start or today - timedelta(days=365)
    end = end or today + timedelta(days=90)
    found = [d for source in _SOURCES.values() for d in source(scope, start, end) if start <= d.due <= end]
    return sorted(found, key=lambda d: (not d.overdue, d.due, d.title))

"""Retention of personal data (issue 17; docs/retention.md): one registry, one daily job.

Each app that holds personal data registers, in its ``AppConfig.ready()``, a ``Reducer`` per kind of data: the
setting that holds its retention period in years and a function that reduces the closed files whose period has
passed to what the money and the annual reports need. The daily Celery beat job (``regio.retention.run``,
``regio/schedule.py``) calls every reducer as the system actor, in bounded batches (``RETENTION_BATCH_SIZE`` per kind
a run: a backlog is worked off over the following days), and logs what it did. Reducers are idempotent: a reduced
file is not selected again, so a second run the same day reduces nothing.

The registry imports no app (apps register themselves), so side apps do not import each other.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone

from regio.tenancy import system_actor

logger = logging.getLogger(__name__)

REDUCED = "(na de bewaartermijn beperkt)"


@dataclass(frozen=True)
class Reducer:
    """``reduce(user=, today=, limit=)`` reduces at most ``limit`` files whose period (``settings.<setting>``
    years) has passed on ``today`` and returns the ids it reduced."""

    key: str
    label: str
    setting: str
    reduce: Callable[..., list]
    order: int = 100

    @property
    def years(self) -> int:
        return int(getattr(settings, self.setting))


_REDUCERS: dict[str, Reducer] = {}


def register_reducer(reducer: Reducer) -> None:
    _REDUCERS[reducer.key] = reducer


def reducers() -> list[Reducer]:
    return sorted(_REDUCERS.values(), key=lambda r: (r.order, r.key))


def cutoff(today: date, years: int) -> date:
    """The last day on which a file may have closed to be reduced ``today``: ``years`` years back (29 February gives
    28 February in a year without it)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def run_retention(*, today: date | None = None, limit: int | None = None) -> dict[str, int]:
    """Every registered reducer once, as the system actor; returns (and logs) how many files each reduced."""
    today = today or timezone.localdate()
    limit = settings.RETENTION_BATCH_SIZE if limit is None else limit
    done: dict[str, int] = {}
    for reducer in reducers():
        actor = system_actor(f"bewaartermijn: {reducer.label} ({reducer.setting}={reducer.years} jaar)")
        ids = reducer.reduce(user=actor, today=today, limit=limit)
        done[reducer.key] = len(ids)
        logger.info(
            "bewaartermijn %s (%s jaar): %s beperkt%s",
            reducer.key,
            reducer.years,
            len(ids),
            f" (ids {', '.join(map(str, ids[:50]))}{' ...' if len(ids) > 50 else ''})" if ids else "",
        )
    return done


def reduce_access_log(*, user, today: date, limit: int) -> list[int]:
    """Access-log entries older than ``ACCESS_LOG_RETENTION_YEARS`` go (the log answers "who read this file?", a
    question that ends with the file's own retention; nothing of the money or the annual reports reads it)."""
    from regio.models import AccessLog
    from regio.tenancy import CHANGE

    last_day = cutoff(today, settings.ACCESS_LOG_RETENTION_YEARS)
    ids = list(
        AccessLog.objects.restrict(user, CHANGE)
        .filter(at__date__lte=last_day)
        .order_by("at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if ids:
        # A queryset delete: the model's own delete() refuses, as the app never removes a single entry.
        AccessLog.objects.restrict(user, CHANGE).filter(pk__in=ids).delete()
    return ids


ACCESS_LOG = Reducer("access_log", "inzagelog", "ACCESS_LOG_RETENTION_YEARS", reduce_access_log, order=900)

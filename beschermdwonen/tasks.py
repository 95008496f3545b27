"""Jobs of beschermd wonen (STYLE.md rule 10): bounded, idempotent, acting as the system actor."""

from __future__ import annotations

from celery import shared_task

from beschermdwonen import services
from regio.tenancy import system_actor


@shared_task(name="beschermdwonen.reduce_expired_files")
def reduce_expired_files(limit: int = 500) -> int:
    """Reduce closed client files past ``BW_RETENTION_YEARS`` to what the money needs (at most ``limit`` a run;
    a reduced file is skipped, so a second run does nothing)."""
    actor = system_actor("bewaartermijn beschermd wonen")
    return len(services.reduce_expired_files(user=actor, limit=limit))

"""What every job and import does when the world fails under it (issue 17, the fault drills in
``tests/regio/test_fault_drills.py``).

* ``job_locks(name, keys)``: one worker does a job, another that picks up the same job at once (a re-delivered
  message, two beat runs) exits at once instead of doing it twice. A PostgreSQL session-level advisory lock: it is
  released when the job ends, and also when its worker dies (the session goes with it). Elsewhere (the embedded
  SQLite demo runs tasks in-process, one writer) it is always granted.
* ``database_lost(error)``: a dropped database connection (a restart, a failover, a killed backend) during an import
  rolls its transaction back in the database; this turns the driver's error into the import's own error with a
  Dutch message saying nothing was saved, and drops the broken connection so that the next query opens a new one.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.utils.translation import gettext as _


def _key(name: str) -> int:
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def _try_locks(name: str, keys: list[int]) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT k FROM unnest(%s::bigint[]) AS t(k) WHERE pg_try_advisory_lock(%s, k::int)", [keys, _key(name)]
        )
        return [row[0] for row in cursor.fetchall()]


@contextmanager
def job_locks(name: str, keys: list[int]) -> Iterator[list[int]]:
    """Yields the ``keys`` of job ``name`` this process now holds (in their order). A key another session holds is
    tried again for ``JOB_LOCK_GRACE_SECONDS`` (the holder may be a dead worker's session the server is about to
    end), then left to it. Without contention two queries whatever the number of keys: one to take, one to release."""
    keys = [int(k) for k in dict.fromkeys(keys)]
    if connection.vendor != "postgresql" or not keys:
        yield keys
        return
    held = _try_locks(name, keys)
    deadline = time.monotonic() + settings.JOB_LOCK_GRACE_SECONDS
    while len(held) < len(keys) and time.monotonic() < deadline:
        time.sleep(0.5)  # the holder may be a session whose process just died, about to be ended by the server
        held += _try_locks(name, [k for k in keys if k not in held])
    held = [k for k in keys if k in held]
    try:
        yield held
    finally:
        if held:
            try:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_advisory_unlock(%s, k::int) FROM unnest(%s::bigint[]) AS t(k)", [_key(name), held]
                    )
            except DatabaseError:  # the connection is gone, and the locks with its session
                forget_broken_connection()


def lost_message() -> str:
    return _(
        "De verbinding met de database viel weg tijdens het verwerken; er is niets opgeslagen. Probeer het over "
        "een paar minuten opnieuw."
    )


def forget_broken_connection() -> None:
    """After a database error: close the connection when it no longer works (the next query reconnects). Inside a
    caller's transaction the caller decides."""
    if connection.in_atomic_block or connection.connection is None:
        return
    if not connection.is_usable():
        connection.close()


@contextmanager
def database_lost(error: Callable[[str], Exception]) -> Iterator[None]:
    """Raise ``error(message)`` instead of the driver's error when the connection drops inside the block."""
    try:
        yield
    except (OperationalError, InterfaceError) as exc:
        forget_broken_connection()
        raise error(lost_message()) from exc

"""Beschermd wonen's reducer for the daily retention job (regio/retention.py; docs/retention.md).

Closed client files past ``BW_RETENTION_YEARS`` are reduced to what the money needs by
``services.reduce_expired_files`` (AVG art. 5 (1) e): the pseudonymous reference and the residence periods stay (they
say which municipality pays for which period, WM-DVO annex 3), the year of birth, the conversation reports and the
free texts about the person go, also from the audit history."""

from __future__ import annotations

from datetime import date

from regio.retention import Reducer


def reduce_client_files(*, user, today: date, limit: int) -> list[int]:
    from beschermdwonen import services

    return services.reduce_expired_files(user=user, today=today, limit=limit)


CLIENT_FILES = Reducer(
    "bw_client_files", "cliëntdossiers beschermd wonen", "BW_RETENTION_YEARS", reduce_client_files, order=10
)

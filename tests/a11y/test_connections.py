"""The a11y tests leave no database connection open (issue 11: a teardown warning on every run and the test
database left behind). Needs no browser: Playwright's driver alone runs the event loop that caused it."""

import pytest
from django.db import connection

from regio.models import Region
from tests.a11y.test_axe import playwright_session

pytestmark = pytest.mark.postgres


def _other_sessions() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # the statistics are a snapshot per transaction
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_the_orm_beside_playwright_leaves_no_connection_open(db):
    before = _other_sessions()
    with playwright_session():
        Region.objects.unrestricted().count()  # a query while Playwright's loop runs: a connection of its own
    assert _other_sessions() == before

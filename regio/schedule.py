"""Periodic jobs of the core (merged into CELERY_BEAT_SCHEDULE by regio/settings.py). Plain data only."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Daily at night: every app's retention reducers (regio/retention.py, docs/retention.md), in bounded batches.
    "regio-retention": {
        "task": "regio.retention.run",
        "schedule": crontab(hour=3, minute=30),
    },
}

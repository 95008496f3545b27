"""Periodic jobs of toezicht (merged into CELERY_BEAT_SCHEDULE by regio/settings.py). Plain data only."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "toezicht-sync-supervisor-grants": {
        "task": "toezicht.tasks.sync_supervisor_grants",
        # Daily just after midnight: an appointment that starts or ends today opens or closes the casework today.
        "schedule": crontab(hour=0, minute=5),
    },
}

"""Periodic jobs of this app (merged into CELERY_BEAT_SCHEDULE by regio/settings.py). Plain data only."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "agreements-send-deadline-reminders": {
        "task": "agreements.tasks.send_deadline_reminders",
        # Daily at 06:30 Europe/Amsterdam, before the working day starts.
        "schedule": crontab(hour=6, minute=30),
    },
}

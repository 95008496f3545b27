"""The beat schedule of beschermd wonen (read by regio.settings)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "bw-reduce-expired-files": {
        "task": "beschermdwonen.reduce_expired_files",
        "schedule": crontab(hour=3, minute=30),
    },
}

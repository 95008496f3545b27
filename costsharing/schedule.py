"""Periodic jobs of cost sharing (merged into CELERY_BEAT_SCHEDULE by the settings). Plain data, no Django."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # WM-SO 6.7: "In de maand december ... een definitieve afrekening"; WM-DVO 6.1: invoiced in December at the latest.
    "costsharing-december-reckoning": {
        "task": "costsharing.start_december_reckonings",
        "schedule": crontab(minute=0, hour=6, day_of_month=1, month_of_year=12),
    },
}

"""Periodic jobs of cost sharing (merged into CELERY_BEAT_SCHEDULE by the settings). Plain data, no Django."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Daily: each agreement's settlement calendar says what starts on which day (issue 12). For WM on 1 December the
    # settlement of the past year (WM-SO 6.7 "over het afgelopen kalenderjaar"; WM-DVO 6.1: invoiced in December at
    # the latest, beside the fee of the year); for BNO nothing (BNO 10.5-10.6, 11.1: the annual report instead).
    "costsharing-settlement-calendar": {
        "task": "costsharing.start_calendar_steps",
        "schedule": crontab(minute=0, hour=6),
    },
}

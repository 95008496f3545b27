"""Periodic jobs of invoicing, merged into CELERY_BEAT_SCHEDULE by regio/settings.py. Plain data, no Django imports."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # WM-SO 6.9: mark invoices overdue after their payment term and prepare the 14-day reminder, once per invoice.
    "invoicing-mark-overdue-and-remind": {
        "task": "invoicing.tasks.mark_overdue_and_remind",
        "schedule": crontab(hour=6, minute=15),
    },
}

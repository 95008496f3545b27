"""The Celery app. Tasks take ids, start on commit and are idempotent (STYLE.md rule 10)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regio.settings")

app = Celery("regio")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

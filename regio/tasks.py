"""Tasks of the tenancy core."""

from celery import shared_task


@shared_task(name="regio.healthcheck")
def healthcheck(code: str) -> dict:
    """A task that touches the database: used by the health check of workers and by the real-worker test."""
    from regio.models import Municipality

    municipality = Municipality.objects.unrestricted().filter(code=code).first()
    return {"status": "ok", "municipality": municipality.name if municipality else None}


@shared_task(name="regio.retention.run")
def run_retention() -> dict:
    """Daily (regio/schedule.py): reduce the closed files past their retention period, every kind, bounded."""
    from regio.retention import run_retention as run

    return run()

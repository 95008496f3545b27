"""Celery tasks of cost sharing. They take ids, start on commit and are idempotent (STYLE.md rule 10)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="costsharing.index_norms")
def index_norms(region_id: int) -> list[int]:
    """Derive the indexed norms of every later year (WM-SO 6.4, WM-DVO 5.3) and, when a year's figures changed,
    send each member the updated cost overview (WM-SO 6.6). Safe to run twice: the second run changes nothing.

    Bounded by construction (issue 10, finding 4): the indexation stops at next year and commits before any PDF is
    rendered (the region's lock is held only while the figures are written); each member gets at most one overview
    per run, covering every changed year."""
    from costsharing import notices, services
    from regio.models import Region
    from regio.tenancy import system_actor

    region = Region.objects.unrestricted().get(pk=region_id)
    result = services.index_norms(user=system_actor("Celery: indexatie na een CAO-stap (WM-SO 6.4)"), region=region)
    if result.changed_years:
        notices.send_cost_overview(region=region, years=result.changed_years)
    return result.changed_years


@shared_task(name="costsharing.run_reckoning", acks_late=True)
def run_reckoning(reckoning_id: int) -> int:
    """The December reckoning of one region and year (WM-SO 6.7); progress is kept in the database."""
    from costsharing.services import perform_reckoning

    return perform_reckoning(reckoning_id=reckoning_id).pk


@shared_task(name="costsharing.run_reckonings", acks_late=True)
def run_reckonings(reckoning_ids: list[int]) -> list[int]:
    """The December reckoning of all regions in one task: read in a constant number of queries, written in one
    transaction; a region with incomplete inputs fails in words, the others complete (services.perform_reckonings)."""
    from costsharing.services import perform_reckonings

    return [r.pk for r in perform_reckonings(reckoning_ids=reckoning_ids)]


@shared_task(name="costsharing.start_december_reckonings")
def start_december_reckonings() -> list[int]:
    """Started by Celery beat on 1 December (costsharing/schedule.py)."""
    from costsharing.services import start_december_reckonings as start

    return start()


@shared_task(name="costsharing.start_calendar_steps")
def start_calendar_steps() -> list[int]:
    """Started by Celery beat every day (costsharing/schedule.py): what each settlement calendar says today, for
    every region, in one task; idempotent (services.start_calendar_steps)."""
    from costsharing.services import start_calendar_steps as start

    return start()

"""Jobs of toezicht. They act as the system actor (STYLE.md rule 4) and are idempotent."""

from __future__ import annotations

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task(name="toezicht.tasks.sync_supervisor_grants")
def sync_supervisor_grants() -> int:
    """Make every appointed supervisor's grants follow the appointments active today (art. 6.1 Wmo 2015): an
    appointment that starts today opens its municipalities' casework, one that ended closes it. Idempotent."""
    from regio.models import User
    from regio.tenancy import system_actor
    from toezicht.models import SupervisorAppointment
    from toezicht.services import sync_grants

    actor = system_actor("dagelijkse synchronisatie van aanwijzingen toezichthouders")
    supervisor_ids = (
        SupervisorAppointment.objects.unrestricted("alle aanwijzingen, voor de systeemactor")
        .values_list("supervisor_id", flat=True)
        .distinct()
    )
    count = 0
    for supervisor in User.objects.filter(pk__in=list(supervisor_ids)):
        sync_grants(user=actor, supervisor=supervisor)
        count += 1
    log.info("rechten van %s toezichthouders bijgewerkt", count)
    return count

"""Who may see a case file (signals, investigations, information requests, disclosures): the one rule (issue 14).

SPEC §8 and WM-DVO annex 4 ("Bevoegdheden toezichthouders en geheimhouding"): the supervisors carry the providers'
professional secrecy for client data (art. 6.1 lid 2 Wmo 2015), so case files stay with them. Visible to

* the supervisors assigned to the case file's municipality: django-guardian grant ``regio.supervise_municipality``
  (STYLE.md rule 6), already in the scope as ``supervised_municipality_ids``;
* their team manager (role ``teammanager_toezicht``) at the appointing municipality: the municipalities of the
  supervisor appointments that municipality made and that are active today. Reading only.

The coordinating municipality's other staff, members' civil servants, portfolio holders, administrators and
beschermd-wonen staff see none of it: aggregated figures only (part B's annual report).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from regio.roles import Role
from regio.tenancy import NOTHING, VIEW


def managed_municipalities(scope) -> models.QuerySet:
    """The municipalities whose case files a team manager reads: those assigned by an appointment its municipality
    made that is active today (a subquery, so one query for the list)."""
    from toezicht.models.capacity import SupervisorAppointment

    today = timezone.localdate()
    return (
        SupervisorAppointment.municipalities.through.objects.filter(
            supervisorappointment__appointing_municipality_id=scope.municipality_id,
            supervisorappointment__active_from__lte=today,
        )
        .filter(
            models.Q(supervisorappointment__active_until__isnull=True)
            | models.Q(supervisorappointment__active_until__gte=today)
        )
        .values("municipality_id")
    )


def casework_filter(scope, action: str, prefix: str = "") -> models.Q:
    """The queryset filter of every confidential model; ``prefix`` leads to the field ``municipality``."""
    field = f"{prefix}municipality__in"
    if action != VIEW:
        # Only supervisors write case files, and only for their own municipalities.
        if not scope.has_role(Role.SUPERVISOR) or scope.read_only:
            return NOTHING
        return models.Q(**{field: scope.supervised_municipality_ids})
    q = NOTHING
    if scope.has_role(Role.SUPERVISOR) and scope.supervised_municipality_ids:
        q = models.Q(**{field: scope.supervised_municipality_ids})
    if scope.has_role(Role.SUPERVISION_MANAGER) and scope.municipality_id:
        q = q | models.Q(**{field: managed_municipalities(scope)})
    return q


def may_read_casework(scope, municipality_id: int) -> bool:
    """The same rule for one municipality (pages that decide whether to show a worklist at all)."""
    if scope.has_role(Role.SUPERVISOR) and municipality_id in scope.supervised_municipality_ids:
        return True
    if scope.has_role(Role.SUPERVISION_MANAGER) and scope.municipality_id:
        return managed_municipalities(scope).filter(municipality_id=municipality_id).exists()
    return False

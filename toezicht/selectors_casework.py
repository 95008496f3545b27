"""Read-side queries of the casework that the worklist page and the API share (STYLE.md: selectors)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from regio.models import Municipality
from regio.roles import Role
from regio.tenancy import scope_of
from toezicht.models import (
    HoursEntry,
    InformationRequest,
    Investigation,
    InvestigationStatus,
    Signal,
    SupervisionCapacity,
    Triage,
)
from toezicht.models.confidential import managed_municipalities
from toezicht.services import productive_hours

WORKLIST_ROWS = 25


def casework_municipality_ids(user) -> set[int]:
    """The municipalities whose case files the user reads (supervisor grants, or the team manager's)."""
    scope = scope_of(user)
    ids: set[int] = set()
    if scope.has_role(Role.SUPERVISOR):
        ids |= set(scope.supervised_municipality_ids)
    if scope.has_role(Role.SUPERVISION_MANAGER) and scope.municipality_id:
        ids |= set(managed_municipalities(scope).values_list("municipality_id", flat=True))
    return ids


@dataclass(frozen=True)
class MonthHours:
    municipality: Municipality
    capacity_hours: Decimal
    realised_hours: Decimal

    @property
    def percent(self) -> Decimal | None:
        if not self.capacity_hours:
            return None
        return (self.realised_hours * 100 / self.capacity_hours).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def hours_this_month(*, user, today: date | None = None) -> list[MonthHours]:
    """Hours registered in the weeks that start this month against a twelfth of the year's capacity (FTE ×
    productive hours / 12, WM-DVO annex 4), per municipality the user works for. Three queries plus one per region."""
    today = today or timezone.localdate()
    ids = casework_municipality_ids(user)
    if not ids:
        return []
    first = today.replace(day=1)
    last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    capacities = list(
        SupervisionCapacity.objects.unrestricted("capaciteit is geen dossier; gemeenten van de eigen aanwijzing")
        .filter(municipality_id__in=ids, year=today.year)
        .select_related("municipality", "region")
        .order_by("municipality__name")
    )
    realised = dict(
        HoursEntry.objects.unrestricted("uren zijn geen dossier; gemeenten van de eigen aanwijzing")
        .filter(municipality_id__in=ids, week__gte=first, week__lte=last)
        .values_list("municipality_id")
        .annotate(total=Sum("hours"))
        .values_list("municipality_id", "total")
    )
    per_fte: dict[int, Decimal] = {}
    rows = []
    for cap in capacities:
        if cap.region_id not in per_fte:
            per_fte[cap.region_id] = productive_hours(region=cap.region, year=today.year)
        monthly = (cap.fte * per_fte[cap.region_id] / 12).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        rows.append(MonthHours(cap.municipality, monthly, realised.get(cap.municipality_id) or Decimal("0")))
    return rows


def worklist(*, user, today: date | None = None) -> dict:
    """The supervisor's worklist: new signals to triage, investigations by status, information requests by due
    date, hours this month against capacity. Everything through ``visible_to``: a team manager sees the same, a
    stranger nothing."""
    today = today or timezone.localdate()
    signals = Signal.objects.visible_to(user).filter(triage=Triage.UNTRIAGED).select_related("municipality")
    investigations = Investigation.objects.visible_to(user)
    open_investigations = (
        investigations.exclude(status=InvestigationStatus.CLOSED)
        .select_related("municipality")
        .order_by("status", "started_on", "pk")
    )
    counts = dict(investigations.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    requests = (
        InformationRequest.objects.visible_to(user)
        .filter(answered_on__isnull=True)
        .select_related("municipality")
        .order_by("due_on", "pk")
    )
    return {
        "today": today,
        "signals": list(signals.order_by("received_on", "pk")[:WORKLIST_ROWS]),
        "signal_count": signals.count(),
        "status_counts": [(value, label, counts.get(value, 0)) for value, label in InvestigationStatus.choices],
        "investigations": list(open_investigations[:WORKLIST_ROWS]),
        "requests": list(requests[:WORKLIST_ROWS]),
        "request_count": requests.count(),
        "hours": hours_this_month(user=user, today=today),
    }


def open_requests_count(*, user) -> int:
    return InformationRequest.objects.visible_to(user).filter(answered_on__isnull=True).count()

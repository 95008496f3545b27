"""Read-side queries of agreements that the pages and the API share (issue #11). They take a queryset the caller
already restricted (``visible_to`` on a page, the viewset's restricted queryset in the API) and add what both
show, so both answer with the same rows in the same number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from agreements.models import Agreement, Mandate, Party


def with_parties(queryset: QuerySet[Agreement], *, user) -> QuerySet[Agreement]:
    """Agreements with their region, coordinator, the agreements they replace or elaborate and their parties (with
    the municipality, as far as the user may see them): what the agreement page and ``/api/agreements/`` show."""
    return queryset.select_related("region", "coordinator", "replaces", "elaborates").prefetch_related(
        Prefetch("parties", queryset=Party.objects.visible_to(user).select_related("municipality"))
    )


def mandates_with_parties(queryset: QuerySet[Mandate]) -> QuerySet[Mandate]:
    """Mandates with their agreement and the mandating and mandated body (the register, WM-SO 4.12, BNO 5)."""
    return queryset.select_related("agreement", "mandating", "mandated")

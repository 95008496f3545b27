"""Read-side queries of regio that several pages share (issue #11). They take a queryset the caller already
restricted and add what the pages show; ``regio.api.params.visible_region`` is the API's one region look-up."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from regio.models import Membership, Region


def with_members(regions: QuerySet[Region], *, user) -> QuerySet[Region]:
    """Regions with their memberships (as far as the user may see them) and each member municipality: the home
    page and the region list show them."""
    return regions.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.visible_to(user).select_related("municipality"))
    )

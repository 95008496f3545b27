"""The FTE split API (WM-DVO annex 4): GET /api/v1/toezicht/fte-split/?region=CODE&year=YYYY."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from regio.api.params import parse_year, visible_region
from regio.tenancy import TenantViewSetMixin
from toezicht.models import SupervisionCapacity
from toezicht.services import fte_split


class FteSplitViewSet(TenantViewSetMixin, viewsets.GenericViewSet):
    """Supervision capacity per member and its share (FTE / total, exact inside, shown to four decimals)."""

    queryset = SupervisionCapacity.objects.all()

    @extend_schema(
        parameters=[OpenApiParameter("region", str, required=True), OpenApiParameter("year", int, required=True)],
        responses={200: dict},
    )
    def list(self, request):
        year = parse_year(request.query_params.get("year"))
        region = visible_region(request.user, request.query_params.get("region", ""))
        return Response(
            [
                {
                    "municipality": row.municipality.code,
                    "name": row.municipality.name,
                    "fte": f"{row.fte.normalize():f}",
                    "share": f"{row.share}",
                }
                for row in fte_split(region=region, year=year)
            ]
        )

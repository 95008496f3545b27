"""The yearly cycle in the API (issue 12): the fee of a year and the settlement of a year per member (WM-DVO 6.1,
WM-SO 6.7). Read-only; a member sees its own line, the coordinating staff every line; another tenant's region is a
404, a bad year a 400 in Dutch."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from costsharing import selectors
from costsharing.api.views import domain_errors
from regio.api.params import parse_year, visible_region
from regio.models import Region
from regio.tenancy import TenantViewSetMixin

PARAMETERS = [
    OpenApiParameter("region_code", str, OpenApiParameter.PATH, description="regiocode"),
    OpenApiParameter("year", int, required=True, description="jaar, bijv. 2025"),
]


def _money(value) -> str:
    return f"{value:.2f}"


class FeeViewSet(TenantViewSetMixin, viewsets.GenericViewSet):
    """The fee of a year per member on budget basis and what of it is invoiced (WM-DVO 6.1)."""

    queryset = Region.objects.all()

    @extend_schema(
        parameters=PARAMETERS,
        responses={
            200: inline_serializer(
                "Fee",
                {
                    "year": serializers.IntegerField(),
                    "total": serializers.CharField(),
                    "recorded": serializers.BooleanField(),
                    "lines": inline_serializer(
                        "FeeLine",
                        {
                            "municipality": serializers.CharField(),
                            "name": serializers.CharField(),
                            "share": serializers.CharField(),
                            "invoiced": serializers.CharField(),
                            "origin": serializers.CharField(),
                            "reference": serializers.CharField(),
                        },
                        many=True,
                    ),
                },
            )
        },
    )
    @domain_errors
    def list(self, request, region_code=None):
        year = parse_year(request.query_params.get("year"))
        region = visible_region(request.user, region_code)
        overview = selectors.fee_overview(user=request.user, region=region, year=year)
        return Response(
            {
                "year": year,
                "total": _money(overview.total),
                "recorded": overview.recorded,
                "error": overview.error,
                "lines": [
                    {
                        "municipality": line.municipality.code,
                        "name": line.municipality.name,
                        "share": _money(line.share),
                        "invoiced": _money(line.invoiced),
                        "origin": line.origin,
                        "reference": line.reference,
                    }
                    for line in overview.lines
                ],
            }
        )


class SettlementViewSet(TenantViewSetMixin, viewsets.GenericViewSet):
    """The final settlement of a year: actual share against the fee invoiced (WM-SO 6.7), drawn up in December of
    the next year; ``status`` is ``none`` until then, else ``draft``, ``approved`` or ``settled``."""

    queryset = Region.objects.all()

    @extend_schema(
        parameters=PARAMETERS,
        responses={
            200: inline_serializer(
                "Settlement",
                {
                    "year": serializers.IntegerField(),
                    "status": serializers.CharField(),
                    "version": serializers.IntegerField(allow_null=True),
                    "lines": inline_serializer(
                        "SettlementLine",
                        {
                            "municipality": serializers.CharField(),
                            "name": serializers.CharField(),
                            "actual_share": serializers.CharField(),
                            "fee_invoiced": serializers.CharField(),
                            "difference": serializers.CharField(),
                        },
                        many=True,
                    ),
                },
            )
        },
    )
    @domain_errors
    def list(self, request, region_code=None):
        year = parse_year(request.query_params.get("year"))
        region = visible_region(request.user, region_code)
        overview = selectors.settlement_overview(user=request.user, region=region, year=year)
        return Response(
            {
                "year": year,
                "status": overview.status,
                "version": overview.reckoning.version if overview.reckoning else None,
                "lines": [
                    {
                        "municipality": line.municipality.code,
                        "name": line.municipality.name,
                        "actual_share": _money(line.actual_share),
                        "fee_invoiced": _money(line.fee_invoiced),
                        "difference": _money(line.difference),
                    }
                    for line in overview.lines
                ],
            }
        )

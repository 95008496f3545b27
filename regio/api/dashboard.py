"""The dashboards' figures as JSON (issue 18): what the charts are drawn from, the same figures as the page, its
table and its PDF (``regio.dashboards.figures_for``). Amounts are strings (never a float)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from regio.dashboards import Audience, audiences_for, figures_for
from regio.models import Region
from regio.tenancy import TenantViewSetMixin

FIGURE = inline_serializer(
    "DashboardFigure",
    {
        "key": serializers.CharField(),
        "title": serializers.CharField(),
        "columns": inline_serializer(
            "DashboardColumn", {"label": serializers.CharField(), "kind": serializers.CharField()}, many=True
        ),
        "rows": serializers.ListField(child=serializers.ListField(child=serializers.CharField(allow_null=True))),
        "total": serializers.ListField(child=serializers.CharField(allow_null=True), allow_null=True),
        "url": serializers.CharField(),
        "chart": serializers.CharField(),
        "series": serializers.ListField(child=serializers.IntegerField()),
        "note": serializers.CharField(),
        "action": serializers.BooleanField(),
    },
    many=True,
)


class DashboardViewSet(TenantViewSetMixin, viewsets.GenericViewSet):
    """The figures of one dashboard for the logged-in user: ``audience`` is one of the dashboards the user may open
    (default: the first for the user's roles)."""

    queryset = Region.objects.all()
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "audience",
                str,
                enum=Audience.values,
                description="welk dashboard: wethouder, gemeente, coordinatie of platform",
            )
        ],
        responses={
            200: inline_serializer(
                "Dashboard",
                {
                    "audience": serializers.CharField(),
                    "audiences": serializers.ListField(child=serializers.CharField()),
                    "figures": FIGURE,
                },
            )
        },
    )
    def list(self, request):
        allowed = audiences_for(request.user)
        audience = request.query_params.get("audience") or (allowed[0] if allowed else "")
        if audience and audience not in Audience.values:
            raise ValidationError({"audience": [f"Onbekend dashboard; kies uit: {', '.join(Audience.values)}."]})
        if audience not in allowed:
            raise NotFound("Dit dashboard bestaat niet of is niet voor u.")
        figures = figures_for(request.user, audience)
        return Response({"audience": audience, "audiences": allowed, "figures": [f.as_json() for f in figures]})

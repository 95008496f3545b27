"""``GET /api/v1/beschermd-wonen/charges/`` (issue 13, WM-DVO annex 3 §5): the charges of assessments a member ordered
and of objections that followed, as far as the user may see them (a member its own, the coordinating municipality
every member's); ``?region=CODE&year=YYYY`` narrow the list. Recorded on the page by the access team."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from beschermdwonen.models import MemberCharge
from regio.api.params import parse_year
from regio.tenancy import TenantViewSetMixin


class MemberChargeSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code")
    municipality = serializers.CharField(source="municipality.code")
    objection_to = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = MemberCharge
        fields = [
            "id",
            "region",
            "municipality",
            "kind",
            "incurred_on",
            "year",
            "description",
            "amount",
            "objection_to",
        ]


class MemberChargeViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = MemberCharge.objects.all()
    serializer_class = MemberChargeSerializer

    def get_queryset(self):
        qs = super().get_queryset().select_related("region", "municipality").order_by("-incurred_on", "-pk")
        if self.action == "list":
            code = (self.request.query_params.get("region") or "").strip()[:60]
            if code:
                qs = qs.filter(region__code=code)
            if self.request.query_params.get("year"):
                qs = qs.filter(year=parse_year(self.request.query_params.get("year")))
        return qs

"""Read API of the supervision plans and reports (WM-DVO intro 6 and annex 4). Read-only: plans are drawn up, reports
generated and evaluations recorded on the pages, where the forms carry the rules' messages."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action

from regio.tenancy import TenantViewSetMixin
from toezicht import services_reports
from toezicht.models import AnnualReport, JointEvaluation, SupervisionPlan


class PlanSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)
    priorities = serializers.ListField(source="priority_list", child=serializers.CharField(), read_only=True)
    themes = serializers.ListField(source="theme_list", child=serializers.CharField(), read_only=True)
    planned_investigations = serializers.ListField(
        source="investigation_list", child=serializers.CharField(), read_only=True
    )
    comments = serializers.SerializerMethodField()

    class Meta:
        model = SupervisionPlan
        fields = [
            "id",
            "region",
            "kind",
            "year",
            "title",
            "summary",
            "priorities",
            "themes",
            "planned_investigations",
            "adopted_on",
            "comments",
        ]
        read_only_fields = fields

    def get_comments(self, obj) -> int:
        return len(obj.comments.all())


class AnnualReportSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)
    municipality = serializers.CharField(source="municipality.code", read_only=True)

    class Meta:
        model = AnnualReport
        fields = ["id", "region", "municipality", "year", "figures", "content_hash", "generated_at"]
        read_only_fields = fields


class JointEvaluationSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = JointEvaluation
        fields = ["id", "region", "year", "held_on", "participants", "conclusions", "looking_ahead"]
        read_only_fields = fields


class PlanViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The policy frame, execution plans and annual plans of the user's regions (every member reads them)."""

    queryset = SupervisionPlan.objects.all()
    serializer_class = PlanSerializer

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("region")
            .prefetch_related("comments")
            .order_by("-year", "kind", "pk")
        )


class AnnualReportViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Annual reports: aggregated figures, for the municipality's own people, the coordinating staff and its
    supervisors. ``pdf/``: the document itself."""

    queryset = AnnualReport.objects.all()
    serializer_class = AnnualReportSerializer

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .defer("pdf")
            .select_related("region", "municipality")
            .order_by("-year", "municipality__name", "pk")
        )

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="Het jaarverslag als PDF")})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        report = self.get_object()
        response = HttpResponse(
            services_reports.read_annual_report(user=request.user, report=report), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="{report.filename}"'
        return response


class JointEvaluationViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The yearly joint evaluations of the user's regions (WM-DVO annex 4)."""

    queryset = JointEvaluation.objects.all()
    serializer_class = JointEvaluationSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("region").order_by("-year", "pk")

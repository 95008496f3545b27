"""API of disputes and privacy agreements (issue #15): ``/api/v1/disputes/`` (WM-SO 14.2-14.4; BNO 17; MH 10.4),
visible to the parties of the dispute's agreement only, and ``/api/v1/processing-agreements/`` (WM-SO 11.1-11.2).
Bad input answers 400 with a Dutch message per field; another tenant's dispute 404."""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from agreements import selectors, services
from agreements.models import (
    Agreement,
    Dispute,
    DisputeEscalation,
    EscalationRoute,
    LegalCostCategory,
    LegalCostSplit,
    ProcessingAgreement,
    ProcessingParty,
)
from regio.amounts import AmountSerializerField
from regio.bounds import PlausibleDate
from regio.models import Municipality
from regio.tenancy import TenantViewSetMixin

TEXT = {"max_length": 10_000}


class EscalationSerializer(serializers.ModelSerializer):
    route_label = serializers.CharField(source="get_route_display", read_only=True)

    class Meta:
        model = DisputeEscalation
        fields = ["route", "route_label", "article", "forum", "started_on", "reference", "ended_on", "outcome"]


class DisputeSerializer(serializers.ModelSerializer):
    agreement = serializers.CharField(source="agreement.code", read_only=True)
    raised_by = serializers.CharField(source="raised_by.code", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    meeting_date = serializers.DateField(source="meeting.date", read_only=True, allow_null=True)
    legal_costs_amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, allow_null=True)
    escalations = EscalationSerializer(many=True, read_only=True)

    class Meta:
        model = Dispute
        fields = [
            "id",
            "agreement",
            "raised_by",
            "reported_on",
            "letter_reference",
            "subject",
            "reasons",
            "status",
            "status_label",
            "meeting_date",
            "decided_on",
            "decision",
            "best_practices",
            "legal_costs_amount",
            "legal_costs_split",
            "legal_costs_category",
            "legal_costs_booked_on",
            "escalations",
        ]


class DisputeInSerializer(serializers.Serializer):
    agreement = serializers.CharField(max_length=40, help_text="code van de overeenkomst, bijv. WM-SO-2025")
    raised_by = serializers.CharField(max_length=10, help_text="CBS-code van de melder (een partij)")
    reported_on = serializers.DateField(validators=[PlausibleDate()])
    letter_reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    subject = serializers.CharField(max_length=300)
    reasons = serializers.CharField(**TEXT)


class DecisionInSerializer(serializers.Serializer):
    decided_on = serializers.DateField(validators=[PlausibleDate()])
    resolved = serializers.BooleanField()
    decision = serializers.CharField(**TEXT)
    best_practices = serializers.CharField(required=False, allow_blank=True, default="", **TEXT)
    legal_costs_split = serializers.ChoiceField(choices=LegalCostSplit.choices, default=LegalCostSplit.NONE)
    legal_costs_amount = AmountSerializerField(required=False, allow_null=True, default=None)
    legal_costs_category = serializers.ChoiceField(
        choices=LegalCostCategory.choices, required=False, allow_blank=True, default=""
    )


class EscalationInSerializer(serializers.Serializer):
    route = serializers.ChoiceField(choices=EscalationRoute.choices)
    started_on = serializers.DateField(validators=[PlausibleDate()])
    forum = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class RouteSerializer(serializers.Serializer):
    route = serializers.ChoiceField(choices=EscalationRoute.choices)
    article = serializers.CharField()
    forum = serializers.CharField()


class RoutesSerializer(serializers.Serializer):
    dispute = serializers.IntegerField()
    subject = serializers.CharField()
    routes = RouteSerializer(many=True)
    escalations = EscalationSerializer(many=True)


class DisputeFilter(filters.FilterSet):
    agreement = filters.CharFilter(field_name="agreement__code", label="code overeenkomst")
    status = filters.CharFilter(field_name="status", label="status")

    class Meta:
        model = Dispute
        fields = ["agreement", "status"]


class DisputeViewSet(TenantViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Disputes of the agreements your municipality is party to. POST (the coordinating staff): a party's written
    report with reasons (WM-SO 14.2); it goes on the agenda of the next bestuurlijk overleg by itself (WM-SO 14.3)."""

    queryset = Dispute.objects.all()
    serializer_class = DisputeSerializer
    filterset_class = DisputeFilter

    def get_queryset(self):
        return selectors.disputes_with_agreement(super().get_queryset(), user=self.request.user)

    @extend_schema(request=DisputeInSerializer, responses={201: DisputeSerializer, 400: dict})
    def create(self, request):
        serializer = DisputeInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        agreement = Agreement.objects.visible_to(request.user).filter(code=data.pop("agreement")).first()
        if agreement is None:
            raise ValidationError({"agreement": ["Onbekende overeenkomst van uw regio's."]})
        raised_by = (
            Municipality.objects.visible_to(request.user)
            .filter(code=data.pop("raised_by"), agreement_parties__agreement=agreement)
            .first()
        )
        if raised_by is None:
            raise ValidationError({"raised_by": [f"Geen partij bij {agreement.code}."]})
        dispute = services.report_dispute(user=request.user, agreement=agreement, raised_by=raised_by, **data)
        return Response(DisputeSerializer(self._fresh(dispute)).data, status=status.HTTP_201_CREATED)

    def _fresh(self, dispute):
        return self.get_queryset().get(pk=dispute.pk)

    @extend_schema(
        methods=["GET"],
        responses={200: DisputeSerializer},
        description="Het geschil met het besluit voor zover vastgelegd.",
    )
    @extend_schema(methods=["POST"], request=DecisionInSerializer, responses={200: DisputeSerializer, 400: dict})
    @action(detail=True, methods=["get", "post"], url_path="decision", url_name="decision")
    def decision(self, request, pk=None):
        """The joint decision of the bestuurlijk overleg (WM-SO 14.3): solution, best practices, legal-advice costs."""
        dispute = self.get_object()
        if request.method == "GET":
            return Response(DisputeSerializer(dispute).data)
        serializer = DecisionInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.decide_dispute(user=request.user, dispute=dispute, **serializer.validated_data)
        return Response(DisputeSerializer(self._fresh(dispute)).data)

    @extend_schema(
        methods=["GET"],
        responses={200: RoutesSerializer},
        description="De escalatieroutes die de overeenkomst van dit geschil kent, en de escalaties tot nu toe.",
    )
    @extend_schema(methods=["POST"], request=EscalationInSerializer, responses={200: DisputeSerializer, 400: dict})
    @action(detail=True, methods=["get", "post"], url_path="escalation", url_name="escalation")
    def escalation(self, request, pk=None):
        """Escalate an unresolved dispute by the route its agreement has (WM-SO 14.4; MH 10.4; art. 28 Wgr)."""
        dispute = self.get_object()
        if request.method == "GET":
            routes = [
                {"route": r, "article": article, "forum": forum}
                for r, article, forum in services.escalation_routes(dispute.agreement)
            ]
            return Response(
                {
                    "dispute": dispute.pk,
                    "subject": dispute.subject,
                    "routes": routes,
                    "escalations": EscalationSerializer(dispute.escalations.all(), many=True).data,
                }
            )
        serializer = EscalationInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.escalate_dispute(user=request.user, dispute=dispute, **serializer.validated_data)
        return Response(DisputeSerializer(self._fresh(dispute)).data)


class ProcessingPartySerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code", read_only=True)
    name = serializers.CharField(source="municipality.name", read_only=True)

    class Meta:
        model = ProcessingParty
        fields = ["municipality", "name", "role"]


class ProcessingAgreementSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)
    agreement = serializers.CharField(source="agreement.code", read_only=True)
    parties = ProcessingPartySerializer(many=True, read_only=True)

    class Meta:
        model = ProcessingAgreement
        fields = [
            "code",
            "title",
            "kind",
            "domain",
            "region",
            "agreement",
            "article",
            "annex",
            "signed_on",
            "effective_from",
            "effective_until",
            "parties",
        ]


class ProcessingAgreementFilter(filters.FilterSet):
    region = filters.CharFilter(field_name="region__code", label="regiocode")
    domain = filters.CharFilter(field_name="domain", label="verwerking voor")

    class Meta:
        model = ProcessingAgreement
        fields = ["region", "domain"]


class ProcessingAgreementViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The register of privacy agreements of your regions with their parties' roles (WM-SO 11.1-11.2, annexes 5 and
    6): set up once in the region file (section ``processing_agreements``)."""

    queryset = ProcessingAgreement.objects.all()
    serializer_class = ProcessingAgreementSerializer
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*"
    filterset_class = ProcessingAgreementFilter

    def get_queryset(self):
        return selectors.processing_agreements_with_parties(super().get_queryset(), user=self.request.user)

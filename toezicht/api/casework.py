"""API of the confidential casework (issue 14): ``/api/v1/toezicht/investigations/``, ``/information-requests/``,
``/disclosures/``. Lists hold only what ``visible_to`` gives (the assigned supervisors and their team manager): a
member's civil servant gets an empty list, another's record 404. Reading one record is logged; writes are for the
supervisors of the municipality named (checked again in the services)."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from regio.models import Municipality
from regio.privacy import no_bsn_validator
from regio.tenancy import TenantViewSetMixin, scope_of
from toezicht import casefile
from toezicht import services_investigations as inv_services
from toezicht import services_requests as req_services
from toezicht.api.views import SupervisorWrites
from toezicht.models import (
    Approach,
    Disclosure,
    DisclosureBasis,
    InformationRequest,
    Investigation,
    InvestigationFunding,
    SignalKind,
)


def _text(limit, required=True):
    if required:
        return serializers.CharField(max_length=limit, validators=[no_bsn_validator])
    return serializers.CharField(
        max_length=limit, required=False, allow_blank=True, default="", validators=[no_bsn_validator]
    )


class InvestigationListSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code", read_only=True)

    class Meta:
        model = Investigation
        fields = ["reference", "municipality", "title", "kind", "approach", "status", "started_on", "closed_on"]
        read_only_fields = fields


class InvestigationInSerializer(serializers.Serializer):
    municipality = serializers.CharField(max_length=6)
    title = _text(200)
    kind = serializers.ChoiceField(choices=SignalKind.choices)
    approach = serializers.ChoiceField(choices=Approach.choices)
    funding = serializers.ChoiceField(choices=InvestigationFunding.choices, required=False, default="unknown")
    theme = _text(200, required=False)
    started_on = serializers.DateField()
    planned_end_on = serializers.DateField(required=False, allow_null=True, default=None)
    municipalities = serializers.ListField(
        child=serializers.CharField(max_length=6), required=False, default=list, max_length=50
    )
    providers = serializers.ListField(child=_text(200), required=False, default=list, max_length=50)
    signal = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


def _supervised(request, code: str) -> Municipality:
    municipality = (
        Municipality.objects.visible_to(request.user)
        .filter(code=code, pk__in=scope_of(request.user).supervised_municipality_ids)
        .first()
    )
    if municipality is None:
        raise ValidationError({"municipality": ["U bent niet aangewezen voor deze gemeente."]})
    return municipality


class InvestigationViewSet(TenantViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Investigations (confidential). GET one: the whole case file (logged). POST: a supervisor opens one for an
    assigned municipality. ``export/``: the case file as a zip, for the assigned supervisors only (logged)."""

    queryset = Investigation.objects.all()
    serializer_class = InvestigationListSerializer
    lookup_field = "reference"
    permission_classes = [SupervisorWrites]

    def get_queryset(self):
        return super().get_queryset().select_related("municipality").order_by("-started_on", "-pk")

    @extend_schema(request=InvestigationInSerializer, responses={201: InvestigationListSerializer})
    def create(self, request):
        serializer = InvestigationInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        municipality = _supervised(request, data["municipality"])
        scope = scope_of(request.user)
        others = list(
            Municipality.objects.unrestricted("namen van gemeenten in de eigen regio's").filter(
                code__in=data["municipalities"], pk__in=scope.peer_municipality_ids
            )
        )
        if len(others) != len(set(data["municipalities"])):
            raise ValidationError({"municipalities": ["Een of meer gemeenten horen niet bij uw regio."]})
        signal = None
        if data["signal"]:
            from toezicht.models import Signal

            signal = Signal.objects.visible_to(request.user).filter(reference=data["signal"]).first()
            if signal is None:
                raise ValidationError({"signal": ["Onbekend signaal."]})
        investigation = inv_services.open_investigation(
            user=request.user,
            municipality=municipality,
            title=data["title"],
            kind=data["kind"],
            approach=data["approach"],
            funding=data["funding"],
            theme=data["theme"],
            started_on=data["started_on"],
            planned_end_on=data["planned_end_on"],
            municipalities=others,
            providers=[(name, "", False) for name in data["providers"]],
            signal=signal,
        )
        return Response(InvestigationListSerializer(investigation).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: dict})
    def retrieve(self, request, *args, **kwargs):
        investigation = inv_services.read_investigation(
            user=request.user, investigation=self.get_object(), request=request
        )
        return Response(casefile.case_file_data(investigation))

    @extend_schema(responses={(200, "application/zip"): bytes})
    @action(detail=True, methods=["get"])
    def export(self, request, reference=None):
        investigation = self.get_object()
        payload = casefile.export_case_file(user=request.user, investigation=investigation, request=request)
        if request.query_params.get("manifest"):
            return Response(casefile.manifest(payload))
        response = HttpResponse(payload, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="dossier-{investigation.reference}.zip"'
        return response


class InformationRequestSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code", read_only=True)
    investigation = serializers.CharField(source="investigation.reference", read_only=True, default=None)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = InformationRequest
        fields = [
            "reference",
            "municipality",
            "received_on",
            "due_on",
            "answered_on",
            "overdue",
            "subject",
            "question",
            "requested_by",
            "answer_summary",
            "investigation",
        ]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        from django.utils import timezone

        return obj.is_overdue(timezone.localdate())


class InformationRequestListSerializer(InformationRequestSerializer):
    class Meta(InformationRequestSerializer.Meta):
        fields = ["reference", "municipality", "received_on", "due_on", "answered_on", "overdue", "subject"]
        read_only_fields = fields


class InformationRequestInSerializer(serializers.Serializer):
    municipality = serializers.CharField(max_length=6)
    received_on = serializers.DateField()
    subject = serializers.CharField(max_length=200, validators=[no_bsn_validator])
    question = serializers.CharField(max_length=5000, validators=[no_bsn_validator])
    requested_by = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class InformationRequestViewSet(TenantViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """A college's information requests (answer within 14 days, WM-DVO annex 4), with the overdue flag."""

    queryset = InformationRequest.objects.all()
    lookup_field = "reference"
    permission_classes = [SupervisorWrites]

    def get_serializer_class(self):
        return InformationRequestListSerializer if self.action == "list" else InformationRequestSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("municipality", "investigation").order_by("due_on", "pk")

    @extend_schema(request=InformationRequestInSerializer, responses={201: InformationRequestSerializer})
    def create(self, request):
        serializer = InformationRequestInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        record = req_services.record_information_request(
            user=request.user,
            municipality=_supervised(request, data["municipality"]),
            received_on=data["received_on"],
            subject=data["subject"],
            question=data["question"],
            requested_by=data["requested_by"],
        )
        return Response(InformationRequestSerializer(record).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request, *args, **kwargs):
        record = req_services.read_information_request(
            user=request.user, request_record=self.get_object(), request=request
        )
        return Response(InformationRequestSerializer(record).data)


class DisclosureSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code", read_only=True)
    request = serializers.CharField(source="request.reference", read_only=True, default=None)
    investigation = serializers.CharField(source="investigation.reference", read_only=True, default=None)

    class Meta:
        model = Disclosure
        fields = [
            "reference",
            "municipality",
            "recipient",
            "legal_basis",
            "request",
            "investigation",
            "data_disclosed",
            "purpose",
            "disclosed_on",
        ]
        read_only_fields = fields


class DisclosureListSerializer(DisclosureSerializer):
    class Meta(DisclosureSerializer.Meta):
        fields = ["reference", "municipality", "recipient", "legal_basis", "request", "disclosed_on"]
        read_only_fields = fields


class DisclosureInSerializer(serializers.Serializer):
    municipality = serializers.CharField(max_length=6)
    recipient = serializers.CharField(max_length=200, validators=[no_bsn_validator])
    legal_basis = serializers.ChoiceField(choices=DisclosureBasis.choices)
    request = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    data_disclosed = serializers.CharField(max_length=5000, validators=[no_bsn_validator])
    purpose = serializers.CharField(max_length=500, validators=[no_bsn_validator])
    disclosed_on = serializers.DateField()


class DisclosureViewSet(TenantViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Disclosures to a college (art. 5.2.4 Wmo 2015): recorded, frozen, every one and every read logged."""

    queryset = Disclosure.objects.all()
    lookup_field = "reference"
    permission_classes = [SupervisorWrites]

    def get_serializer_class(self):
        return DisclosureListSerializer if self.action == "list" else DisclosureSerializer

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("municipality", "request", "investigation")
            .order_by("-disclosed_on", "-pk")
        )

    @extend_schema(request=DisclosureInSerializer, responses={201: DisclosureSerializer})
    def create(self, request):
        serializer = DisclosureInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        record = None
        if data["request"]:
            record = InformationRequest.objects.visible_to(request.user).filter(reference=data["request"]).first()
            if record is None:
                raise ValidationError({"request": ["Onbekend informatieverzoek."]})
        disclosure = req_services.record_disclosure(
            user=request.user,
            municipality=_supervised(request, data["municipality"]),
            recipient=data["recipient"],
            legal_basis=data["legal_basis"],
            data_disclosed=data["data_disclosed"],
            purpose=data["purpose"],
            disclosed_on=data["disclosed_on"],
            request_record=record,
            request=request,
        )
        return Response(DisclosureSerializer(disclosure).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request, *args, **kwargs):
        disclosure = req_services.read_disclosure(user=request.user, disclosure=self.get_object(), request=request)
        return Response(DisclosureSerializer(disclosure).data)

"""API of the purchasing side (issue 16): ``/api/v1/providers/`` and ``/api/v1/contracts/`` (with the consent round's
actions). Lists are paginated and restricted by ``TenantViewSetMixin``; another region's object answers 404, an
action the user may not take 403, before the input is read; rule violations answer 400 in Dutch."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from inkoop import selectors, services
from inkoop.api.serializers import (
    ConsentInSerializer,
    ConsentSerializer,
    ContractInSerializer,
    ContractSerializer,
    ProviderInSerializer,
    ProviderSerializer,
    SigningSerializer,
    SignInSerializer,
)
from inkoop.models import FrameworkContract, Provider
from regio.api.params import visible_region
from regio.tenancy import TenantViewSetMixin


class ProviderViewSet(
    TenantViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """The provider register of the user's regions (WM-SO 2.4 d). ``?q=`` searches name, KvK and AGB; ``?domain=``
    filters. POST/PATCH: the region's coordinating staff."""

    queryset = Provider.objects.all()
    serializer_class = ProviderSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        rows = super().get_queryset().select_related("region")
        search = (self.request.query_params.get("q") or "")[:100]
        domain = (self.request.query_params.get("domain") or "")[:30]
        return selectors.providers_for(self.request.user, search=search, domain=domain).filter(
            pk__in=rows.values("pk")
        )

    @extend_schema(request=ProviderInSerializer, responses={201: ProviderSerializer})
    def create(self, request):
        data = self._valid(request.data, partial=False)
        region = visible_region(request.user, data.pop("region", ""))
        provider = services.create_provider(user=request.user, region=region, **data)
        return Response(ProviderSerializer(provider).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProviderInSerializer, responses={200: ProviderSerializer})
    def partial_update(self, request, pk=None):
        provider = self.get_object()
        data = self._valid(request.data, partial=True)
        data.pop("region", None)
        provider = services.update_provider(user=request.user, provider=provider, **data)
        return Response(ProviderSerializer(provider).data)

    @staticmethod
    def _valid(payload, *, partial: bool) -> dict:
        serializer = ProviderInSerializer(data=payload, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class ContractViewSet(TenantViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Framework contracts of the user's regions, by reference. POST creates a draft; ``consent-round`` opens the
    round, ``consent`` records a member's written decision with its PDF (WM-SO 4.11), ``sign`` signs on behalf of
    the members under their mandates (WM-SO 4.12) or answers 400 with every reason it may not."""

    queryset = FrameworkContract.objects.all()
    serializer_class = ContractSerializer
    lookup_field = "reference"
    lookup_value_regex = r"[^/]{1,60}"
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        status_filter = (self.request.query_params.get("status") or "")[:20]
        rows = super().get_queryset()
        return selectors.contracts_for(self.request.user, status=status_filter).filter(pk__in=rows.values("pk"))

    @extend_schema(request=ContractInSerializer, responses={201: ContractSerializer})
    def create(self, request):
        serializer = ContractInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        region = visible_region(request.user, data.pop("region"))
        provider = Provider.objects.visible_to(request.user).filter(pk=data.pop("provider"), region=region).first()
        if provider is None:
            raise ValidationError({"provider": ["Onbekende aanbieder in het register van deze regio."]})
        contract = services.create_contract(user=request.user, region=region, provider=provider, **data)
        return Response(ContractSerializer(contract).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["POST"], request=None, responses={200: ContractSerializer})
    @extend_schema(methods=["GET"], responses={200: ContractSerializer})
    @action(detail=True, methods=["get", "post"], url_path="consent-round")
    def consent_round(self, request, reference=None):
        """GET: the contract; POST: open the consent round of a draft."""
        contract = self.get_object()
        if request.method == "POST":
            contract = services.open_consent_round(user=request.user, contract=contract)
        return Response(ContractSerializer(contract).data)

    @extend_schema(methods=["POST"], request=ConsentInSerializer, responses={200: ContractSerializer})
    @extend_schema(methods=["GET"], responses={200: ConsentSerializer(many=True)})
    @action(detail=True, methods=["get", "post"])
    def consent(self, request, reference=None):
        """GET: the members' decisions so far; POST: record one member's written decision with its PDF (multipart
        ``document``; WM-SO 4.11)."""
        contract = self.get_object()
        if request.method == "GET":
            return Response(ConsentSerializer(contract.consents.all(), many=True).data)
        serializer = ConsentInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        members = {m.code: m for m in services.members_to_consent(contract)}
        municipality = members.get(data["municipality"])
        if municipality is None:
            raise ValidationError({"municipality": ["Deze gemeente hoeft niet in te stemmen met dit raamcontract."]})
        services.record_consent(
            user=request.user,
            contract=contract,
            municipality=municipality,
            decision=data["decision"],
            decided_on=data["decided_on"],
            document=services.read_upload(data.get("document")),
            note=data.get("note", ""),
        )
        return Response(ContractSerializer(self.get_object()).data)

    @extend_schema(methods=["POST"], request=SignInSerializer, responses={200: ContractSerializer})
    @extend_schema(methods=["GET"], responses={200: SigningSerializer})
    @action(detail=True, methods=["get", "post"])
    def sign(self, request, reference=None):
        """GET: what stands in the way of signing today (WM-SO 4.11-4.12); POST: sign on behalf of the members."""
        contract = self.get_object()
        if request.method == "GET":
            problems, _mandates = services.signing_problems(contract, timezone.localdate())
            return Response({"reference": contract.reference, "may_sign": not problems, "problems": problems})
        serializer = SignInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.sign_contract(user=request.user, contract=contract, signed_on=serializer.validated_data["signed_on"])
        return Response(ContractSerializer(self.get_object()).data)

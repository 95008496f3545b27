"""The cost-sharing API (issue #5 contract). Every queryset is restricted through regio.tenancy; bad input is a 400
with a Dutch message, another tenant's object a 404 (STYLE.md rules 4, 5, 9)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from costsharing import selectors, services
from costsharing.api.serializers import (
    AllocationKeySerializer,
    AnnualReportAdoptionSerializer,
    AnnualReportDrawUpSerializer,
    AnnualReportSerializer,
    CaoStepSerializer,
    ReckoningRequestSerializer,
    ReckoningSerializer,
    split_payload,
    tariffs_payload,
)
from costsharing.models import AllocationKey, AnnualReport, CaoStep, Reckoning, ReckoningLine
from regio.amounts import parse_plain
from regio.api.params import parse_year, visible_region
from regio.models import Region
from regio.tenancy import TenantViewSetMixin


def domain_errors(fn):
    """Turn the services' Django errors into API answers (400 / 403) instead of a 500."""

    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DjangoValidationError as exc:
            raise ValidationError({"detail": exc.messages}) from exc
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or None) from exc

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


class AllocationKeyViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Allocation keys (verdeelsleutels) of the user's regions, by code, with their versions (SPEC §6.1)."""

    queryset = AllocationKey.objects.all()
    serializer_class = AllocationKeySerializer
    lookup_field = "code"
    lookup_value_regex = r"[a-z0-9-_]+"
    filterset_fields = []

    def get_queryset(self):
        versions = Prefetch("versions", queryset=selectors.key_versions(self.request.user))
        return super().get_queryset().select_related("region").prefetch_related(versions)

    def get_object(self):
        queryset = self.filter_queryset(self.get_queryset()).filter(code=self.kwargs["code"])
        region = self.request.query_params.get("region")
        if region:
            queryset = queryset.filter(region__code=region)
        found = list(queryset[:2])
        if not found:
            raise NotFound("Verdeelsleutel niet gevonden.")
        if len(found) > 1:
            raise ValidationError({"region": ["Deze sleutelcode bestaat in meer regio's: geef ?region=<code> op."]})
        self.check_object_permissions(self.request, found[0])
        return found[0]

    @extend_schema(
        parameters=[
            OpenApiParameter("amount", str, description="bedrag, bijv. 100000.00", required=True),
            OpenApiParameter("on", date, description="datum (JJJJ-MM-DD): de versie die dan geldt; standaard vandaag"),
            OpenApiParameter("region", str, description="regiocode, alleen nodig als de code in meer regio's bestaat"),
        ],
        responses={200: dict},
    )
    @action(detail=True, methods=["get"])
    @domain_errors
    def split(self, request, code=None):
        """Split an amount by the key version valid on a date: exact ratios, largest remainder (SPEC §6.1)."""
        key = self.get_object()
        raw_amount = request.query_params.get("amount")
        if raw_amount in (None, ""):
            raise ValidationError({"amount": ["Geef het bedrag op, bijvoorbeeld ?amount=100000.00."]})
        try:
            # The one amount parser (issue 10, findings 6-7): "1e30" is refused in Dutch, not a 500.
            amount = parse_plain(raw_amount, minimum=None)
        except DjangoValidationError as exc:
            raise ValidationError({"amount": exc.messages}) from None
        raw_on = request.query_params.get("on")
        try:
            on = date.fromisoformat(raw_on) if raw_on else timezone.localdate()
        except ValueError:
            raise ValidationError({"on": [f"'{raw_on}' is geen datum; gebruik JJJJ-MM-DD."]}) from None
        version = services.version_on(key=key, on=on)
        parts = services.split(amount=amount, version=version, year=on.year)
        return Response(split_payload(key=key, version=version, amount=amount, parts=parts))


@extend_schema(parameters=[OpenApiParameter("region_code", str, OpenApiParameter.PATH, description="regiocode")])
class CaoStepViewSet(TenantViewSetMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The CAO steps of a region (WM-SO 6.4, WM-DVO 5.3), paginated. POST adds one as the coordinating municipality
    does on the tariffs page; the indexation runs after commit, bounded to next year (issue 10, finding 4)."""

    queryset = CaoStep.objects.all()
    serializer_class = CaoStepSerializer

    def get_queryset(self):
        region = visible_region(self.request.user, self.kwargs.get("region_code", ""))
        return super().get_queryset().filter(region=region).order_by("effective_date", "pk")

    @extend_schema(responses={201: CaoStepSerializer})
    def create(self, request, region_code=None):
        region = visible_region(request.user, region_code)
        payload = CaoStepSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            step = services.add_cao_step(user=request.user, region=region, **payload.validated_data)
        except DjangoValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
            raise ValidationError(detail) from exc
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or None) from exc
        return Response(CaoStepSerializer(step).data, status=status.HTTP_201_CREATED)


class TariffViewSet(TenantViewSetMixin, viewsets.GenericViewSet):
    """Hourly rates and activity prices of a region for a year (WM-DVO annex 1; SPEC §6.2)."""

    queryset = Region.objects.all()

    @extend_schema(
        parameters=[
            OpenApiParameter("region_code", str, OpenApiParameter.PATH, description="regiocode"),
            OpenApiParameter("year", int, required=True),
        ],
        responses={200: dict},
    )
    @domain_errors
    def list(self, request, region_code=None):
        year = parse_year(request.query_params.get("year"))
        region = visible_region(request.user, region_code)
        return Response(tariffs_payload(services.tariffs(region=region, year=year)))


class ReckoningViewSet(TenantViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """December reckonings (WM-SO 6.7). POST {"region", "year"} starts or returns the region's reckoning."""

    queryset = Reckoning.objects.select_related("region").prefetch_related(
        Prefetch("lines", queryset=ReckoningLine.objects.select_related("municipality"))
    )
    serializer_class = ReckoningSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["visible_line_ids"] = (
            set(ReckoningLine.objects.visible_to(self.request.user).values_list("pk", flat=True))
            if self.request.user.is_authenticated
            else set()
        )
        return context

    def get_queryset(self):
        queryset = super().get_queryset()
        region = self.request.query_params.get("region")
        if region:
            queryset = queryset.filter(region__code=region)
        year = self.request.query_params.get("year")
        if year:
            queryset = queryset.filter(year=parse_year(year))
        return queryset

    @extend_schema(request=ReckoningRequestSerializer, responses={200: ReckoningSerializer, 201: ReckoningSerializer})
    @domain_errors
    def create(self, request, *args, **kwargs):
        payload = ReckoningRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        region = visible_region(request.user, payload.validated_data["region"])
        year = payload.validated_data["year"]
        existed = services.latest_reckoning(region=region, year=year) is not None
        services.request_reckoning(user=request.user, region=region, year=year)
        reckoning = self.get_queryset().filter(region=region, year=year).order_by("-version").first()
        data = self.get_serializer(reckoning).data
        return Response(data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ReckoningSerializer})
    @action(detail=True, methods=["get", "post"])
    @domain_errors
    def approve(self, request, pk=None):
        """GET: may this reckoning be approved (and by me)? POST: approve it: frozen from then on, the ids of its
        cost lines kept; refused when the inputs changed since it was computed (WM-SO 6.7, SPEC §6.5)."""
        reckoning = self.get_object()
        if request.method == "GET":
            try:
                services.require_coordinator(request.user, reckoning.region)
                may = True
            except DjangoPermissionDenied:
                may = False
            return Response(
                {
                    "id": reckoning.pk,
                    "version": reckoning.version,
                    "status": reckoning.status,
                    "total": f"{reckoning.total:.2f}",
                    "can_approve": may
                    and reckoning.status == Reckoning.Status.DRAFT
                    and reckoning.run_state == Reckoning.RunState.DONE,
                }
            )
        services.approve_reckoning(user=request.user, reckoning=reckoning)
        return Response(self.get_serializer(self.get_queryset().get(pk=reckoning.pk)).data)


@extend_schema(parameters=[OpenApiParameter("region_code", str, OpenApiParameter.PATH, description="regiocode")])
class AnnualReportViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """BNO's annual reports (BNO 10.5-10.6): each year's versions and the latest accounts and settlement proposal.
    ``POST .../annual-reports/ {year, content}`` draws up a (new) version, as the page does; ``POST .../{year}/adopt/``
    records the adoption of the proposal (version, date, decision): only then can it be invoiced
    (``.../{year}/invoice/``, in invoicing's API). ``latest.proposal`` is the settlement proposal per municipality
    (``difference`` positive: to pay; negative: to get back)."""

    queryset = AnnualReport.objects.select_related("region", "adopted_version").prefetch_related("versions")
    serializer_class = AnnualReportSerializer
    lookup_field = "year"
    lookup_value_regex = r"[0-9]{1,6}"

    def get_queryset(self):
        region = visible_region(self.request.user, self.kwargs.get("region_code", ""))
        return super().get_queryset().filter(region=region).order_by("-year")

    @extend_schema(request=AnnualReportAdoptionSerializer, responses={200: AnnualReportSerializer})
    @action(detail=True, methods=["get", "post"])
    def adopt(self, request, region_code=None, year=None):
        """GET: is the proposal adopted, and may I record it? POST {version, adopted_on, decision}: record the
        adoption (BNO 10.6); refused for another than the latest version, and once adopted."""
        report = self.get_object()
        if request.method == "GET":
            latest = max((v.number for v in report.versions.all()), default=None)
            try:
                services.require_coordinator(request.user, report.region)
                may = True
            except DjangoPermissionDenied:
                may = False
            return Response(
                {
                    "year": report.year,
                    "status": "adopted" if report.is_adopted else "awaiting_adoption",
                    "adopted_on": report.adopted_on.isoformat() if report.adopted_on else None,
                    "latest_version": latest,
                    "can_adopt": may and latest is not None and not report.is_adopted,
                }
            )
        payload = AnnualReportAdoptionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            report = services.adopt_annual_report(user=request.user, report=report, **payload.validated_data)
        except DjangoValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
            raise ValidationError(detail) from exc
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or None) from exc
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data)

    @extend_schema(
        request=AnnualReportDrawUpSerializer, responses={200: AnnualReportSerializer, 201: AnnualReportSerializer}
    )
    def create(self, request, region_code=None):
        """POST {year, content}: draw up the annual report of that year, or a new version when the text or the figures
        changed (BNO 10.5-10.6), as the report's page does; the same text and figures again give the same version
        (200), a new one 201. Refused once the proposal is adopted. A member: 403 before its input is read."""
        region = visible_region(request.user, region_code or "")  # another region: 404
        domain_errors(services.require_coordinator)(request.user, region)
        payload = AnnualReportDrawUpSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        year = parse_year(payload.validated_data["year"])
        known = set(
            AnnualReport.objects.unrestricted("the report of a region the coordinator may act for")
            .filter(region=region, year=year)
            .values_list("versions__number", flat=True)
        )
        try:
            version = services.draw_up_annual_report(
                user=request.user, region=region, year=year, content=payload.validated_data["content"]
            )
        except DjangoValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
            raise ValidationError(detail) from exc
        data = self.get_serializer(self.get_queryset().get(pk=version.report_id)).data
        return Response(data, status=status.HTTP_200_OK if version.number in known else status.HTTP_201_CREATED)

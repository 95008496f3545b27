"""The FTE split API (WM-DVO annex 4): GET /api/v1/toezicht/fte-split/?region=CODE&year=YYYY."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from regio.api.params import parse_year, visible_region
from regio.models import Municipality, User
from regio.roles import Role
from regio.tenancy import VIEW, TenantPermission, TenantViewSetMixin, scope_of
from toezicht import meldpunt
from toezicht.api.serializers import (
    AppointmentInSerializer,
    AppointmentSerializer,
    HoursInSerializer,
    MeldpuntSerializer,
    SignalInSerializer,
    SignalSerializer,
)
from toezicht.models import HoursEntry, Signal, SupervisionCapacity, SupervisorAppointment
from toezicht.services import (
    appoint_supervisor,
    fte_split,
    hours_against_capacity,
    meldpunt_municipalities,
    new_reference,
    read_signal,
    record_signal,
    register_hours,
    report_signal,
)


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


class AppointmentViewSet(TenantViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The register of appointed supervisors (art. 6.1 lid 1 Wmo 2015). POST: the coordinating municipality's staff
    appoint (the mandates of the other members are checked and recorded by the service)."""

    queryset = SupervisorAppointment.objects.all()
    serializer_class = AppointmentSerializer

    @extend_schema(request=AppointmentInSerializer, responses={201: AppointmentSerializer})
    def create(self, request):
        serializer = AppointmentInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        region = visible_region(request.user, data["region"])
        supervisor = User.visible_people(request.user).filter(username=data["supervisor"]).first()
        if supervisor is None:
            raise ValidationError({"supervisor": ["Onbekende toezichthouder van uw gemeente."]})
        members = {m.code: m for m in region.members_on(data["active_from"])}
        unknown = [code for code in data["municipalities"] if code not in members]
        if unknown:
            raise ValidationError({"municipalities": [f"Geen lid van {region.name}: {', '.join(unknown)}."]})
        appointment = appoint_supervisor(
            user=request.user,
            region=region,
            supervisor=supervisor,
            kind=data["kind"],
            decision_date=data["decision_date"],
            decision_reference=data["decision_reference"],
            municipalities=[members[code] for code in dict.fromkeys(data["municipalities"])],
            active_from=data["active_from"],
            active_until=data["active_until"],
        )
        return Response(AppointmentSerializer(appointment).data, status=status.HTTP_201_CREATED)

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .distinct()
            .select_related("region", "supervisor", "appointing_municipality")
            .prefetch_related("municipalities", "mandates__mandating")
            .order_by("region__name", "-active_from", "pk")
        )


class SupervisorWrites(TenantPermission):
    """Hours and signals are written by supervisors for the municipalities assigned to them (the grant), not by
    coordinating staff for a region; the municipality itself is checked again in the service."""

    def has_permission(self, request, view) -> bool:
        scope = scope_of(request.user)
        if not scope.authenticated:
            return False
        if self.action(request, view) == VIEW:
            return True
        return scope.has_role(Role.SUPERVISOR) and bool(scope.supervised_municipality_ids) and not scope.read_only


class HoursViewSet(TenantViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """GET: the user's own hours entries; POST: a supervisor records a week's hours for an assigned municipality."""

    queryset = HoursEntry.objects.all()
    permission_classes = [SupervisorWrites]

    def get_queryset(self):
        return super().get_queryset().filter(supervisor_id=self.request.user.pk).select_related("municipality")

    def get_serializer_class(self):
        return HoursInSerializer

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset().order_by("-week", "municipality__name"))
        return self.get_paginated_response(
            [{"municipality": e.municipality.code, "week": e.week, "hours": f"{e.hours}"} for e in page]
        )

    @extend_schema(request=HoursInSerializer, responses={201: dict})
    def create(self, request):
        serializer = HoursInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        scope = scope_of(request.user)
        municipality = (
            Municipality.objects.visible_to(request.user)
            .filter(code=data["municipality"], pk__in=scope.supervised_municipality_ids)
            .first()
        )
        if municipality is None:
            raise ValidationError({"municipality": ["U bent niet aangewezen voor deze gemeente."]})
        entry = register_hours(user=request.user, municipality=municipality, week=data["week"], hours=data["hours"])
        return Response(
            {"municipality": municipality.code, "week": entry.week, "hours": f"{entry.hours}"},
            status=status.HTTP_201_CREATED,
        )


class HoursAgainstCapacityViewSet(TenantViewSetMixin, viewsets.GenericViewSet):
    """GET ?region=CODE&year=YYYY: realised hours against capacity per member (WM-DVO annex 4)."""

    queryset = HoursEntry.objects.all()

    @extend_schema(
        parameters=[OpenApiParameter("region", str, required=True), OpenApiParameter("year", int, required=True)],
        responses={200: dict},
    )
    def list(self, request):
        year = parse_year(request.query_params.get("year"))
        region = visible_region(request.user, request.query_params.get("region", ""))
        rows = hours_against_capacity(user=request.user, region=region, year=year, until=timezone.localdate())
        return Response(
            [
                {
                    "municipality": r.municipality.code,
                    "fte": f"{r.fte.normalize():f}",
                    "capacity_hours": f"{r.capacity_hours}",
                    "realised_hours": f"{r.realised_hours}",
                    "deviation_percent": None if r.deviation_percent is None else f"{r.deviation_percent}",
                    "flagged": r.flagged,
                }
                for r in rows
            ]
        )


class SignalViewSet(TenantViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Signals (confidential): only the supervisors assigned to the municipality get records; anyone else an empty
    list and 404. Every read of one signal is in the access log. POST: a supervisor records a signal for an
    assigned municipality."""

    queryset = Signal.objects.all()
    serializer_class = SignalSerializer
    lookup_field = "reference"
    permission_classes = [SupervisorWrites]

    @extend_schema(request=SignalInSerializer, responses={201: SignalSerializer})
    def create(self, request):
        serializer = SignalInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        municipality = (
            Municipality.objects.visible_to(request.user)
            .filter(code=data["municipality"], pk__in=scope_of(request.user).supervised_municipality_ids)
            .first()
        )
        if municipality is None:
            raise ValidationError({"municipality": ["U bent niet aangewezen voor deze gemeente."]})
        signal = record_signal(user=request.user, **{**data, "municipality": municipality})
        return Response(SignalSerializer(signal).data, status=status.HTTP_201_CREATED)

    def get_queryset(self):
        return super().get_queryset().select_related("municipality").order_by("-received_on", "-pk")

    def retrieve(self, request, *args, **kwargs):
        signal = read_signal(user=request.user, signal=self.get_object(), request=request)
        return Response(SignalSerializer(signal).data)


class MeldpuntViewSet(viewsets.GenericViewSet):
    """POST /api/v1/toezicht/meldpunt/: the public Meldpunt (no login). Bad input → 400 with Dutch messages; more
    than ``TOEZICHT_MELDPUNT_RATE`` attempts from one address → 429. Answers the signal's reference only."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = MeldpuntSerializer

    @extend_schema(request=MeldpuntSerializer, responses={201: dict, 400: dict, 429: dict})
    def create(self, request):
        if not meldpunt.allow(request):
            return Response(
                {"detail": "Te veel meldingen vanaf dit adres kort na elkaar; probeer het later opnieuw."},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        serializer = MeldpuntSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["website"]:
            return Response({"reference": new_reference()}, status=status.HTTP_201_CREATED)
        municipality = meldpunt_municipalities().filter(code=data["municipality"]).first()
        if municipality is None:
            raise ValidationError({"municipality": ["Voor deze gemeente neemt het Meldpunt geen meldingen aan."]})
        signal = report_signal(
            user=request.user,
            municipality=municipality,
            kind=data["kind"],
            funding=data["funding"],
            provider_name=data["provider_name"],
            description=data["description"],
            contact=data["contact"],
        )
        return Response({"reference": signal.reference}, status=status.HTTP_201_CREATED)

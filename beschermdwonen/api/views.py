"""The register API: /api/v1/beschermd-wonen/clients/ (list, create by the access team, detail; reads logged)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from beschermdwonen import selectors, services
from beschermdwonen.api.indication_actions import IndicationActionsMixin
from beschermdwonen.api.serializers import (
    AssessmentSerializer,
    ClientCreateSerializer,
    ClientSerializer,
    IndicationCreateSerializer,
    IndicationSerializer,
    NotificationCreateSerializer,
    NotificationSerializer,
)
from beschermdwonen.models import Assessment, Client, Indication, Notification, Residence
from regio.bounds import check_date
from regio.models import log_access
from regio.tenancy import ADD, CHANGE, TenantPermission, TenantViewSetMixin


class RegisterPermission(TenantPermission):
    """A create names no object: only the access team (``bw`` of a coordinating municipality) gets to its input."""

    def has_permission(self, request, view) -> bool:
        if self.action(request, view) == ADD and not view.kwargs.get(view.lookup_url_kwarg or view.lookup_field):
            return selectors.is_access_team(request.user)
        return super().has_permission(request, view)


class ClientViewSet(TenantViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Client.objects.all()
    serializer_class = ClientSerializer
    permission_classes = [RegisterPermission]
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        # The residence periods the user may see (a member: those in its own municipality, woonplaatsbeginsel).
        periods = Residence.objects.visible_to(self.request.user).select_related("municipality").order_by("valid_from")
        return (
            super()
            .get_queryset()
            .select_related("region")
            .prefetch_related(Prefetch("residences", queryset=periods))
            .order_by("reference")
        )

    def retrieve(self, request, *args, **kwargs):
        client = self.get_object()
        current = client.residence_on(timezone.localdate())
        log_access(
            user=request.user, obj=client, municipality=current.municipality if current else None, request=request
        )
        return Response(ClientSerializer(client).data)

    @extend_schema(request=ClientCreateSerializer, responses={201: ClientSerializer})
    def create(self, request, *args, **kwargs):
        data = ClientCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        region = selectors.access_team_regions(request.user).filter(code=values["region"]).first()
        if region is None:
            raise PermissionDenied(services.NOT_ACCESS_TEAM)
        municipality = region.members_on(values["valid_from"]).filter(code=values["municipality"]).first()
        if municipality is None:
            raise ValidationError({"municipality": ["Deze gemeente is op die datum geen lid van de regio."]})
        client = services.register_client(
            user=request.user,
            region=region,
            municipality=municipality,
            valid_from=values["valid_from"],
            reference=values.get("reference", ""),
            bsn=values.get("bsn", ""),
            birth_year=values.get("birth_year"),
        )
        client = self.get_queryset().get(pk=client.pk)
        return Response(ClientSerializer(client).data, status=status.HTTP_201_CREATED)


class NotificationViewSet(TenantViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Notifications (meldingen): list and detail as far as the user may see them (a detail read is logged);
    created by the access team."""

    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    permission_classes = [RegisterPermission]

    def get_queryset(self):
        return super().get_queryset().select_related("client", "municipality").order_by("-notified_on", "-pk")

    def retrieve(self, request, *args, **kwargs):
        notification = self.get_object()
        log_access(user=request.user, obj=notification, municipality=notification.municipality, request=request)
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=NotificationCreateSerializer, responses={201: NotificationSerializer})
    def create(self, request, *args, **kwargs):
        data = NotificationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        client = Client.objects.restrict(request.user, CHANGE).filter(reference=values["client"]).first()
        if client is None:
            raise ValidationError({"client": ["Deze cliëntreferentie staat niet in uw register."]})
        notification = services.record_notification(
            user=request.user,
            client=client,
            notified_on=values["notified_on"],
            kind=values["kind"],
            notified_by=values["notified_by"],
        )
        return Response(NotificationSerializer(notification).data, status=status.HTTP_201_CREATED)


class AssessmentViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Assessments (onderzoeken) as far as the user may see them; a detail read is logged. The conversation report
    is not in the API (only the access team reads it, through the page)."""

    queryset = Assessment.objects.all()
    serializer_class = AssessmentSerializer

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("notification__client", "consultation_requested_by")
            .prefetch_related("hours")
            .order_by("-created_at", "-pk")
        )

    def retrieve(self, request, *args, **kwargs):
        assessment = self.get_object()
        log_access(user=request.user, obj=assessment, request=request)
        return Response(AssessmentSerializer(assessment).data)


class IndicationViewSet(
    IndicationActionsMixin, TenantViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Indications as far as the user may see them (the access team: its region's; a member's ``bw`` staff: its
    residents'); ``?on=YYYY-MM-DD`` gives those running on that date. A detail read is logged; the access team
    records new ones (WM-DVO annex 2 §1-2)."""

    queryset = Indication.objects.all()
    serializer_class = IndicationSerializer
    permission_classes = [RegisterPermission]

    def get_queryset(self):
        qs = (
            super()
            .get_queryset()
            .select_related("client", "decided_by", "responsible_municipality")
            .order_by("-care_start", "-pk")
        )
        raw = self.request.query_params.get("on") if self.action == "list" else None
        if raw:
            try:
                on = check_date(date.fromisoformat(raw[:20]), label="De datum")
            except (ValueError, DjangoValidationError) as exc:
                raise ValidationError(
                    {"on": getattr(exc, "messages", None) or ["Geef een datum als jjjj-mm-dd."]}
                ) from None
            qs = qs.filter(care_start__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        return qs

    def retrieve(self, request, *args, **kwargs):
        indication = self.get_object()
        log_access(
            user=request.user, obj=indication, municipality=indication.responsible_municipality, request=request
        )
        return Response(IndicationSerializer(indication).data)

    @extend_schema(request=IndicationCreateSerializer, responses={201: IndicationSerializer})
    def create(self, request, *args, **kwargs):
        data = IndicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        client = Client.objects.restrict(request.user, CHANGE).filter(reference=values["client"]).first()
        if client is None:
            raise ValidationError({"client": ["Deze cliëntreferentie staat niet in uw register."]})
        decided_by = None
        if values.get("decided_by"):
            decided_by = client.region.members_on(values["decided_on"]).filter(code=values["decided_by"]).first()
            if decided_by is None:
                raise ValidationError({"decided_by": ["Deze gemeente is op die datum geen lid van de regio."]})
        indication = services.record_indication(
            user=request.user,
            client=client,
            product=values["product"],
            decided_on=values["decided_on"],
            care_start=values["care_start"],
            ends_on=values.get("ends_on"),
            decided_by=decided_by,
            delivery=values.get("delivery") or "in_kind",
            own_contribution_reported_on=values.get("own_contribution_reported_on"),
        )
        return Response(IndicationSerializer(indication).data, status=status.HTTP_201_CREATED)

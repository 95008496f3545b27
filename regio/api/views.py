from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from regio.api.serializers import MunicipalitySerializer, RegionSerializer
from regio.models import Membership, Municipality, Region
from regio.tenancy import TenantViewSetMixin


class MunicipalityFilter(filters.FilterSet):
    region = filters.CharFilter(field_name="memberships__region__code", label="regiocode", distinct=True)
    name = filters.CharFilter(field_name="name", lookup_expr="icontains", label="naam bevat")

    class Meta:
        model = Municipality
        fields = ["region", "name"]


class MunicipalityViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Municipalities by CBS code: those of the regions the user's municipality is a member of."""

    queryset = Municipality.objects.select_related("successor").prefetch_related(
        "population_figures", Prefetch("memberships", queryset=Membership.objects.select_related("region"))
    )
    serializer_class = MunicipalitySerializer
    lookup_field = "code"
    lookup_value_regex = r"GM\d{4}"
    filterset_class = MunicipalityFilter

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["visible_region_ids"] = set(Region.objects.visible_to(self.request.user).values_list("pk", flat=True))
        return context


class RegionViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Regions (cooperations) by code, with their members over time."""

    queryset = Region.objects.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("municipality"))
    )
    serializer_class = RegionSerializer
    lookup_field = "code"
    lookup_value_regex = r"[a-z0-9-]+"


@extend_schema(responses={200: dict}, description="Gezondheid van de dienst (publiek): database bereikbaar.")
@api_view(["GET"])
@permission_classes([AllowAny])
def health(request):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return Response({"status": "ok"})

"""API of care-use monitoring (BNO 4) and the development table (MH 6), inkoop-b's block of ``inkoop.api.urls``.

* ``GET /api/v1/care-use-report/?region=&year=&half=``: the half-yearly report's figures as JSON (the same as the
  page and the PDF); members' Wmo staff of the region only (others 404).
* ``GET /api/v1/proposals/`` and ``/api/v1/proposals/{id}/``: public, no login: published proposals only (MH 6.1);
  a provisional proposal, one being worked out or one declined is never listed and answers 404.
* ``POST /api/v1/proposals/{id}/reactions/``: public, rate-limited (``INKOOP_PUBLIC_RATE``): a reaction to a
  proposal open for reactions (MH 6.4); 400 with Dutch messages, 429 for a flood, 201 with nothing of the sender.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from inkoop import ratelimit
from inkoop.models import CareUseImport, Proposal
from inkoop.services import contributions, monitoring
from regio.api.params import parse_year, visible_region
from regio.privacy import no_bsn_validator
from regio.tenancy import TenantPermission


def _plain(value):
    """Decimals as strings (STYLE.md rule 7), dates as ISO strings, recursively."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


class CareUseReportViewSet(viewsets.ViewSet):
    """The half-yearly monitoring report as JSON (BNO 4)."""

    permission_classes = [TenantPermission]
    queryset = CareUseImport.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, required=True),
            OpenApiParameter("year", int, required=True),
            OpenApiParameter("half", int, required=True, enum=[1, 2]),
        ],
        responses={200: dict},
    )
    def list(self, request):
        region = visible_region(request.user, (request.query_params.get("region") or "")[:60])
        year = parse_year(request.query_params.get("year"))
        half = request.query_params.get("half")
        if half not in ("1", "2"):
            raise ValidationError({"half": ["Kies halfjaar 1 (januari-juni) of 2 (juli-december)."]})
        try:
            figures = monitoring.report_figures(user=request.user, region=region, year=year, half=int(half))
        except PermissionDenied:
            raise NotFound(f"Regio '{region.code}' niet gevonden.") from None
        return Response(_plain(figures))


class ProposalSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    region = serializers.CharField(source="table.region.code", read_only=True)
    table = serializers.CharField(source="table.theme", read_only=True)
    submitter = serializers.CharField(read_only=True)
    open_for_reactions = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id",
            "reference",
            "region",
            "table",
            "title",
            "summary",
            "elaboration",
            "submitter",
            "status",
            "submitted_on",
            "published_on",
            "reactions_until",
            "open_for_reactions",
        ]
        read_only_fields = fields

    def get_open_for_reactions(self, obj) -> bool:
        return contributions.open_for_reactions(obj)


class ReactionSerializer(serializers.Serializer):
    text = serializers.CharField(min_length=5, max_length=3000, validators=[no_bsn_validator])
    name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", validators=[no_bsn_validator]
    )
    organisation = serializers.CharField(
        max_length=150, required=False, allow_blank=True, default="", validators=[no_bsn_validator]
    )
    website = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ProposalViewSet(viewsets.ReadOnlyModelViewSet):
    """Published proposals of the development tables, for anyone (MH 6.1); reactions to them (MH 6.4)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = ProposalSerializer

    def get_queryset(self):
        return contributions.published_proposals()

    @extend_schema(request=ReactionSerializer, responses={201: dict, 400: dict, 404: dict, 429: dict})
    @action(detail=True, methods=["post"], url_path="reactions")
    def reactions(self, request, pk=None):
        proposal = self.get_object()
        if not ratelimit.attempt(request):
            return Response(
                {"detail": "Te veel berichten vanaf dit adres kort na elkaar; probeer het later opnieuw."},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        serializer = ReactionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not data["website"]:
            try:
                contributions.react(
                    proposal=proposal, text=data["text"], name=data["name"], organisation=data["organisation"]
                )
            except DjangoValidationError as exc:
                raise ValidationError(exc.message_dict) from None
        return Response({"detail": "Dank u wel: uw reactie is ontvangen."}, status=status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("care-use-report", CareUseReportViewSet, basename="care-use-report")
    router.register("proposals", ProposalViewSet, basename="proposals")

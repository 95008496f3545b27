"""The API of the leaver's bill (WM-SO 16.3-16.6, WM-2015 6.7, BNO 15.4): read a statement, write the entered
amounts. Restricted through regio.tenancy; bad input answers 400 in Dutch, another tenant's statement 404."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from costsharing import services
from costsharing.api.views import domain_errors
from costsharing.models import ExitLineKind, ExitStatement, ExitStatementLine, ExitStatus
from regio.amounts import AmountSerializerField
from regio.tenancy import CHANGE, TenantViewSetMixin, can, scope_of

ENTERED_KINDS = [k.value for k in ExitLineKind if k != ExitLineKind.PRO_RATA]


class ExitStatementLineSerializer(serializers.ModelSerializer):
    total = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True, read_only=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    key_version = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ExitStatementLine
        fields = [
            "id",
            "position",
            "kind",
            "description",
            "basis",
            "article",
            "total",
            "key_version",
            "amount",
            "entered",
        ]


class ExitStatementSerializer(serializers.ModelSerializer):
    agreement = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lines = ExitStatementLineSerializer(many=True, read_only=True)
    total = serializers.SerializerMethodField()

    class Meta:
        model = ExitStatement
        fields = [
            "id",
            "region",
            "agreement",
            "municipality",
            "scenario",
            "exit_date",
            "obligations_until",
            "status",
            "explanation",
            "lines",
            "total",
        ]

    def get_total(self, obj) -> str:
        return str(sum((line.amount for line in obj.lines.all()), Decimal("0.00")))


class ExitAmountSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=ENTERED_KINDS,
        error_messages={"invalid_choice": "Kies staff, obligations, liquidation of consequences."},
    )
    description = serializers.CharField(max_length=300)
    basis = serializers.CharField(max_length=2000)
    amount = AmountSerializerField(minimum=Decimal("0"))
    by_key = serializers.BooleanField(default=False)


class ExitDrawUpSerializer(serializers.Serializer):
    notice = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        error_messages={"invalid": "Geef het nummer (id) van de opzegging.", "required": "Dit veld is verplicht."},
    )


class ExitStatementViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Exit statements: a leaver's (or, on a full termination, each member's) final statement with its lines, each
    naming its article and basis. A member sees its own; the coordinating staff see and write all of the region.
    ``POST /exit-statements/ {notice}`` draws up the statement of a notice that took effect (as the notice's page
    does; twice gives the same statement, 200); ``POST .../{id}/finalise/`` adopts it; the invoice is made by
    ``.../{id}/invoice/`` (invoicing's API)."""

    queryset = ExitStatement.objects.select_related("region", "agreement", "municipality").prefetch_related(
        Prefetch("lines", queryset=ExitStatementLine.objects.order_by("position", "pk"))
    )
    serializer_class = ExitStatementSerializer

    def get_queryset(self):
        return super().get_queryset().order_by("-exit_date", "pk")

    @extend_schema(
        request=ExitDrawUpSerializer, responses={200: ExitStatementSerializer, 201: ExitStatementSerializer}
    )
    def create(self, request, *args, **kwargs):
        """Draw up the exit statement of a notice that took effect (WM-SO 16.3-16.4; WM-2015 6.7; BNO 15.4)."""
        from agreements.models import Notice

        if not scope_of(request.user).coordinated_region_ids:  # only coordinating staff draw up: 403 before input
            raise PermissionDenied("Alleen medewerkers van de coördinerende gemeente stellen een eindafrekening op.")
        payload = ExitDrawUpSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        notice = Notice.objects.visible_to(request.user).filter(pk=payload.validated_data["notice"]).first()
        if notice is None:  # another region's notice is no choice: told alike as an unknown one
            raise ValidationError({"notice": ["Onbekende opzegging, of een opzegging buiten uw regio's."]})
        existed = ExitStatement.objects.visible_to(request.user).filter(notice=notice).exists()
        statement = domain_errors(services.draw_up_exit_statement)(user=request.user, notice=notice)
        data = self.get_serializer(self.get_queryset().get(pk=statement.pk)).data
        return Response(data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ExitStatementSerializer})
    @action(detail=True, methods=["get", "post"])
    def finalise(self, request, pk=None):
        """GET: the statement and whether I may adopt it. POST: adopt it (final; it can then be invoiced). Adopting
        an adopted statement changes nothing."""
        statement = self.get_object()
        if request.method == "GET":
            data = self.get_serializer(statement).data
            return Response(
                {**data, "can_finalise": can(request.user, CHANGE, statement) and statement.status == ExitStatus.DRAFT}
            )
        if not can(request.user, CHANGE, statement):
            raise PermissionDenied("Alleen medewerkers van de coördinerende gemeente stellen een eindafrekening vast.")
        if statement.status == ExitStatus.DRAFT:  # once adopted, a second call changes nothing
            domain_errors(services.finalise_exit_statement)(user=request.user, statement=statement)
        return Response(self.get_serializer(self.get_queryset().get(pk=statement.pk)).data)

    @extend_schema(
        request=ExitAmountSerializer, responses={200: ExitStatementSerializer, 201: ExitStatementSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def amounts(self, request, pk=None):
        """Enter an amount the member still owes, with its basis (WM-SO 16.4; WM-2015 6.7; BNO 15.4; WM-SO 16.6);
        ``by_key``: the amount is the region's total and the member owes its key share. GET: the statement as it is."""
        statement = self.get_object()
        if request.method == "GET":
            return Response(self.get_serializer(statement).data)
        payload = ExitAmountSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        domain_errors(services.enter_exit_amount)(user=request.user, statement=statement, **payload.validated_data)
        fresh = self.get_queryset().get(pk=statement.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

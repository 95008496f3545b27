"""The API of the leaver's bill (WM-SO 16.3-16.6, WM-2015 6.7, BNO 15.4): read a statement, write the entered
amounts. Restricted through regio.tenancy; bad input answers 400 in Dutch, another tenant's statement 404."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from costsharing import services
from costsharing.models import ExitLineKind, ExitStatement, ExitStatementLine
from regio.amounts import AmountSerializerField
from regio.tenancy import TenantViewSetMixin

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


class ExitStatementViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Exit statements: a leaver's (or, on a full termination, each member's) final statement with its lines, each
    naming its article and basis. A member sees its own; the coordinating staff see and write all of the region."""

    queryset = ExitStatement.objects.select_related("region", "agreement", "municipality").prefetch_related(
        Prefetch("lines", queryset=ExitStatementLine.objects.order_by("position", "pk"))
    )
    serializer_class = ExitStatementSerializer

    def get_queryset(self):
        return super().get_queryset().order_by("-exit_date", "pk")

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
        try:
            services.enter_exit_amount(user=request.user, statement=statement, **payload.validated_data)
        except DjangoValidationError as exc:
            raise ValidationError({"detail": exc.messages}) from exc
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or None) from exc
        fresh = self.get_queryset().get(pk=statement.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

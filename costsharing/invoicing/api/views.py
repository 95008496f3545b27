"""Invoicing API (issue #6): invoices (tenant-filtered), issuing, PDF and UBL downloads, statutory interest."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from costsharing.invoicing import services, ubl
from costsharing.invoicing.api.serializers import (
    DocumentStatusSerializer,
    InvoiceSerializer,
    PaymentInputSerializer,
    PaymentSerializer,
    StatutoryInterestRequestSerializer,
)
from costsharing.invoicing.interest import InterestError
from costsharing.invoicing.models import DocumentKind, DocumentStatus, Invoice, InvoiceDocument, Payment
from regio.tenancy import CHANGE, TenantViewSetMixin, can, scope_of


class StatutoryInterestViewSet(viewsets.ViewSet):
    """Statutory interest (art. 6:119 / 6:119a BW) as SPEC §6.6 computes it. Computation only: no tenant data is
    read or written, so any logged-in user may ask; anonymous requests are refused."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=StatutoryInterestRequestSerializer, responses={200: dict, 400: dict})
    def create(self, request):
        if not scope_of(request.user).authenticated:
            raise exceptions.PermissionDenied("Alleen medewerkers van een gemeente kunnen rente berekenen.")
        serializer = StatutoryInterestRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            result = services.statutory_interest(
                principal=data["principal"], start=data["from"], end=data["to"], kind=data["kind"]
            )
        except InterestError as exc:
            return Response({exc.field: [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
        body = result.as_dict()
        body["periods"] = [{k: p[k] for k in ("from", "to", "rate", "days", "amount")} for p in body["periods"]]
        return Response(
            {
                "principal": body["principal"],
                "kind": body["kind"],
                "interest": body["interest"],
                "periods": body["periods"],
            }
        )


class InvoiceFilter(filters.FilterSet):
    year = filters.NumberFilter(field_name="year", label="jaar")
    status = filters.CharFilter(field_name="status", label="status")
    recipient = filters.CharFilter(field_name="recipient__code", label="CBS-code geadresseerde")

    class Meta:
        model = Invoice
        fields = ["year", "status", "recipient"]


class InvoiceViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Invoices: a member sees the invoices addressed to it; the issuer's coordinating staff see those it issued.

    Another municipality's invoice answers 404 (STYLE.md rule 5).
    """

    queryset = Invoice.objects.select_related("issuer", "recipient", "region", "credit_for").prefetch_related(
        "lines", Prefetch("payments", queryset=Payment.objects.order_by("paid_on")), "documents"
    )
    serializer_class = InvoiceSerializer
    filterset_class = InvoiceFilter
    lookup_value_regex = r"\d+"

    def _require_change(self, invoice):
        if not can(self.request.user, invoice, CHANGE):
            raise exceptions.PermissionDenied("Alleen de coördinerende gemeente die de factuur maakt, verzendt haar.")

    @extend_schema(request=None, responses={200: InvoiceSerializer})
    @action(detail=True, methods=["get", "post"])
    def issue(self, request, pk=None):
        """GET: may this invoice be issued (and by me)? POST: issue it (number, date, parties fixed; Wet OB 35a)."""
        invoice = self.get_object()
        if request.method == "GET":
            return Response(
                {
                    "id": invoice.pk,
                    "number": invoice.number,
                    "status": invoice.status,
                    "recipient": invoice.recipient.code,
                    "subject": invoice.subject,
                    "can_issue": invoice.is_draft and can(request.user, invoice, CHANGE),
                }
            )
        self._require_change(invoice)
        try:
            issued = services.issue(user=request.user, invoice=invoice)
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        return Response(self.get_serializer(self.get_queryset().get(pk=issued.pk)).data)

    @extend_schema(responses={200: OpenApiResponse(description="application/pdf, of met ?info=1 de stand van de PDF")})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """The invoice as PDF (private media, only through this tenancy-checked view). While it is being made:
        202 with the status; ``?info=1`` always answers the status as JSON."""
        invoice = self.get_object()
        document = (
            InvoiceDocument.objects.visible_to(request.user).filter(invoice=invoice, kind=DocumentKind.INVOICE).first()
        )
        if document is None:
            if invoice.is_draft:
                return Response({"detail": "Een concept heeft nog geen PDF."}, status=status.HTTP_404_NOT_FOUND)
            raise exceptions.NotFound("Er is nog geen PDF van deze factuur.")
        if request.query_params.get("info") or document.status != DocumentStatus.READY:
            code = status.HTTP_200_OK if request.query_params.get("info") else status.HTTP_202_ACCEPTED
            return Response(DocumentStatusSerializer(document).data, status=code)
        with document.file.open("rb") as handle:
            response = HttpResponse(handle.read(), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="factuur-{invoice.number}.pdf"'
        return response

    @extend_schema(responses={200: OpenApiResponse(description="UBL 2.1 XML (NLCIUS of Peppol BIS 3.0)")})
    @action(detail=True, methods=["get"])
    def ubl(self, request, pk=None):
        """The e-invoice: UBL 2.1 in the NLCIUS profile (or Peppol BIS Billing 3.0, setting INVOICING_UBL_PROFILE)."""
        invoice = self.get_object()
        if invoice.is_draft:
            raise exceptions.NotFound("Een concept heeft nog geen e-factuur.")
        response = HttpResponse(ubl.build_xml(invoice), content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="factuur-{invoice.number}.xml"'
        return response

    @extend_schema(request=PaymentInputSerializer, responses={200: dict, 201: dict})
    @action(detail=True, methods=["get", "post"])
    def payments(self, request, pk=None):
        """GET: the payments on the invoice; POST: register a (partial) payment (issuer's coordinating staff)."""
        invoice = self.get_object()
        if request.method == "POST":
            self._require_change(invoice)
            serializer = PaymentInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            services.register_payment(user=request.user, invoice=invoice, **serializer.validated_data)
        payments = Payment.objects.visible_to(request.user).filter(invoice=invoice).order_by("paid_on", "pk")
        return Response(
            {
                "invoice": invoice.number,
                "status": Invoice.objects.visible_to(request.user).get(pk=invoice.pk).status,
                "payments": PaymentSerializer(payments, many=True).data,
            },
            status=status.HTTP_201_CREATED if request.method == "POST" else status.HTTP_200_OK,
        )

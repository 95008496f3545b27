"""Invoicing API (issue #6): invoices (tenant-filtered), issuing, PDF and UBL downloads, statutory interest."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from invoicing import selectors, services, ubl
from invoicing.api.serializers import (
    DocumentStatusSerializer,
    InvoiceCreateSerializer,
    InvoiceLineSerializer,
    InvoiceSerializer,
    LineInputSerializer,
    OffsetInputSerializer,
    OverpaymentInputSerializer,
    OverpaymentRefundInputSerializer,
    OverpaymentSerializer,
    PaymentInputSerializer,
    PaymentSerializer,
    PayoutSerializer,
    StatutoryInterestRequestSerializer,
)
from invoicing.interest import InterestError
from invoicing.models import (
    DocumentKind,
    DocumentStatus,
    Invoice,
    InvoiceLine,
    Overpayment,
    Payment,
)
from regio.api.params import visible_region
from regio.models import Municipality
from regio.tenancy import CHANGE, VIEW, TenantViewSetMixin, can, get_for_user_or_404, scope_of

ISSUED_MESSAGE = "Een verzonden factuur verandert niet meer; maak een creditfactuur (Wet OB art. 35a)."


def _issued_conflict() -> Response:
    return Response({"detail": ISSUED_MESSAGE}, status=status.HTTP_409_CONFLICT)


def _recipient(user, code: str) -> Municipality:
    """A municipality by CBS code: unknown → 400; one outside the user's regions → 400 "not a member" (CBS codes
    are public, so this tells nothing that is not)."""
    municipality = Municipality.objects.visible_to(user).filter(code=code.strip().upper()).first()
    if municipality is not None:
        return municipality
    if not Municipality.objects.unrestricted().filter(code=code.strip().upper()).exists():
        raise exceptions.ValidationError({"recipient": [f"Onbekende gemeente '{code}' (verwacht een CBS-code)."]})
    raise exceptions.ValidationError({"recipient": [f"{code} is geen lid van een regio die uw gemeente coördineert."]})


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


class InvoiceViewSet(TenantViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Invoices: a member sees the invoices addressed to it; the issuer's coordinating staff see those it issued.
    POST creates a draft (coordinating staff, under the member's invoicing mandate); the lines of a draft are
    edited under ``lines/``; an issued invoice never changes (409).

    Another municipality's invoice answers 404 (STYLE.md rule 5).
    """

    queryset = Invoice.objects.select_related(
        "issuer", "recipient", "region", "credit_for", "collection_cost"
    ).prefetch_related(
        "lines",
        Prefetch("payments", queryset=Payment.objects.order_by("paid_on")),
        "payouts",
        "overpayments",
        "documents",
    )
    serializer_class = InvoiceSerializer
    filterset_class = InvoiceFilter
    lookup_value_regex = r"\d+"

    @extend_schema(request=InvoiceCreateSerializer, responses={201: InvoiceSerializer, 400: dict})
    def create(self, request, *args, **kwargs):
        """A draft invoice to a member of a region the user's municipality coordinates (SPEC §5, WM-SO 6.7)."""
        payload = InvoiceCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        region = visible_region(request.user, data["region"]) if data["region"] else None
        if not services.invoicing_regions(request.user):
            raise exceptions.PermissionDenied("Alleen medewerkers van de coördinerende gemeente maken facturen.")
        recipient = _recipient(request.user, data["recipient"])
        try:
            invoice = services.new_draft(
                user=request.user,
                region=region,
                recipient=recipient,
                subject=data["subject"],
                period_start=data["period_start"],
                period_end=data["period_end"],
            )
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        body = self.get_serializer(self.get_queryset().get(pk=invoice.pk)).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], request=None, responses={200: InvoiceLineSerializer(many=True)})
    @extend_schema(
        methods=["POST"], request=LineInputSerializer, responses={201: InvoiceLineSerializer, 400: dict, 409: dict}
    )
    @action(detail=True, methods=["get", "post"])
    def lines(self, request, pk=None):
        """GET: the lines; POST: add a line to a draft (coordinating staff of the issuer; issued: 409)."""
        invoice = self.get_object()
        if request.method == "POST":
            if not invoice.is_draft:
                return _issued_conflict()
            payload = LineInputSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            try:
                line = services.add_line(user=request.user, invoice=invoice, **payload.validated_data)
            except services.InvoiceIsIssued:
                return _issued_conflict()
            except DjangoPermissionDenied as exc:
                raise exceptions.PermissionDenied(str(exc)) from exc
            return Response(InvoiceLineSerializer(line).data, status=status.HTTP_201_CREATED)
        lines = selectors.invoice_lines(request.user, invoice=invoice)
        return Response(InvoiceLineSerializer(lines, many=True).data)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: InvoiceLineSerializer},
        parameters=[OpenApiParameter("line_id", int, OpenApiParameter.PATH, description="id van de regel")],
    )
    @extend_schema(
        methods=["PATCH"],
        request=LineInputSerializer,
        responses={200: InvoiceLineSerializer, 400: dict, 409: dict},
        parameters=[OpenApiParameter("line_id", int, OpenApiParameter.PATH, description="id van de regel")],
    )
    @extend_schema(
        methods=["DELETE"],
        request=None,
        responses={204: None, 409: dict},
        parameters=[OpenApiParameter("line_id", int, OpenApiParameter.PATH, description="id van de regel")],
    )
    @action(
        detail=True,
        methods=["get", "patch", "delete"],
        url_path=r"lines/(?P<line_id>[0-9]+)",
        url_name="line-detail",
    )
    def line_detail(self, request, pk=None, line_id=None):
        """One line; PATCH changes it and DELETE removes it, on a draft only (issued: 409)."""
        invoice = self.get_object()
        line = get_for_user_or_404(
            InvoiceLine.objects.visible_to(request.user), request.user, VIEW, pk=line_id, invoice=invoice
        )
        if request.method == "GET":
            return Response(InvoiceLineSerializer(line).data)
        if not invoice.is_draft:
            return _issued_conflict()
        try:
            if request.method == "DELETE":
                services.remove_line(user=request.user, line=line)
                return Response(status=status.HTTP_204_NO_CONTENT)
            payload = LineInputSerializer(data=request.data, partial=True)
            payload.is_valid(raise_exception=True)
            changes = {k: v for k, v in payload.validated_data.items() if k in request.data}
            line = services.update_line(user=request.user, line=line, **changes)
        except services.InvoiceIsIssued:
            return _issued_conflict()
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        return Response(InvoiceLineSerializer(line).data)

    def _require_change(self, invoice):
        if not can(self.request.user, CHANGE, invoice):
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
                    "can_issue": invoice.is_draft and can(request.user, CHANGE, invoice),
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
        document = selectors.invoice_document(request.user, invoice=invoice, kind=DocumentKind.INVOICE)
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
        payments = selectors.payments_of(request.user, invoice=invoice)
        return Response(
            {
                "invoice": invoice.number,
                "status": Invoice.objects.visible_to(request.user).get(pk=invoice.pk).status,
                "payments": PaymentSerializer(payments, many=True).data,
            },
            status=status.HTTP_201_CREATED if request.method == "POST" else status.HTTP_200_OK,
        )

    def _overpayments_answer(self, request, invoice, created: bool):
        overpayments = selectors.overpayments_of(request.user, invoice=invoice)
        return Response(
            {
                "invoice": invoice.number,
                "status": Invoice.objects.visible_to(request.user).get(pk=invoice.pk).status,
                "to_refund": f"{services.to_refund(invoice):.2f}",
                "overpayments": OverpaymentSerializer(overpayments, many=True).data,
            },
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=OverpaymentInputSerializer, responses={200: dict, 201: dict, 400: dict})
    @action(detail=True, methods=["get", "post"])
    def overpayments(self, request, pk=None):
        """GET: what the member paid too much on this invoice and what is still to be refunded; POST: register money
        received above what is open: the open part is booked as a payment, the rest as an overpayment with its
        reason (issuer's coordinating staff; issue 10, finding 5)."""
        invoice = self.get_object()
        if request.method == "POST":
            self._require_change(invoice)
            serializer = OverpaymentInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            services.register_overpayment(user=request.user, invoice=invoice, **serializer.validated_data)
        return self._overpayments_answer(request, invoice, request.method == "POST")

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: OverpaymentSerializer},
        parameters=[
            OpenApiParameter("overpayment_id", int, OpenApiParameter.PATH, description="id van de overbetaling")
        ],
    )
    @extend_schema(
        methods=["POST"],
        request=OverpaymentRefundInputSerializer,
        responses={201: dict, 400: dict},
        parameters=[
            OpenApiParameter("overpayment_id", int, OpenApiParameter.PATH, description="id van de overbetaling")
        ],
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path=r"overpayments/(?P<overpayment_id>[0-9]+)/refund",
        url_name="overpayment-refund",
    )
    def overpayment_refund(self, request, pk=None, overpayment_id=None):
        """GET: the overpayment; POST: record that it was paid back to the member (issuer's coordinating staff)."""
        invoice = self.get_object()
        overpayment = get_for_user_or_404(
            Overpayment.objects.visible_to(request.user), request.user, VIEW, pk=overpayment_id, invoice=invoice
        )
        if request.method == "GET":
            return Response({"invoice": invoice.number, **OverpaymentSerializer(overpayment).data})
        self._require_change(invoice)
        serializer = OverpaymentRefundInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.refund_overpayment(user=request.user, overpayment=overpayment, **serializer.validated_data)
        return self._overpayments_answer(request, invoice, True)

    def _payouts_answer(self, request, invoice, created: bool):
        payouts = selectors.payouts_of(request.user, invoice=invoice)
        fresh = Invoice.objects.visible_to(request.user).get(pk=invoice.pk)
        return Response(
            {
                "invoice": invoice.number,
                "status": fresh.status,
                "to_pay_out": f"{fresh.to_pay_out():.2f}",
                "payouts": PayoutSerializer(payouts, many=True).data,
            },
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=PaymentInputSerializer, responses={200: dict, 201: dict})
    @action(detail=True, methods=["get", "post"])
    def payouts(self, request, pk=None):
        """GET: the payouts on a refund credit note; POST: register a (partial) payout (issuer's coordinating staff;
        never more than is still owed)."""
        invoice = self.get_object()
        if request.method == "POST":
            self._require_change(invoice)
            serializer = PaymentInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            services.register_payout(user=request.user, credit_note=invoice, **serializer.validated_data)
        return self._payouts_answer(request, invoice, request.method == "POST")

    @extend_schema(request=OffsetInputSerializer, responses={200: dict, 201: dict})
    @action(detail=True, methods=["get", "post"])
    def offset(self, request, pk=None):
        """GET: the open invoices of the same member this refund credit note can be offset against; POST
        {"invoice": number}: offset it: a payment on the invoice and a payout here of the same amount (verrekenen,
        art. 6:127 BW)."""
        note = self.get_object()
        if request.method == "GET":
            options = services.offsettable_invoices(note)
            visible = set(
                Invoice.objects.visible_to(request.user)
                .filter(pk__in=[i.pk for i in options])
                .values_list("pk", flat=True)
            )
            return Response(
                {
                    "credit_note": note.number,
                    "to_pay_out": f"{note.to_pay_out():.2f}",
                    "invoices": [
                        {"number": i.number, "outstanding": f"{i.outstanding():.2f}"}
                        for i in options
                        if i.pk in visible
                    ],
                }
            )
        self._require_change(note)
        serializer = OffsetInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        target = (
            Invoice.objects.visible_to(request.user)
            .filter(issuer=note.issuer, number=serializer.validated_data["invoice"])
            .first()
        )
        if target is None:
            raise exceptions.ValidationError({"invoice": ["Geen factuur met dit nummer van deze uitgever."]})
        services.offset(user=request.user, credit_note=note, invoice=target, on=serializer.validated_data.get("on"))
        return self._payouts_answer(request, note, True)

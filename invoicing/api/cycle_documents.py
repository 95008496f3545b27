"""The API that invoices the documents of cost sharing's yearly cycle, as their pages do (issue 12): BNO's adopted
annual report (BNO 10.6) and a leaver's final exit statement (WM-SO 16.3-16.6, WM-2015 6.7, BNO 15.4). Mounted under
those resources' own paths (``/api/v1/regions/{code}/annual-reports/{year}/invoice/``,
``/api/v1/exit-statements/{id}/invoice/``); cost sharing does not import invoicing, so the routes live here.

GET lists what was invoiced (what the user may see); POST invoices through the services, which check the acting
user first and are idempotent: a second POST makes nothing new (200 instead of 201). Another region's report or
statement answers 404, a member that may see it but not invoice 403, a refusal of the rules 400 in Dutch."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.response import Response

from costsharing.api.views import domain_errors
from invoicing.models import Invoice, InvoiceStatus
from invoicing.services import invoice_annual_report, invoice_exit_statement
from invoicing.services.annual_report import annual_report_invoices
from regio.api.params import parse_year, visible_region
from regio.tenancy import ADD, TenantViewSetMixin, can, get_for_user_or_404


class DocumentSummarySerializer(serializers.ModelSerializer):
    recipient = serializers.CharField(source="recipient.code", read_only=True)
    # As text: the values of ``InvoiceSerializer``'s fields, without a second enum of the same name in the schema.
    document_type = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Invoice
        fields = ["id", "number", "document_type", "status", "recipient", "total_excl", "total_incl"]


class CycleDocumentsSerializer(serializers.Serializer):
    """What was invoiced from a report or statement (``source``: what it is), and how many this call made."""

    source = serializers.DictField()
    created = serializers.IntegerField()
    documents = DocumentSummarySerializer(many=True)


def _answer(source: dict, documents: list[Invoice], created: int) -> Response:
    data = {"source": source, "created": created, "documents": DocumentSummarySerializer(documents, many=True).data}
    return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _report_source(report) -> dict:
    return {
        "region": report.region.code,
        "year": report.year,
        "status": "adopted" if report.adopted_on else "awaiting_adoption",
        "adopted_on": report.adopted_on.isoformat() if report.adopted_on else None,
    }


def _statement_source(statement) -> dict:
    return {
        "id": statement.pk,
        "agreement": statement.agreement.code,
        "municipality": statement.municipality.code,
        "status": statement.status,
    }


@extend_schema(
    parameters=[
        OpenApiParameter("region_code", str, OpenApiParameter.PATH, description="regiocode"),
        OpenApiParameter("year", int, OpenApiParameter.PATH, description="jaar van het jaarverslag"),
    ]
)
class AnnualReportInvoiceViewSet(TenantViewSetMixin, viewsets.ViewSet):
    """The invoices and credit notes of BNO's annual report of a year: only after its proposal is adopted (BNO 10.6),
    one document per member with a difference, the centre municipality never to itself."""

    lookup_url_kwarg = "year"  # a write names the report: found among what the user may see (else 404) first

    def get_object(self):
        return self._report(self.request, self.kwargs.get("region_code"), self.kwargs.get("year"))

    def _report(self, request, region_code, year):
        from costsharing.models import AnnualReport

        region = visible_region(request.user, region_code or "")
        return get_for_user_or_404(
            AnnualReport.objects.visible_to(request.user).select_related("region"),
            request.user,
            region=region,
            year=parse_year(year),
        )

    @extend_schema(responses={200: CycleDocumentsSerializer})
    def list(self, request, region_code=None, year=None):
        report = self._report(request, region_code, year)
        return _answer(_report_source(report), annual_report_invoices(user=request.user, report=report), 0)

    @extend_schema(request=None, responses={200: CycleDocumentsSerializer, 201: CycleDocumentsSerializer})
    def create(self, request, region_code=None, year=None):
        report = self._report(request, region_code, year)
        if not can(request.user, ADD, report.region):  # a member: 403 before anything is read
            raise exceptions.PermissionDenied("Alleen medewerkers van de centrumgemeente factureren het jaarverslag.")
        result = domain_errors(invoice_annual_report)(user=request.user, report=report)
        report.refresh_from_db()
        return _answer(_report_source(report), result.invoices, result.created)


@extend_schema(parameters=[OpenApiParameter("statement_pk", int, OpenApiParameter.PATH, description="eindafrekening")])
class ExitStatementInvoiceViewSet(TenantViewSetMixin, viewsets.ViewSet):
    """The invoice of a final exit statement: a line per item, each naming its article and basis (WM-SO 16.3-16.4;
    WM-2015 6.7; BNO 15.4); refused while the statement is a draft; the coordinating municipality not to itself."""

    lookup_url_kwarg = "statement_pk"  # a write names the statement: found among what the user may see (else 404)

    def get_object(self):
        return self._statement(self.request, self.kwargs.get("statement_pk"))

    def _statement(self, request, statement_pk):
        from costsharing.models import ExitStatement

        return get_for_user_or_404(
            ExitStatement.objects.visible_to(request.user).select_related("region", "agreement", "municipality"),
            request.user,
            pk=statement_pk,
        )

    def _documents(self, request, statement) -> list[Invoice]:
        return list(
            Invoice.objects.visible_to(request.user)
            .filter(source_key__in=[f"exit:{statement.pk}", f"exit:{statement.pk}:terug"])  # the deduction's credit
            .exclude(status=InvoiceStatus.DRAFT)
            .order_by("source_key")
            .select_related("recipient")
        )

    @extend_schema(responses={200: CycleDocumentsSerializer})
    def list(self, request, statement_pk=None):
        statement = self._statement(request, statement_pk)
        return _answer(_statement_source(statement), self._documents(request, statement), 0)

    @extend_schema(request=None, responses={200: CycleDocumentsSerializer, 201: CycleDocumentsSerializer})
    def create(self, request, statement_pk=None):
        statement = self._statement(request, statement_pk)
        if not can(request.user, ADD, statement.region):  # the leaver itself: 403 before anything is read
            raise exceptions.PermissionDenied("Alleen medewerkers van de coördinerende gemeente factureren.")
        before = {i.pk for i in self._documents(request, statement)}
        domain_errors(invoice_exit_statement)(user=request.user, statement=statement)
        statement.refresh_from_db()
        documents = self._documents(request, statement)
        return _answer(_statement_source(statement), documents, len({i.pk for i in documents} - before))

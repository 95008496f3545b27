"""Invoice pages: list, detail, issue, credit, PDF and e-invoice downloads, export (issue #6)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from invoicing import selectors, services, ubl
from invoicing.forms import (
    CreditForm,
)
from invoicing.models import (
    CollectionCost,
    DocumentKind,
    DocumentStatus,
    Invoice,
    InvoiceDocument,
    InvoiceStatus,
)
from invoicing.views.common import _errors, _invoice
from regio.bounds import page_year
from regio.line_sources import attach_references
from regio.models import Municipality
from regio.tenancy import CHANGE, TenantViewMixin, can


class InvoiceListView(TenantViewMixin, ListView):
    model = Invoice
    template_name = "invoicing/invoice_list.html"
    context_object_name = "invoices"
    paginate_by = 50

    def get_queryset(self):
        queryset = super().get_queryset().select_related("issuer", "recipient", "region")
        year = self.request.GET.get("jaar", "")
        if year:
            queryset = queryset.filter(year=page_year(year))
        status = self.request.GET.get("status", "")
        if status in InvoiceStatus.values:
            queryset = queryset.filter(status=status)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            statuses=InvoiceStatus.choices,
            year=self.request.GET.get("jaar", ""),
            status=self.request.GET.get("status", ""),
            can_create=services._is_issuer_staff(self.request.user),
        )
        return context


class InvoiceDetailView(TenantViewMixin, View):
    model = Invoice

    def get(self, request, pk):
        invoice = _invoice(request, pk)
        lines = list(selectors.invoice_lines(request.user, invoice=invoice))
        payments = list(selectors.payments_of(request.user, invoice=invoice))
        payouts = list(selectors.payouts_of(request.user, invoice=invoice))
        documents = list(InvoiceDocument.objects.visible_to(request.user).filter(invoice=invoice))
        collection_cost = CollectionCost.objects.visible_to(request.user).filter(invoice=invoice).first()
        attach_references(request.user, lines)  # each line's source, linked where the user may see it
        has_claim = bool(collection_cost or invoice.reminder_due_on)
        context = {
            "invoice": invoice,
            "lines": lines,
            "breakdown": invoice.vat_breakdown(lines) if lines else [],
            "payments": payments,
            "paid": sum((p.amount for p in payments), 0),
            "documents": documents,
            "pdf": next((d for d in documents if d.kind == DocumentKind.INVOICE), None),
            "interest": services.interest_on_invoice(invoice),
            "can_act": can(request.user, CHANGE, invoice),
            "credit_notes": Invoice.objects.visible_to(request.user).filter(credit_for=invoice),
            "payouts": payouts,
            "paid_out": sum((p.amount for p in payouts), 0),
            "collection_cost": collection_cost,
            "overpayments": list(selectors.overpayments_of(request.user, invoice=invoice)),
            "to_refund": services.to_refund(invoice),
            "settlement": services.settlement(invoice)
            if has_claim and not invoice.is_draft and not invoice.is_credit_note
            else None,
        }
        return render(request, "invoicing/invoice_detail.html", context)


class InvoiceIssueView(TenantViewMixin, View):
    """GET: confirm; POST: issue (number, date and parties are fixed; Wet OB art. 35a)."""

    model = Invoice

    def get(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        return render(request, "invoicing/invoice_issue.html", {"invoice": invoice})

    def post(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        try:
            invoice = services.issue(user=request.user, invoice=invoice)
        except ValidationError as exc:
            return render(
                request, "invoicing/invoice_issue.html", {"invoice": invoice, "errors": _errors(exc)}, status=400
            )
        messages.success(request, _("Factuur %(n)s is verzonden. De PDF wordt gemaakt.") % {"n": invoice.number})
        return redirect("invoice-detail", pk=invoice.pk)


class InvoiceCreditView(TenantViewMixin, View):
    model = Invoice

    def get(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        return render(request, "invoicing/invoice_credit.html", {"invoice": invoice, "form": CreditForm()})

    def post(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        form = CreditForm(request.POST)
        if form.is_valid():
            try:
                note = services.credit(user=request.user, invoice=invoice, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Concept-creditfactuur gemaakt; controleer en verzend haar."))
                return redirect("invoice-detail", pk=note.pk)
        return render(request, "invoicing/invoice_credit.html", {"invoice": invoice, "form": form}, status=400)


class InvoiceDocumentView(TenantViewMixin, View):
    """A PDF of the invoice (``soort``: factuur, aanmaning, rente) from private media, only through this view.
    While it is being made (or when it failed) a page says so; POST renders a failed PDF again."""

    model = Invoice
    kinds = {"factuur": DocumentKind.INVOICE, "aanmaning": DocumentKind.REMINDER, "rente": DocumentKind.INTEREST_CLAIM}

    def _document(self, request, invoice):
        kind = self.kinds.get(request.GET.get("soort", "factuur"))
        if kind is None:
            raise Http404
        document = selectors.invoice_document(request.user, invoice=invoice, kind=kind)
        if document is None:
            raise Http404(_("Er is (nog) geen PDF van deze factuur."))
        return document

    def get(self, request, pk):
        invoice = _invoice(request, pk)
        document = self._document(request, invoice)
        if document.status == DocumentStatus.READY and document.file:
            with document.file.open("rb") as handle:
                response = HttpResponse(handle.read(), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{document.kind}-{invoice.number}.pdf"'
            return response
        return render(
            request,
            "invoicing/document_status.html",
            {"invoice": invoice, "document": document, "can_act": can(request.user, CHANGE, invoice)},
        )

    def post(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        document = self._document(request, invoice)
        services.retry_document(user=request.user, document=document)
        messages.success(request, _("De PDF wordt opnieuw gemaakt."))
        return redirect("invoice-detail", pk=invoice.pk)


class InvoiceUblView(TenantViewMixin, View):
    """The e-invoice (UBL 2.1, NLCIUS) of an issued invoice or credit invoice."""

    model = Invoice

    def get(self, request, pk):
        invoice = _invoice(request, pk)
        if invoice.is_draft:
            raise Http404(_("Een concept heeft nog geen e-factuur."))
        response = HttpResponse(ubl.build_xml(invoice), content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="factuur-{invoice.number}.xml"'
        return response


class InvoiceExportView(TenantViewMixin, View):
    """Excel export of the invoices the user may see, per year and member (issue #6). Without ``formaat=xlsx`` the
    page with the choices; with it, the workbook."""

    model = Invoice

    def get(self, request):
        invoices = Invoice.objects.visible_to(request.user).exclude(status=InvoiceStatus.DRAFT)
        years = sorted({y for y in invoices.values_list("year", flat=True) if y}, reverse=True)
        members = (
            Municipality.objects.visible_to(request.user)
            .filter(pk__in=invoices.values("recipient_id"))
            .order_by("name")
        )
        year, member = request.GET.get("jaar", ""), request.GET.get("gemeente", "")
        if request.GET.get("formaat") != "xlsx":
            return render(
                request,
                "invoicing/invoice_export.html",
                {"years": years, "members": members, "year": year, "member": member},
            )
        if year:
            invoices = invoices.filter(year=page_year(year))
        if member:
            invoices = invoices.filter(recipient__code=member)
        from invoicing.export import workbook

        response = HttpResponse(
            workbook(invoices.select_related("issuer", "recipient", "credit_for").order_by("year", "sequence")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = "-".join(x for x in ("facturen", year, member) if x)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response

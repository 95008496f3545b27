"""Pages that invoice the leaver's bill and the secondment credits (WM-SO 16.3-16.6, BNO 15.4, WM-SO 4.10), through
the ordinary draft/issue services. The page's target is the statement's or the region's, checked before any input."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from invoicing.models import Invoice
from invoicing.services import InvoicingError
from invoicing.services.exit_bill import invoice_exit_statement, invoice_secondments
from regio.bounds import page_year
from regio.models import Region
from regio.tenancy import ADD, VIEW, TenantViewMixin, can, get_for_user_or_404


def _errors(exc) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for ms in exc.message_dict.values() for m in ms]
    return list(getattr(exc, "messages", [str(exc)]))


class ExitBillView(TenantViewMixin, View):
    """The invoice of a final exit statement: GET shows the statement's total and its invoice; POST issues it."""

    model = Invoice

    def _statement(self, request, pk):
        from costsharing.models import ExitStatement

        return get_for_user_or_404(
            ExitStatement.objects.visible_to(request.user).select_related("region", "agreement", "municipality"),
            request.user,
            VIEW,
            pk=pk,
        )

    def permission_target(self):
        return self._statement(self.request, self.kwargs["pk"]).region

    def _context(self, request, statement):
        from costsharing.models import ExitStatementLine

        lines = list(ExitStatementLine.objects.visible_to(request.user).filter(statement=statement))
        invoice = (
            Invoice.objects.visible_to(request.user)
            .filter(source_key__in=[f"exit:{statement.pk}", f"exit:{statement.pk}:terug"])
            .order_by("source_key")
            .first()
        )
        return {
            "statement": statement,
            "total": sum((x.amount for x in lines), Decimal("0.00")),
            "invoice": invoice,
            "can_act": can(request.user, ADD, statement.region),
        }

    def get(self, request, pk):
        statement = self._statement(request, pk)
        return render(request, "invoicing/exit_bill.html", self._context(request, statement))

    def post(self, request, pk):
        statement = self._statement(request, pk)
        try:
            invoice = invoice_exit_statement(user=request.user, statement=statement)
        except (InvoicingError, ValidationError) as exc:
            context = self._context(request, statement)
            context["errors"] = _errors(exc)
            return render(request, "invoicing/exit_bill.html", context, status=400)
        except PermissionDenied:
            raise
        messages.success(request, _("Factuur %(n)s is verzonden.") % {"n": invoice.number})
        return redirect("invoice-detail", pk=invoice.pk)


class SecondmentBillView(TenantViewMixin, View):
    """The secondment credits of a region for a year (WM-SO 4.10): GET lists the credit notes made; POST makes and
    issues them, set off against the fee when the region chose so."""

    model = Invoice

    def _region(self, request, code):
        return get_for_user_or_404(Region.objects.visible_to(request.user), request.user, VIEW, code=code)

    def permission_target(self):
        return self._region(self.request, self.kwargs["code"])

    def _context(self, request, region, year):
        from costsharing import services as costsharing_services

        prefix = f"secondment:{region.pk}:{year}:"
        return {
            "region": region,
            "year": year,
            "settlement": costsharing_services.secondment_settlement(region=region),
            "invoices": list(
                Invoice.objects.visible_to(request.user)
                .filter(source_key__startswith=prefix)
                .select_related("recipient")
                .order_by("recipient__name")
            ),
            "can_act": can(request.user, ADD, region),
        }

    def get(self, request, code, year):
        region = self._region(request, code)
        year = page_year(year)
        return render(request, "invoicing/secondment_bill.html", self._context(request, region, year))

    def post(self, request, code, year):
        region = self._region(request, code)
        year = page_year(year)
        try:
            result = invoice_secondments(user=request.user, region=region, year=year)
        except (InvoicingError, ValidationError) as exc:
            context = self._context(request, region, year)
            context["errors"] = _errors(exc)
            return render(request, "invoicing/secondment_bill.html", context, status=400)
        for text in result.offsets:
            messages.success(request, text)
        for text in result.open:
            messages.warning(request, text)
        messages.success(
            request, _("%(n)s creditfactuur/-facturen voor detachering.") % {"n": len(result.credit_notes)}
        )
        return redirect("secondment-bill", code=region.code, year=year)

"""Invoicing BNO's adopted annual report (BNO 10.6; issue 12): the page lists the invoices made from it and, for the
centre municipality's staff, makes them in one action; before adoption it says why it cannot."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from invoicing import services
from invoicing.models import Invoice
from invoicing.services._common import InvoicingError
from regio.bounds import year_window
from regio.models import Region
from regio.tenancy import ADD, TenantViewMixin, can, get_for_user_or_404


class AnnualReportInvoiceView(TenantViewMixin, View):
    model = Invoice

    def _report(self, request, code: str, year: int):
        from costsharing.models import AnnualReport

        first, last = year_window()
        if not first <= year <= last:
            raise Http404(_("Dat jaar valt buiten de toegestane jaren."))
        region = get_for_user_or_404(Region.objects.visible_to(request.user), request.user, code=code)
        report = (
            AnnualReport.objects.visible_to(request.user)
            .select_related("region", "adopted_version")
            .filter(region=region, year=year)
            .first()
        )
        if report is None:
            raise Http404(_("Er is geen jaarverslag van dit jaar."))
        return report

    def permission_target(self):
        return self._report(self.request, self.kwargs["code"], self.kwargs["year"]).region

    def _context(self, request, report, errors=()):
        return {
            "report": report,
            "invoices": services.annual_report_invoices(user=request.user, report=report),
            "can_act": can(request.user, ADD, report.region),
            "errors": list(errors),
        }

    def get(self, request, code, year):
        report = self._report(request, code, year)
        return render(request, "invoicing/annual_report_invoice.html", self._context(request, report))

    def post(self, request, code, year):
        report = self._report(request, code, year)
        if not can(request.user, ADD, report.region):
            raise PermissionDenied(_("Alleen de centrumgemeente factureert het jaarverslag."))
        try:
            result = services.invoice_annual_report(user=request.user, report=report)
        except InvoicingError as exc:
            return render(
                request,
                "invoicing/annual_report_invoice.html",
                self._context(request, report, errors=exc.messages),
                status=400,
            )
        messages.success(
            request,
            _("%(n)s facturen en creditfacturen gemaakt en verzonden.") % {"n": result.created},
        )
        return redirect("invoicing-annual-report", code=report.region.code, year=report.year)

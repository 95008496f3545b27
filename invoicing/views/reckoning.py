"""Invoices from a settled reckoning (issue #6)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from invoicing.models import (
    Invoice,
)
from regio.tenancy import ADD, VIEW, TenantViewMixin, can, get_for_user_or_404


class ReckoningInvoiceView(TenantViewMixin, View):
    """One action creates (and issues) the invoices of all members of an approved reckoning; twice creates nothing
    new (WM-SO 6.7). Runs as a Celery task; the page lists the invoices made so far."""

    model = Invoice

    def _reckoning(self, request, pk):
        from costsharing.models import Reckoning

        return get_for_user_or_404(Reckoning.objects.visible_to(request.user), request.user, VIEW, pk=pk)

    def _context(self, request, reckoning):
        from costsharing.models import ReckoningLine

        prefix = f"reckoning:{reckoning.pk}:"
        invoices = list(
            Invoice.objects.visible_to(request.user).filter(source_key__startswith=prefix).select_related("recipient")
        )
        coordinator = reckoning.region.coordinator_on(date(reckoning.year, 12, 31))
        # A correction version settles only the change (ReckoningLine.to_settle), so count on that.
        expected = sum(
            1
            for line in ReckoningLine.objects.visible_to(request.user)
            .filter(reckoning=reckoning)
            .exclude(municipality=coordinator)
            if line.to_settle != 0
        )
        done = sum(1 for invoice in invoices if not invoice.is_draft)
        return {
            "reckoning": reckoning,
            "invoices": invoices,
            "expected": expected,
            "done": done,
            "running": 0 < done < expected,
            "can_act": can(request.user, ADD, reckoning.region),
        }

    def permission_target(self):
        return self._reckoning(self.request, self.kwargs["pk"]).region

    def get(self, request, pk):
        reckoning = self._reckoning(request, pk)
        return render(request, "invoicing/reckoning_invoice.html", self._context(request, reckoning))

    def post(self, request, pk):
        from django.db import transaction

        from invoicing.tasks import invoice_reckoning

        reckoning = self._reckoning(request, pk)
        context = self._context(request, reckoning)
        if not context["can_act"]:
            raise PermissionDenied(_("Alleen de coördinerende gemeente factureert de afrekening."))
        if reckoning.status == "draft":
            context["errors"] = [_("Alleen een vastgestelde afrekening wordt gefactureerd.")]
            return render(request, "invoicing/reckoning_invoice.html", context, status=400)
        user_id = request.user.pk
        transaction.on_commit(lambda: invoice_reckoning.delay(reckoning.pk, user_id))
        messages.success(request, _("De facturen worden gemaakt; ververs deze pagina om de voortgang te zien."))
        return redirect("reckoning-invoice", pk=reckoning.pk)

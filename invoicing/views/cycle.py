"""The December invoices of the WM cycle (issue 12): the fee of the year and the settlement of the year before on
one invoice per member (WM-DVO 6.1, WM-SO 6.7). POST only; the page that shows the cycle is cost sharing's."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from invoicing import services
from regio.bounds import page_year
from regio.models import Region
from regio.tenancy import TenantViewMixin, get_for_user_or_404


class InvoiceCycleView(TenantViewMixin, View):
    """GET: confirm; POST: make and issue the December invoices of the region's cycle of ``year`` (coordinating
    staff; a member gets 403, another region 404)."""

    model = Region

    def permission_target(self):
        return get_for_user_or_404(
            Region.objects.visible_to(self.request.user), self.request.user, code=self.kwargs["code"]
        )

    def get(self, request, code, year):
        region = self.permission_target()
        return render(request, "invoicing/cycle_confirm.html", {"region": region, "year": page_year(year)})

    def post(self, request, code, year):
        region = self.permission_target()
        year = page_year(year)
        try:
            result = services.invoice_cycle(user=request.user, region=region, year=year)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("costsharing-cycle", region.code, year)
        numbers = ", ".join(i.number for i in result.invoices) or _("geen facturen")
        messages.success(
            request,
            _("December %(year)s: %(n)s nieuwe facturen (%(numbers)s). %(own)s")
            % {"year": year, "n": result.created, "numbers": numbers, "own": result.own_share},
        )
        return redirect("costsharing-cycle", region.code, year)

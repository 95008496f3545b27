"""The yearly cycle per region and year (issue 12): the fee of the year, what of it is invoiced, the settlement of
the year before and its status, with links (WM-DVO 6.1, WM-SO 6.7). The coordinating staff record, the first year
only, the fees invoiced outside the product; the December invoices are made on invoicing's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views.generic import TemplateView

from costsharing import selectors, services
from costsharing.forms import OutsideFeesForm
from regio.bounds import page_year
from regio.models import Membership, Region
from regio.tenancy import CHANGE, TenantViewMixin, can, get_for_user_or_404


class CycleView(TenantViewMixin, TemplateView):
    """Fee of ``year`` and settlement of ``year - 1`` of one region (WM-DVO 6.1, WM-SO 6.7)."""

    model = Region
    template_name = "costsharing/cycle.html"

    def region_and_year(self):
        region = get_for_user_or_404(
            Region.objects.visible_to(self.request.user), self.request.user, code=self.kwargs["code"]
        )
        return region, page_year(self.kwargs["year"])

    def permission_target(self):
        return self.region_and_year()[0]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region, year = self.region_and_year()
        user = self.request.user
        fee = selectors.fee_overview(user=user, region=region, year=year)
        settlement = selectors.settlement_overview(user=user, region=region, year=year - 1)
        context.update(
            region=region,
            year=year,
            previous=year - 1,
            fee=fee,
            fee_lines=[{"line": line, "origin": selectors.fee_origin_label(line.origin)} for line in fee.lines],
            settlement=settlement,
            coordinating=can(user, CHANGE, region),
            form=kwargs.get("form") or OutsideFeesForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        region, year = self.region_and_year()
        form = OutsideFeesForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        members = {
            m.municipality.code: m.municipality
            for m in Membership.objects.unrestricted("the members of a region the user may act for (checked)")
            .filter(region=region)
            .select_related("municipality")
        }
        unknown = sorted(set(form.cleaned_data["amounts"]) - set(members))
        if unknown:
            form.add_error("amounts", f"Geen lid van de regio: {', '.join(unknown)}.")
            return self.render_to_response(self.get_context_data(form=form))
        try:
            services.record_outside_fees(
                user=request.user,
                region=region,
                year=year,
                amounts={members[code]: amount for code, amount in form.cleaned_data["amounts"].items()},
                reference=form.cleaned_data["reference"],
            )
        except PermissionDenied:
            raise
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, f"De buiten Regio Wmo gefactureerde bijdragen {year} zijn vastgelegd.")
        return redirect(request.path)

"""Pages of toezicht: the supervision FTE split (WM-DVO annex 4), entered by the coordinating municipality."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from regio.bounds import page_year
from regio.models import Region
from regio.tenancy import CHANGE, TenantViewMixin, can, get_for_user_or_404
from toezicht import services
from toezicht.forms import CapacityForm
from toezicht.models import SupervisionCapacity


class FteSplitView(TenantViewMixin, TemplateView):
    model = SupervisionCapacity
    template_name = "toezicht/fte_split.html"

    def region_and_year(self):
        regions = Region.objects.visible_to(self.request.user).order_by("name")
        code = self.request.GET.get("regio") or (regions.first().code if regions.exists() else "")
        if not code:
            return None, regions, timezone.localdate().year
        region = get_for_user_or_404(Region.objects.visible_to(self.request.user), self.request.user, code=code)
        # issue 10, finding 7: ?jaar=99999 was a 500; now the Dutch 400 page names the allowed years.
        year = page_year(self.request.GET.get("jaar"))
        return region, regions, year

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region, regions, year = self.region_and_year()
        coordinating = bool(region) and can(self.request.user, CHANGE, region)
        rows = services.fte_split(region=region, year=year) if region else []
        context.update(
            region=region,
            regions=regions,
            year=year,
            rows=rows,
            coordinating=coordinating,
            total=sum((r.fte for r in rows), 0),
            form=kwargs.get("form")
            or (CapacityForm(municipalities=region.members_on(date(year, 1, 1))) if coordinating else None),
        )
        return context

    def permission_target(self):
        region, _regions, _year = self.region_and_year()
        if region is None:
            raise Http404
        return region

    def post(self, request, *args, **kwargs):
        region, _regions, year = self.region_and_year()
        if region is None:
            raise Http404
        members = list(region.members_on(date(year, 1, 1)))
        form = CapacityForm(request.POST, municipalities=members)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        municipality = next(m for m in members if m.code == form.cleaned_data["municipality"])
        try:
            services.set_capacity(
                user=request.user,
                region=region,
                municipality=municipality,
                year=year,
                fte=form.cleaned_data["fte"],
                source=form.cleaned_data["source"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Toezichtcapaciteit {municipality.name} {year} vastgelegd.")
        return redirect(f"{request.path}?regio={region.code}&jaar={year}")

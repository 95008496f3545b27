"""Pages of the money of beschermd wonen (issue 13 part B): the financing overview per year, the fees per member and
the import of realised costs with its result. Every route is in the cross-tenant matrix
(tests/tenancy/cases_beschermdwonen_money.py)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from beschermdwonen import costimport, selectors
from beschermdwonen import execution as execution_services
from beschermdwonen import fees as fee_services
from beschermdwonen import financing as financing_services
from beschermdwonen.models import CostImport, ExecutionCost, ExecutionKey, ExecutionShare, MaastrichtBudget
from beschermdwonen.money_selectors import execution_split
from beschermdwonen.new_track import new_track
from regio import bounds
from regio.models import Region
from regio.tenancy import TenantViewMixin, get_for_user_or_404


class _RegionYearMixin:
    """The region (``?regio=``) among those the user sees, and the year (``?jaar=``, default last year)."""

    def region_and_year(self):
        regions = Region.objects.visible_to(self.request.user).order_by("name")
        code = (self.request.GET.get("regio") or "").strip()[:60]
        if code:
            region = get_for_user_or_404(regions, self.request.user, code=code)
        else:
            region = regions.first()
            if region is None:
                raise Http404
        try:
            year = bounds.parse_year(self.request.GET.get("jaar") or timezone.localdate().year - 1, field="jaar")
        except ValidationError:
            year = timezone.localdate().year - 1
        return regions, region, year

    def require_access_team(self, message: str) -> None:
        """A write of the region's figures: 404 for who does not see them (as on the page), 403 for who sees them
        but is not the region's access team."""
        _regions, region, _year = self.region_and_year()
        try:
            financing_services.require_money_view(self.request.user, region)
        except PermissionDenied:
            raise Http404 from None
        if not selectors.is_access_team(self.request.user, region):
            raise PermissionDenied(message)


class FinancingView(TenantViewMixin, _RegionYearMixin, TemplateView):
    """The financing of existing clients per member for a year (annex 3 §2), the new clients' costs (annex 3 §3),
    the Maastricht budget with its versions (annex 3 §1, §7) and the execution costs split (annex 3 §4)."""

    model = MaastrichtBudget
    template_name = "beschermdwonen/financing.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        regions, region, year = self.region_and_year()
        try:
            result = financing_services.financing(user=self.request.user, region=region, year=year)
        except PermissionDenied:
            raise Http404 from None
        versions = MaastrichtBudget.objects.visible_to(self.request.user).filter(region=region, year=year)
        execution = ExecutionCost.objects.visible_to(self.request.user).filter(region=region, year=year).first()
        shares = list(execution_services.shares_for(self.request.user, region=region, year=year))
        visible = ExecutionShare.objects.visible_to(self.request.user)
        billed = visible.filter(pk__in=[s.pk for s in shares]).billed_ids() if shares else set()
        for share in shares:
            share.billed = share.pk in billed
        context.update(
            regions=regions,
            region=region,
            year=year,
            result=result,
            new_track=new_track(financing=result),
            versions=versions.order_by("track", "-version"),
            execution=execution,
            execution_parts=execution_split(execution) if execution else None,
            shares=shares,
            may_settle=bool(execution)
            and execution.key == ExecutionKey.CLIENTS
            and year < timezone.localdate().year
            and selectors.is_access_team(self.request.user, region),
        )
        return context

    def check_permission(self, action):
        """Settling the execution costs (POST) is the access team's."""
        self.require_access_team(execution_services.NOT_TEAM)

    def post(self, request, *args, **kwargs):
        """The access team settles the year's execution costs per member (annex 3 §4): the shares invoicing bills."""
        _regions, region, year = self.region_and_year()
        url = f"{request.path}?regio={region.code}&jaar={year}"
        try:
            stored = execution_services.settle_execution_costs(user=request.user, region=region, year=year)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(url)
        messages.success(request, f"Uitvoeringskosten {year} afgerekend voor {stored.stored_count} gemeenten.")
        if stored.frozen:
            messages.warning(request, stored.frozen_message())
        return redirect(url)


class FeesView(TenantViewMixin, _RegionYearMixin, TemplateView):
    """The access fees per member for a year (annex 1; annex 2 §2). The access team stores them (POST) as the
    records an invoice line of source ``bw_fee`` points to."""

    model = MaastrichtBudget
    template_name = "beschermdwonen/fees.html"

    def check_permission(self, action):
        self.require_access_team("Alleen de Toegang van de coördinerende gemeente stelt de vergoedingen vast.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        regions, region, year = self.region_and_year()
        try:
            result = fee_services.fees(user=self.request.user, region=region, year=year)
        except PermissionDenied:
            raise Http404 from None
        context.update(
            regions=regions,
            region=region,
            year=year,
            result=result,
            access_team=selectors.is_access_team(self.request.user, region),
        )
        return context

    def post(self, request, *args, **kwargs):
        _regions, region, year = self.region_and_year()
        stored = fee_services.store_fees(user=request.user, region=region, year=year)
        messages.success(request, f"{stored.stored_count} vergoedingen over {year} vastgesteld.")
        if stored.frozen:
            messages.warning(request, stored.frozen_message())
        return redirect(f"{request.path}?regio={region.code}&jaar={year}")


class ImportForm(forms.Form):
    municipality = forms.ChoiceField(label=_("Gemeente (Wmo-systeem of ontvanger van het bericht)"))
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("CSV of Excel uit het Wmo-systeem, of een iWmo-declaratiebericht (WMO303, XML)."),
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities = {m.code: m for m in municipalities}
        self.fields["municipality"].choices = [(m.code, m.name) for m in municipalities]


class CostImportView(TenantViewMixin, TemplateView):
    """The import of realised costs (WM-DVO 7.1; annex 3 §2-3) by the access team, with its result; a member's
    bw staff sees the imports of its own municipality."""

    model = CostImport
    template_name = "beschermdwonen/cost_import.html"

    def team_region(self):
        return selectors.access_team_regions(self.request.user).order_by("name").first()

    def check_permission(self, action):
        if self.team_region() is None:
            raise PermissionDenied("Alleen de Toegang van de coördinerende gemeente leest gerealiseerde kosten in.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = self.team_region()
        form = kwargs.get("form")
        if region is not None and form is None:
            form = ImportForm(municipalities=list(region.members_on(timezone.localdate()).order_by("name")))
        imports = CostImport.objects.visible_to(self.request.user).select_related("municipality", "region")
        context.update(region=region, form=form, imports=imports.order_by("-created_at", "-pk")[:20])
        return context

    def post(self, request, *args, **kwargs):
        region = self.team_region()
        form = ImportForm(
            request.POST, request.FILES, municipalities=list(region.members_on(timezone.localdate()).order_by("name"))
        )
        result = problems = None
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > costimport.max_bytes():
                form.add_error("file", f"Het bestand is groter dan {costimport.max_bytes() // (1024 * 1024)} MB.")
            else:
                try:
                    result = costimport.import_costs(
                        user=request.user,
                        region=region,
                        municipality=form.municipalities[form.cleaned_data["municipality"]],
                        filename=upload.name,
                        content=upload.read(),
                    )
                except costimport.ImportRefused as exc:
                    problems = exc.problems
                    form.add_error("file", "Niets ingelezen: het bestand heeft fouten (zie de lijst).")
        context = self.get_context_data(form=form)
        context.update(result=result, problems=problems)
        return self.render_to_response(context)

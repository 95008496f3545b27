"""The page of the charges of WM-DVO annex 3 §5: assessments a member ordered itself and the cost of objections that
followed them, per region and year. The access team records them; a member's staff sees its own, the coordinating
municipality every member's. They are billed as invoice lines of source ``bw_charge``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from beschermdwonen import charges as charge_services
from beschermdwonen import selectors
from beschermdwonen.financing import require_money_view
from beschermdwonen.forms_actions import ObjectionCostForm, OrderedAssessmentForm
from beschermdwonen.models import ChargeKind, MemberCharge
from beschermdwonen.money_views import _RegionYearMixin
from beschermdwonen.views.register import PAGE_SIZE, _field_errors
from regio.tenancy import TenantViewMixin

FORMS = {"onderzoek": OrderedAssessmentForm, "bezwaar": ObjectionCostForm}


class ChargesView(TenantViewMixin, _RegionYearMixin, TemplateView):
    model = MemberCharge
    template_name = "beschermdwonen/charges.html"

    def region_checked(self):
        regions, region, year = self.region_and_year()
        try:
            require_money_view(self.request.user, region)
        except PermissionDenied:
            raise Http404 from None  # no figures of beschermd wonen for this user
        return regions, region, year

    def check_permission(self, action):
        _regions, region, _year = self.region_checked()
        if not selectors.is_access_team(self.request.user, region):
            raise PermissionDenied(charge_services.NOT_TEAM)

    def form(self, name, region, data=None):
        if name == "onderzoek":
            members = [m for m in region.members_on().order_by("name") if m != region.coordinator_on()]
            return OrderedAssessmentForm(data, prefix=name, municipalities=members)
        ordered = (
            MemberCharge.objects.visible_to(self.request.user)
            .filter(region=region, kind=ChargeKind.ASSESSMENT)
            .select_related("municipality")
            .order_by("-incurred_on", "-pk")[:200]
        )
        return ObjectionCostForm(data, prefix=name, charges=ordered)

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(**kwargs)
        regions, region, year = self.region_checked()
        charges = (
            MemberCharge.objects.visible_to(self.request.user)
            .filter(region=region, year=year)
            .select_related("municipality", "objection_to")
            .order_by("municipality__name", "incurred_on", "pk")
        )
        totals = charges.order_by().values("municipality__name").annotate(total=Sum("amount"))
        team = selectors.is_access_team(self.request.user, region)
        forms = []
        if team:
            for name in FORMS:
                form = bound if bound is not None and bound.prefix == name else self.form(name, region)
                forms.append((name, form))
        page = Paginator(charges, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            regions=regions,
            region=region,
            year=year,
            page_obj=page,
            paginator=page.paginator,
            totals=list(totals.order_by("municipality__name")),
            forms=forms,
        )
        return context

    def post(self, request, *args, **kwargs):
        _regions, region, year = self.region_checked()
        name = request.POST.get("stap", "")
        if name not in FORMS:
            raise Http404
        form = self.form(name, region, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if name == "onderzoek":
                    municipality = next(m for m in region.members_on() if m.code == data["municipality"])
                    charge = charge_services.record_ordered_assessment(
                        user=request.user,
                        region=region,
                        municipality=municipality,
                        incurred_on=data["incurred_on"],
                        amount=data["amount"],
                        description=data["description"],
                    )
                else:
                    parent = MemberCharge.objects.visible_to(request.user).get(pk=data["objection_to"], region=region)
                    charge = charge_services.record_objection_cost(
                        user=request.user,
                        charge=parent,
                        incurred_on=data["incurred_on"],
                        amount=data["amount"],
                        description=data["description"],
                    )
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, _("De doorbelasting is vastgelegd."))
                return redirect(f"{request.path}?regio={region.code}&jaar={charge.year}")
        return self.render_to_response(self.get_context_data(bound=form))

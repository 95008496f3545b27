"""Tariffs and budget pages: CAO steps, formation, advances and actual costs (issue #5)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views.generic import TemplateView

from costsharing import services
from costsharing.forms import (
    ActualLineForm,
    CaoStepForm,
    ImportForm,
)
from costsharing.models import (
    CATEGORY_CHARGE,
    STAFF_CATEGORIES,
    ActualCostLine,
    Advance,
    Category,
    Reckoning,
)
from regio.bounds import page_year
from regio.formatting import format_date
from regio.models import Region
from regio.pagination import paginate
from regio.tenancy import CHANGE, TenantViewMixin, can, get_for_user_or_404


class TariffsView(TenantViewMixin, TemplateView):
    """Norm amounts, hourly rates and activity prices of a year, with the CAO steps that made them (SPEC §6.2-6.3).
    Coordinating staff enter a CAO step here; the indexation runs after commit."""

    model = Region
    template_name = "costsharing/tariffs.html"

    def permission_target(self):
        return get_for_user_or_404(
            Region.objects.visible_to(self.request.user), self.request.user, code=self.kwargs["code"]
        )

    def post(self, request, *args, **kwargs):
        region = get_for_user_or_404(Region.objects.visible_to(request.user), request.user, code=kwargs["code"])
        form = CaoStepForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(step_form=form, **kwargs))
        try:
            services.add_cao_step(user=request.user, region=region, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_to_response(self.get_context_data(step_form=form, **kwargs))
        messages.success(request, "De CAO-stap is vastgelegd; de normbedragen worden opnieuw berekend.")
        return redirect(request.get_full_path())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = get_for_user_or_404(
            Region.objects.visible_to(self.request.user), self.request.user, code=kwargs["code"]
        )
        year = page_year(self.request.GET.get("jaar"))
        try:
            tariffs = services.tariffs(region=region, year=year)
        except ValidationError as exc:
            tariffs, context["problem"] = None, " ".join(exc.messages)
        from costsharing.models import CaoStep, NormYear

        context.update(
            region=region,
            year=year,
            tariffs=tariffs,
            rates=[(s, tariffs.rate(s.scale)) for s in tariffs.scales] if tariffs else [],
            years=sorted(
                set(
                    NormYear.objects.visible_to(self.request.user).filter(region=region).values_list("year", flat=True)
                )
            ),
            steps=paginate(self.request, CaoStep.objects.visible_to(self.request.user).filter(region=region)),
            step_form=kwargs.get("step_form") or CaoStepForm(),
            coordinating=can(self.request.user, CHANGE, region),
            earlier=NormYear.objects.visible_to(self.request.user).filter(
                region=region, year=year, superseded_at__isnull=False
            ),
        )
        return context


class BudgetView(TenantViewMixin, TemplateView):
    """Budget against actual costs per category, the advances, and the ledger import (WM-SO 6.1, 6.7)."""

    model = Region
    template_name = "costsharing/budget.html"

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
        try:
            budget = services.budget_totals(region=region, year=year)
        except ValidationError as exc:
            budget, context["problem"] = {}, " ".join(exc.messages)
        actual: dict[str, Decimal] = defaultdict(Decimal)
        lines = list(ActualCostLine.objects.visible_to(user).filter(region=region, year=year).order_by("date", "pk"))
        for line in lines:
            actual[line.category] += line.amount * CATEGORY_CHARGE.get(line.category, Decimal(1))
        rows = []
        for category in Category:
            b = budget.get(category.value)
            a = budget.get(category.value) if category in STAFF_CATEGORIES else actual.get(category.value)
            if b is None and a is None:
                continue
            rows.append(
                {
                    "label": category.label,
                    "budget": b or Decimal("0"),
                    "actual": a or Decimal("0"),
                    "staff": category in STAFF_CATEGORIES,
                }
            )
        context.update(
            region=region,
            year=year,
            rows=rows,
            budget_total=sum((r["budget"] for r in rows), Decimal("0")),
            actual_total=sum((r["actual"] for r in rows), Decimal("0")),
            lines=paginate(self.request, lines),
            line_count=len(lines),
            advances=Advance.objects.visible_to(user).filter(region=region, year=year).select_related("municipality"),
            coordinating=can(self.request.user, CHANGE, region),
            form=kwargs.get("form") or ImportForm(),
            line_form=kwargs.get("line_form") or ActualLineForm(year=year),
            latest=services.latest_reckoning(region=region, year=year)
            if Reckoning.objects.visible_to(user).filter(region=region, year=year).exists()
            else None,
        )
        return context

    def post(self, request, *args, **kwargs):
        region, year = self.region_and_year()
        action = request.POST.get("action", "import")
        try:
            if action == "advances":
                services.compute_advances(user=request.user, region=region, year=year)
                messages.success(request, f"De voorschotten {year} zijn berekend uit de begroting.")
                return redirect(request.path)
            if action == "add":
                line_form = ActualLineForm(request.POST, year=year)
                if not line_form.is_valid():
                    return self.render_to_response(self.get_context_data(line_form=line_form))
                services.add_actual(
                    user=request.user,
                    region=region,
                    day=line_form.cleaned_data["date"],
                    category=line_form.cleaned_data["category"],
                    description=line_form.cleaned_data["description"],
                    amount=line_form.cleaned_data["amount"],
                )
                messages.success(
                    request,
                    f"De kostenregel van {format_date(line_form.cleaned_data['date'])} is toegevoegd aan {year}.",
                )
                return redirect(request.path)
            if action == "reckoning":
                reckoning = services.request_reckoning(user=request.user, region=region, year=year)
                messages.success(request, "De afrekening wordt berekend.")
                return redirect("costsharing-reckoning", pk=reckoning.pk)
            form = ImportForm(request.POST, request.FILES)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form))
            name, content = form.cleaned_data["file"]
            created = services.import_actuals(
                user=request.user, region=region, year=year, filename=name, content=content
            )
            messages.success(request, f"{len(created)} kostenregels ingelezen uit {name}.")
            return redirect(request.path)
        except services.ImportRefused as exc:
            form = ImportForm()
            context = self.get_context_data(form=form)
            context["import_problems"] = exc.problems
            return self.render_to_response(context)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(request.path)

"""Pages of BNO's yearly cycle (issue 12, part B): the two-year costs and the colleges' adoption (BNO 11.1), the
annual report with its versions, its PDF, and the adoption of its settlement proposal (BNO 10.5-10.6). Invoicing the
adopted proposal is invoicing's page (``invoicing-annual-report``)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from costsharing import services
from costsharing.annual_report_pdf import render_version_pdf, version_context
from costsharing.forms import AdoptionForm, AnnualReportForm, CollegeAdoptionForm
from costsharing.models import AnnualReport, AnnualReportVersion, CollegeAdoption, ExecutionCostPlan
from regio.bounds import year_window
from regio.models import Region
from regio.tenancy import CHANGE, TenantViewMixin, can, get_for_user_or_404


def _region(request, code: str) -> Region:
    return get_for_user_or_404(Region.objects.visible_to(request.user), request.user, code=code)


def _year(year: int) -> int:
    """A year in the URL outside the plausible window is a page that does not exist (never a 500)."""
    first, last = year_window()
    if not first <= year <= last:
        raise Http404("Dat jaar valt buiten de toegestane jaren.")
    return year


def _report(request, region: Region, year: int) -> AnnualReport | None:
    return (
        AnnualReport.objects.visible_to(request.user)
        .select_related("region", "adopted_version", "adopted_by")
        .filter(region=region, year=year)
        .first()
    )


class AnnualReportListView(TenantViewMixin, TemplateView):
    """The annual reports of a region and its two-year cost plans with the colleges' adoptions (BNO 10.5, 11.1)."""

    model = Region
    template_name = "costsharing/annual_reports.html"

    def permission_target(self):
        return _region(self.request, self.kwargs["code"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        region = _region(self.request, kwargs["code"])
        plans = list(ExecutionCostPlan.objects.visible_to(user).filter(region=region).order_by("-first_year"))
        adoptions = list(
            CollegeAdoption.objects.visible_to(user)
            .filter(plan__in=plans)
            .select_related("municipality")
            .order_by("municipality__name")
        )
        reports = list(
            AnnualReport.objects.visible_to(user)
            .filter(region=region)
            .select_related("adopted_version")
            .order_by("-year")
        )
        this_year = timezone.localdate().year
        context.update(
            region=region,
            reports=reports,
            new_years=[y for y in (this_year - 1, this_year - 2) if y not in {r.year for r in reports}],
            plans=[(p, [a for a in adoptions if a.plan_id == p.pk]) for p in plans],
            coordinating=can(user, CHANGE, region),
            settles_by_report=services.settles_by_annual_report(region=region),
        )
        return context


class CostPlanView(TenantViewMixin, TemplateView):
    """A two-year cost plan with each college's adoption; coordinating staff record an adoption (BNO 11.1)."""

    model = Region
    template_name = "costsharing/cost_plan.html"

    def permission_target(self):
        return _region(self.request, self.kwargs["code"])

    def _plan(self, region):
        plan = (
            ExecutionCostPlan.objects.visible_to(self.request.user)
            .filter(region=region, first_year=_year(self.kwargs["first_year"]))
            .first()
        )
        if plan is None:
            raise Http404("Geen inkoopplan voor dat jaar.")
        return plan

    def _members(self, region):
        """The members in the plan's first year: their colleges adopt it (BNO 11.1)."""
        return list(region.members_on(date(self.kwargs["first_year"], 1, 1)).order_by("name"))

    def post(self, request, *args, **kwargs):
        region = _region(request, kwargs["code"])
        plan = self._plan(region)
        members = self._members(region)
        form = CollegeAdoptionForm(request.POST, members=members)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, **kwargs))
        municipality = next(m for m in members if m.code == form.cleaned_data["municipality"])
        try:
            services.record_college_adoption(
                user=request.user,
                plan=plan,
                municipality=municipality,
                adopted_on=form.cleaned_data["adopted_on"],
                reference=form.cleaned_data["reference"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_to_response(self.get_context_data(form=form, **kwargs))
        messages.success(request, f"De vaststelling door het college van {municipality.name} is vastgelegd.")
        return redirect(request.get_full_path())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = _region(self.request, kwargs["code"])
        plan = self._plan(region)
        members = self._members(region)
        adoptions = list(
            CollegeAdoption.objects.visible_to(self.request.user).filter(plan=plan).select_related("municipality")
        )
        done = {a.municipality_id for a in adoptions}
        context.update(
            region=region,
            plan=plan,
            adoptions=sorted(adoptions, key=lambda a: a.municipality.name),
            waiting=[m for m in members if m.pk not in done],
            form=kwargs.get("form") or CollegeAdoptionForm(members=[m for m in members if m.pk not in done]),
            coordinating=can(self.request.user, CHANGE, region),
        )
        return context


class AnnualReportView(TenantViewMixin, TemplateView):
    """The annual report of a year: its latest version (content report, accounts, proposal), the earlier versions,
    drawing up a new version and the adoption (BNO 10.5-10.6)."""

    model = Region
    template_name = "costsharing/annual_report.html"

    def permission_target(self):
        return _region(self.request, self.kwargs["code"])

    def post(self, request, *args, **kwargs):
        region = _region(request, kwargs["code"])
        form = AnnualReportForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, **kwargs))
        try:
            version = services.draw_up_annual_report(
                user=request.user, region=region, year=_year(kwargs["year"]), content=form.cleaned_data["content"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_to_response(self.get_context_data(form=form, **kwargs))
        messages.success(request, f"Jaarverslag {kwargs['year']}: versie {version.number} staat klaar.")
        return redirect(request.get_full_path())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        region = _region(self.request, kwargs["code"])
        year = _year(kwargs["year"])
        report = _report(self.request, region, year)
        versions = (
            list(AnnualReportVersion.objects.visible_to(user).filter(report=report).order_by("-number"))
            if report
            else []
        )
        latest = versions[0] if versions else None
        coordinating = can(user, CHANGE, region)
        preview = None
        if latest is None:
            try:
                preview = services.report_figures(region=region, year=year)
            except ValidationError as exc:
                context["problem"] = " ".join(exc.messages)
        context.update(
            region=region,
            year=year,
            report=report,
            versions=versions,
            latest=version_context(report=report, version=latest) if latest else None,
            preview=preview,
            due_on=services.report_due_on(year),
            coordinating=coordinating,
            form=kwargs.get("form") or AnnualReportForm(initial={"content": latest.content if latest else ""}),
            adoption_form=AdoptionForm(initial={"version": latest.number}) if latest else None,
        )
        return context


class AnnualReportVersionView(TenantViewMixin, TemplateView):
    """One (earlier) version of an annual report, as it was drawn up; ``?formaat=pdf`` gives its PDF (WeasyPrint),
    rendered from the figures that version keeps."""

    model = Region
    template_name = "costsharing/annual_report_version.html"

    def _version(self):
        region = _region(self.request, self.kwargs["code"])
        report = _report(self.request, region, _year(self.kwargs["year"]))
        version = (
            AnnualReportVersion.objects.visible_to(self.request.user)
            .filter(report=report, number=self.kwargs["number"])
            .first()
            if report
            else None
        )
        if version is None:
            raise Http404("Deze versie bestaat niet.")
        return report, version

    def get(self, request, *args, **kwargs):
        if request.GET.get("formaat") != "pdf":
            return super().get(request, *args, **kwargs)
        report, version = self._version()
        response = HttpResponse(render_version_pdf(report=report, version=version), content_type="application/pdf")
        name = f"jaarverslag-{report.region.code}-{report.year}-v{version.number}.pdf"
        response["Content-Disposition"] = f'inline; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report, version = self._version()
        context.update(version_context(report=report, version=version))
        return context


class AnnualReportAdoptView(TenantViewMixin, TemplateView):
    """Record the adoption of the settlement proposal (BNO 10.6): version, date, decision; only then invoicing."""

    model = Region
    template_name = "costsharing/annual_report_adopt.html"

    def permission_target(self):
        region = _region(self.request, self.kwargs["code"])
        report = _report(self.request, region, self.kwargs["year"])
        if report is None:
            raise Http404("Er is nog geen jaarverslag van dit jaar.")
        return report

    def post(self, request, *args, **kwargs):
        report = self.permission_target()
        form = AdoptionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, **kwargs))
        try:
            services.adopt_annual_report(user=request.user, report=report, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_to_response(self.get_context_data(form=form, **kwargs))
        messages.success(request, f"Het voorstel voor afrekening {report.year} is vastgesteld.")
        return redirect("costsharing-annual-report", report.region.code, report.year)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.permission_target()
        latest = report.versions.visible_to(self.request.user).order_by("-number").first()
        context.update(
            region=report.region,
            report=report,
            latest=latest,
            form=kwargs.get("form") or AdoptionForm(initial={"version": latest.number if latest else None}),
            coordinating=can(self.request.user, CHANGE, report),
        )
        return context

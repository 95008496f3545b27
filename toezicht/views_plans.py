"""Pages of the supervision plans and reports (WM-DVO annex 4; WM-SO 3.2 c), and the college's view.

- ``/toezicht/plannen/``: the region's plans; supervisors draw one up.
- ``/toezicht/plannen/<pk>/``: one plan; supervisors change it, members' civil servants comment.
- ``/toezicht/verslagen/``: the college's view: its annual reports (PDF), the joint evaluations and the plans; the
  supervisors draw up a report, the coordinating municipality records the evaluation. Never a case.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from regio.models import Municipality, Region
from regio.pagination import paginate_named
from regio.roles import Role
from regio.tenancy import CHANGE, TenantViewMixin, acting_region_ids, can, scope_of
from toezicht import selectors, services_plans, services_reports
from toezicht.forms_plans import AnnualReportForm, CommentForm, EvaluationForm, PlanForm
from toezicht.models.plans import SupervisionPlan
from toezicht.models.reports import COLLEGE_ROLES, AnnualReport


def _field_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _own_region(user):
    """The region whose plans a supervisor draws up: the first region of their municipality that they supervise in."""
    regions = Region.objects.visible_to(user).order_by("name")
    return next((r for r in regions if services_plans.may_edit_plans(user=user, region=r)), None)


class PlanListView(TenantViewMixin, ListView):
    """The plans of the user's regions, newest first (WM-DVO annex 4). Supervisors draw up a new one here."""

    model = SupervisionPlan
    template_name = "toezicht/plan_list.html"
    context_object_name = "plans"
    paginate_by = 50

    def get_queryset(self):
        return services_plans.plans_for(user=self.request.user)

    def check_permission(self, action):
        if _own_region(self.request.user) is None:
            raise PermissionDenied(_("Alleen toezichthouders stellen de plannen op."))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = _own_region(self.request.user)
        context["region"] = region
        context["form"] = kwargs.get("form") or (PlanForm() if region else None)
        return context

    def post(self, request, *args, **kwargs):
        region = _own_region(request.user)
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                plan = services_plans.save_plan(user=request.user, region=region, **form.cleaned_data)
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, _("%(plan)s vastgelegd.") % {"plan": plan})
                return redirect("toezicht-plan-detail", pk=plan.pk)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PlanDetailView(TenantViewMixin, DetailView):
    """One plan with its comments. Supervisors change it; members' staff comment (WM-SO 3.2 c: no say)."""

    model = SupervisionPlan
    template_name = "toezicht/plan_detail.html"
    context_object_name = "plan"

    def get_queryset(self):
        return SupervisionPlan.objects.visible_to(self.request.user).select_related("region", "updated_by")

    def check_permission(self, action):
        plan = self.permission_target()
        if self.request.POST.get("action") == "comment":
            allowed = services_plans.may_comment(user=self.request.user, plan=plan)
        else:
            allowed = can(self.request.user, CHANGE, plan)
        if not allowed:
            raise PermissionDenied(_("U mag dit plan niet wijzigen."))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        user = self.request.user
        editable = can(user, CHANGE, plan)
        context.update(
            editable=editable,
            comments=plan.comments.visible_to(user).select_related("author", "municipality").order_by("created_at"),
            form=kwargs.get("form")
            or (
                PlanForm(
                    initial={
                        "kind": plan.kind,
                        "year": plan.year,
                        "title": plan.title,
                        "summary": plan.summary,
                        "priorities": plan.priorities,
                        "themes": plan.themes,
                        "planned_investigations": plan.planned_investigations,
                        "adopted_on": plan.adopted_on,
                    }
                )
                if editable
                else None
            ),
            comment_form=kwargs.get("comment_form")
            or (CommentForm() if services_plans.may_comment(user=user, plan=plan) else None),
        )
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if request.POST.get("action") == "comment":
            form = CommentForm(request.POST)
            if form.is_valid():
                try:
                    services_plans.comment_on_plan(user=request.user, plan=self.object, text=form.cleaned_data["text"])
                except ValidationError as exc:
                    _field_errors(form, exc)
                else:
                    messages.success(request, _("Uw opmerking is geplaatst."))
                    return redirect("toezicht-plan-detail", pk=self.object.pk)
            return self.render_to_response(self.get_context_data(object=self.object, comment_form=form), status=400)
        form = PlanForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if (data["kind"], data["year"]) != (self.object.kind, self.object.year):
                form.add_error(
                    "kind", _("Soort en jaar van een bestaand plan wijzigt u niet; stel een nieuw plan op.")
                )
            else:
                try:
                    services_plans.save_plan(user=request.user, region=self.object.region, **data)
                except ValidationError as exc:
                    _field_errors(form, exc)
                else:
                    messages.success(request, _("Plan bijgewerkt."))
                    return redirect("toezicht-plan-detail", pk=self.object.pk)
        return self.render_to_response(self.get_context_data(object=self.object, form=form), status=400)


class ReportsView(TenantViewMixin, TemplateView):
    """The college's view (WM-DVO intro 6, annex 4): the annual reports of the user's municipality (all members' for
    the coordinating staff, the assigned ones for a supervisor), the joint evaluations and the plans. Aggregates only:
    never a signal or an investigation. Supervisors draw up a report here; the coordinating staff record the
    evaluation."""

    model = AnnualReport
    template_name = "toezicht/reports.html"

    def supervised(self):
        scope = scope_of(self.request.user)
        if not scope.has_role(Role.SUPERVISOR) or scope.read_only:
            return []
        ids = scope.supervised_municipality_ids
        return list(Municipality.objects.visible_to(self.request.user).filter(pk__in=ids).order_by("name"))

    def acting_region(self):
        regions = Region.objects.visible_to(self.request.user).filter(pk__in=acting_region_ids(self.request.user))
        return regions.order_by("name").first()

    def check_permission(self, action):
        if "evaluation" in self.request.POST:
            if self.acting_region() is None:
                raise PermissionDenied(_("Alleen de coördinerende gemeente legt de evaluatie vast."))
            return
        if not self.supervised():
            raise PermissionDenied(_("Alleen toezichthouders stellen een jaarverslag op."))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        supervised = self.supervised()
        region = self.acting_region()
        scope = scope_of(user)
        own = Municipality.objects.visible_to(user).filter(pk=scope.municipality_id).first()
        context.update(
            own_municipality=own,
            requests=paginate_named(
                self.request,
                selectors.information_requests_of_college(user=user, municipality=own),
                "verzoeken",
            )
            if own is not None and scope.has_role(*COLLEGE_ROLES)
            else None,
            today=timezone.localdate(),
            reports=paginate_named(self.request, selectors.reports_for(user=user), "verslagen"),
            evaluations=services_reports.evaluations_for(user=user)[:20],
            plans=services_plans.plans_for(user=user)[:20],
            report_form=kwargs.get("report_form")
            or (AnnualReportForm(municipalities=supervised) if supervised else None),
            evaluation_form=kwargs.get("evaluation_form") or (EvaluationForm() if region else None),
            region=region,
        )
        return context

    def post(self, request, *args, **kwargs):
        if "evaluation" in request.POST:
            return self.post_evaluation(request)
        supervised = self.supervised()
        form = AnnualReportForm(request.POST, municipalities=supervised)
        if form.is_valid():
            municipality = next(m for m in supervised if m.code == form.cleaned_data["municipality"])
            region = self.region_of(municipality, form.cleaned_data["year"])
            if region is None:
                form.add_error("municipality", _("Deze gemeente was dat jaar geen lid van een van uw regio's."))
            else:
                try:
                    report = services_reports.generate_annual_report(
                        user=request.user, region=region, municipality=municipality, year=form.cleaned_data["year"]
                    )
                except ValidationError as exc:
                    _field_errors(form, exc)
                else:
                    messages.success(request, _("%(report)s opgesteld.") % {"report": report})
                    return redirect("toezicht-reports")
        return self.render_to_response(self.get_context_data(report_form=form), status=400)

    def region_of(self, municipality, year):
        from datetime import date

        for region in Region.objects.visible_to(self.request.user).order_by("name"):
            if region.members_on(date(year, 12, 31)).filter(pk=municipality.pk).exists():
                return region
        return None

    def post_evaluation(self, request):
        region = self.acting_region()
        form = EvaluationForm(request.POST)
        if form.is_valid():
            try:
                services_reports.record_joint_evaluation(user=request.user, region=region, **form.cleaned_data)
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, _("Evaluatie vastgelegd."))
                return redirect("toezicht-reports")
        return self.render_to_response(self.get_context_data(evaluation_form=form), status=400)


class AnnualReportPdfView(TenantViewMixin, DetailView):
    """The PDF of one annual report, for whoever may read it (another municipality's answers 404)."""

    model = AnnualReport
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return AnnualReport.objects.visible_to(self.request.user).select_related("municipality").defer("pdf")

    def get(self, request, *args, **kwargs):
        report = self.get_object()
        pdf = services_reports.read_annual_report(user=request.user, report=report)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{report.filename}"'
        response["ETag"] = f'"{report.content_hash}"'
        return response

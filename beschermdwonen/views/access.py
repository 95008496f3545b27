"""Pages of the access team's work beyond the register (issue 13 part A): indications, advice requests and the
member's own decision, disagreements, replacements, the worklists, a member's own view and the objective model.
Every read of something in a client file is in the access log."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from beschermdwonen import selectors, services
from beschermdwonen.forms import (
    AdviceForm,
    AdviceRequestForm,
    CaseMeetingForm,
    CloseForm,
    DecisionForm,
    DisagreementCloseForm,
    DisagreementForm,
    DisagreementStepForm,
    HandoverForm,
    IndicationForm,
    ReplacementForm,
)
from beschermdwonen.models import AdviceRequest, Client, Disagreement, Replacement, _resident_client_ids
from beschermdwonen.views.register import PAGE_SIZE, _field_errors
from regio.bounds import check_date
from regio.models import Region, log_access
from regio.roles import Role
from regio.tenancy import CHANGE, TenantViewMixin, can, get_for_user_or_404, scope_of

WORKLIST_ROWS = 25


class ClientActionMixin(TenantViewMixin):
    """A page that adds something to one client's file: the client is found among what the user sees (404), and only
    the access team may act on it (403), also for GET (the form is the team's)."""

    model = Client

    def get_object(self):
        return get_for_user_or_404(
            Client.objects.visible_to(self.request.user).select_related("region"),
            self.request.user,
            reference=self.kwargs["reference"],
        )

    def client(self):
        client = getattr(self, "object", None) or self.get_object()
        if not can(self.request.user, CHANGE, client):
            raise PermissionDenied(services.NOT_ACCESS_TEAM)
        return client


class IndicationCreateView(ClientActionMixin, TemplateView):
    """The access team records an indication (WM-DVO annex 2 §1-2)."""

    template_name = "beschermdwonen/indication_form.html"

    def members(self, client):
        return list(client.region.members_on(timezone.localdate()).order_by("name"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        client = self.client()
        context.update(client=client, form=kwargs.get("form") or IndicationForm(municipalities=self.members(client)))
        return context

    def post(self, request, *args, **kwargs):
        client = self.client()
        members = self.members(client)
        form = IndicationForm(request.POST, municipalities=members)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_indication(
                    user=request.user,
                    client=client,
                    product=data["product"],
                    decided_on=data["decided_on"],
                    care_start=data["care_start"],
                    ends_on=data["ends_on"],
                    decided_by=next((m for m in members if m.code == data["decided_by"]), None),
                    delivery=data["delivery"],
                    own_contribution_reported_on=data["own_contribution_reported_on"],
                )
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, "De indicatie is vastgelegd.")
                return redirect("bw-client-detail", reference=client.reference)
        return self.render_to_response(self.get_context_data(form=form))


class ClientCaseCreateView(ClientActionMixin, TemplateView):
    """The access team opens a case on one client's file through a service and lands on the case's page; the
    subclasses say which form, which service, and the words (title, intro, confirmation)."""

    template_name = "beschermdwonen/simple_form.html"
    form_class = None
    title = ""
    intro = ""
    done = ""
    detail_url = ""

    def open_case(self, *, user, client, data):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            client=self.client(), form=kwargs.get("form") or self.form_class(), title=self.title, intro=self.intro
        )
        return context

    def post(self, request, *args, **kwargs):
        client = self.client()
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                case = self.open_case(user=request.user, client=client, data=form.cleaned_data)
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, self.done)
                return redirect(self.detail_url, pk=case.pk)
        return self.render_to_response(self.get_context_data(form=form))


class DisagreementCreateView(ClientCaseCreateView):
    """The access team records a case the members disagree on (WM-DVO annex 2 §4)."""

    form_class = DisagreementForm
    title = _("Nieuw geschil")
    intro = _(
        "Een casus waarover de gemeenten het niet eens zijn volgt de vastgestelde procedure (bijlage 2 §4). Leg de "
        "stappen en de uitkomst vast op de pagina van het geschil."
    )
    done = _("Het geschil is vastgelegd.")
    detail_url = "bw-disagreement-detail"

    def open_case(self, *, user, client, data):
        return services.open_disagreement(user=user, client=client, **data)


class ReplacementCreateView(ClientCaseCreateView):
    """The access team opens a replacement in an untenable situation (WM-DVO annex 2 §3)."""

    form_class = ReplacementForm
    title = _("Nieuwe herplaatsing")
    intro = _(
        "Tot het casusoverleg een oplossing heeft gevonden blijft de aanbieder verantwoordelijk; een cliënt wordt "
        "nooit op straat gezet. Afsluiten kan pas na de warme overdracht (bijlage 2 §3)."
    )
    done = _("De herplaatsing is vastgelegd.")
    detail_url = "bw-replacement-detail"

    def open_case(self, *, user, client, data):
        return services.report_untenable(user=user, client=client, **data)


class StepsMixin:
    """A detail page with several small forms, told apart by the hidden field ``stap``; each maps to a service."""

    steps: dict[str, type] = {}

    def step_forms(self, bound=None):
        forms = {}
        for name in self.allowed_steps():
            form_class = self.steps[name]
            forms[name] = bound if bound is not None and bound.prefix == name else form_class(prefix=name)
        return forms

    def allowed_steps(self) -> list[str]:
        return list(self.steps)

    def post(self, request, *args, **kwargs):
        name = request.POST.get("stap", "")
        if name not in self.allowed_steps():
            messages.error(request, "Deze stap kan hier niet (meer).")
            return redirect(request.path)
        form = self.steps[name](request.POST, prefix=name)
        if form.is_valid():
            try:
                self.run_step(name, form.cleaned_data)
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, "Vastgelegd.")
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(bound=form))


class AdviceRequestDetailView(StepsMixin, TenantViewMixin, TemplateView):
    """An advice request: the intake, the advice (the access team) and the member's own decision (the member that
    asked, WM-DVO annex 2 §2 and §4). Part of a client file: every read is logged."""

    model = AdviceRequest
    template_name = "beschermdwonen/advice_detail.html"
    steps = {"advies": AdviceForm, "besluit": DecisionForm}

    def get_object(self):
        return get_for_user_or_404(
            selectors.advice_requests_for(self.request.user), self.request.user, pk=self.kwargs["pk"]
        )

    def allowed_steps(self):
        advice = getattr(self, "object", None) or self.get_object()
        self.object = advice
        if advice.decided_on is not None or not can(self.request.user, CHANGE, advice):
            return []
        if services.is_team_for(self.request.user, advice.region):
            return ["advies"]
        if advice.advised_on is not None:
            return ["besluit"]
        return []

    def run_step(self, name, data):
        if name == "advies":
            client = None
            if data["client"]:
                client = Client.objects.restrict(self.request.user, CHANGE).filter(reference=data["client"]).first()
                if client is None:
                    raise ValidationError({"client": "Deze cliëntreferentie staat niet in uw register."})
            services.give_advice(
                user=self.request.user,
                advice=self.object,
                advised_on=data["advised_on"],
                begeleiding=data["begeleiding"],
                bb=data["bb"],
                text=data["text"],
                client=client,
            )
        else:
            services.record_member_decision(
                user=self.request.user,
                advice=self.object,
                decision=data["decision"],
                decided_on=data["decided_on"],
                note=data["note"],
            )

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(**kwargs)
        advice = self.get_object()
        self.object = advice
        log_access(user=self.request.user, obj=advice, municipality=advice.requested_by, request=self.request)
        context.update(advice=advice, forms=self.step_forms(bound))
        return context


class AdviceRequestListView(TenantViewMixin, TemplateView):
    """Advice requests: the access team its region's, a member the ones it sent."""

    model = AdviceRequest
    template_name = "beschermdwonen/advice_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(selectors.advice_requests_for(self.request.user), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            page_obj=page, paginator=page.paginator, may_ask=bool(selectors.asking_regions(self.request.user))
        )
        return context


class AdviceRequestCreateView(TenantViewMixin, TemplateView):
    """A member (Stein, Beek) asks advice through the intake format (WM-DVO annex 2 §4)."""

    model = AdviceRequest
    template_name = "beschermdwonen/simple_form.html"

    def region(self):
        regions = selectors.asking_regions(self.request.user)
        if not regions:
            raise PermissionDenied("Alleen beschermd wonen van een deelnemende gemeente vraagt advies.")
        return regions[0]

    def check_permission(self, action):
        self.region()

    def get(self, request, *args, **kwargs):
        self.region()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form=kwargs.get("form") or AdviceRequestForm(),
            title="Nieuwe adviesvraag beschermd wonen",
            intro="Het format met informatie voor de Toegang (bijlage 2 §4). De Toegang onderzoekt en stuurt een "
            "advies; uw gemeente neemt zelf het besluit (bijlage 2 §2).",
        )
        return context

    def post(self, request, *args, **kwargs):
        region = self.region()
        form = AdviceRequestForm(request.POST)
        if form.is_valid():
            try:
                advice = services.request_advice(user=request.user, region=region, **form.cleaned_data)
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, "De adviesvraag is verstuurd naar de Toegang.")
                return redirect("bw-advice-detail", pk=advice.pk)
        return self.render_to_response(self.get_context_data(form=form))


class DisagreementDetailView(StepsMixin, TenantViewMixin, TemplateView):
    model = Disagreement
    template_name = "beschermdwonen/disagreement_detail.html"
    steps = {"stap": DisagreementStepForm, "afsluiten": DisagreementCloseForm}

    def get_object(self):
        return get_for_user_or_404(
            Disagreement.objects.visible_to(self.request.user).select_related("client", "advice_request"),
            self.request.user,
            pk=self.kwargs["pk"],
        )

    def allowed_steps(self):
        case = getattr(self, "object", None) or self.get_object()
        self.object = case
        return list(self.steps) if case.closed_on is None and can(self.request.user, CHANGE, case) else []

    def run_step(self, name, data):
        if name == "stap":
            services.add_disagreement_step(user=self.request.user, disagreement=self.object, **data)
        else:
            services.close_disagreement(user=self.request.user, disagreement=self.object, **data)

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.get_object()
        self.object = case
        log_access(user=self.request.user, obj=case, municipality=None, request=self.request)
        context.update(case=case, steps_done=list(case.steps.all()), forms=self.step_forms(bound))
        return context


class ReplacementDetailView(StepsMixin, TenantViewMixin, TemplateView):
    model = Replacement
    template_name = "beschermdwonen/replacement_detail.html"
    steps = {"overleg": CaseMeetingForm, "overdracht": HandoverForm, "afsluiten": CloseForm}

    def get_object(self):
        return get_for_user_or_404(
            selectors.replacements_for(self.request.user), self.request.user, pk=self.kwargs["pk"]
        )

    def allowed_steps(self):
        rep = getattr(self, "object", None) or self.get_object()
        self.object = rep
        if rep.closed_on is not None or not can(self.request.user, CHANGE, rep):
            return []
        return list(self.steps)

    def run_step(self, name, data):
        fn = {
            "overleg": services.plan_case_meeting,
            "overdracht": services.record_handover,
            "afsluiten": services.close_replacement,
        }[name]
        fn(user=self.request.user, replacement=self.object, **data)

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(**kwargs)
        rep = self.get_object()
        self.object = rep
        log_access(user=self.request.user, obj=rep, municipality=None, request=self.request)
        context.update(rep=rep, forms=self.step_forms(bound), today=timezone.localdate())
        return context


class WorklistView(TenantViewMixin, TemplateView):
    """The access team's worklists (issue 13): open notifications, assessments past 8 hours, advice to give, advice
    awaiting a member's decision, replacements without hand-over (by age), open disagreements. A fixed number of
    queries, whatever the register holds (each list is one query, sliced)."""

    model = Client
    template_name = "beschermdwonen/worklists.html"

    def get(self, request, *args, **kwargs):
        if not selectors.is_access_team(request.user):
            if scope_of(request.user).has_role(Role.PROTECTED_HOUSING):
                return redirect("bw-member-view")  # a member's staff: its own view
            raise PermissionDenied(services.NOT_ACCESS_TEAM)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        context.update(
            today=today,
            norm=selectors.ASSESSMENT_NORM_HOURS,
            rows=WORKLIST_ROWS,
            open_notifications=list(selectors.open_notifications(user)[:WORKLIST_ROWS]),
            long_assessments=list(selectors.assessments_past_norm(user)[:WORKLIST_ROWS]),
            advice_to_give=list(selectors.advice_to_give(user)[:WORKLIST_ROWS]),
            awaiting=list(selectors.advice_awaiting_decision(user)[:WORKLIST_ROWS]),
            replacements=list(selectors.replacements_without_handover(user)[:WORKLIST_ROWS]),
            disagreements=list(selectors.open_disagreements(user)[:WORKLIST_ROWS]),
        )
        return context


class MemberView(TenantViewMixin, TemplateView):
    """A member's own view: its clients (resident today) and the advice requests it sent, with those awaiting its
    own decision first (WM-DVO annex 2 §2). Without the ``bw`` role the lists are empty (the selectors see to it)."""

    model = Client
    template_name = "beschermdwonen/member_view.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        scope = scope_of(user)
        today = timezone.localdate()
        residents = (
            selectors.clients_for(user)
            .filter(pk__in=_resident_client_ids(scope.municipality_id))
            .order_by("reference")
        )
        page = Paginator(residents, PAGE_SIZE).get_page(self.request.GET.get("page"))
        sent = selectors.advice_requests_for(user).filter(requested_by_id=scope.municipality_id)
        context.update(
            today=today,
            page_obj=page,
            paginator=page.paginator,
            awaiting=list(sent.filter(advised_on__isnull=False, decided_on__isnull=True)[:WORKLIST_ROWS]),
            sent=list(sent[:WORKLIST_ROWS]),
        )
        return context


class ObjectiveModelView(TenantViewMixin, TemplateView):
    """The region setting: the start date of the objective distribution model (WM-DVO annex 3 §1, §7), and what
    changes when it is set: the running indications per member as existing/new under both rules of annex 3, and
    whether Stein and Beek pay access fees. Counts only, no record."""

    model = Client
    template_name = "beschermdwonen/objective_model.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        regions = Region.objects.visible_to(self.request.user).order_by("name")
        code = (self.request.GET.get("regio") or "")[:50]
        region = get_for_user_or_404(regions, self.request.user, code=code) if code else regions.first()
        if region is None:
            raise Http404
        today = timezone.localdate()
        setting = selectors.objective_model_start(region)
        what_if, error = None, ""
        raw = (self.request.GET.get("datum") or "").strip()[:20]
        if raw:
            try:
                what_if = check_date(date.fromisoformat(raw), label="De datum")
            except (ValueError, ValidationError) as exc:
                error = " ".join(getattr(exc, "messages", [])) or "Vul een datum in als jjjj-mm-dd."
        start = what_if or setting
        context.update(
            regions=regions,
            region=region,
            today=today,
            setting=setting,
            what_if=what_if,
            date_error=error,
            rows=selectors.classification_counts(region=region, on=today, start=start),
            start=start,
        )
        return context

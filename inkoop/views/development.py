"""Pages of the development table of Maastricht-Heuvelland for the municipalities' staff (MH 1.5-1.7, 4, 5, 7): the
board (participant list, tables, proposals by state, incoming signals), a table (its composition and meetings), a
proposal (its dated steps, board decisions and reactions) and the judgement of a reaction or signal (MH 6.5).
Every route is in the cross-tenant matrix (tests/tenancy/cases_inkoop_monitoring.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from inkoop import forms_development as f
from inkoop.models import (
    AgendaDecision,
    Contribution,
    ContributionKind,
    DevelopmentTable,
    Proposal,
    ProposalStatus,
    Provider,
    Signatory,
)
from inkoop.services import contributions, development
from regio.models import Region
from regio.tenancy import ADD, CHANGE, TenantViewMixin, can, get_for_user_or_404


def _field_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class _FormsMixin:
    """A page with several small forms, told apart by the submit button's ``form`` value; each handler calls one
    service and answers 400 with the form's errors in Dutch, or redirects with a message."""

    forms: dict = {}

    def get_object(self, queryset=None):
        if "_object" not in self.__dict__:
            self._object = super().get_object(queryset)
        return self._object

    def post(self, request, *args, **kwargs):
        if isinstance(self, DetailView):
            self.object = self.get_object()
        which = request.POST.get("form", "")
        if which not in self.forms:
            return self.render_to_response(self.get_context_data(), status=400)
        form_class, handler = self.forms[which]
        form = form_class(request.POST, **self.form_kwargs(which))
        if form.is_valid():
            try:
                done = getattr(self, handler)(form)
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, done)
                return redirect(request.get_full_path())
        return self.render_to_response(self.get_context_data(**{f"{which}_form": form}), status=400)

    def form_kwargs(self, which: str) -> dict:
        return {}

    def empty_forms(self, context) -> None:
        for which, (form_class, _handler) in self.forms.items():
            context.setdefault(f"{which}_form", form_class(**self.form_kwargs(which)))


class DevelopmentBoardView(TenantViewMixin, _FormsMixin, TemplateView):
    """The board of a region: participants (MH annex 1), tables, proposals per state, signals to judge."""

    model = DevelopmentTable
    template_name = "inkoop/development_board.html"
    forms = {
        "sign": (f.SignForm, "do_sign"),
        "table": (f.TableForm, "do_table"),
        "proposal": (f.ProposalForm, "do_proposal"),
    }

    def get_region(self):
        if not hasattr(self, "_region"):
            regions = Region.objects.visible_to(self.request.user).order_by("name")
            code = (self.request.GET.get("regio") or "").strip()[:60]
            if code:
                self._region = get_for_user_or_404(regions, self.request.user, code=code)
            else:
                with_tables = DevelopmentTable.objects.visible_to(self.request.user).values("region_id")
                self._region = regions.filter(pk__in=with_tables).first() or regions.first()
            if self._region is None:
                raise Http404
        return self._region

    def permission_target(self):
        return self.get_region()

    def form_kwargs(self, which):
        region = self.get_region()
        if which == "sign":
            signed = Signatory.objects.visible_to(self.request.user).filter(region=region).values("provider_id")
            providers = Provider.objects.visible_to(self.request.user).filter(region=region).exclude(pk__in=signed)
            return {"choices": list(providers.order_by("name"))}
        if which == "proposal":
            signatories = Signatory.objects.visible_to(self.request.user).filter(region=region, left_on__isnull=True)
            submitters = [(f"s{s.pk}", s) for s in signatories.select_related("provider")]
            submitters += [(f"m{m.pk}", m) for m in region.members_on().order_by("name")]
            tables = DevelopmentTable.objects.visible_to(self.request.user).filter(region=region)
            return {"submitters": submitters, "tables": list(tables)}
        return {}

    def do_sign(self, form):
        development.sign(
            user=self.request.user,
            region=self.get_region(),
            provider=form.chosen(),
            signed_on=form.cleaned_data["signed_on"],
        )
        return _("De aanbieder staat op de deelnemerslijst.")

    def do_table(self, form):
        development.create_table(user=self.request.user, region=self.get_region(), **form.cleaned_data)
        return _("De ontwikkeltafel is ingesteld.")

    def do_proposal(self, form):
        submitter = form.submitters[form.cleaned_data["submitter"]]
        is_signatory = isinstance(submitter, Signatory)
        development.submit_proposal(
            user=self.request.user,
            table=form.tables[form.cleaned_data["table"]],
            title=form.cleaned_data["title"],
            summary=form.cleaned_data["summary"],
            on=form.cleaned_data["on"],
            signatory=submitter if is_signatory else None,
            municipality=None if is_signatory else submitter,
        )
        return _("Het voorlopige voorstel is ingediend.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = self.get_region()
        user = self.request.user
        proposals = (
            Proposal.objects.visible_to(user)
            .filter(table__region=region)
            .select_related("table", "submitted_by_signatory__provider", "submitted_by_municipality")
        )
        by_status = {s: [] for s in ProposalStatus}
        for proposal in proposals[:500]:
            by_status[ProposalStatus(proposal.status)].append(proposal)
        context.update(
            region=region,
            regions=Region.objects.visible_to(user).order_by("name"),
            signatories=Signatory.objects.visible_to(user).filter(region=region).select_related("provider"),
            tables=DevelopmentTable.objects.visible_to(user).filter(region=region),
            columns=[(s, s.label, by_status[s]) for s in ProposalStatus],
            signals=Contribution.objects.visible_to(user)
            .filter(region=region, kind=ContributionKind.SIGNAL)
            .order_by("-received_on", "-pk")[:50],
            may_act=can(user, ADD, region),
        )
        if context["may_act"]:
            self.empty_forms(context)
        return context


class TableDetailView(TenantViewMixin, _FormsMixin, DetailView):
    """A development table: its composition with reasons (MH 4.3, 7.4) and its meetings (MH 7.1)."""

    model = DevelopmentTable
    template_name = "inkoop/table_detail.html"
    context_object_name = "table"
    forms = {
        "seat": (f.SeatForm, "do_seat"),
        "publish": (f.DateForm, "do_publish"),
        "request": (f.MeetingRequestForm, "do_request"),
        "plan": (f.MeetingPlanForm, "do_plan"),
    }

    def get_queryset(self):
        return DevelopmentTable.objects.visible_to(self.request.user).select_related("region")

    def signatories(self):
        table = self.get_object()
        return list(
            Signatory.objects.visible_to(self.request.user)
            .filter(region_id=table.region_id, left_on__isnull=True)
            .select_related("provider")
        )

    def form_kwargs(self, which):
        return {"choices": self.signatories()} if which in ("seat", "request") else {}

    def do_seat(self, form):
        development.add_seat(
            user=self.request.user,
            table=self.object,
            signatory=form.chosen(),
            reason=form.cleaned_data["reason"],
            explanation=form.cleaned_data["explanation"],
        )
        return _("De deelnemer heeft een plaats aan de tafel.")

    def do_publish(self, form):
        development.publish_composition(user=self.request.user, table=self.object, on=form.cleaned_data["on"])
        return _("De samenstelling is gepubliceerd.")

    def do_request(self, form):
        development.request_meeting(
            user=self.request.user,
            table=self.object,
            signatory=form.chosen(),
            subject=form.cleaned_data["subject"],
            on=form.cleaned_data["on"],
        )
        return _("Het verzoek om een overleg is vastgelegd.")

    def do_plan(self, form):
        development.plan_meeting(user=self.request.user, table=self.object, **form.cleaned_data)
        return _("Het overleg is gepland.")

    def get_context_data(self, **kwargs):
        self.object = self.get_object()
        context = super().get_context_data(**kwargs)
        table = self.object
        context.update(
            seats=table.seats.visible_to(self.request.user).select_related("signatory__provider"),
            meetings=table.meetings.visible_to(self.request.user).select_related("requested_by__provider"),
            proposals=table.proposals.visible_to(self.request.user).order_by("-number"),
            may_act=can(self.request.user, CHANGE, table),
        )
        if context["may_act"]:
            self.empty_forms(context)
        return context


class ProposalDetailView(TenantViewMixin, _FormsMixin, DetailView):
    """A proposal with its dated steps, the boards' decisions and the reactions (MH 1.6, 1.7, 5.4, 7.5). The
    project leaders move it on; a member's staff records its own board's decision (``board``)."""

    model = Proposal
    template_name = "inkoop/proposal_detail.html"
    context_object_name = "proposal"
    forms = {
        "decide": (f.TableDecisionForm, "do_decide"),
        "publish": (f.PublishForm, "do_publish"),
        "boards": (f.BoardsForm, "do_boards"),
        "board": (f.BoardDecisionForm, "do_board"),
    }

    def get_queryset(self):
        return Proposal.objects.visible_to(self.request.user).select_related(
            "table__region", "submitted_by_signatory__provider", "submitted_by_municipality"
        )

    def deciders(self):
        """The municipalities whose board decision this user may record (before any input is read)."""
        proposal = self.get_object()
        if proposal.status != ProposalStatus.AT_BOARDS:
            return []
        members = proposal.table.region.members_on().order_by("name")
        return [m for m in members if development.may_decide_for(self.request.user, proposal, m)]

    def check_permission(self, action):
        proposal = self.get_object()
        if not (can(self.request.user, CHANGE, proposal) or self.deciders()):
            raise PermissionDenied(self.permission_denied_message)

    def form_kwargs(self, which):
        return {"choices": self.deciders()} if which == "board" else {}

    def _may_move(self):
        if not can(self.request.user, CHANGE, self.object):
            raise PermissionDenied(self.permission_denied_message)

    def do_decide(self, form):
        self._may_move()
        development.table_decides(user=self.request.user, proposal=self.object, **form.cleaned_data)
        return _("Het besluit van de ontwikkeltafel is vastgelegd.")

    def do_publish(self, form):
        self._may_move()
        development.publish_for_reactions(user=self.request.user, proposal=self.object, **form.cleaned_data)
        return _("Het uitgewerkte voorstel is gepubliceerd voor reacties.")

    def do_boards(self, form):
        self._may_move()
        development.put_to_boards(user=self.request.user, proposal=self.object, **form.cleaned_data)
        return _("Het voorstel is voorgelegd aan de colleges.")

    def do_board(self, form):
        development.record_board_decision(
            user=self.request.user,
            proposal=self.object,
            municipality=form.chosen(),
            adopted=form.cleaned_data["adopted"],
            on=form.cleaned_data["on"],
            note=form.cleaned_data["note"],
        )
        return _("Het besluit van het college is vastgelegd.")

    def get_context_data(self, **kwargs):
        self.object = self.get_object()
        context = super().get_context_data(**kwargs)
        proposal = self.object
        user = self.request.user
        may_move = can(user, CHANGE, proposal)
        status = proposal.status
        context.update(
            steps=proposal.steps.visible_to(user).select_related("created_by"),
            decisions=proposal.board_decisions.visible_to(user).select_related("municipality"),
            reactions=proposal.contributions.visible_to(user).order_by("-received_on", "-pk")[:200],
            may_move=may_move,
            show={
                "decide": may_move and status == ProposalStatus.PROVISIONAL,
                "publish": may_move and status == ProposalStatus.ELABORATING,
                "boards": may_move and status == ProposalStatus.CONSULTATION,
                "board": bool(self.deciders()),
            },
        )
        self.empty_forms(context)
        return context


class ContributionView(TenantViewMixin, DetailView):
    """A reaction or signal from the website, and the municipalities' judgement whether it reaches the agenda
    (MH 6.5)."""

    model = Contribution
    template_name = "inkoop/contribution_detail.html"
    context_object_name = "contribution"

    def get_queryset(self):
        return Contribution.objects.visible_to(self.request.user).select_related("region", "proposal__table")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        may_judge = can(self.request.user, CHANGE, self.object) and self.object.agenda == AgendaDecision.PENDING
        context.update(may_judge=may_judge)
        if may_judge:
            context.setdefault("form", f.JudgeForm())
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = f.JudgeForm(request.POST)
        if form.is_valid():
            try:
                contributions.judge(user=request.user, contribution=self.object, **form.cleaned_data)
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, _("De beoordeling is vastgelegd."))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form), status=400)

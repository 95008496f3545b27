"""Pages of the confidential casework (issue 14): the supervisor's worklist, investigations (case files), a college's
information requests and the disclosures to a college.

Every query goes through ``visible_to`` (``toezicht.models.confidential``): the supervisors assigned to the
municipality and their team manager see case files; anyone else an empty page or 404. Writes are checked by
``TenantViewMixin`` against the case file before any input is read; every read of one case file is logged.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from regio.models import Municipality
from regio.roles import Role
from regio.tenancy import CHANGE, TenantViewMixin, can, get_for_user_or_404
from toezicht import casefile, selectors_casework
from toezicht import services_investigations as inv_services
from toezicht import services_requests as req_services
from toezicht.forms_casework import (
    AnswerForm,
    DecisionForm,
    DisclosureForm,
    DocumentForm,
    FindingsForm,
    InterventionForm,
    InvestigationForm,
    LinkSignalForm,
    PowerForm,
    RequestForm,
    TransitionForm,
)
from toezicht.models import (
    CollegeDecision,
    Disclosure,
    InformationRequest,
    Investigation,
    InvestigationDocument,
    InvestigationStatus,
    Signal,
)
from toezicht.views import _field_errors


class SupervisorPageMixin(TenantViewMixin):
    """Pages where a supervisor records something new for one of their municipalities (a POST without an object)."""

    def supervised(self) -> list[Municipality]:
        scope = self.tenancy_scope
        if not scope.has_role(Role.SUPERVISOR):
            return []
        return list(
            Municipality.objects.visible_to(self.request.user)
            .filter(pk__in=scope.supervised_municipality_ids)
            .order_by("name")
        )

    def check_permission(self, action):
        if not self.supervised() or self.tenancy_scope.read_only:
            raise PermissionDenied(_("Alleen toezichthouders leggen dossiers vast."))

    def chosen(self, code):
        return next(m for m in self.supervised() if m.code == code)


class WorklistView(TenantViewMixin, TemplateView):
    """The supervisor's worklist: new signals to triage, investigations by status, information requests by due date,
    hours this month against capacity. Others see that they have no case files (no figure leaks)."""

    model = Investigation
    template_name = "toezicht/worklist.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = self.tenancy_scope
        context["casework"] = scope.has_role(Role.SUPERVISOR, Role.SUPERVISION_MANAGER)
        if context["casework"]:
            context.update(selectors_casework.worklist(user=self.request.user))
        return context


class InvestigationListView(SupervisorPageMixin, ListView):
    model = Investigation
    template_name = "toezicht/investigation_list.html"
    context_object_name = "investigations"
    paginate_by = 50

    def get_queryset(self):
        queryset = inv_services.investigations_for(user=self.request.user)
        if self.request.GET.get("status") in InvestigationStatus.values:
            queryset = queryset.filter(status=self.request.GET["status"])
        return queryset

    def make_form(self, data=None):
        supervised = self.supervised()
        if not supervised:
            return None
        scope = self.tenancy_scope
        peers = list(
            Municipality.objects.unrestricted("namen van de gemeenten in de eigen regio's (keuzelijst)")
            .filter(pk__in=scope.peer_municipality_ids)
            .order_by("name")
        )
        signals = (
            Signal.objects.restrict(self.request.user, CHANGE)
            .filter(investigation__isnull=True)
            .order_by("-received_on", "-pk")[:200]
        )
        return InvestigationForm(data, municipalities=supervised, peers=peers, signals=signals)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statuses"] = InvestigationStatus.choices
        context["form"] = kwargs.get("form") or self.make_form()
        return context

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            peers = {
                m.code: m
                for m in Municipality.objects.unrestricted("keuzelijst, hierboven beperkt").filter(
                    code__in=data["municipalities"], pk__in=self.tenancy_scope.peer_municipality_ids
                )
            }
            signal = None
            if data["signal"]:
                signal = get_for_user_or_404(
                    Signal.objects.restrict(request.user, CHANGE), request.user, CHANGE, reference=data["signal"]
                )
            try:
                investigation = inv_services.open_investigation(
                    user=request.user,
                    municipality=self.chosen(data["municipality"]),
                    title=data["title"],
                    kind=data["kind"],
                    approach=data["approach"],
                    funding=data["funding"],
                    theme=data["theme"],
                    started_on=data["started_on"],
                    planned_end_on=data["planned_end_on"],
                    municipalities=list(peers.values()),
                    providers=data["providers"],
                    signal=signal,
                )
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, _("Onderzoek %(ref)s aangemaakt.") % {"ref": investigation.reference})
                return redirect("toezicht-investigation-detail", reference=investigation.reference)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


class InvestigationDetailView(TenantViewMixin, DetailView):
    """The case file: every read is logged. Its supervisors record findings, powers used, advice to the college and
    the college's decision, documents, linked signals and status transitions (one form per ``action``)."""

    model = Investigation
    template_name = "toezicht/investigation_detail.html"
    context_object_name = "investigation"
    slug_field = "reference"
    slug_url_kwarg = "reference"

    ACTIONS = ("findings", "transition", "power", "intervention", "decision", "document", "link")

    def get_queryset(self):
        return Investigation.objects.visible_to(self.request.user).select_related("municipality", "created_by")

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        inv_services.read_investigation(user=request.user, investigation=self.object, request=request)
        return self.render_to_response(self.get_context_data(object=self.object))

    def forms(self, bound: str | None = None, data=None, files=None) -> dict:
        inv = self.object
        colleges = list(inv.municipalities.order_by("name"))
        pending = list(inv.interventions.filter(decision=CollegeDecision.PENDING).select_related("college"))
        statuses = [(s, InvestigationStatus(s).label) for s in inv.next_statuses()]
        signals = Signal.objects.restrict(self.request.user, CHANGE).filter(
            municipality=inv.municipality, investigation__isnull=True
        )
        makers = {
            "findings": lambda d, f: FindingsForm(
                d, initial={"findings": inv.findings, "conclusion": inv.conclusion, "outcome": inv.outcome}
            ),
            "transition": lambda d, f: TransitionForm(d, statuses=statuses),
            "power": lambda d, f: PowerForm(d),
            "intervention": lambda d, f: InterventionForm(d, colleges=colleges),
            "decision": lambda d, f: DecisionForm(d, interventions=pending),
            "document": lambda d, f: DocumentForm(d, f),
            "link": lambda d, f: LinkSignalForm(d, signals=signals.order_by("-received_on")[:200]),
        }
        return {
            name: make(data if name == bound else None, files if name == bound else None)
            for name, make in makers.items()
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inv = self.object
        may_change = can(self.request.user, CHANGE, inv)
        context.update(
            may_change=may_change,
            may_export=casefile.may_export(self.request.user, inv),
            providers=inv.providers.all(),
            powers=inv.powers_used.select_related("used_by"),
            interventions=inv.interventions.select_related("college"),
            status_changes=inv.status_changes.select_related("changed_by"),
            documents=inv.documents.all(),
            signals=inv.signals.all(),
            requests=inv.information_requests.select_related("municipality"),
            disclosures=inv.disclosures.select_related("municipality"),
            supervisors=inv.supervisors.all(),
            municipalities=inv.municipalities.order_by("name"),
        )
        if may_change and not inv.is_closed:
            context["forms"] = kwargs.get("forms") or self.forms()
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action not in self.ACTIONS:
            return HttpResponse(_("Onbekende handeling."), status=400)
        forms = self.forms(action, request.POST, request.FILES)
        form = forms[action]
        if form.is_valid():
            try:
                self.handle(action, form.cleaned_data)
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, _("Vastgelegd."))
                return redirect("toezicht-investigation-detail", reference=self.object.reference)
        return self.render_to_response(self.get_context_data(object=self.object, forms=forms), status=400)

    def handle(self, action: str, data: dict) -> None:
        user, inv = self.request.user, self.object
        if action == "findings":
            inv_services.record_findings(
                user=user,
                investigation=inv,
                findings=data["findings"],
                conclusion=data["conclusion"],
                outcome=data["outcome"],
            )
        elif action == "transition":
            inv_services.transition(user=user, investigation=inv, to_status=data["to_status"], note=data["note"])
        elif action == "power":
            inv_services.record_power_use(
                user=user,
                investigation=inv,
                power=data["power"],
                used_on=data["used_on"],
                justification=data["justification"],
            )
        elif action == "intervention":
            inv_services.recommend_intervention(
                user=user,
                investigation=inv,
                college=inv.municipalities.get(code=data["college"]),
                kind=data["kind"],
                recommendation=data["recommendation"],
                recommended_on=data["recommended_on"],
            )
        elif action == "decision":
            inv_services.record_college_decision(
                user=user,
                intervention=inv.interventions.get(pk=int(data["intervention"])),
                decision=data["decision"],
                decided_on=data["decided_on"],
                decision_reference=data["decision_reference"],
                notes=data["notes"],
            )
        elif action == "document":
            inv_services.add_document(user=user, investigation=inv, title=data["title"], upload=data["file"])
        elif action == "link":
            signal = get_for_user_or_404(Signal.objects.restrict(user, CHANGE), user, CHANGE, reference=data["signal"])
            inv_services.link_signal(user=user, signal=signal, investigation=inv)


class DocumentDownloadView(TenantViewMixin, DetailView):
    """A document of a case file: only through this view (private media), logged as ``download``."""

    model = InvestigationDocument
    http_method_names = ["get", "head", "options"]

    def get_object(self, queryset=None):
        return get_for_user_or_404(
            InvestigationDocument.objects.visible_to(self.request.user).select_related("investigation__municipality"),
            self.request.user,
            investigation__reference=self.kwargs["reference"],
            pk=self.kwargs["pk"],
        )

    def get(self, request, *args, **kwargs):
        document = self.get_object()
        inv_services.read_investigation(
            user=request.user, investigation=document.investigation, request=request, action="download"
        )
        # Bounded by TOEZICHT_DOCUMENT_MAX_MB, so read whole (as agreements' document download does).
        with document.file.open("rb") as handle:
            response = HttpResponse(handle.read(), content_type=document.content_type)
        response["Content-Disposition"] = content_disposition_header(True, document.original_name)
        return response


class CaseFileExportView(TenantViewMixin, DetailView):
    """The case file as a zip (JSON + documents) for archiving or another supervision system (PGAX, WM-SO 6.1 e):
    only the assigned supervisors, logged as ``export``."""

    model = Investigation
    slug_field = "reference"
    slug_url_kwarg = "reference"
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return Investigation.objects.visible_to(self.request.user).select_related("municipality")

    def get(self, request, *args, **kwargs):
        investigation = self.get_object()
        payload = casefile.export_case_file(user=request.user, investigation=investigation, request=request)
        if request.GET.get("manifest"):
            return JsonResponse(casefile.manifest(payload))
        response = HttpResponse(payload, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="dossier-{investigation.reference}.zip"'
        return response


# --- Information requests ----------------------------------------------------------------------------------------


class RequestListView(SupervisorPageMixin, ListView):
    """A college's information requests by due date (annex 4: answered within 14 days), overdue ones flagged."""

    model = InformationRequest
    template_name = "toezicht/request_list.html"
    context_object_name = "requests"
    paginate_by = 50

    def get_queryset(self):
        return req_services.requests_for(user=self.request.user)

    def make_form(self, data=None):
        supervised = self.supervised()
        if not supervised:
            return None
        investigations = Investigation.objects.visible_to(self.request.user).order_by("-started_on")[:200]
        return RequestForm(data, municipalities=supervised, investigations=investigations)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or self.make_form()
        context["today"] = timezone.localdate()
        return context

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            investigation = None
            if data["investigation"]:
                investigation = get_for_user_or_404(
                    Investigation.objects.visible_to(request.user), request.user, reference=data["investigation"]
                )
            try:
                record = req_services.record_information_request(
                    user=request.user,
                    municipality=self.chosen(data["municipality"]),
                    received_on=data["received_on"],
                    subject=data["subject"],
                    question=data["question"],
                    requested_by=data["requested_by"],
                    investigation=investigation,
                )
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, _("Informatieverzoek %(ref)s vastgelegd.") % {"ref": record.reference})
                return redirect("toezicht-request-detail", reference=record.reference)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


class RequestDetailView(TenantViewMixin, DetailView):
    model = InformationRequest
    template_name = "toezicht/request_detail.html"
    context_object_name = "record"
    slug_field = "reference"
    slug_url_kwarg = "reference"

    def get_queryset(self):
        return InformationRequest.objects.visible_to(self.request.user).select_related("municipality", "investigation")

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        req_services.read_information_request(user=request.user, request_record=self.object, request=request)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        context["disclosures"] = self.object.disclosures.all()
        if self.object.answered_on is None and can(self.request.user, CHANGE, self.object):
            context["form"] = kwargs.get("form") or AnswerForm()
        return context

    def post(self, request, *args, **kwargs):
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                req_services.answer_information_request(
                    user=request.user,
                    request_record=self.object,
                    answered_on=form.cleaned_data["answered_on"],
                    summary=form.cleaned_data["summary"],
                )
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, _("Antwoord vastgelegd."))
                return redirect("toezicht-request-detail", reference=self.object.reference)
        return self.render_to_response(self.get_context_data(object=self.object, form=form), status=400)


# --- Disclosures (art. 5.2.4 Wmo 2015) ----------------------------------------------------------------------------


class DisclosureListView(SupervisorPageMixin, ListView):
    """The register of disclosures to a college: the only way case data leave the supervisors."""

    model = Disclosure
    template_name = "toezicht/disclosure_list.html"
    context_object_name = "disclosures"
    paginate_by = 50

    def get_queryset(self):
        return req_services.disclosures_for(user=self.request.user)

    def make_form(self, data=None):
        supervised = self.supervised()
        if not supervised:
            return None
        return DisclosureForm(
            data,
            municipalities=supervised,
            requests=InformationRequest.objects.restrict(self.request.user, CHANGE).order_by("-received_on")[:200],
            investigations=Investigation.objects.visible_to(self.request.user).order_by("-started_on")[:200],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or self.make_form()
        return context

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            record = investigation = None
            if data["request"]:
                record = get_for_user_or_404(
                    InformationRequest.objects.visible_to(request.user), request.user, reference=data["request"]
                )
            if data["investigation"]:
                investigation = get_for_user_or_404(
                    Investigation.objects.visible_to(request.user), request.user, reference=data["investigation"]
                )
            try:
                disclosure = req_services.record_disclosure(
                    user=request.user,
                    municipality=self.chosen(data["municipality"]),
                    recipient=data["recipient"],
                    legal_basis=data["legal_basis"],
                    data_disclosed=data["data_disclosed"],
                    purpose=data["purpose"],
                    disclosed_on=data["disclosed_on"],
                    request_record=record,
                    investigation=investigation,
                    request=request,
                )
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, _("Verstrekking %(ref)s vastgelegd.") % {"ref": disclosure.reference})
                return redirect("toezicht-disclosure-detail", reference=disclosure.reference)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


class DisclosureDetailView(TenantViewMixin, DetailView):
    model = Disclosure
    template_name = "toezicht/disclosure_detail.html"
    context_object_name = "disclosure"
    slug_field = "reference"
    slug_url_kwarg = "reference"
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return Disclosure.objects.visible_to(self.request.user).select_related(
            "municipality", "request", "investigation", "disclosed_by"
        )

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        req_services.read_disclosure(user=request.user, disclosure=self.object, request=request)
        return self.render_to_response(self.get_context_data(object=self.object))

"""Pages of agreements, mandates, meetings and deadlines (issue #4). Every queryset goes through the tenancy module:
another region's agreement answers 404."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from agreements import calendar as ical
from agreements import services
from agreements.documents import add_document, max_bytes
from agreements.models import (
    Accession,
    Agreement,
    Amendment,
    CalendarToken,
    Document,
    DocumentKind,
    ExtraMeetingRequest,
    Mandate,
    Meeting,
    Notice,
    NoticeKind,
    Party,
    PlanObligation,
    Power,
)
from agreements.services import earliest_exit, meeting_compliance
from regio.bounds import PlausibleDate, page_year
from regio.deadlines import deadlines_for
from regio.models import Municipality, PopulationFigure, Region
from regio.pagination import PaginatedListMixin
from regio.tenancy import CHANGE, VIEW, TenantViewMixin, can, get_for_user_or_404, scope_of


class AgreementListView(PaginatedListMixin, TenantViewMixin, ListView):
    model = Agreement
    template_name = "agreements/agreement_list.html"
    context_object_name = "agreements"

    def get_queryset(self):
        return super().get_queryset().select_related("region", "coordinator")


class WhatIfForm(forms.Form):
    opzegging = forms.DateField(
        validators=[PlausibleDate()],
        label=_("Als wij de opzegging laten ontvangen op"),
        help_text=_("Datum als dd-mm-jjjj of jjjj-mm-dd. Bij WM-2015: de datum van bekendmaking van het besluit."),
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
        error_messages={"invalid": _("Geef een geldige datum, bijvoorbeeld 01-06-2027.")},
    )

    def clean_opzegging(self):
        value = self.cleaned_data["opzegging"]
        if not 1900 <= value.year <= 2200:
            raise ValidationError(_("Geef een datum tussen 1900 en 2200."))
        return value


class AgreementDetailView(TenantViewMixin, DetailView):
    model = Agreement
    template_name = "agreements/agreement_detail.html"
    slug_field = "code"
    slug_url_kwarg = "code"
    context_object_name = "agreement"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("region", "coordinator", "replaces", "elaborates")
            .prefetch_related(
                Prefetch(
                    "parties", queryset=Party.objects.visible_to(self.request.user).select_related("municipality")
                )
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = self.object
        user = self.request.user
        what_if = None
        form = WhatIfForm(self.request.GET or None)
        if form.is_bound and form.is_valid():
            what_if = earliest_exit(agreement=agreement, notice_received=form.cleaned_data["opzegging"])
        year = timezone.localdate().year
        context.update(
            form=form,
            what_if=what_if,
            timeline=self.timeline(agreement),
            mandates=Mandate.objects.visible_to(user)
            .filter(agreement=agreement)
            .select_related("mandating", "mandated"),
            documents=Document.objects.visible_to(user).filter(agreement=agreement),
            elaborations=Agreement.objects.visible_to(user).filter(elaborates=agreement),
            notices=Notice.objects.visible_to(user).filter(agreement=agreement).select_related("municipality"),
            accessions=Accession.objects.visible_to(user).filter(agreement=agreement).select_related("municipality"),
            amendments=Amendment.objects.visible_to(user).filter(agreement=agreement),
            extra_requests=ExtraMeetingRequest.objects.visible_to(user).filter(agreement=agreement),
            plans=PlanObligation.objects.visible_to(user).filter(agreement=agreement).prefetch_related("submissions"),
            compliance=[meeting_compliance(agreement=agreement, year=y) for y in (year - 1, year)]
            if agreement.meeting_requirements.exists()
            else [],
            can_change=can(user, CHANGE, agreement),
            current_year=year,
        )
        return context

    def timeline(self, agreement: Agreement) -> list[dict]:
        """Signing, parties joining and leaving, addenda, notices and other recorded steps, oldest first."""
        items: list[dict] = []
        if agreement.effective_from:
            items.append({"on": agreement.effective_from, "text": _("In werking"), "article": ""})
        for party in agreement.parties.all():
            if party.college_decision_on:
                items.append({"on": party.college_decision_on, "text": f"Collegebesluit {party.name}", "article": ""})
            if party.signed_on:
                who = f" ({party.signatory})" if party.signatory else ""
                items.append({"on": party.signed_on, "text": f"Ondertekend door {party.name}{who}", "article": ""})
            if party.joined_on:
                items.append({"on": party.joined_on, "text": f"{party.name} treedt toe", "article": ""})
            if party.left_on:
                items.append({"on": party.left_on, "text": f"{party.name} is geen partij meer", "article": ""})
        for event in agreement.events.visible_to(self.request.user):
            items.append({"on": event.on, "text": event.action, "article": event.article})
        for amendment in agreement.amendments.visible_to(self.request.user):
            if amendment.effective_from:
                items.append(
                    {"on": amendment.effective_from, "text": f"Addendum in werking: {amendment.title}", "article": ""}
                )
        if agreement.effective_until:
            items.append({"on": agreement.effective_until, "text": _("Laatste dag in werking"), "article": ""})
        return sorted(items, key=lambda i: i["on"])


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=300)
    kind = forms.ChoiceField(label=_("Soort"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("Bestand (PDF)"), help_text=_("Alleen PDF, hoogstens 10 MB."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise ValidationError(_("Het bestand is te groot: hoogstens %(mb)s MB.") % {"mb": max_bytes() // 2**20})
        return upload


class DocumentUploadView(TenantViewMixin, FormView):
    """The coordinating staff add a signed PDF or annex; each upload with the same title is a new version."""

    model = Agreement
    template_name = "agreements/document_upload.html"
    form_class = DocumentForm

    def dispatch(self, request, *args, **kwargs):
        if not scope_of(request.user).authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.agreement = get_for_user_or_404(
            Agreement.objects.visible_to(request.user), request.user, VIEW, code=kwargs["code"]
        )
        if not can(request.user, CHANGE, self.agreement):
            raise PermissionDenied(_("Alleen de coördinerende gemeente voegt documenten toe."))
        return super().dispatch(request, *args, **kwargs)

    def permission_target(self):
        return self.agreement

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            subject=self.agreement, back_url=reverse("agreement-detail", args=[self.agreement.code]), **kwargs
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            document = add_document(
                user=self.request.user,
                agreement=self.agreement,
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                name=upload.name,
                content=upload.read(),
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("%(doc)s is opgeslagen.") % {"doc": document})
        return redirect("agreement-detail", code=self.agreement.code)


class DocumentDownloadView(TenantViewMixin, View):
    """Private media: only who may see the document's region gets the file."""

    model = Document

    def get(self, request, pk: int):
        document = get_for_user_or_404(Document.objects.visible_to(request.user), request.user, VIEW, pk=pk)
        try:
            with document.file.open("rb") as fh:
                content = fh.read()
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = HttpResponse(content, content_type="application/pdf")
        safe = "".join(c for c in document.original_name if c.isalnum() or c in " ._-") or "document.pdf"
        response["Content-Disposition"] = f'attachment; filename="{safe}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


class MandateListView(PaginatedListMixin, TenantViewMixin, ListView):
    """The register of mandates (WM-SO 4.12, 15.3; BNO 5)."""

    model = Mandate
    template_name = "agreements/mandate_list.html"
    context_object_name = "mandates"

    def get_queryset(self):
        return super().get_queryset().select_related("agreement", "mandating", "mandated")

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), powers=Power, **kwargs)


class MeetingComplianceView(TenantViewMixin, TemplateView):
    """Meetings held against each agreement's minimum frequency (WM-SO 3; BNO 8.2) for a year."""

    model = Agreement
    template_name = "agreements/meeting_compliance.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = page_year(self.request.GET.get("jaar"))
        agreements = (
            Agreement.objects.visible_to(self.request.user)
            .filter(meeting_requirements__isnull=False)
            .distinct()
            .select_related("region")
        )
        meetings = (
            Meeting.objects.visible_to(self.request.user)
            .filter(date__year=year)
            .select_related("region", "agreement")
            .prefetch_related(Prefetch("documents", queryset=Document.objects.visible_to(self.request.user)))
        )
        context.update(
            year=year,
            is_current_year=year == timezone.localdate().year,
            results=[meeting_compliance(agreement=a, year=year) for a in agreements],
            meetings=meetings,
            can_change_regions={m.region_id for m in meetings if can(self.request.user, CHANGE, m)},
        )
        return context


class DeadlinesView(TenantViewMixin, TemplateView):
    """What is due for my municipality in the next 90 days, overdue first."""

    model = Agreement
    template_name = "agreements/deadlines.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            deadlines=deadlines_for(self.request.user), today=timezone.localdate(), **kwargs
        )


class DeadlineFeedView(View):
    """The iCalendar feed: with ``?token=`` for Outlook (no session; an unknown or revoked token answers 404), or for
    the logged-in person. Without either it asks to log in."""

    def get(self, request):
        raw = request.GET.get("token")
        if raw is not None:
            user = ical.user_for_token(raw)
            if user is None:
                raise Http404
        elif scope_of(request.user).authenticated:
            user = request.user
        else:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        response = HttpResponse(ical.build_ics(user), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="regio-wmo-termijnen.ics"'
        response["Cache-Control"] = "private, no-store"
        return response


class CalendarTokenForm(forms.Form):
    label = forms.CharField(label=_("Naam van het abonnement"), max_length=100, required=False)


class CalendarSubscriptionView(TenantViewMixin, FormView):
    """Make or revoke one's own secret calendar URLs."""

    model = CalendarToken
    template_name = "agreements/calendar_subscription.html"
    form_class = CalendarTokenForm
    # A token is the user's own key to the deadlines it may already see: making or revoking one is no act for a
    # region (revoking re-checks the token itself, restricted to CHANGE).
    method_actions = {"POST": VIEW}

    def permission_target(self):
        return self.own_municipality()

    def get_context_data(self, **kwargs):
        tokens = CalendarToken.objects.visible_to(self.request.user).filter(revoked_at__isnull=True)
        return super().get_context_data(tokens=tokens.order_by("-created_at"), **kwargs)

    def post(self, request, *args, **kwargs):
        revoke = request.POST.get("revoke")
        if revoke:
            token = get_for_user_or_404(
                CalendarToken.objects.restrict(request.user, CHANGE), request.user, CHANGE, pk=revoke
            )
            ical.revoke_token(user=request.user, token=token)
            messages.success(request, _("Het abonnement is ingetrokken; de oude link werkt niet meer."))
            return redirect("calendar-subscription")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        _token, raw = ical.create_token(user=self.request.user, label=form.cleaned_data["label"])
        url = self.request.build_absolute_uri(f"{_feed_path()}?token={raw}")
        return self.render_to_response(self.get_context_data(form=CalendarTokenForm(), new_url=url))


def _feed_path() -> str:
    return reverse("deadline-feed")


# --- notice workflow pages -------------------------------------------------------------------------------------


class NoticeForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Opzeggende gemeente"), queryset=None)
    kind = forms.ChoiceField(label=_("Soort"), choices=NoticeKind.choices)
    received_on = forms.DateField(
        validators=[PlausibleDate()],
        label=_("Ontvangen op"),
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
        help_text=_("Bij ontbinding: de datum van de schriftelijke ingebrekestelling (WM-SO 16.2)."),
    )
    registered_letter = forms.BooleanField(label=_("Per aangetekende brief"), required=False)
    letter_reference = forms.CharField(label=_("Kenmerk van de brief"), required=False, max_length=100)
    decision_announced_on = forms.DateField(
        validators=[PlausibleDate()],
        label=_("Uittredingsbesluit bekendgemaakt op"),
        required=False,
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
        help_text=_("Alleen waar de termijn vanaf het besluit loopt (WM-2015 6.5-6.6)."),
    )

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities


class CoordinatorAgreementMixin(TenantViewMixin):
    """Pages that change an agreement: visible → else 404; changeable → else 403."""

    model = Agreement

    def dispatch(self, request, *args, **kwargs):
        if scope_of(request.user).authenticated:
            self.agreement = get_for_user_or_404(
                Agreement.objects.visible_to(request.user), request.user, VIEW, code=kwargs["code"]
            )
            if not can(request.user, CHANGE, self.agreement):
                raise PermissionDenied(_("Alleen de coördinerende gemeente legt dit vast."))
        return super().dispatch(request, *args, **kwargs)

    def permission_target(self):
        return self.agreement


class NoticeCreateView(CoordinatorAgreementMixin, FormView):
    template_name = "agreements/notice_form.html"
    form_class = NoticeForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["municipalities"] = Municipality.objects.visible_to(self.request.user).filter(
            agreement_parties__agreement=self.agreement
        )
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(agreement=self.agreement, **kwargs)

    def form_valid(self, form):
        try:
            notice = services.receive_notice(user=self.request.user, agreement=self.agreement, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("De opzegging is vastgelegd."))
        return redirect("notice-detail", pk=notice.pk)


class NoticeDetailView(TenantViewMixin, DetailView):
    """A notice with its dated, attributed steps; the coordinating staff take the next step here."""

    model = Notice
    template_name = "agreements/notice_detail.html"
    context_object_name = "notice"

    def get_queryset(self):
        return super().get_queryset().select_related("agreement", "municipality")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            events=self.object.events.visible_to(self.request.user).select_related("by"),
            can_change=can(self.request.user, CHANGE, self.object),
            today=timezone.localdate(),
        )
        return context

    def post(self, request, pk: int):
        notice = get_for_user_or_404(Notice.objects.visible_to(request.user), request.user, VIEW, pk=pk)
        if not can(request.user, CHANGE, notice):
            raise PermissionDenied(_("Alleen de coördinerende gemeente legt dit vast."))
        step = request.POST.get("step")
        try:
            on = date.fromisoformat(request.POST.get("on") or timezone.localdate().isoformat())
        except ValueError:
            messages.error(request, _("Geef een geldige datum (jjjj-mm-dd)."))
            return redirect("notice-detail", pk=pk)
        steps = {
            "letter": lambda: services.add_registered_letter(
                user=request.user, notice=notice, on=on, reference=request.POST.get("reference", "")
            ),
            "register": lambda: services.register_notice(user=request.user, notice=notice, on=on),
            "effect": lambda: services.effect_notice(user=request.user, notice=notice, on=on),
            "withdraw": lambda: services.withdraw_notice(user=request.user, notice=notice, on=on),
        }
        if step not in steps:
            messages.error(request, _("Onbekende stap."))
            return redirect("notice-detail", pk=pk)
        try:
            steps[step]()
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("De stap is vastgelegd."))
        return redirect("notice-detail", pk=pk)


# --- accession and amendment pages -----------------------------------------------------------------------------


class AccessionForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Toetredende gemeente"), queryset=None)
    requested_on = forms.DateField(
        validators=[PlausibleDate()], label=_("Aangevraagd op"), input_formats=["%d-%m-%Y", "%Y-%m-%d"]
    )

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities


class AmendmentForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=300)
    description = forms.CharField(label=_("Omschrijving"), widget=forms.Textarea, required=False)
    is_addendum = forms.BooleanField(label=_("Als addendum aan de overeenkomst hechten"), required=False, initial=True)
    proposed_by = forms.ModelChoiceField(label=_("Voorgesteld door"), queryset=None)
    proposed_on = forms.DateField(
        validators=[PlausibleDate()], label=_("Voorgesteld op"), input_formats=["%d-%m-%Y", "%Y-%m-%d"]
    )

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposed_by"].queryset = municipalities


class _WorkflowCreateView(CoordinatorAgreementMixin, FormView):
    """Start a workflow on an agreement: the form's data go to one service; a refusal shows as a form error."""

    template_name = "agreements/simple_form.html"
    heading = ""
    detail_route = ""

    def municipalities(self):
        raise NotImplementedError

    def start(self, **data):
        raise NotImplementedError

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "municipalities": self.municipalities()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(agreement=self.agreement, heading=self.heading, **kwargs)

    def form_valid(self, form):
        try:
            started = self.start(user=self.request.user, agreement=self.agreement, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            return self.form_invalid(form)
        return redirect(self.detail_route, pk=started.pk)


class AccessionCreateView(_WorkflowCreateView):
    form_class = AccessionForm
    heading = _("Verzoek tot toetreding vastleggen")
    detail_route = "accession-detail"

    def municipalities(self):
        # Any municipality the user may see can ask to join (peers of the user's regions).
        return Municipality.objects.visible_to(self.request.user)

    def start(self, **data):
        return services.request_accession(**data)


class AmendmentCreateView(_WorkflowCreateView):
    form_class = AmendmentForm
    heading = _("Wijziging of addendum voorstellen")
    detail_route = "amendment-detail"

    def municipalities(self):
        return Municipality.objects.visible_to(self.request.user).filter(agreement_parties__agreement=self.agreement)

    def start(self, **data):
        return services.propose_amendment(**data)


class _DecisionSubjectView(TenantViewMixin, DetailView):
    """An accession or amendment with the decision of every current party; the coordinating staff record decisions
    and, once every party agreed, complete it."""

    template_name = "agreements/decision_subject.html"
    context_object_name = "subject"

    def get_queryset(self):
        return super().get_queryset().select_related("agreement")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        missing, against = services.missing_consents(subject=self.object, on=today)
        context.update(
            agreement=self.object.agreement,
            decisions=self.object.decisions.visible_to(self.request.user).select_related("municipality"),
            missing=missing,
            against=against,
            parties=services.current_parties(agreement=self.object.agreement, on=today),
            events=self.object.events.visible_to(self.request.user).select_related("by"),
            can_change=can(self.request.user, CHANGE, self.object),
            is_open=self.object.status in ("aangevraagd", "voorgesteld"),
            rule=self.rule(self.object.agreement),
            today=today,
        )
        return context

    def post(self, request, pk: int):
        subject = get_for_user_or_404(self.model.objects.visible_to(request.user), request.user, VIEW, pk=pk)
        if not can(request.user, CHANGE, subject):
            raise PermissionDenied(_("Alleen de coördinerende gemeente legt dit vast."))
        try:
            on = date.fromisoformat(request.POST.get("on") or timezone.localdate().isoformat())
            council = request.POST.get("council_consent_on")
            council_on = date.fromisoformat(council) if council else None
        except ValueError:
            messages.error(request, _("Geef een geldige datum (jjjj-mm-dd)."))
            return redirect(request.path)
        try:
            if request.POST.get("step") == "complete":
                self.complete(request, subject, on)
            else:
                municipality = get_for_user_or_404(
                    Municipality.objects.visible_to(request.user),
                    request.user,
                    VIEW,
                    pk=request.POST.get("municipality"),
                )
                services.record_decision(
                    user=request.user,
                    subject=subject,
                    municipality=municipality,
                    in_favour=request.POST.get("in_favour") == "ja",
                    decided_on=on,
                    council_consent_on=council_on,
                )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Vastgelegd."))
        return redirect(request.path)


class AccessionDetailView(_DecisionSubjectView):
    model = Accession

    def rule(self, agreement):
        return agreement.accession_rule

    def complete(self, request, subject, on):
        services.complete_accession(user=request.user, accession=subject, joined_on=on)


class AmendmentDetailView(_DecisionSubjectView):
    model = Amendment

    def rule(self, agreement):
        return agreement.amendment_rule

    def complete(self, request, subject, on):
        services.adopt_amendment(user=request.user, amendment=subject, adopted_on=on, effective_from=on)


class MinutesUploadView(TenantViewMixin, FormView):
    """The coordinating staff attach the minutes (a PDF) to a meeting; each upload with the same title is a new
    version."""

    model = Meeting
    template_name = "agreements/document_upload.html"
    form_class = DocumentForm

    def dispatch(self, request, *args, **kwargs):
        if scope_of(request.user).authenticated:
            self.meeting = get_for_user_or_404(
                Meeting.objects.visible_to(request.user), request.user, VIEW, pk=kwargs["pk"]
            )
            if not can(request.user, CHANGE, self.meeting):
                raise PermissionDenied(_("Alleen de coördinerende gemeente voegt verslagen toe."))
        return super().dispatch(request, *args, **kwargs)

    def permission_target(self):
        return self.meeting

    def get_initial(self):
        return {"title": f"Verslag {self.meeting}", "kind": DocumentKind.MINUTES}

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.meeting, back_url=reverse("meeting-compliance"), **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            add_document(
                user=self.request.user,
                meeting=self.meeting,
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                name=upload.name,
                content=upload.read(),
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("Het verslag is opgeslagen."))
        return redirect(f"{reverse('meeting-compliance')}?jaar={self.meeting.date.year}")


# --- extra meeting requests (BNO 8.3-8.4) -----------------------------------------------------------------------


class ExtraMeetingForm(forms.Form):
    subject = forms.CharField(label=_("Onderwerp"), max_length=300)


class ExtraMeetingCreateView(CoordinatorAgreementMixin, FormView):
    template_name = "agreements/simple_form.html"
    form_class = ExtraMeetingForm
    heading = _("Verzoek om extra bestuurlijk overleg")

    def get_context_data(self, **kwargs):
        return super().get_context_data(agreement=self.agreement, heading=self.heading, **kwargs)

    def form_valid(self, form):
        request = services.open_extra_meeting_request(
            user=self.request.user, agreement=self.agreement, subject=form.cleaned_data["subject"]
        )
        return redirect("extra-meeting-detail", pk=request.pk)


class ExtraMeetingDetailView(TenantViewMixin, DetailView):
    """Who asked, with which reasons; once a third asked, the date by which the meeting must be held."""

    model = ExtraMeetingRequest
    template_name = "agreements/extra_meeting.html"
    context_object_name = "request_obj"

    def get_queryset(self):
        return super().get_queryset().select_related("agreement")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        parties = services.current_parties(agreement=self.object.agreement, on=today)
        context.update(
            agreement=self.object.agreement,
            supports=self.object.supports.visible_to(self.request.user).select_related("municipality"),
            parties=parties,
            needed=services.extra_meeting_threshold(len(parties)),
            held=self.object.meetings.visible_to(self.request.user),
            can_change=can(self.request.user, CHANGE, self.object),
            today=today,
        )
        return context

    def post(self, request, pk: int):
        obj = get_for_user_or_404(ExtraMeetingRequest.objects.visible_to(request.user), request.user, VIEW, pk=pk)
        if not can(request.user, CHANGE, obj):
            raise PermissionDenied(_("Alleen de centrumgemeente legt verzoeken vast."))
        try:
            on = date.fromisoformat(request.POST.get("on") or timezone.localdate().isoformat())
            if request.POST.get("step") == "held":
                services.hold_extra_meeting(user=request.user, request=obj, on=on)
                messages.success(request, _("Het extra overleg is vastgelegd."))
                return redirect("extra-meeting-detail", pk=pk)
            municipality = get_for_user_or_404(
                Municipality.objects.visible_to(request.user), request.user, VIEW, pk=request.POST.get("municipality")
            )
            services.support_extra_meeting(
                user=request.user,
                request=obj,
                municipality=municipality,
                on=on,
                reasons=request.POST.get("reasons", ""),
            )
        except ValueError:
            messages.error(request, _("Geef een geldige datum (jjjj-mm-dd)."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Het verzoek is vastgelegd."))
        return redirect("extra-meeting-detail", pk=pk)


# --- ending an agreement; plans delivered ----------------------------------------------------------------------


class EndAgreementForm(forms.Form):
    last_day = forms.DateField(
        validators=[PlausibleDate()],
        label=_("Laatste dag in werking"),
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
        help_text=_("Mandaten eindigen mee (WM-SO 15.3); overeenkomsten die deze uitwerken ook (WM-DVO 8.4)."),
    )
    reason = forms.CharField(label=_("Reden"), max_length=300)


class AgreementEndView(CoordinatorAgreementMixin, FormView):
    template_name = "agreements/simple_form.html"
    form_class = EndAgreementForm
    heading = _("Overeenkomst beëindigen")

    def get_context_data(self, **kwargs):
        return super().get_context_data(agreement=self.agreement, heading=self.heading, **kwargs)

    def form_valid(self, form):
        try:
            services.end_agreement(user=self.request.user, agreement=self.agreement, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("De overeenkomst, haar mandaten en uitwerkingen zijn beëindigd."))
        return redirect("agreement-detail", code=self.agreement.code)


class PlanSubmitForm(forms.Form):
    year = forms.IntegerField(label=_("Jaar"), min_value=1900, max_value=2200)
    submitted_on = forms.DateField(
        validators=[PlausibleDate()],
        label=_("Ingediend op"),
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
        required=False,
        help_text=_("Leeg: vandaag."),
    )


class PlanSubmitView(CoordinatorAgreementMixin, FormView):
    """A plan or report was delivered for a year (BNO 6.1, 10.5; WM-SO 3.3, 12.1): it leaves the deadlines."""

    template_name = "agreements/simple_form.html"
    form_class = PlanSubmitForm

    def get_obligation(self):
        return get_for_user_or_404(
            PlanObligation.objects.visible_to(self.request.user),
            self.request.user,
            VIEW,
            pk=self.kwargs["pk"],
            agreement=self.agreement,
        )

    def get_initial(self):
        return {"year": timezone.localdate().year}

    def get_context_data(self, **kwargs):
        heading = _("Ingediend: %(title)s") % {"title": self.get_obligation().title}
        return super().get_context_data(agreement=self.agreement, heading=heading, **kwargs)

    def form_valid(self, form):
        obligation = self.get_obligation()
        try:
            services.submit_plan(
                user=self.request.user,
                obligation=obligation,
                year=form.cleaned_data["year"],
                submitted_on=form.cleaned_data["submitted_on"] or timezone.localdate(),
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("Vastgelegd als ingediend."))
        return redirect("agreement-detail", code=self.agreement.code)


# --- weighted vote (BNO 6.2) -----------------------------------------------------------------------------------


class WeightedVotePageView(TenantViewMixin, TemplateView):
    """Count a vote on the purchasing plan: more than half of the population on 1 January and at least four
    municipalities in favour (BNO 6.2). Nothing is stored; the page shows the count and its explanation."""

    model = Region
    template_name = "agreements/weighted_vote.html"

    def dispatch(self, request, *args, **kwargs):
        if scope_of(request.user).authenticated:
            self.region = get_for_user_or_404(
                Region.objects.visible_to(request.user), request.user, VIEW, code=kwargs["code"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        try:
            year = int(params.get("jaar") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        year = min(max(year, 1900), 2200)
        voters = services.voters_of(region=self.region, year=year)
        result = error = None
        chosen = params.getlist("voor")
        if "jaar" in params:
            try:
                result = services.weighted_vote(region=self.region, year=year, in_favour=chosen)
            except services.VoteError as exc:
                error = str(exc)
        figures = dict(
            PopulationFigure.objects.visible_to(self.request.user)
            .filter(municipality__in=voters, reference_date=date(year, 1, 1))
            .values_list("municipality_id", "inhabitants")
        )
        rows = [{"code": m.code, "name": m.name, "inhabitants": figures.get(m.pk)} for m in voters]
        context.update(region=self.region, year=year, voters=rows, chosen=set(chosen), result=result, error=error)
        return context

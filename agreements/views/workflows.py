"""Notice, accession and amendment pages (issue #4)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView

from agreements import services
from agreements.models import (
    Accession,
    Amendment,
    Notice,
    NoticeKind,
)
from agreements.views.agreements import CoordinatorAgreementMixin
from regio.bounds import PlausibleDate
from regio.models import Municipality
from regio.tenancy import CHANGE, VIEW, TenantViewMixin, can, get_for_user_or_404


def _optional_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


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
            needs_council=services.needs_withdrawal_consent(self.object),
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
            "college": lambda: services.record_withdrawal_decision(
                user=request.user,
                notice=notice,
                council_consent_on=_optional_date(request.POST.get("council_consent_on")) or on,
                college_decision_on=on,
            ),
        }
        try:
            _optional_date(request.POST.get("council_consent_on"))
        except ValueError:
            messages.error(request, _("Geef een geldige datum (jjjj-mm-dd)."))
            return redirect("notice-detail", pk=pk)
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
            step = request.POST.get("step")
            if step == "complete":
                self.complete(request, subject, on)
            elif step in ("advice", "send") and self.model is Amendment:
                # BNO 13.2: the portfolio holders' positive advice, then the proposal to the colleges.
                if step == "advice":
                    services.record_amendment_advice(user=request.user, amendment=subject, advised_on=on)
                else:
                    services.send_amendment_to_colleges(user=request.user, amendment=subject, sent_on=on)
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

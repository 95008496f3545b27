"""Agreement pages: list, detail with the what-if exit, ending an agreement (issue #4)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView

from agreements import selectors, services
from agreements.models import (
    Accession,
    Agreement,
    Amendment,
    Document,
    ExtraMeetingRequest,
    Mandate,
    Notice,
    PlanObligation,
)
from agreements.services import earliest_exit, meeting_compliance
from agreements.settlement_calendar import calendar_payload
from regio.bounds import PlausibleDate
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
        return selectors.with_parties(super().get_queryset(), user=self.request.user)

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
            settlement_calendar=calendar_payload(user, agreement, year),  # issue 12
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

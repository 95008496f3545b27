"""Governance pages of an agreement (issue #15): the overview, information requests and progress reports (BNO 10),
publications (BNO 23; Wgr art. 26), transfers of rights (WM-SO 12.4), the privacy agreements register (WM-SO
11.1-11.2) and a meeting with its disputes and attendance (WM-SO 14.3; BNO 8.1, 9.4-9.5)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from agreements import selectors, services
from agreements.models import (
    Agreement,
    Dispute,
    InformationKind,
    InformationRequest,
    Meeting,
    ProcessingAgreement,
    ProgressReport,
    Publication,
    PublicationMedium,
    RightsTransfer,
    Subregion,
    TransferStatus,
)
from agreements.views.steps import AgreementCreateView, PartiesForm, StepDetailView, StepForm, date_field
from regio.models import Municipality
from regio.pagination import PaginatedListMixin
from regio.tenancy import CHANGE, TenantViewMixin, can


class AgreementGovernanceView(TenantViewMixin, DetailView):
    """Everything of an agreement's governance on one page, each list as far as the user may see it."""

    model = Agreement
    template_name = "agreements/governance.html"
    slug_field = "code"
    slug_url_kwarg = "code"
    context_object_name = "agreement"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            selectors.governance_of(self.request.user, self.object),
            can_change=can(self.request.user, CHANGE, self.object),
            needs_publication=services.needs_publication(self.object),
        )
        return context


# --- information requests and progress reports (BNO 10) ---------------------------------------------------------


class InformationRequestForm(PartiesForm):
    party_fields = ("requested_by", "addressed_to")
    kind = forms.ChoiceField(label=_("Soort"), choices=InformationKind.choices)
    requested_by = forms.ModelChoiceField(label=_("Gevraagd door"), queryset=None)
    addressed_to = forms.ModelChoiceField(label=_("Gevraagd aan"), queryset=None)
    subject = forms.CharField(label=_("Onderwerp"), max_length=300)
    requested_on = date_field(_("Gevraagd op"))
    due_on = date_field(_("Uiterlijk te leveren op"))


class InformationRequestCreateView(AgreementCreateView):
    form_class = InformationRequestForm
    heading = _("Informatie of gegevens vragen")
    detail_route = "information-request-detail"
    service = services.request_information


class AnswerForm(StepForm):
    title = _("Levering vastleggen")
    answered_on = date_field(_("Geleverd op"))
    answer = forms.CharField(label=_("Wat is geleverd"), widget=forms.Textarea, max_length=10_000)

    def applies(self, obj):
        return obj.answered_on is None

    def perform(self, user, obj):
        services.answer_information_request(user=user, request=obj, **self.cleaned_data)


class InformationRequestDetailView(StepDetailView):
    model = InformationRequest
    template_name = "agreements/information_request.html"
    context_object_name = "item"
    steps = {"levering": AnswerForm}

    def get_queryset(self):
        return super().get_queryset().select_related("agreement", "requested_by", "addressed_to")


class ProgressReportForm(PartiesForm):
    title = forms.CharField(label=_("Titel"), max_length=300)
    period = forms.CharField(label=_("Periode"), max_length=100, required=False)
    due_on = date_field(_("Uiterlijk aan de colleges op"))


class ProgressReportCreateView(AgreementCreateView):
    form_class = ProgressReportForm
    heading = _("Voortgangsrapportage plannen (BNO 10.4)")
    detail_route = "progress-report-detail"
    service = services.plan_progress_report


class SendReportForm(StepForm):
    title = _("Ter kennisname aan de colleges (BNO 10.4)")
    button = _("Verzonden")
    sent_on = date_field(_("Aan de colleges gezonden op"))

    def applies(self, obj):
        return obj.sent_on is None

    def perform(self, user, obj):
        services.send_progress_report(user=user, report=obj, **self.cleaned_data)


class ProgressReportDetailView(StepDetailView):
    model = ProgressReport
    template_name = "agreements/progress_report.html"
    context_object_name = "item"
    steps = {"verzenden": SendReportForm}


# --- publication (BNO 23; Wgr art. 26) --------------------------------------------------------------------------


class PublicationForm(PartiesForm):
    title = forms.CharField(label=_("Wat wordt bekendgemaakt"), max_length=300)
    due_on = date_field(_("Uiterlijk bekend te maken op"))


class PublicationCreateView(AgreementCreateView):
    form_class = PublicationForm
    heading = _("Bekendmaking plannen (BNO 23; art. 26 Wgr)")
    detail_route = "publication-detail"
    service = services.plan_publication


class PublishForm(StepForm):
    title = _("Bekendmaking vastleggen")
    published_on = date_field(_("Bekendgemaakt op"))
    medium = forms.ChoiceField(label=_("Waar"), choices=PublicationMedium.choices)
    reference = forms.CharField(label=_("Vindplaats"), max_length=200, help_text=_("Bijvoorbeeld Gmb. 2026, 12345."))
    sent_to_province_on = date_field(_("Toegezonden aan Gedeputeerde Staten op (BNO 23.2)"), required=False)

    def applies(self, obj):
        return obj.published_on is None

    def perform(self, user, obj):
        services.record_publication(user=user, publication=obj, **self.cleaned_data)


class PublicationDetailView(StepDetailView):
    model = Publication
    template_name = "agreements/publication.html"
    context_object_name = "item"
    steps = {"bekendmaking": PublishForm}


# --- transfer of rights (WM-SO 12.4) ----------------------------------------------------------------------------


class TransferForm(PartiesForm):
    party_fields = ("municipality",)
    municipality = forms.ModelChoiceField(label=_("Overdragende gemeente"), queryset=None)
    transferee = forms.CharField(label=_("Aan (derde)"), max_length=300)
    description = forms.CharField(label=_("Welke rechten en verplichtingen"), widget=forms.Textarea, max_length=10_000)
    requested_on = date_field(_("Aangevraagd op"))


class TransferCreateView(AgreementCreateView):
    form_class = TransferForm
    heading = _("Verzoek tot overdracht van rechten (WM-SO 12.4)")
    detail_route = "transfer-detail"
    service = services.request_transfer


class ConsentForm(StepForm):
    title = _("Schriftelijke toestemming van een andere gemeente")
    municipality = forms.ModelChoiceField(label=_("Gemeente"), queryset=None)
    in_favour = forms.TypedChoiceField(
        label=_("Besluit"), choices=[("ja", _("Stemt in")), ("nee", _("Stemt niet in"))], coerce=lambda v: v == "ja"
    )
    decided_on = date_field(_("Datum van de brief"))
    reference = forms.CharField(label=_("Kenmerk"), max_length=100, required=False)

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities

    def applies(self, obj):
        return obj.status == TransferStatus.REQUESTED

    def perform(self, user, obj):
        services.record_transfer_consent(user=user, transfer=obj, **self.cleaned_data)


class CompleteTransferForm(StepForm):
    title = _("Overdracht vastleggen")
    transferred_on = date_field(_("Overgedragen per"))

    def applies(self, obj):
        return obj.status == TransferStatus.REQUESTED

    def perform(self, user, obj):
        services.complete_transfer(user=user, transfer=obj, **self.cleaned_data)


class TransferDetailView(StepDetailView):
    model = RightsTransfer
    template_name = "agreements/transfer.html"
    context_object_name = "item"
    steps = {"toestemming": ConsentForm, "overdracht": CompleteTransferForm}

    def get_queryset(self):
        return super().get_queryset().select_related("agreement", "municipality")

    def form_kwargs(self, name):
        if name == "toestemming":
            return {
                "municipalities": Municipality.objects.visible_to(self.request.user)
                .filter(agreement_parties__agreement=self.object.agreement)
                .exclude(pk=self.object.municipality_id)
            }
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["consents"] = self.object.consents.visible_to(self.request.user).select_related("municipality")
        return context


# --- privacy agreements (WM-SO 11.1-11.2) -----------------------------------------------------------------------


class ProcessingAgreementListView(PaginatedListMixin, TenantViewMixin, ListView):
    model = ProcessingAgreement
    template_name = "agreements/processing_agreements.html"
    context_object_name = "processing_agreements"

    def get_queryset(self):
        return selectors.processing_agreements_with_parties(super().get_queryset(), user=self.request.user)


# --- a meeting: its disputes and who attended on whose behalf (WM-SO 14.3; BNO 9) ---------------------------------


class AttendanceForm(StepForm):
    title = _("Aanwezige toevoegen")
    button = _("Toevoegen")
    name = forms.CharField(label=_("Naam"), max_length=200)
    function = forms.CharField(label=_("Functie"), max_length=200, required=False)
    municipality = forms.ModelChoiceField(label=_("Gemeente"), queryset=None)
    subregion = forms.ModelChoiceField(label=_("Namens subregio"), queryset=None, required=False)

    def __init__(self, *args, municipalities=None, subregions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["subregion"].queryset = subregions

    def perform(self, user, obj):
        services.record_attendance(user=user, meeting=obj, **self.cleaned_data)


class MeetingDetailView(StepDetailView):
    model = Meeting
    template_name = "agreements/meeting_detail.html"
    context_object_name = "meeting"
    steps = {"aanwezig": AttendanceForm}

    def form_kwargs(self, name):
        user = self.request.user
        return {
            "municipalities": Municipality.objects.visible_to(user)
            .filter(memberships__region=self.object.region_id)
            .distinct(),
            "subregions": Subregion.objects.visible_to(user).filter(agreement__region=self.object.region_id),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            attendance=services.represented_by(self.object),
            disputes=Dispute.objects.visible_to(user).filter(meeting=self.object).select_related("agreement"),
        )
        return context

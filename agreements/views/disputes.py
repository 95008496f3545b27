"""Dispute pages: the list, reporting a dispute, and its detail with the joint decision, escalation and booking the
legal-advice costs (WM-SO 14.2-14.4, 6.1 c/g; BNO 17 with art. 28 Wgr; MH 10.4). Only the parties of the agreement
see a dispute; another party's or region's dispute answers 404."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from agreements import selectors, services
from agreements.models import Dispute, DisputeStatus, EscalationRoute, LegalCostCategory, LegalCostSplit
from agreements.views.steps import AgreementCreateView, PartiesForm, StepDetailView, StepForm, date_field
from regio.amounts import AmountField
from regio.pagination import PaginatedListMixin
from regio.tenancy import TenantViewMixin


class DisputeListView(PaginatedListMixin, TenantViewMixin, ListView):
    model = Dispute
    template_name = "agreements/dispute_list.html"
    context_object_name = "disputes"

    def get_queryset(self):
        return selectors.disputes_with_agreement(super().get_queryset(), user=self.request.user)


class DisputeForm(PartiesForm):
    party_fields = ("raised_by",)
    raised_by = forms.ModelChoiceField(label=_("Gemeld door (partij)"), queryset=None)
    reported_on = date_field(_("Schriftelijk gemeld op"))
    letter_reference = forms.CharField(label=_("Kenmerk van de brief"), required=False, max_length=100)
    subject = forms.CharField(label=_("Onderwerp"), max_length=300)
    reasons = forms.CharField(
        label=_("Onderbouwing"),
        widget=forms.Textarea,
        max_length=10_000,
        help_text=_("WM-SO 14.2: schriftelijk met deugdelijke onderbouwing."),
    )


class DisputeCreateView(AgreementCreateView):
    form_class = DisputeForm
    heading = _("Geschil melden")
    detail_route = "dispute-detail"
    service = services.report_dispute


class DecideForm(StepForm):
    title = _("Gezamenlijk besluit in het bestuurlijk overleg (WM-SO 14.3)")
    decided_on = date_field(_("Besloten op"))
    resolved = forms.TypedChoiceField(
        label=_("Uitkomst"),
        choices=[("ja", _("Opgelost")), ("nee", _("Geen oplossing bereikt"))],
        coerce=lambda v: v == "ja",
    )
    decision = forms.CharField(label=_("Besluit"), widget=forms.Textarea, max_length=10_000)
    best_practices = forms.CharField(
        label=_("Best practices"), widget=forms.Textarea, max_length=10_000, required=False
    )
    legal_costs_split = forms.ChoiceField(label=_("Kosten juridisch advies"), choices=LegalCostSplit.choices)
    legal_costs_amount = AmountField(label=_("Bedrag kosten juridisch advies"), required=False)
    legal_costs_category = forms.ChoiceField(
        label=_("Kostensoort (bij verdeling via de samenwerking)"),
        choices=[("", "—"), *LegalCostCategory.choices],
        required=False,
    )

    def applies(self, obj):
        return obj.status in (DisputeStatus.REPORTED, DisputeStatus.ON_AGENDA) and obj.meeting_id is not None

    def perform(self, user, obj):
        services.decide_dispute(user=user, dispute=obj, **self.cleaned_data)


class EscalateForm(StepForm):
    title = _("Voorleggen (WM-SO 14.4; MH 10.4; art. 28 Wgr)")
    button = _("Voorleggen")
    route = forms.ChoiceField(label=_("Route"), choices=EscalationRoute.choices)
    started_on = date_field(_("Voorgelegd op"))
    forum = forms.CharField(label=_("Instantie"), required=False, max_length=200)
    reference = forms.CharField(label=_("Kenmerk"), required=False, max_length=100)

    def __init__(self, *args, routes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"].choices = [(r, EscalationRoute(r).label) for r, *_rest in routes]

    def applies(self, obj):
        return obj.status == DisputeStatus.UNRESOLVED or (
            obj.status == DisputeStatus.ESCALATED and all(e.ended_on for e in obj.escalations.all())
        )

    def perform(self, user, obj):
        services.escalate_dispute(user=user, dispute=obj, **self.cleaned_data)


class EndEscalationForm(StepForm):
    title = _("Uitkomst van de escalatie")
    ended_on = date_field(_("Afgerond op"))
    outcome = forms.CharField(label=_("Uitkomst"), widget=forms.Textarea, max_length=10_000)
    closes = forms.BooleanField(label=_("Hiermee is het geschil afgesloten"), required=False)

    def applies(self, obj):
        return any(e.ended_on is None for e in obj.escalations.all())

    def perform(self, user, obj):
        running = next(e for e in obj.escalations.all() if e.ended_on is None)
        services.end_escalation(user=user, escalation=running, **self.cleaned_data)


class BookCostsForm(StepForm):
    title = _("Kosten juridisch advies in de afrekening opnemen (WM-SO 6.1 c/g)")
    button = _("Boeken")
    booked_on = date_field(_("Boekingsdatum"), help_text=_("Het jaar van deze datum krijgt de kostenregel."))

    def applies(self, obj):
        return obj.legal_costs_split == LegalCostSplit.RECKONING and not obj.legal_costs_booked_on

    def perform(self, user, obj):
        services.book_legal_costs(user=user, dispute=obj, **self.cleaned_data)


class DisputeDetailView(StepDetailView):
    model = Dispute
    template_name = "agreements/dispute_detail.html"
    context_object_name = "dispute"
    steps = {"besluit": DecideForm, "escaleren": EscalateForm, "uitkomst": EndEscalationForm, "boeken": BookCostsForm}

    def get_queryset(self):
        return selectors.disputes_with_agreement(super().get_queryset(), user=self.request.user)

    def form_kwargs(self, name):
        if name == "escaleren":
            return {"routes": services.escalation_routes(self.object.agreement)}
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["routes"] = [
            (EscalationRoute(r).label, article, forum)
            for r, article, forum in services.escalation_routes(self.object.agreement)
        ]
        return context

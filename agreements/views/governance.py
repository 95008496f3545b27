"""Mandates, meetings and minutes, extra meeting requests, plans delivered, weighted vote (BNO 6.2, 8)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView, TemplateView

from agreements import selectors, services
from agreements.documents import add_document
from agreements.models import (
    Agreement,
    Document,
    DocumentKind,
    ExtraMeetingRequest,
    Mandate,
    Meeting,
    PlanObligation,
    Power,
)
from agreements.services import meeting_compliance
from agreements.views.agreements import CoordinatorAgreementMixin
from agreements.views.documents import DocumentForm
from regio.bounds import PlausibleDate, page_year
from regio.models import Municipality, PopulationFigure, Region
from regio.pagination import PaginatedListMixin
from regio.tenancy import CHANGE, VIEW, TenantViewMixin, can, get_for_user_or_404, scope_of


class MandateListView(PaginatedListMixin, TenantViewMixin, ListView):
    """The register of mandates (WM-SO 4.12, 15.3; BNO 5)."""

    model = Mandate
    template_name = "agreements/mandate_list.html"
    context_object_name = "mandates"

    def get_queryset(self):
        return selectors.mandates_with_parties(super().get_queryset())

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), powers=Power, **kwargs)


class MeetingComplianceView(TenantViewMixin, TemplateView):
    """Meetings held against each agreement's minimum frequency (WM-SO 3; BNO 8.2) for a year."""

    model = Agreement
    template_name = "agreements/meeting_compliance.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = page_year(self.request.GET.get("jaar"), default=self.default_year())
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

    def default_year(self) -> int:
        """Without ``?jaar=``: this year if it has a meeting yet, else the latest year that has one (it opened on an
        empty year in January while the meetings were all in the year before; issue 17)."""
        this_year = timezone.localdate().year
        visible = Meeting.objects.visible_to(self.request.user)
        if visible.filter(date__year=this_year).exists():
            return this_year
        latest = visible.filter(date__year__lt=this_year).order_by("-date").values_list("date", flat=True).first()
        return latest.year if latest else this_year


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
            if not services.has_weighted_vote(self.region):  # offered only where the agreement has the rule
                raise Http404
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

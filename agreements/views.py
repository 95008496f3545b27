"""Pages of agreements, mandates, meetings and deadlines (issue #4). Every queryset goes through the tenancy module:
another region's agreement answers 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from agreements import calendar as ical
from agreements.documents import add_document, max_bytes
from agreements.models import (
    Agreement,
    CalendarToken,
    Document,
    DocumentKind,
    Mandate,
    Party,
    Power,
)
from agreements.services import earliest_exit, meeting_compliance
from regio.deadlines import deadlines_for
from regio.tenancy import CHANGE, VIEW, TenantViewMixin, can, get_for_user_or_404, scope_of


class AgreementListView(TenantViewMixin, ListView):
    model = Agreement
    template_name = "agreements/agreement_list.html"
    context_object_name = "agreements"

    def get_queryset(self):
        return super().get_queryset().select_related("region", "coordinator")


class WhatIfForm(forms.Form):
    opzegging = forms.DateField(
        label=_("Als wij de opzegging laten ontvangen op"),
        help_text=_("Datum als dd-mm-jjjj of jjjj-mm-dd. Bij WM-2015: de datum van bekendmaking van het besluit."),
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
        error_messages={"invalid": _("Geef een geldige datum, bijvoorbeeld 01-06-2027.")},
    )


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
            compliance=[meeting_compliance(agreement=agreement, year=y) for y in (year - 1, year)]
            if agreement.meeting_requirements.exists()
            else [],
            can_change=can(user, agreement, CHANGE),
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
        if not can(request.user, self.agreement, CHANGE):
            raise PermissionDenied(_("Alleen de coördinerende gemeente voegt documenten toe."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(agreement=self.agreement, **kwargs)

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


class MandateListView(TenantViewMixin, ListView):
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
        try:
            year = int(self.request.GET.get("jaar") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        year = min(max(year, 2000), 2100)
        agreements = (
            Agreement.objects.visible_to(self.request.user)
            .filter(meeting_requirements__isnull=False)
            .distinct()
            .select_related("region")
        )
        context.update(year=year, results=[meeting_compliance(agreement=a, year=year) for a in agreements])
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
    from django.urls import reverse

    return reverse("deadline-feed")

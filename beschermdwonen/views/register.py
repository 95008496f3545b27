"""Pages of the beschermd-wonen register (SPEC §7). Every read of a client file is in the access log."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView, View

from agreements.selectors import processing_agreements_for
from beschermdwonen import selectors, services
from beschermdwonen.forms import AssessmentForm, ClientForm, HoursForm, MoveForm, NotificationForm, ReportForm
from beschermdwonen.models import Assessment, Client, Disagreement, Notification
from regio.models import Region, log_access
from regio.tenancy import CHANGE, TenantViewMixin, can, get_for_user_or_404, scope_of

PAGE_SIZE = 50


def _field_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class ClientListView(TenantViewMixin, TemplateView):
    """The register as far as the user may see it: the access team the whole region, a member's bw staff its own
    residents, everybody else nothing (counts are on the counts page)."""

    model = Client
    template_name = "beschermdwonen/client_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        clients = selectors.clients_for(self.request.user).order_by("reference")
        page = Paginator(clients, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            page_obj=page,
            paginator=page.paginator,
            today=timezone.localdate(),
            access_team=selectors.is_access_team(self.request.user),
            bw=scope_of(self.request.user).has_role("bw"),
            # WM-SO 11.2: under which privacy agreement these data are processed (issue 15).
            processing_agreements=processing_agreements_for(self.request.user, domain="beschermd_wonen"),
        )
        return context


class ClientCreateView(TenantViewMixin, TemplateView):
    """The access team registers a client (pseudonymous reference, residence, year of birth at most)."""

    model = Client
    template_name = "beschermdwonen/client_form.html"

    def region(self):
        region = selectors.access_team_regions(self.request.user).order_by("name").first()
        if region is None:
            raise PermissionDenied(services.NOT_ACCESS_TEAM)
        return region

    def check_permission(self, action):
        self.region()

    def members(self, region):
        return list(region.members_on(timezone.localdate()).order_by("name"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = self.region()
        context.update(region=region, form=kwargs.get("form") or ClientForm(municipalities=self.members(region)))
        return context

    def post(self, request, *args, **kwargs):
        region = self.region()
        members = self.members(region)
        form = ClientForm(request.POST, municipalities=members)
        if form.is_valid():
            data = form.cleaned_data
            try:
                client = services.register_client(
                    user=request.user,
                    region=region,
                    municipality=next(m for m in members if m.code == data["municipality"]),
                    valid_from=data["valid_from"],
                    reference=data["reference"],
                    birth_year=data["birth_year"],
                )
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, f"Cliënt {client.reference} is ingeschreven.")
                return redirect("bw-client-detail", reference=client.reference)
        return self.render_to_response(self.get_context_data(form=form))


class ClientDetailView(TenantViewMixin, TemplateView):
    """A client file: residence periods over time. Every read is written to the access log (SPEC §7)."""

    model = Client
    template_name = "beschermdwonen/client_detail.html"

    def get_object(self):
        return get_for_user_or_404(
            selectors.clients_for(self.request.user), self.request.user, reference=self.kwargs["reference"]
        )

    def members(self, client):
        return list(client.region.members_on(timezone.localdate()).order_by("name"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        client = getattr(self, "object", None) or self.get_object()
        today = timezone.localdate()
        current = client.residence_on(today)
        log_access(
            user=self.request.user,
            obj=client,
            municipality=current.municipality if current else None,
            request=self.request,
        )
        may_change = can(self.request.user, CHANGE, client) and client.closed_on is None
        start = selectors.objective_model_start(client.region)
        indications = [
            (ind, ind.classification(start))
            for ind in selectors.indications_for(self.request.user).filter(client=client)
        ]
        context.update(
            objective_start=start,
            indications=indications,
            replacements=list(selectors.replacements_for(self.request.user).filter(client=client)),
            disagreements=list(
                Disagreement.objects.visible_to(self.request.user).filter(client=client).order_by("-opened_on")
            ),
            client=client,
            current=current,
            residences=list(client.residences.all()),
            may_change=may_change,
            move_form=kwargs.get("move_form")
            or (MoveForm(municipalities=self.members(client)) if may_change else None),
        )
        return context

    def post(self, request, *args, **kwargs):
        client = self.object  # found and checked (CHANGE) in dispatch
        members = self.members(client)
        form = MoveForm(request.POST, municipalities=members)
        if form.is_valid():
            try:
                services.record_move(
                    user=request.user,
                    client=client,
                    municipality=next(m for m in members if m.code == form.cleaned_data["municipality"]),
                    valid_from=form.cleaned_data["valid_from"],
                )
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, "De verhuizing is vastgelegd.")
                return redirect("bw-client-detail", reference=client.reference)
        self.object = selectors.clients_for(request.user).get(pk=client.pk)
        return self.render_to_response(self.get_context_data(move_form=form))


class CountsView(TenantViewMixin, TemplateView):
    """Counts only, no record (portfolio holders, civil servants): clients resident per member on a date."""

    model = Client
    template_name = "beschermdwonen/counts.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        regions = Region.objects.visible_to(self.request.user).order_by("name")
        code = self.request.GET.get("regio") or (regions.first().code if regions.exists() else "")
        region = get_for_user_or_404(regions, self.request.user, code=code) if code else None
        on = timezone.localdate()
        rows = []
        if region is not None:
            counts = selectors.client_counts(region=region, on=on)
            rows = [(m, counts.get(m, 0)) for m in region.members_on(on).order_by("name")]
        if code and region is None:
            raise Http404
        context.update(regions=regions, region=region, on=on, rows=rows, total=sum(n for _m, n in rows))
        return context


class NotificationListView(TenantViewMixin, TemplateView):
    """Notifications as far as the user may see them, newest first, paginated."""

    model = Notification
    template_name = "beschermdwonen/notification_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        notifications = selectors.notifications_for(self.request.user)
        page = Paginator(notifications, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            page_obj=page, paginator=page.paginator, access_team=selectors.is_access_team(self.request.user)
        )
        return context


class NotificationCreateView(TenantViewMixin, TemplateView):
    """The access team records a notification for a client of its register."""

    model = Notification
    template_name = "beschermdwonen/notification_form.html"

    def check_permission(self, action):
        if not selectors.is_access_team(self.request.user):
            raise PermissionDenied(services.NOT_ACCESS_TEAM)

    def get(self, request, *args, **kwargs):
        self.check_permission(CHANGE)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        initial = {"client": self.request.GET.get("client", "")[:40]}
        context["form"] = kwargs.get("form") or NotificationForm(initial=initial)
        return context

    def post(self, request, *args, **kwargs):
        form = NotificationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            client = Client.objects.restrict(request.user, CHANGE).filter(reference=data["client"]).first()
            if client is None:
                form.add_error("client", "Deze cliëntreferentie staat niet in uw register.")
            else:
                try:
                    notification = services.record_notification(
                        user=request.user,
                        client=client,
                        notified_on=data["notified_on"],
                        kind=data["kind"],
                        notified_by=data["notified_by"],
                    )
                except ValidationError as exc:
                    _field_errors(form, exc)
                else:
                    messages.success(request, "De melding is vastgelegd.")
                    return redirect("bw-notification-detail", pk=notification.pk)
        return self.render_to_response(self.get_context_data(form=form))


class NotificationDetailView(TenantViewMixin, TemplateView):
    """One notification: part of the client file, so every read is in the access log."""

    model = Notification
    template_name = "beschermdwonen/notification_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        notification = get_for_user_or_404(
            selectors.notifications_for(self.request.user), self.request.user, pk=self.kwargs["pk"]
        )
        log_access(
            user=self.request.user, obj=notification, municipality=notification.municipality, request=self.request
        )
        context.update(notification=notification, access_team=can(self.request.user, CHANGE, notification))
        return context


def _assessment_members(notification):
    return list(notification.client.region.members_on(notification.notified_on).order_by("name"))


class AssessmentCreateView(TenantViewMixin, TemplateView):
    """The access team starts the assessment of a notification (WM-DVO annex 2)."""

    model = Notification
    template_name = "beschermdwonen/assessment_form.html"

    def notification(self):
        notification = get_for_user_or_404(
            selectors.notifications_for(self.request.user), self.request.user, pk=self.kwargs["pk"]
        )
        if not can(self.request.user, CHANGE, notification):
            raise PermissionDenied(services.NOT_ACCESS_TEAM)
        return notification

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        notification = self.notification()
        form = kwargs.get("form") or AssessmentForm(municipalities=_assessment_members(notification))
        context.update(notification=notification, form=form)
        return context

    def post(self, request, *args, **kwargs):
        notification = self.notification()
        members = _assessment_members(notification)
        form = AssessmentForm(request.POST, municipalities=members)
        if form.is_valid():
            data = form.cleaned_data
            asked = next((m for m in members if m.code == data["consultation_requested_by"]), None)
            try:
                assessment = services.start_assessment(
                    user=request.user,
                    notification=notification,
                    advice_kind=data["advice_kind"],
                    advice_cost=data["advice_cost"] or Decimal("0"),
                    consultation_hours=data["consultation_hours"] or Decimal("0"),
                    consultation_requested_by=asked,
                )
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, "Het onderzoek is vastgelegd.")
                return redirect("bw-assessment-detail", pk=assessment.pk)
        return self.render_to_response(self.get_context_data(form=form))


class AssessmentDetailView(TenantViewMixin, TemplateView):
    """An assessment: hours per function and scale, advice and its cost, consultation hours; part of the client file,
    so every read is logged. The access team adds hours here."""

    model = Assessment
    template_name = "beschermdwonen/assessment_detail.html"

    def get_object(self):
        return get_for_user_or_404(
            selectors.assessments_for(self.request.user), self.request.user, pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment = self.get_object()
        log_access(
            user=self.request.user,
            obj=assessment,
            municipality=assessment.notification.municipality,
            request=self.request,
        )
        team = can(self.request.user, CHANGE, assessment)
        hours = list(assessment.hours.all())
        context.update(
            assessment=assessment,
            hours=hours,
            total_hours=sum((h.hours for h in hours), Decimal("0")),
            team=team,
            form=kwargs.get("form") or (HoursForm() if team else None),
            report_form=ReportForm() if team else None,
        )
        return context

    def post(self, request, *args, **kwargs):
        form = HoursForm(request.POST)
        if form.is_valid():
            try:
                services.add_assessment_hours(user=request.user, assessment=self.object, **form.cleaned_data)
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, "De uren zijn vastgelegd.")
                return redirect("bw-assessment-detail", pk=self.object.pk)
        return self.render_to_response(self.get_context_data(form=form))


class AssessmentReportView(TenantViewMixin, View):
    """The conversation report: private media, read and replaced only by the access team (``may_read_report``)."""

    model = Assessment

    def get(self, request, pk: int):
        assessment = get_for_user_or_404(Assessment.objects.visible_to(request.user), request.user, pk=pk)
        if not services.may_read_report(request.user, assessment):
            raise PermissionDenied("Alleen de Toegang leest het gespreksverslag.")
        if not assessment.report:
            raise Http404
        try:
            with assessment.report.open("rb") as fh:
                content = fh.read()
        except FileNotFoundError as exc:
            raise Http404 from exc
        log_access(user=request.user, obj=assessment, action="download", municipality=None, request=request)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="gespreksverslag-{assessment.pk}.pdf"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "no-store"
        return response

    def post(self, request, pk: int):
        form = ReportForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect("bw-assessment-detail", pk=pk)
        try:
            services.attach_report(
                user=request.user, assessment=self.permission_target(), upload=form.cleaned_data["report"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Het gespreksverslag is opgeslagen.")
        return redirect("bw-assessment-detail", pk=pk)

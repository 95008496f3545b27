"""Pages of toezicht: the supervision FTE split (WM-DVO annex 4), entered by the coordinating municipality."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from agreements.selectors import processing_agreements_for
from regio.bounds import check_year, page_year
from regio.models import Municipality, Region, User
from regio.roles import Role
from regio.tenancy import CHANGE, TenantViewMixin, acting_region_ids, can, get_for_user_or_404
from toezicht import meldpunt, services
from toezicht.forms import (
    AppointmentForm,
    CapacityForm,
    HoursForm,
    MeldpuntForm,
    ProductiveHoursForm,
    SignalForm,
    TriageForm,
)
from toezicht.models import HoursEntry, Signal, SupervisionCapacity, SupervisorAppointment, Triage


class FteSplitView(TenantViewMixin, TemplateView):
    model = SupervisionCapacity
    template_name = "toezicht/fte_split.html"

    def region_and_year(self):
        regions = Region.objects.visible_to(self.request.user).order_by("name")
        code = self.request.GET.get("regio") or (regions.first().code if regions.exists() else "")
        if not code:
            return None, regions, timezone.localdate().year
        region = get_for_user_or_404(Region.objects.visible_to(self.request.user), self.request.user, code=code)
        # issue 10, finding 7: ?jaar=99999 was a 500; now the Dutch 400 page names the allowed years.
        year = page_year(self.request.GET.get("jaar"), default=self.default_year(region))
        return region, regions, year

    def default_year(self, region) -> int:
        """Without ``?jaar=``: this year if its capacity is recorded, else the latest year before it that has one (it
        opened on an empty year while the split was in the year before; issue 17)."""
        this_year = timezone.localdate().year
        years = (
            SupervisionCapacity.objects.visible_to(self.request.user)
            .filter(region=region, year__lte=this_year)
            .order_by("-year")
            .values_list("year", flat=True)
        )
        return years.first() or this_year

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region, regions, year = self.region_and_year()
        coordinating = bool(region) and can(self.request.user, CHANGE, region)
        rows = services.fte_split(region=region, year=year) if region else []
        context.update(
            region=region,
            regions=regions,
            year=year,
            rows=rows,
            coordinating=coordinating,
            total=sum((r.fte for r in rows), 0),
            form=kwargs.get("form")
            or (CapacityForm(municipalities=region.members_on(date(year, 1, 1))) if coordinating else None),
        )
        return context

    def permission_target(self):
        region, _regions, _year = self.region_and_year()
        if region is None:
            raise Http404
        return region

    def post(self, request, *args, **kwargs):
        region, _regions, year = self.region_and_year()
        if region is None:
            raise Http404
        members = list(region.members_on(date(year, 1, 1)))
        form = CapacityForm(request.POST, municipalities=members)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        municipality = next(m for m in members if m.code == form.cleaned_data["municipality"])
        try:
            services.set_capacity(
                user=request.user,
                region=region,
                municipality=municipality,
                year=year,
                fte=form.cleaned_data["fte"],
                source=form.cleaned_data["source"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Toezichtcapaciteit {municipality.name} {year} vastgelegd.")
        return redirect(f"{request.path}?regio={region.code}&jaar={year}")


def _field_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: per field where it names one, else at the top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class SupervisorListView(TenantViewMixin, ListView):
    """The register of appointed supervisors (art. 6.1 lid 1 Wmo 2015; WM-DVO annex 4). The coordinating
    municipality's staff appoint; the supervisors and the colleges of the municipalities assigned look."""

    model = SupervisorAppointment
    template_name = "toezicht/supervisor_list.html"
    context_object_name = "appointments"
    paginate_by = 50

    def get_queryset(self):
        return services.appointments_for(user=self.request.user)

    def acting_region(self):
        regions = Region.objects.visible_to(self.request.user).filter(pk__in=acting_region_ids(self.request.user))
        return regions.order_by("name").first()

    def permission_target(self):
        region = self.acting_region()
        if region is None:
            raise PermissionDenied(_("Alleen de coördinerende gemeente wijst toezichthouders aan."))
        return region

    def make_form(self, region, data=None):
        supervisors = User.visible_people(self.request.user).filter(groups__name=Role.SUPERVISOR).order_by("username")
        return AppointmentForm(data, supervisors=supervisors, municipalities=region.members_on())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = self.acting_region()
        context["region"] = region
        context["form"] = kwargs.get("form") or (self.make_form(region) if region else None)
        return context

    def post(self, request, *args, **kwargs):
        region = self.permission_target()
        form = self.make_form(region, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            chosen = [m for m in region.members_on() if m.code in data["municipalities"]]
            supervisor = User.visible_people(request.user).get(pk=int(data["supervisor"]))
            try:
                appointment = services.appoint_supervisor(
                    user=request.user,
                    region=region,
                    supervisor=supervisor,
                    kind=data["kind"],
                    decision_date=data["decision_date"],
                    decision_reference=data["decision_reference"],
                    municipalities=chosen,
                    active_from=data["active_from"],
                    active_until=data["active_until"],
                )
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(
                    request, _("%(who)s is aangewezen als toezichthouder.") % {"who": appointment.supervisor}
                )
                return redirect("toezicht-supervisors")
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


class HoursView(TenantViewMixin, TemplateView):
    """Realised hours against capacity per member per year (WM-DVO annex 4), and the supervisor's own hours."""

    model = HoursEntry
    template_name = "toezicht/hours.html"

    def region_and_year(self):
        regions = Region.objects.visible_to(self.request.user).order_by("name")
        code = self.request.GET.get("regio") or (regions.first().code if regions.exists() else "")
        if not code:
            return None, regions, timezone.localdate().year
        region = get_for_user_or_404(Region.objects.visible_to(self.request.user), self.request.user, code=code)
        try:
            year = check_year(self.request.GET.get("jaar") or timezone.localdate().year)
        except ValidationError:
            raise Http404("Onbekend jaar") from None
        return region, regions, year

    def supervised(self):
        scope = self.tenancy_scope
        if not scope.has_role(Role.SUPERVISOR):
            return []
        ids = scope.supervised_municipality_ids
        return list(Municipality.objects.visible_to(self.request.user).filter(pk__in=ids).order_by("name"))

    def check_permission(self, action):
        # Two writes: the coordinating municipality records the year's productive hours for its region; a supervisor
        # records hours for the municipalities assigned to them (the grant), not for a region.
        if "productive_hours" in self.request.POST:
            region, _regions, _year = self.region_and_year()
            if region is None or not can(self.request.user, CHANGE, region):
                raise PermissionDenied(_("Alleen de coördinerende gemeente legt de productieve uren vast."))
            return
        if not self.supervised() or self.tenancy_scope.read_only:
            raise PermissionDenied(_("Alleen toezichthouders registreren uren."))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region, regions, year = self.region_and_year()
        today = timezone.localdate()
        rows = (
            services.hours_against_capacity(user=self.request.user, region=region, year=year, until=today)
            if region
            else []
        )
        supervised = self.supervised()
        own = HoursEntry.objects.visible_to(self.request.user).filter(supervisor_id=self.request.user.pk)
        page = Paginator(own.select_related("municipality").order_by("-week", "municipality__name"), 25).get_page(
            self.request.GET.get("page")
        )
        context.update(
            region=region,
            regions=regions,
            year=year,
            rows=rows,
            pro_rated=year == today.year,
            deviation_limit=settings.TOEZICHT_DEVIATION_PERCENT,
            page_obj=page,
            form=kwargs.get("form") or (HoursForm(municipalities=supervised) if supervised else None),
            productive_hours=services.productive_hours(region=region, year=year) if region else None,
            productive_form=kwargs.get("productive_form")
            or (ProductiveHoursForm() if region and can(self.request.user, CHANGE, region) else None),
        )
        return context

    def post(self, request, *args, **kwargs):
        if "productive_hours" in request.POST:
            return self.post_productive_hours(request)
        supervised = self.supervised()
        form = HoursForm(request.POST, municipalities=supervised)
        if form.is_valid():
            municipality = next(m for m in supervised if m.code == form.cleaned_data["municipality"])
            try:
                services.register_hours(
                    user=request.user,
                    municipality=municipality,
                    week=form.cleaned_data["week"],
                    hours=form.cleaned_data["hours"],
                )
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, _("Uren vastgelegd."))
                return redirect(request.get_full_path())
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def post_productive_hours(self, request):
        region, _regions, year = self.region_and_year()
        form = ProductiveHoursForm(request.POST)
        if form.is_valid():
            try:
                services.set_productive_hours(
                    user=request.user, region=region, year=year, hours=form.cleaned_data["productive_hours"]
                )
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, _("Productieve uren %(year)s vastgelegd.") % {"year": year})
                return redirect(f"{request.path}?regio={region.code}&jaar={year}")
        return self.render_to_response(self.get_context_data(productive_form=form), status=400)


class SignalListView(TenantViewMixin, ListView):
    """Signals to triage (confidential: only the supervisors assigned to the municipality see them, SPEC §8)."""

    model = Signal
    template_name = "toezicht/signal_list.html"
    context_object_name = "signals"
    paginate_by = 50

    def get_queryset(self):
        queryset = services.signals_for(user=self.request.user)
        if self.request.GET.get("beoordeling") in Triage.values:
            queryset = queryset.filter(triage=self.request.GET["beoordeling"])
        return queryset

    supervised = HoursView.supervised

    def check_permission(self, action):
        if not self.supervised() or self.tenancy_scope.read_only:
            raise PermissionDenied(_("Alleen toezichthouders leggen signalen vast."))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        supervised = self.supervised()
        context["is_supervisor"] = bool(supervised)
        context["triage_choices"] = Triage.choices
        # WM-SO 11.2: under which privacy agreement these data are processed (issue 15).
        context["processing_agreements"] = processing_agreements_for(self.request.user, domain="toezicht")
        context["form"] = kwargs.get("form") or (SignalForm(municipalities=supervised) if supervised else None)
        return context

    def post(self, request, *args, **kwargs):
        supervised = self.supervised()
        form = SignalForm(request.POST, municipalities=supervised)
        if form.is_valid():
            data = form.cleaned_data
            try:
                signal = services.record_signal(
                    user=request.user,
                    municipality=next(m for m in supervised if m.code == data["municipality"]),
                    received_on=data["received_on"],
                    source=data["source"],
                    kind=data["kind"],
                    funding=data["funding"],
                    provider_name=data["provider_name"],
                    description=data["description"],
                )
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, _("Signaal %(ref)s vastgelegd.") % {"ref": signal.reference})
                return redirect("toezicht-signal-detail", reference=signal.reference)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SignalDetailView(TenantViewMixin, DetailView):
    """One signal: its detail is casework, so every read is in the access log; its supervisors triage it."""

    model = Signal
    template_name = "toezicht/signal_detail.html"
    context_object_name = "signal"
    slug_field = "reference"
    slug_url_kwarg = "reference"

    def get_queryset(self):
        return Signal.objects.visible_to(self.request.user).select_related(
            "municipality", "triaged_by", "investigation"
        )

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        services.read_signal(user=request.user, signal=self.object, request=request)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The team manager reads the signal; only its supervisors triage it.
        context["may_change"] = can(self.request.user, CHANGE, self.object)
        context["form"] = kwargs.get("form") or TriageForm(
            initial={"decision": self.object.triage, "reasons": self.object.triage_reasons}
        )
        return context

    def post(self, request, *args, **kwargs):
        form = TriageForm(request.POST)
        if form.is_valid():
            try:
                services.triage_signal(
                    user=request.user,
                    signal=self.object,
                    decision=form.cleaned_data["decision"],
                    reasons=form.cleaned_data["reasons"],
                )
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                messages.success(request, _("Beoordeling vastgelegd."))
                return redirect("toezicht-signal-detail", reference=self.object.reference)
        return self.render_to_response(self.get_context_data(object=self.object, form=form), status=400)


class MeldpuntView(TemplateView):
    """The public Meldpunt toezicht Wmo (WM-DVO annex 4): no login; confirms receipt with a reference; asks for no
    BSN; a flood from one address answers 429; a filled honeypot gets the same thanks but stores nothing."""

    template_name = "toezicht/meldpunt.html"
    http_method_names = ["get", "post", "head", "options"]

    def municipalities(self):
        return list(services.meldpunt_municipalities())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", MeldpuntForm(municipalities=self.municipalities()))
        return context

    def post(self, request, *args, **kwargs):
        if not meldpunt.allow(request):
            return self.render_to_response(self.get_context_data(flooded=True, form=None), status=429)
        choices = self.municipalities()
        form = MeldpuntForm(request.POST, municipalities=choices)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        if data["website"]:
            # A robot filled the hidden field: thank it like a person (it learns nothing), store nothing.
            return self.render_to_response(self.get_context_data(form=None, reference=services.new_reference()))
        try:
            signal = services.report_signal(
                user=request.user,
                municipality=next(m for m in choices if m.code == data["municipality"]),
                kind=data["kind"],
                funding=data["funding"],
                provider_name=data["provider_name"],
                description=data["description"],
                contact=data["contact"],
            )
        except ValidationError as exc:
            _field_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return self.render_to_response(self.get_context_data(form=None, reference=signal.reference))

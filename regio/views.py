"""Pages of the tenancy core: home per role, regions, municipalities, region-file upload, audit history."""

from __future__ import annotations

from itertools import islice

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView, TemplateView

from regio.checks import PROJECT_APPS
from regio.deadlines import deadlines_for
from regio.models import Membership, Municipality, Region
from regio.pagination import PaginatedListMixin
from regio.regionfile import RegionFileError
from regio.regionfile.loader import import_text
from regio.roles import Role
from regio.tenancy import VIEW, TenantViewMixin, acting_region_ids, scope_of


class RoleRequiredMixin(TenantViewMixin):
    required_roles: tuple[str, ...] = ()
    # The role is these pages' rule, checked below before any input is read; what an upload may change is decided
    # per region by the import itself.
    method_actions = {"POST": VIEW}

    def permission_target(self):
        return self.own_municipality()

    def dispatch(self, request, *args, **kwargs):
        scope = scope_of(request.user)
        if scope.authenticated and self.required_roles and not scope.has_role(*self.required_roles):
            raise PermissionDenied(_("Deze pagina is voor een andere rol."))
        return super().dispatch(request, *args, **kwargs)


class HomeView(TenantViewMixin, TemplateView):
    """The home page per role: what needs attention now (SPEC §1). Later issues fill the panels."""

    template_name = "regio/home.html"
    model = Region

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        scope = self.tenancy_scope
        regions = Region.objects.visible_to(user).prefetch_related(
            Prefetch(
                "memberships", queryset=Membership.objects.visible_to(self.request.user).select_related("municipality")
            )
        )
        context.update(
            regions=regions,
            coordinated=Region.objects.unrestricted().filter(pk__in=acting_region_ids(user)),
            deadlines=list(islice(deadlines_for(user), 10)),
            roles=user.role_labels,
            is_admin=scope.is_functional_admin,
            today=timezone.localdate(),
        )
        return context


class RegionListView(PaginatedListMixin, TenantViewMixin, ListView):
    model = Region
    template_name = "regio/region_list.html"
    context_object_name = "regions"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=Membership.objects.visible_to(self.request.user).select_related("municipality"),
                )
            )
        )


class RegionDetailView(TenantViewMixin, DetailView):
    model = Region
    template_name = "regio/region_detail.html"
    slug_field = "code"
    slug_url_kwarg = "code"
    context_object_name = "region"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        memberships = list(self.object.memberships.unrestricted().select_related("municipality"))
        context.update(
            current=[m for m in memberships if m.is_active_on(today)],
            former=[m for m in memberships if not m.is_active_on(today)],
            coordinator=self.object.coordinator_on(today),
        )
        return context


class MunicipalityListView(PaginatedListMixin, TenantViewMixin, ListView):
    model = Municipality
    template_name = "regio/municipality_list.html"
    context_object_name = "municipalities"

    def get_queryset(self):
        return super().get_queryset().select_related("successor")


class MunicipalityDetailView(TenantViewMixin, DetailView):
    model = Municipality
    template_name = "regio/municipality_detail.html"
    slug_field = "code"
    slug_url_kwarg = "code"
    context_object_name = "municipality"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible_regions = Region.objects.visible_to(self.request.user)
        context.update(
            population=self.object.population_figures.unrestricted().order_by("-reference_date"),
            memberships=self.object.memberships.unrestricted()
            .filter(region__in=visible_regions)
            .select_related("region"),
        )
        return context


class RegionFileForm(forms.Form):
    file = forms.FileField(
        label=_("Regiobestand (YAML)"),
        help_text=_("Een .yaml-bestand zoals beschreven in docs/region-file.md, hoogstens 1 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".yaml", ".yml")):
            raise forms.ValidationError(_("Kies een YAML-bestand (.yaml of .yml)."))
        if upload.size > settings.REGION_FILE_MAX_BYTES:
            raise forms.ValidationError(_("Het bestand is te groot (hoogstens 1 MB)."))
        try:
            return upload.name, upload.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("Het bestand is geen tekst in UTF-8.")) from exc


class RegionFileUploadView(RoleRequiredMixin, FormView):
    """Functional administrators upload a region file and see the same messages as the command line."""

    model = Region
    required_roles = (Role.FUNCTIONAL_ADMIN,)
    template_name = "regio/regionfile_upload.html"
    form_class = RegionFileForm

    def form_valid(self, form):
        name, text = form.cleaned_data["file"]
        try:
            result = import_text(text, name)
        except RegionFileError as exc:
            return self.render_to_response(self.get_context_data(form=form, problems=exc.problems))
        messages.success(self.request, result.summary())
        return redirect("regionfile-upload")


class AuditLogView(RoleRequiredMixin, TemplateView):
    """The audit trail (who changed what, when) for the functional administrator; read-only by construction."""

    model = Region
    required_roles = (Role.FUNCTIONAL_ADMIN,)
    template_name = "regio/audit_log.html"
    per_model = 100

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        records = []
        for model in apps.get_models():
            meta = model._meta
            if meta.app_label not in PROJECT_APPS or not meta.model_name.startswith("historical"):
                continue
            if getattr(model, "audit_hidden_from_admin", False):
                continue
            for record in model.objects.select_related("history_user").order_by("-history_date")[: self.per_model]:
                records.append(
                    {
                        "date": record.history_date,
                        "user": record.history_user,
                        "model": meta.verbose_name,
                        "object": str(record.instance) if hasattr(record, "instance") else record.pk,
                        "type": {"+": _("aangemaakt"), "~": _("gewijzigd"), "-": _("verwijderd")}[record.history_type],
                        "reason": record.history_change_reason or "",
                    }
                )
        records.sort(key=lambda r: r["date"], reverse=True)
        context["records"] = records[:300]
        return context


def health(request):
    """Public liveness check for the load balancer: no data, no session."""
    return HttpResponse("ok", content_type="text/plain")


def error_view(status: int, template: str):
    def view(request, exception=None):
        # Only our own Dutch explanations are shown (regio/bounds.py), never an exception's internals.
        return render(request, template, {"reason": getattr(exception, "public_message", "")}, status=status)

    return view


bad_request = error_view(400, "400.html")
permission_denied = error_view(403, "403.html")
page_not_found = error_view(404, "404.html")


def server_error(request):
    # No request context: the failure may lie in the database that the navigation would ask.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({}), status=500)

"""Pages of the tenancy core: home per role, regions, municipalities, region-file upload, audit history."""

from __future__ import annotations

from itertools import islice

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import DetailView, FormView, ListView, TemplateView

from regio import selectors
from regio.deadlines import deadlines_for
from regio.forms import PersonForm
from regio.models import AccessLog, Municipality, Region
from regio.pagination import PaginatedListMixin, paginate
from regio.regionfile import Problem, RegionFileError
from regio.regionfile.loader import import_text, max_bytes, size_text
from regio.roles import MUNICIPAL_ROLES, Role
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
        regions = selectors.with_members(Region.objects.visible_to(user), user=user)
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
        return selectors.with_members(super().get_queryset(), user=self.request.user)


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


class _RegionFileLimit(FileUploadHandler):
    """Stops reading an upload as soon as it passes REGION_FILE_MAX_BYTES (issue 10, finding 1).

    Django would otherwise spool the whole body to memory or disk before the form sees its size.
    """

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.region_file_too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


def _too_large_message() -> str:
    return _("Het bestand is te groot (hoogstens %(size)s).") % {"size": size_text(max_bytes())}


class RegionFileForm(forms.Form):
    file = forms.FileField(
        label=_("Regiobestand (YAML of JSON)"),
        help_text=_("Een .yaml- of .json-bestand zoals beschreven in docs/region-file.md, hoogstens 1 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".yaml", ".yml", ".json")):
            raise forms.ValidationError(_("Kies een YAML- of JSON-bestand (.yaml, .yml of .json)."))
        if upload.size > max_bytes():
            raise forms.ValidationError(_too_large_message())
        try:
            return upload.name, upload.read(max_bytes() + 1).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("Het bestand is geen tekst in UTF-8.")) from exc


# Room for the form's other fields and the multipart headers next to the file itself.
_MULTIPART_OVERHEAD = 64 * 1024


@method_decorator(csrf_exempt, name="dispatch")  # CSRF is checked in post(), after the upload limit is in place
class RegionFileUploadView(RoleRequiredMixin, FormView):
    """Administrators upload a region file and see the same messages as the command line.

    The platform administrator imports any region; a municipality's functional administrator only files of the
    regions its municipality coordinates (``regio.regionfile.loader.authorize``). The file is imported as the
    uploading user, never without one (issue 10, finding 2).
    """

    model = Region
    required_roles = (Role.FUNCTIONAL_ADMIN, Role.PLATFORM_ADMIN)
    # It sets a size-limiting upload handler before the body is parsed (RejectNulBytesMiddleware leaves it be).
    reads_upload_itself = True
    template_name = "regio/regionfile_upload.html"
    form_class = RegionFileForm

    def post(self, request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > max_bytes() + _MULTIPART_OVERHEAD:
            # Refused from the header alone: the body is never read.
            return self._refuse_too_large(status=413)
        request.upload_handlers = [_RegionFileLimit(request, max_bytes()), *request.upload_handlers]
        return csrf_protect(self._post)(request, *args, **kwargs)

    def _post(self, request, *args, **kwargs):
        request.FILES  # noqa: B018 - parse the body now, through the limiting handler
        if getattr(request, "region_file_too_large", False):
            return self._refuse_too_large(status=413)
        return super().post(request, *args, **kwargs)

    def _refuse_too_large(self, status: int):
        form = self.form_class()
        problems = [Problem(_("regiobestand"), "", _too_large_message())]
        return self.render_to_response(self.get_context_data(form=form, problems=problems), status=status)

    def form_valid(self, form):
        name, text = form.cleaned_data["file"]
        try:
            result = import_text(text, name, user=self.request.user)
        except RegionFileError as exc:
            return self.render_to_response(self.get_context_data(form=form, problems=exc.problems))
        messages.success(self.request, result.summary())
        return redirect("regionfile-upload")


class AuditLogView(RoleRequiredMixin, TemplateView):
    """The audit trail (who changed what, when), scoped to the administrator; read-only by construction."""

    model = Region
    required_roles = (Role.FUNCTIONAL_ADMIN, Role.PLATFORM_ADMIN)
    template_name = "regio/audit_log.html"
    per_model = 100

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        records = []
        from regio.audit import history_querysets

        for model, queryset in history_querysets(self.request.user):
            meta = model.instance_type._meta  # "factuurgegevens", not "historical factuurgegevens"
            for record in queryset.select_related("history_user").order_by("-history_date")[: self.per_model]:
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
        # Each model's newest records (per_model) merged by date, then paged (issue 10: every list pages).
        context["records"] = paginate(self.request, records, per_page=300)
        return context


class AccessLogView(RoleRequiredMixin, ListView):
    """Who read what: a functional administrator reads the reads of its own municipality's data, of the regions it
    administers and of its own people (``AccessLog.tenant_filter``); paginated."""

    model = AccessLog
    required_roles = (Role.FUNCTIONAL_ADMIN,)
    template_name = "regio/access_log.html"
    context_object_name = "entries"
    paginate_by = 100

    def get_queryset(self):
        return super().get_queryset().select_related("user", "municipality").order_by("-at", "-pk")


class PeopleListView(RoleRequiredMixin, ListView):
    """The people an administrator administers: its own municipality's, or everyone's for the platform."""

    model = Region
    required_roles = (Role.FUNCTIONAL_ADMIN, Role.PLATFORM_ADMIN)
    template_name = "regio/people_list.html"
    context_object_name = "people"
    paginate_by = 100

    def get_queryset(self):
        from regio.people import administered_people

        return (
            administered_people(self.request.user)
            .select_related("municipality")
            .prefetch_related("groups")
            .order_by("municipality__name", "username")
        )


class PersonUpdateView(RoleRequiredMixin, FormView):
    """Change one person's name, e-mail address, roles and active state; another municipality's person is 404."""

    model = Region
    required_roles = (Role.FUNCTIONAL_ADMIN, Role.PLATFORM_ADMIN)
    template_name = "regio/person_form.html"
    form_class = PersonForm

    def dispatch(self, request, *args, **kwargs):
        from regio.people import administered_people, may_administer

        if scope_of(request.user).has_role(Role.FUNCTIONAL_ADMIN, Role.PLATFORM_ADMIN):
            self.person = get_object_or_404(administered_people(request.user), username=kwargs["username"])
            if not may_administer(request.user, self.person):
                raise PermissionDenied(_("Alleen een platformbeheerder wijzigt dit account."))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {
            "full_name": self.person.full_name,
            "email": self.person.email,
            "roles": [r for r in self.person.roles if r in MUNICIPAL_ROLES],
            "is_active": self.person.is_active,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)

    def form_valid(self, form):
        from regio.people import update_person

        try:
            update_person(user=self.request.user, person=self.person, **form.cleaned_data)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("De gegevens van %(name)s zijn opgeslagen.") % {"name": self.person})
        return redirect("people-list")


def health(request):
    """Public liveness check for the load balancer: no data, no session."""
    return HttpResponse("ok", content_type="text/plain")


def security_txt(request):
    """``/.well-known/security.txt`` (RFC 9116): where to report a vulnerability. Public by nature; no data.
    ``Expires`` is half a year ahead of the answer, as the RFC asks for a date less than a year away."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    expires = (timezone.now() + timedelta(days=180)).replace(microsecond=0)
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {expires.isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: nl, en",
        f"Canonical: {request.build_absolute_uri('/.well-known/security.txt')}",
    ]
    if settings.SECURITY_POLICY_URL:
        lines.append(f"Policy: {settings.SECURITY_POLICY_URL}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


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

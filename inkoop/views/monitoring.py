"""Pages of the half-yearly care-use monitoring (BNO 4): the report with charts and tables, its PDF, and the import
of care use by the centre municipality. Every route is in the cross-tenant matrix
(tests/tenancy/cases_inkoop_monitoring.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView

from inkoop.forms_development import CareUseImportForm
from inkoop.models import CareUseImport
from inkoop.services import care_use_import, monitoring
from regio import bounds
from regio.models import Region
from regio.pagination import paginate
from regio.tenancy import TenantViewMixin, acting_region_ids, get_for_user_or_404


class _ReportPeriod:
    """The region (``?regio=``), the year (``?jaar=``) and the half-year (``?halfjaar=1|2``) of the report; by
    default the last completed half-year."""

    def period(self):
        regions = Region.objects.visible_to(self.request.user).order_by("name")
        code = (self.request.GET.get("regio") or "").strip()[:60]
        region = get_for_user_or_404(regions, self.request.user, code=code) if code else regions.first()
        if region is None:
            raise Http404
        today = timezone.localdate()
        default_year, default_half = (today.year - 1, 2) if today.month <= 6 else (today.year, 1)
        try:
            year = bounds.parse_year(self.request.GET.get("jaar") or default_year, field="jaar")
        except ValidationError:
            year = default_year
        chosen = self.request.GET.get("halfjaar")
        half = int(chosen) if chosen in ("1", "2") else default_half
        return regions, region, year, half

    def figures(self):
        regions, region, year, half = self.period()
        try:
            figures = monitoring.report_figures(user=self.request.user, region=region, year=year, half=half)
        except PermissionDenied:
            raise Http404 from None
        return regions, figures


class MonitoringReportView(TenantViewMixin, _ReportPeriod, TemplateView):
    """The report page: members per 1.000 inhabitants, product kinds, volume, overlap; each chart with its table.
    With ``?formaat=pdf`` the same report as a PDF (one route, one permission path for both)."""

    model = CareUseImport
    template_name = "inkoop/monitoring_report.html"
    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        if request.GET.get("formaat") != "pdf":
            return super().get(request, *args, **kwargs)
        _regions, figures = self.figures()
        response = HttpResponse(monitoring.render_report_pdf(figures=figures), content_type="application/pdf")
        name = f"monitorrapportage-{figures['region']['code']}-{figures['year']}-h{figures['half']}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        regions, figures = self.figures()
        context.update(
            regions=regions,
            figures=figures,
            chart=monitoring.chart_data(figures),
            may_import=bool(acting_region_ids(self.request.user)),
            query=f"regio={figures['region']['code']}&jaar={figures['year']}&halfjaar={figures['half']}",
        )
        return context


class CareUseImportView(TenantViewMixin, TemplateView):
    """The centre municipality imports care use (CSV/Excel) per member; all or nothing, the bad rows named."""

    model = CareUseImport
    template_name = "inkoop/care_use_import.html"

    def region(self):
        code = (self.request.GET.get("regio") or "").strip()[:60]
        acting = acting_region_ids(self.request.user)
        regions = Region.objects.visible_to(self.request.user).filter(pk__in=acting).order_by("name")
        region = regions.filter(code=code).first() if code else regions.first()
        if region is None:
            raise PermissionDenied("Alleen de centrumgemeente leest zorggebruik in (BNO 4).")
        return region

    def check_permission(self, action):
        if not acting_region_ids(self.request.user):
            raise PermissionDenied("Alleen de centrumgemeente leest zorggebruik in (BNO 4).")

    def members(self, region):
        return list(region.members_on(timezone.localdate()).order_by("name"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        imports = CareUseImport.objects.visible_to(self.request.user).select_related("municipality", "region")
        region = None
        if acting_region_ids(self.request.user):
            region = self.region()
            context.setdefault("form", CareUseImportForm(municipalities=self.members(region)))
        context.update(region=region, page=paginate(self.request, imports.order_by("-created_at", "-pk")))
        return context

    def post(self, request, *args, **kwargs):
        region = self.region()
        form = CareUseImportForm(request.POST, request.FILES, municipalities=self.members(region))
        result = problems = None
        status = 200
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > care_use_import.max_bytes():
                form.add_error("file", f"Het bestand is groter dan {care_use_import.max_bytes() // (1024 * 1024)} MB.")
            else:
                try:
                    result = care_use_import.import_care_use(
                        user=request.user,
                        region=region,
                        municipality=form.municipalities[form.cleaned_data["municipality"]],
                        filename=upload.name,
                        content=upload.read(),
                    )
                except care_use_import.CareUseRefused as exc:
                    problems = exc.problems
                    form.add_error("file", "Niets ingelezen: het bestand heeft fouten (zie de lijst).")
                except ValidationError as exc:
                    form.add_error(None, exc)
        if not form.is_valid() or problems:
            status = 400
        context = self.get_context_data(form=form)
        context.update(result=result, problems=problems)
        return self.render_to_response(context, status=status)

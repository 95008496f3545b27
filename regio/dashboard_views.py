"""The dashboard pages (issue 18): one page per audience (portfolio holder, the municipality's civil servant, the
coordinating team, the platform administrator) and its one-page PDF for the bestuurlijk overleg. The figures come
from ``regio.dashboards.figures_for``; the charts are drawn in the browser from ``/api/v1/dashboard/``, each with the
table on the page as its text alternative."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.generic import TemplateView, View

from regio.dashboards import Audience, audiences_for, figures_for
from regio.models import Region
from regio.tenancy import TenantViewMixin

AUDIENCE_PARAMETER = "voor"


def chosen_audience(user, value: str | None) -> str:
    """The audience asked for, else the first the user may open; one the user may not open is a 404."""
    allowed = audiences_for(user)
    if not allowed:
        raise Http404
    if not value:
        return allowed[0]
    if value not in allowed:
        raise Http404
    return value


class DashboardView(TenantViewMixin, TemplateView):
    model = Region
    template_name = "regio/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        audience = chosen_audience(user, self.request.GET.get(AUDIENCE_PARAMETER))
        figures = figures_for(user, audience)
        context.update(
            audience=audience,
            audience_label=Audience(audience).label,
            audiences=[(a, Audience(a).label) for a in audiences_for(user)],
            actions=[f for f in figures if f.action],
            figures=[f for f in figures if not f.action],
            today=timezone.localdate(),
            parameter=AUDIENCE_PARAMETER,
        )
        return context


class DashboardPdfView(TenantViewMixin, View):
    """The dashboard on one A4 page (WeasyPrint, house style): the tables, no charts, for the meeting's papers."""

    model = Region

    def get(self, request):
        audience = chosen_audience(request.user, request.GET.get(AUDIENCE_PARAMETER))
        pdf, _pages = render_dashboard_pdf(
            figures_for(request.user, audience),
            audience_label=Audience(audience).label,
            municipality=getattr(request.user, "municipality", None),
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="dashboard-{audience}-{timezone.localdate()}.pdf"'
        return response


# Rows per table on the paper: fewer when the page would overflow, so the PDF is one page by construction.
PDF_ROWS = (8, 5, 3, 1)


def render_dashboard_pdf(figures, *, audience_label, municipality) -> tuple[bytes, int]:
    """The figures on one A4 page: each table cut to the first rows that fit (the page names how many rows each
    table has in full). Returns the PDF and its number of pages."""
    from weasyprint import HTML

    for rows in PDF_ROWS:
        html = render_to_string(
            "regio/pdf/dashboard.html",
            {
                "figures": figures,
                "rows": rows,
                "audience_label": audience_label,
                "municipality": municipality,
                "today": timezone.localdate(),
            },
        )
        document = HTML(string=html, base_url=None).render()
        if len(document.pages) == 1:
            break
    return document.write_pdf(), len(document.pages)

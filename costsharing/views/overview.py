"""Cost-sharing home, trend and notices pages. Every queryset goes through restrict()/visible_to()."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView

from costsharing import selectors
from costsharing.models import (
    AllocationKey,
    Notice,
    Reckoning,
    ReckoningLine,
)
from regio.models import Region
from regio.pagination import paginate
from regio.tenancy import CHANGE, TenantViewMixin, can, get_for_user_or_404


class CostsharingHomeView(TenantViewMixin, TemplateView):
    """Keys, tariffs, budgets and reckonings of the regions the user's municipality is a member of."""

    model = AllocationKey
    template_name = "costsharing/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        regions = Region.objects.visible_to(user).order_by("name")
        keys = AllocationKey.objects.visible_to(user).select_related("region").prefetch_related("versions")
        reckonings = (
            Reckoning.objects.visible_to(user).select_related("region").order_by("region__name", "-year", "-version")
        )
        context.update(
            regions=[
                {
                    "region": r,
                    "keys": [k for k in keys if k.region_id == r.pk],
                    "reckonings": [x for x in reckonings if x.region_id == r.pk],
                    "coordinating": can(user, CHANGE, r),
                }
                for r in regions
            ],
            year=timezone.localdate().year,
        )
        return context


class TrendView(TenantViewMixin, TemplateView):
    """A portfolio holder's view: the own municipality's share, advances and difference over the years."""

    model = ReckoningLine
    template_name = "costsharing/trend.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lines"] = selectors.reckoning_trend(self.request.user)
        context["municipality"] = self.request.user.municipality
        # Chart data as strings (no float in Python); the chart has the table above as its text alternative.
        context["chart"] = {
            "labels": [f"{li.reckoning.year} {li.reckoning.region.name}" for li in context["lines"]],
            "shares": [str(li.share) for li in context["lines"]],
            "advances": [str(li.advances) for li in context["lines"]],
            "share_label": "Aandeel in de kosten",
            "advances_label": "Voorschotten",
        }
        return context


class NoticeListView(TenantViewMixin, TemplateView):
    """In-app notices (WM-SO 6.6 cost overviews). ``?download=<id>`` gives the attached PDF."""

    model = Notice
    template_name = "costsharing/notices.html"

    def get(self, request, *args, **kwargs):
        if "download" in request.GET:
            if not request.GET["download"].isascii() or not request.GET["download"].isdigit():
                raise Http404
            notice = get_for_user_or_404(
                Notice.objects.visible_to(request.user), request.user, pk=request.GET["download"]
            )
            response = HttpResponse(bytes(notice.pdf), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="kostenoverzicht-{notice.year}-{notice.pk}.pdf"'
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = paginate(
            self.request,
            Notice.objects.visible_to(self.request.user).select_related("municipality", "region").defer("pdf"),
        )
        context.update(page=page, notices=page.object_list)
        return context

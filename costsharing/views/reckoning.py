"""The December reckoning pages: overview, one part, progress (issue #5)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.generic import TemplateView

from costsharing import notices, selectors, services
from costsharing.models import (
    ActualCostLine,
    Reckoning,
    ReckoningItem,
    ReckoningLine,
    ReckoningPart,
)
from regio.tenancy import CHANGE, TenantViewMixin, can, get_for_user_or_404


class ReckoningView(TenantViewMixin, TemplateView):
    """A reckoning with its progress bar (htmx polling, survives a reload), lines, parts and downloads.

    ``?formaat=xlsx`` gives the whole reckoning as Excel (coordinating staff); ``?formaat=pdf&gemeente=GM....``
    a member's statement as PDF: the same restricted lookups as the page itself."""

    model = Reckoning
    template_name = "costsharing/reckoning.html"

    def get_reckoning(self):
        return get_for_user_or_404(
            Reckoning.objects.visible_to(self.request.user).select_related("region", "previous"),
            self.request.user,
            pk=self.kwargs["pk"],
        )

    def permission_target(self):
        return self.get_reckoning()

    def get(self, request, *args, **kwargs):
        reckoning = self.get_reckoning()
        fmt = request.GET.get("formaat")
        lines = (
            ReckoningLine.objects.visible_to(request.user).filter(reckoning=reckoning).select_related("municipality")
        )
        if fmt == "pdf":
            line = lines.filter(municipality__code=request.GET.get("gemeente", "")).first()
            if line is None:
                raise Http404("Geen afrekening voor deze gemeente.")
            # WM-SO 4.10: what the member seconded in the year and is owed for it shows on its statement.
            seconded = selectors.secondments_on_statement(
                user=request.user, region=reckoning.region, year=reckoning.year, municipality=line.municipality
            )
            response = HttpResponse(
                notices.statement_pdf(reckoning=reckoning, line=line, secondments=seconded),
                content_type="application/pdf",
            )
            response["Content-Disposition"] = (
                f'attachment; filename="afrekening-{reckoning.region.code}-{reckoning.year}-v{reckoning.version}-'
                f'{line.municipality.code}.pdf"'
            )
            return response
        if fmt == "xlsx":
            parts = (
                ReckoningPart.objects.visible_to(request.user)
                .filter(reckoning=reckoning)
                .select_related("key_version__key")
            )
            response = HttpResponse(
                notices.reckoning_workbook(reckoning=reckoning, lines=list(lines), parts=list(parts)),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = (
                f'attachment; filename="afrekening-{reckoning.region.code}-{reckoning.year}-v{reckoning.version}.xlsx"'
            )
            return response
        context = self.get_context_data(reckoning=reckoning, lines=list(lines))
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reckoning = kwargs["reckoning"]
        user = self.request.user
        items = (
            ReckoningItem.objects.visible_to(user)
            .filter(reckoning=reckoning)
            .select_related("municipality", "part__key_version__key", "part__norm_year")
        )
        context.update(
            items=items,
            can_act=can(user, CHANGE, reckoning.region),
            running=reckoning.run_state in (Reckoning.RunState.QUEUED, Reckoning.RunState.RUNNING),
            secondments=selectors.secondments_on_statement(user=user, region=reckoning.region, year=reckoning.year),
        )
        return context

    def post(self, request, *args, **kwargs):
        reckoning = self.get_reckoning()
        try:
            if request.POST.get("action") == "approve":
                services.approve_reckoning(user=request.user, reckoning=reckoning)
                messages.success(request, "De afrekening is vastgesteld.")
            else:
                services.request_reckoning(user=request.user, region=reckoning.region, year=reckoning.year)
                messages.success(request, "De afrekening wordt (opnieuw) berekend.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        latest = services.latest_reckoning(region=reckoning.region, year=reckoning.year)
        return redirect("costsharing-reckoning", pk=latest.pk)


class ReckoningPartView(TenantViewMixin, TemplateView):
    """The cost lines one part of a reckoning came from (every euro traceable, issue #5), a hundred per page."""

    model = ReckoningPart
    template_name = "costsharing/reckoning_part.html"
    per_page = 100

    def get_context_data(self, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context_data(**kwargs)
        user = self.request.user
        part = get_for_user_or_404(
            ReckoningPart.objects.visible_to(user).select_related(
                "reckoning__region", "key_version__key", "norm_year"
            ),
            user,
            pk=kwargs["part"],
            reckoning_id=kwargs["pk"],
        )
        lines = ActualCostLine.objects.visible_to(user).filter(services.part_cost_lines(part)).order_by("date", "pk")
        page = Paginator(lines, self.per_page).get_page(self.request.GET.get("pagina"))
        context.update(
            part=part,
            reckoning=part.reckoning,
            page=page,
            changed=not part.reckoning.is_frozen and page.paginator.count != part.line_count,
        )
        return context


class ReckoningProgressView(TenantViewMixin, TemplateView):
    """The progress bar fragment that htmx polls every two seconds while the reckoning runs."""

    model = Reckoning
    template_name = "costsharing/_progress.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reckoning = get_for_user_or_404(
            Reckoning.objects.visible_to(self.request.user), self.request.user, pk=kwargs["pk"]
        )
        context.update(
            reckoning=reckoning,
            running=reckoning.run_state in (Reckoning.RunState.QUEUED, Reckoning.RunState.RUNNING),
            polled=True,  # the fragment replaced a running bar: offer to reload the page for the outcome
        )
        return context

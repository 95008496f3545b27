"""Pages of the procurement procedures (WM-SO 2.4 a, 4.4 a).

- ``/inkoop/aanbestedingen/``: the procedures of the user's regions; coordinating staff start a new one.
- ``/inkoop/aanbestedingen/<pk>/``: one procedure, its lots and awards, and the hand-over per member; coordinating
  staff add a lot, award it, and close an awarded procedure, which hands the file over to every member (WM-SO 4.4 a).
- ``/inkoop/aanbestedingen/<pk>/export/``: the file of a closed procedure for a member's archive (JSON).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from inkoop import services
from inkoop.forms import AwardForm, CloseForm, LotForm, ProcedureForm
from inkoop.models import Handover, Procedure, ProcedureStatus, Provider
from inkoop.views.common import ActsForARegion, acting_regions, field_errors
from regio.models import log_access
from regio.tenancy import CHANGE, VIEW, TenantViewMixin, can, get_for_user_or_404, person


class ProcedureListView(ActsForARegion, TenantViewMixin, ListView):
    """The procedures; coordinating staff start a new one here."""

    model = Procedure
    template_name = "inkoop/procedure_list.html"
    paginate_by = 50

    def get_queryset(self):
        rows = Procedure.objects.visible_to(self.request.user).select_related("region")
        return rows.order_by("-published_on", "reference")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        regions = acting_regions(self.request.user)
        context["form"] = kwargs.get("form") or (ProcedureForm(regions=regions) if regions else None)
        return context

    def post(self, request, *args, **kwargs):
        form = ProcedureForm(request.POST, regions=acting_regions(request.user))
        if form.is_valid():
            data = dict(form.cleaned_data)
            region = form.regions[data.pop("region")]
            try:
                procedure = services.create_procedure(user=request.user, region=region, **data)
            except ValidationError as exc:
                field_errors(form, exc)
            else:
                messages.success(request, _("Aanbesteding %(ref)s is vastgelegd.") % {"ref": procedure.reference})
                return redirect("inkoop-procedure-detail", pk=procedure.pk)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ProcedureDetailView(TenantViewMixin, DetailView):
    """POST ``action``: ``lot`` (add a lot), ``award`` (a lot to a provider), ``close`` (close and hand over)."""

    model = Procedure
    template_name = "inkoop/procedure_detail.html"
    context_object_name = "procedure"

    def get_queryset(self):
        rows = Procedure.objects.visible_to(self.request.user).select_related("region")
        return rows.prefetch_related("lots__awards__provider")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        procedure = self.object
        context["handovers"] = (
            Handover.objects.visible_to(self.request.user).filter(procedure=procedure).select_related("municipality")
        )
        if procedure.status == ProcedureStatus.CLOSED or not can(self.request.user, CHANGE, procedure):
            return context
        context["lot_form"] = kwargs.get("lot_form") or LotForm(prefix="lot")
        lots = list(procedure.lots.all())
        if lots:
            context["award_form"] = kwargs.get("award_form") or self._award_form(None)
        if procedure.status == ProcedureStatus.AWARDED:
            context["close_form"] = kwargs.get("close_form") or CloseForm(prefix="close")
        return context

    def _award_form(self, data):
        providers = Provider.objects.visible_to(self.request.user).filter(region=self.object.region_id, active=True)
        lots = list(self.object.lots.all())
        return AwardForm(data, prefix="award", lots=lots, providers=list(providers.order_by("name")))

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "lot":
            form, name = LotForm(request.POST, prefix="lot"), "lot_form"
        elif action == "award":
            form, name = self._award_form(request.POST), "award_form"
        else:
            form, name = CloseForm(request.POST, prefix="close"), "close_form"
        if form.is_valid():
            try:
                self._act(action, form)
            except ValidationError as exc:
                field_errors(form, exc)
            else:
                messages.success(request, _("Vastgelegd."))
                return redirect("inkoop-procedure-detail", pk=self.object.pk)
        return self.render_to_response(self.get_context_data(**{name: form}), status=400)

    def _act(self, action: str, form) -> None:
        user, procedure, data = self.request.user, self.object, form.cleaned_data
        if action == "lot":
            services.add_lot(user=user, procedure=procedure, **data)
        elif action == "award":
            lot, provider = form.lots[data["lot"]], form.providers[data["provider"]]
            services.award(user=user, lot=lot, provider=provider, awarded_on=data["awarded_on"])
        else:
            services.close_procedure(user=user, procedure=procedure, **data)


class ProcedureExportView(TenantViewMixin, View):
    """The closed file for a member's archive (WM-SO 4.4 a); every download is in the access log."""

    model = Procedure

    def get(self, request, pk: int):
        procedure = get_for_user_or_404(Procedure.objects.visible_to(request.user), request.user, VIEW, pk=pk)
        if procedure.status != ProcedureStatus.CLOSED:
            raise Http404
        log_access(user=person(request.user), obj=procedure, action="export", request=request)
        response = HttpResponse(services.procedure_export(procedure), content_type="application/json; charset=utf-8")
        safe = "".join(c for c in procedure.reference if c.isalnum() or c in "-_") or "aanbesteding"
        response["Content-Disposition"] = f'attachment; filename="aanbesteding-{safe}.json"'
        return response

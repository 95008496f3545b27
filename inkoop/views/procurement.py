"""Pages of the procurement procedures (WM-SO 2.4 a, 4.4 a).

- ``/inkoop/aanbestedingen/``: the procedures of the user's regions.
- ``/inkoop/aanbestedingen/<pk>/``: one procedure, its lots and awards, and the hand-over per member; coordinating
  staff close an awarded procedure, which hands the file over to every member (WM-SO 4.4 a).
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
from inkoop.forms import CloseForm
from inkoop.models import Handover, Procedure, ProcedureStatus
from inkoop.views.common import field_errors
from regio.models import log_access
from regio.tenancy import CHANGE, VIEW, TenantViewMixin, can, get_for_user_or_404, person


class ProcedureListView(TenantViewMixin, ListView):
    model = Procedure
    template_name = "inkoop/procedure_list.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            Procedure.objects.visible_to(self.request.user)
            .select_related("region")
            .order_by("-published_on", "reference")
        )


class ProcedureDetailView(TenantViewMixin, DetailView):
    model = Procedure
    template_name = "inkoop/procedure_detail.html"
    context_object_name = "procedure"

    def get_queryset(self):
        return (
            Procedure.objects.visible_to(self.request.user)
            .select_related("region")
            .prefetch_related("lots__awards__provider")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        procedure = self.object
        context["handovers"] = (
            Handover.objects.visible_to(self.request.user).filter(procedure=procedure).select_related("municipality")
        )
        may_close = procedure.status == ProcedureStatus.AWARDED and can(self.request.user, CHANGE, procedure)
        context["close_form"] = kwargs.get("close_form") or (CloseForm(prefix="close") if may_close else None)
        return context

    def post(self, request, *args, **kwargs):
        form = CloseForm(request.POST, prefix="close")
        if form.is_valid():
            try:
                services.close_procedure(
                    user=request.user, procedure=self.object, closed_on=form.cleaned_data["closed_on"]
                )
            except ValidationError as exc:
                field_errors(form, exc)
            else:
                messages.success(request, _("Het dossier is afgerond en aan de gemeenten overgedragen."))
                return redirect("inkoop-procedure-detail", pk=self.object.pk)
        return self.render_to_response(self.get_context_data(close_form=form), status=400)


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

"""The page of one indication (issue 13): what it is, and for the access team ending it and recording when the own
contribution was reported to the CAK (annex 2 §1). Reads are in the access log; both actions in the indication's
history (who, when, why)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from beschermdwonen import selectors, services
from beschermdwonen.forms_actions import IndicationEndForm, OwnContributionForm
from beschermdwonen.models import Indication
from beschermdwonen.views.access import StepsMixin
from regio.models import log_access
from regio.tenancy import CHANGE, TenantViewMixin, can, get_for_user_or_404


class IndicationDetailView(StepsMixin, TenantViewMixin, TemplateView):
    model = Indication
    template_name = "beschermdwonen/indication_detail.html"
    steps = {"einde": IndicationEndForm, "eigen-bijdrage": OwnContributionForm}
    titles = {"einde": _("Indicatie beëindigen"), "eigen-bijdrage": _("Eigen bijdrage gemeld aan het CAK")}

    def get_object(self):
        if getattr(self, "object", None) is None:
            self.object = get_for_user_or_404(
                selectors.indications_for(self.request.user), self.request.user, pk=self.kwargs["pk"]
            )
        return self.object

    def allowed_steps(self):
        indication = self.get_object()
        if not can(self.request.user, CHANGE, indication):
            return []
        return [name for name in self.steps if name != "einde" or indication.ends_on is None]

    def run_step(self, name, data):
        if name == "einde":
            services.end_indication(user=self.request.user, indication=self.object, ends_on=data["ends_on"])
        else:
            services.report_own_contribution(
                user=self.request.user, indication=self.object, reported_on=data["reported_on"]
            )

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(**kwargs)
        indication = self.get_object()
        log_access(
            user=self.request.user,
            obj=indication,
            municipality=indication.responsible_municipality,
            request=self.request,
        )
        start = selectors.objective_model_start(indication.client.region)
        forms = [(name, self.titles[name], form) for name, form in self.step_forms(bound).items()]
        context.update(
            ind=indication,
            cls=indication.classification(start),
            objective_start=start,
            forms=forms,
            today=timezone.localdate(),
        )
        return context

"""The DVO checklist page (MH 8.2 a-j): per service agreement, which required items it covers and which are missing."""

from __future__ import annotations

from django.views.generic import ListView

from inkoop.models import CHECKLIST, ServiceAgreement
from regio.tenancy import TenantViewMixin


class ServiceAgreementListView(TenantViewMixin, ListView):
    model = ServiceAgreement
    template_name = "inkoop/service_agreement_list.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            ServiceAgreement.objects.visible_to(self.request.user)
            .select_related("region", "agreement")
            .prefetch_related("providers")
            .order_by("region__name", "reference")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["items"] = [(letter, label) for letter, _field, label in CHECKLIST]
        return context

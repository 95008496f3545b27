"""The purchasing pages, one module per topic, re-exported (docs/architecture.md)."""

from inkoop.views.common import DocumentDownloadView
from inkoop.views.contracts import ContractDetailView, ContractListView
from inkoop.views.procurement import ProcedureDetailView, ProcedureExportView, ProcedureListView
from inkoop.views.providers import ProviderDetailView, ProviderListView
from inkoop.views.service_agreements import ServiceAgreementListView

__all__ = [
    "ContractDetailView",
    "ContractListView",
    "DocumentDownloadView",
    "ProcedureDetailView",
    "ProcedureExportView",
    "ProcedureListView",
    "ProviderDetailView",
    "ProviderListView",
    "ServiceAgreementListView",
]

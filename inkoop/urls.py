"""Page routes of inkoop. Every route here is in the cross-tenant matrix (tests/tenancy/cases_inkoop*.py)."""

from django.urls import path

from inkoop import views

urlpatterns = [
    # inkoop-a (issue 16 part A): providers, contracts, procurement, DVO.
    path("inkoop/aanbieders/", views.ProviderListView.as_view(), name="inkoop-providers"),
    path("inkoop/aanbieders/<int:pk>/", views.ProviderDetailView.as_view(), name="inkoop-provider-detail"),
    path("inkoop/contracten/", views.ContractListView.as_view(), name="inkoop-contracts"),
    path("inkoop/contracten/<int:pk>/", views.ContractDetailView.as_view(), name="inkoop-contract-detail"),
    path("inkoop/aanbestedingen/", views.ProcedureListView.as_view(), name="inkoop-procedures"),
    path("inkoop/aanbestedingen/<int:pk>/", views.ProcedureDetailView.as_view(), name="inkoop-procedure-detail"),
    path(
        "inkoop/aanbestedingen/<int:pk>/export/", views.ProcedureExportView.as_view(), name="inkoop-procedure-export"
    ),
    path("inkoop/dvo/", views.ServiceAgreementListView.as_view(), name="inkoop-service-agreements"),
    path("inkoop/documenten/<int:pk>/", views.DocumentDownloadView.as_view(), name="inkoop-document"),
]

# inkoop-b: care-use monitoring and the development table (their own module, kept apart from inkoop-a's routes).
from inkoop.urls_monitoring import urlpatterns as _monitoring_urls  # noqa: E402

urlpatterns += _monitoring_urls

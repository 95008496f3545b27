"""Page routes of the confidential casework (issue 14). Every route is in the cross-tenant matrix
(tests/tenancy/cases_toezicht_casework.py)."""

from django.urls import path

from toezicht import views_casework as views

urlpatterns = [
    path("toezicht/werklijst/", views.WorklistView.as_view(), name="toezicht-worklist"),
    path("toezicht/onderzoeken/", views.InvestigationListView.as_view(), name="toezicht-investigations"),
    path(
        "toezicht/onderzoeken/<str:reference>/",
        views.InvestigationDetailView.as_view(),
        name="toezicht-investigation-detail",
    ),
    path(
        "toezicht/onderzoeken/<str:reference>/documenten/<int:pk>/",
        views.DocumentDownloadView.as_view(),
        name="toezicht-investigation-document",
    ),
    path(
        "toezicht/onderzoeken/<str:reference>/export/",
        views.CaseFileExportView.as_view(),
        name="toezicht-investigation-export",
    ),
    path("toezicht/informatieverzoeken/", views.RequestListView.as_view(), name="toezicht-requests"),
    path(
        "toezicht/informatieverzoeken/<str:reference>/",
        views.RequestDetailView.as_view(),
        name="toezicht-request-detail",
    ),
    path("toezicht/verstrekkingen/", views.DisclosureListView.as_view(), name="toezicht-disclosures"),
    path(
        "toezicht/verstrekkingen/<str:reference>/",
        views.DisclosureDetailView.as_view(),
        name="toezicht-disclosure-detail",
    ),
]

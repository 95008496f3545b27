"""Page routes of beschermd wonen. Every route here is in the cross-tenant matrix
(tests/tenancy/cases_beschermdwonen.py)."""

from django.urls import path

from beschermdwonen import money_views, views

urlpatterns = [
    path("beschermd-wonen/clienten/", views.ClientListView.as_view(), name="bw-client-list"),
    path("beschermd-wonen/clienten/nieuw/", views.ClientCreateView.as_view(), name="bw-client-create"),
    path("beschermd-wonen/clienten/<str:reference>/", views.ClientDetailView.as_view(), name="bw-client-detail"),
    path("beschermd-wonen/meldingen/", views.NotificationListView.as_view(), name="bw-notification-list"),
    path("beschermd-wonen/meldingen/nieuw/", views.NotificationCreateView.as_view(), name="bw-notification-create"),
    path("beschermd-wonen/meldingen/<int:pk>/", views.NotificationDetailView.as_view(), name="bw-notification-detail"),
    path(
        "beschermd-wonen/meldingen/<int:pk>/onderzoek/",
        views.AssessmentCreateView.as_view(),
        name="bw-assessment-create",
    ),
    path("beschermd-wonen/onderzoeken/<int:pk>/", views.AssessmentDetailView.as_view(), name="bw-assessment-detail"),
    path(
        "beschermd-wonen/onderzoeken/<int:pk>/verslag/",
        views.AssessmentReportView.as_view(),
        name="bw-assessment-report",
    ),
    path("beschermd-wonen/aantallen/", views.CountsView.as_view(), name="bw-counts"),
]

# The money side (issue 13 part B).
urlpatterns += [
    path("beschermd-wonen/financiering/", money_views.FinancingView.as_view(), name="bw-financing"),
    path("beschermd-wonen/vergoedingen/", money_views.FeesView.as_view(), name="bw-fees"),
    path("beschermd-wonen/kosten/inlezen/", money_views.CostImportView.as_view(), name="bw-cost-import"),
]

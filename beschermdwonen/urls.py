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
    path(
        "beschermd-wonen/clienten/<str:reference>/indicaties/nieuw/",
        views.IndicationCreateView.as_view(),
        name="bw-indication-create",
    ),
    path(
        "beschermd-wonen/clienten/<str:reference>/geschillen/nieuw/",
        views.DisagreementCreateView.as_view(),
        name="bw-disagreement-create",
    ),
    path(
        "beschermd-wonen/clienten/<str:reference>/herplaatsingen/nieuw/",
        views.ReplacementCreateView.as_view(),
        name="bw-replacement-create",
    ),
    path("beschermd-wonen/adviesvragen/", views.AdviceRequestListView.as_view(), name="bw-advice-list"),
    path("beschermd-wonen/adviesvragen/nieuw/", views.AdviceRequestCreateView.as_view(), name="bw-advice-create"),
    path("beschermd-wonen/adviesvragen/<int:pk>/", views.AdviceRequestDetailView.as_view(), name="bw-advice-detail"),
    path(
        "beschermd-wonen/geschillen/<int:pk>/", views.DisagreementDetailView.as_view(), name="bw-disagreement-detail"
    ),
    path(
        "beschermd-wonen/herplaatsingen/<int:pk>/", views.ReplacementDetailView.as_view(), name="bw-replacement-detail"
    ),
    path("beschermd-wonen/werklijsten/", views.WorklistView.as_view(), name="bw-worklists"),
    path("beschermd-wonen/mijn-gemeente/", views.MemberView.as_view(), name="bw-member-view"),
    path("beschermd-wonen/verdeelmodel/", views.ObjectiveModelView.as_view(), name="bw-objective-model"),
]

# The money side (issue 13 part B).
urlpatterns += [
    path("beschermd-wonen/financiering/", money_views.FinancingView.as_view(), name="bw-financing"),
    path("beschermd-wonen/vergoedingen/", money_views.FeesView.as_view(), name="bw-fees"),
    path("beschermd-wonen/kosten/inlezen/", money_views.CostImportView.as_view(), name="bw-cost-import"),
]

# Issue 13 part A: one indication (ending it, the CAK report of the own contribution) and the charges of annex 3 §5.
urlpatterns += [
    path("beschermd-wonen/indicaties/<int:pk>/", views.IndicationDetailView.as_view(), name="bw-indication-detail"),
    path("beschermd-wonen/onderzoekskosten/", views.ChargesView.as_view(), name="bw-charges"),
]

"""Page routes of this app (Dutch paths). Every route here is in the cross-tenant matrix
(tests/tenancy/cases_agreements.py)."""

from django.urls import path

from agreements import views

urlpatterns = [
    path("overeenkomsten/", views.AgreementListView.as_view(), name="agreement-list"),
    path("overeenkomsten/<str:code>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
    path(
        "overeenkomsten/<str:code>/documenten/nieuw/",
        views.DocumentUploadView.as_view(),
        name="agreement-document-upload",
    ),
    path("overeenkomsten/<str:code>/opzeggingen/nieuw/", views.NoticeCreateView.as_view(), name="notice-create"),
    path("opzeggingen/<int:pk>/", views.NoticeDetailView.as_view(), name="notice-detail"),
    path(
        "overeenkomsten/<str:code>/toetredingen/nieuw/", views.AccessionCreateView.as_view(), name="accession-create"
    ),
    path("toetredingen/<int:pk>/", views.AccessionDetailView.as_view(), name="accession-detail"),
    path("overeenkomsten/<str:code>/wijzigingen/nieuw/", views.AmendmentCreateView.as_view(), name="amendment-create"),
    path("wijzigingen/<int:pk>/", views.AmendmentDetailView.as_view(), name="amendment-detail"),
    path(
        "overeenkomsten/<str:code>/extra-overleg/nieuw/",
        views.ExtraMeetingCreateView.as_view(),
        name="extra-meeting-create",
    ),
    path("extra-overleg/<int:pk>/", views.ExtraMeetingDetailView.as_view(), name="extra-meeting-detail"),
    path("overeenkomsten/<str:code>/beeindigen/", views.AgreementEndView.as_view(), name="agreement-end"),
    path("overeenkomsten/<str:code>/plannen/<int:pk>/ingediend/", views.PlanSubmitView.as_view(), name="plan-submit"),
    path("overeenkomsten/<str:code>/bestuur/", views.AgreementGovernanceView.as_view(), name="agreement-governance"),
    path("overeenkomsten/<str:code>/geschillen/nieuw/", views.DisputeCreateView.as_view(), name="dispute-create"),
    path("geschillen/", views.DisputeListView.as_view(), name="dispute-list"),
    path("geschillen/<int:pk>/", views.DisputeDetailView.as_view(), name="dispute-detail"),
    path(
        "overeenkomsten/<str:code>/informatieverzoeken/nieuw/",
        views.InformationRequestCreateView.as_view(),
        name="information-request-create",
    ),
    path(
        "informatieverzoeken/<int:pk>/",
        views.InformationRequestDetailView.as_view(),
        name="information-request-detail",
    ),
    path(
        "overeenkomsten/<str:code>/voortgangsrapportages/nieuw/",
        views.ProgressReportCreateView.as_view(),
        name="progress-report-create",
    ),
    path("voortgangsrapportages/<int:pk>/", views.ProgressReportDetailView.as_view(), name="progress-report-detail"),
    path(
        "overeenkomsten/<str:code>/bekendmakingen/nieuw/",
        views.PublicationCreateView.as_view(),
        name="publication-create",
    ),
    path("bekendmakingen/<int:pk>/", views.PublicationDetailView.as_view(), name="publication-detail"),
    path("overeenkomsten/<str:code>/overdrachten/nieuw/", views.TransferCreateView.as_view(), name="transfer-create"),
    path("overdrachten/<int:pk>/", views.TransferDetailView.as_view(), name="transfer-detail"),
    path("privacyovereenkomsten/", views.ProcessingAgreementListView.as_view(), name="processing-agreement-list"),
    path("overleg/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("stemmen/<slug:code>/", views.WeightedVotePageView.as_view(), name="weighted-vote-page"),
    path("documenten/<int:pk>/", views.DocumentDownloadView.as_view(), name="document-download"),
    path("mandaten/", views.MandateListView.as_view(), name="mandate-list"),
    path("overleg/", views.MeetingComplianceView.as_view(), name="meeting-compliance"),
    path("overleg/<int:pk>/verslag/", views.MinutesUploadView.as_view(), name="meeting-minutes-upload"),
    path("termijnen/", views.DeadlinesView.as_view(), name="deadlines"),
    path("termijnen/agenda.ics", views.DeadlineFeedView.as_view(), name="deadline-feed"),
    path("termijnen/agenda-abonnement/", views.CalendarSubscriptionView.as_view(), name="calendar-subscription"),
]

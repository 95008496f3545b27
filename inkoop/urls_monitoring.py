"""Routes of care-use monitoring (BNO 4) and the development table (MH), inkoop-b's block of ``inkoop.urls``.
Staff pages are in the cross-tenant matrix (tests/tenancy/cases_inkoop_monitoring.py); the public pages of the
development table are on tests/tenancy/public.py with their reasons."""

from django.urls import path

from inkoop.views import development, monitoring, public

urlpatterns = [
    path("inkoop/monitoring/", monitoring.MonitoringReportView.as_view(), name="inkoop-monitoring"),
    path("inkoop/zorggebruik/inlezen/", monitoring.CareUseImportView.as_view(), name="inkoop-care-use-import"),
    path("inkoop/ontwikkeltafel/", development.DevelopmentBoardView.as_view(), name="inkoop-development"),
    path("inkoop/ontwikkeltafel/tafels/<int:pk>/", development.TableDetailView.as_view(), name="inkoop-table"),
    path(
        "inkoop/ontwikkeltafel/voorstellen/<int:pk>/", development.ProposalDetailView.as_view(), name="inkoop-proposal"
    ),
    path(
        "inkoop/ontwikkeltafel/inbreng/<int:pk>/", development.ContributionView.as_view(), name="inkoop-contribution"
    ),
    path("ontwikkeltafel/", public.PublicIndexView.as_view(), name="inkoop-public"),
    path("ontwikkeltafel/voorstellen/<int:pk>/", public.PublicProposalView.as_view(), name="inkoop-public-proposal"),
]

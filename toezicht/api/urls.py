"""API routes of toezicht under /api/v1/ (namespace "api"). Every route is in the cross-tenant matrix (the
Meldpunt is on the public list, with its reason)."""

from rest_framework.routers import SimpleRouter

from toezicht.api import casework, plans, views

router = SimpleRouter()
router.register("toezicht/fte-split", views.FteSplitViewSet, basename="fte-split")
router.register("toezicht/supervisors", views.AppointmentViewSet, basename="toezicht-supervisor")
router.register("toezicht/hours", views.HoursViewSet, basename="toezicht-hours")
router.register("toezicht/hours-against-capacity", views.HoursAgainstCapacityViewSet, basename="toezicht-capacity")
router.register("toezicht/signals", views.SignalViewSet, basename="toezicht-signal")
router.register("toezicht/meldpunt", views.MeldpuntViewSet, basename="toezicht-meldpunt")

# Confidential casework (issue 14): the names are kept as the issue gives them.
router.register("toezicht/investigations", casework.InvestigationViewSet, basename="toezicht-investigation")
router.register(
    "toezicht/information-requests", casework.InformationRequestViewSet, basename="toezicht-information-request"
)
router.register("toezicht/disclosures", casework.DisclosureViewSet, basename="toezicht-disclosure")

# Plans and reports (issue 14, part B): read-only.
router.register("toezicht/plans", plans.PlanViewSet, basename="toezicht-plan")
router.register("toezicht/annual-reports", plans.AnnualReportViewSet, basename="toezicht-annual-report")
router.register("toezicht/joint-evaluations", plans.JointEvaluationViewSet, basename="toezicht-joint-evaluation")

urlpatterns = router.urls

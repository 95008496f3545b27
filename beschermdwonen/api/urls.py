"""API routes of beschermd wonen under /api/v1/ (namespace "api"). Every route is in the cross-tenant matrix."""

from rest_framework.routers import SimpleRouter

from beschermdwonen.api import access, charges, money, views

router = SimpleRouter()
router.register("beschermd-wonen/clients", views.ClientViewSet, basename="bw-client")
router.register("beschermd-wonen/notifications", views.NotificationViewSet, basename="bw-notification")
router.register("beschermd-wonen/indications", views.IndicationViewSet, basename="bw-indication")
router.register("beschermd-wonen/assessments", views.AssessmentViewSet, basename="bw-assessment")
# Advice requests, disagreements and replacements (WM-DVO annex 2 §2-4), with the step actions of their pages.
router.register("beschermd-wonen/advice-requests", access.AdviceRequestViewSet, basename="bw-advice-request")
router.register("beschermd-wonen/disagreements", access.DisagreementViewSet, basename="bw-disagreement")
router.register("beschermd-wonen/replacements", access.ReplacementViewSet, basename="bw-replacement")

# The money side (issue 13 part B): read-only figures per member.
router.register("beschermd-wonen/financing", money.FinancingViewSet, basename="bw-financing")
router.register("beschermd-wonen/fees", money.FeeViewSet, basename="bw-fees")

# The charges of annex 3 §5 (issue 13 part A): read-only; recorded on the page.
router.register("beschermd-wonen/charges", charges.MemberChargeViewSet, basename="bw-charge")

urlpatterns = router.urls

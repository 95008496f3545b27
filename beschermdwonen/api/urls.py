"""API routes of beschermd wonen under /api/v1/ (namespace "api"). Every route is in the cross-tenant matrix."""

from rest_framework.routers import SimpleRouter

from beschermdwonen.api import charges, money, views

router = SimpleRouter()
router.register("beschermd-wonen/clients", views.ClientViewSet, basename="bw-client")
router.register("beschermd-wonen/notifications", views.NotificationViewSet, basename="bw-notification")
router.register("beschermd-wonen/indications", views.IndicationViewSet, basename="bw-indication")
router.register("beschermd-wonen/assessments", views.AssessmentViewSet, basename="bw-assessment")

# The money side (issue 13 part B): read-only figures per member.
router.register("beschermd-wonen/financing", money.FinancingViewSet, basename="bw-financing")
router.register("beschermd-wonen/fees", money.FeeViewSet, basename="bw-fees")

# The charges of annex 3 §5 (issue 13 part A): read-only; recorded on the page.
router.register("beschermd-wonen/charges", charges.MemberChargeViewSet, basename="bw-charge")

urlpatterns = router.urls

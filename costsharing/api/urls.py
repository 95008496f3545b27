"""API routes of cost sharing under /api/v1/ (namespace "api"). Every route is in the cross-tenant matrix."""

from rest_framework.routers import SimpleRouter

from costsharing.api import views

router = SimpleRouter()
router.register("allocation-keys", views.AllocationKeyViewSet, basename="allocation-key")
# A separate view (regio's RegionViewSet stays untouched): /api/v1/regions/{code}/tariffs/?year=2024
router.register(r"regions/(?P<region_code>[^/.]+)/tariffs", views.TariffViewSet, basename="tariff")
router.register("reckonings", views.ReckoningViewSet, basename="reckoning")
# The region's CAO steps; POST adds one, bounded as on the tariffs page (issue 10, finding 4).
router.register(r"regions/(?P<region_code>[^/.]+)/cao-steps", views.CaoStepViewSet, basename="cao-step")
# BNO's annual reports (BNO 10.5-10.6): GET list/detail by year; POST {year}/adopt/ records the adoption (issue 12).
router.register(r"regions/(?P<region_code>[^/.]+)/annual-reports", views.AnnualReportViewSet, basename="annual-report")

urlpatterns = router.urls

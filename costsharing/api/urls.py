"""API routes of cost sharing under /api/v1/ (namespace "api"). Every route is in the cross-tenant matrix."""

from rest_framework.routers import SimpleRouter

from costsharing.api import cycle, exits, views

router = SimpleRouter()
router.register("allocation-keys", views.AllocationKeyViewSet, basename="allocation-key")
# A separate view (regio's RegionViewSet stays untouched): /api/v1/regions/{code}/tariffs/?year=2024
router.register(r"regions/(?P<region_code>[^/.]+)/tariffs", views.TariffViewSet, basename="tariff")
router.register("reckonings", views.ReckoningViewSet, basename="reckoning")
# The region's CAO steps; POST adds one, bounded as on the tariffs page (issue 10, finding 4).
router.register(r"regions/(?P<region_code>[^/.]+)/cao-steps", views.CaoStepViewSet, basename="cao-step")
# BNO's annual reports (BNO 10.5-10.6): GET list/detail by year; POST {year}/adopt/ records the adoption (issue 12).
router.register(r"regions/(?P<region_code>[^/.]+)/annual-reports", views.AnnualReportViewSet, basename="annual-report")

# The yearly cycle (issue 12): /api/v1/regions/{code}/fee/?year=2025 and /api/v1/regions/{code}/settlement/?year=2025
router.register(r"regions/(?P<region_code>[^/.]+)/fee", cycle.FeeViewSet, basename="region-fee")
router.register(r"regions/(?P<region_code>[^/.]+)/settlement", cycle.SettlementViewSet, basename="region-settlement")
# The leaver's bill (WM-SO 16.3-16.6, BNO 15.4): read a statement, write its entered amounts.
router.register("exit-statements", exits.ExitStatementViewSet, basename="exit-statement")

urlpatterns = router.urls

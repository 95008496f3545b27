"""API routes of toezicht under /api/v1/ (namespace "api"). Every route is in the cross-tenant matrix."""

from rest_framework.routers import SimpleRouter

from toezicht.api import views

router = SimpleRouter()
router.register("toezicht/fte-split", views.FteSplitViewSet, basename="fte-split")

urlpatterns = router.urls

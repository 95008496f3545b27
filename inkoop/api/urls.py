"""API routes of inkoop under /api/v1/ (namespace "api"). Every route is in the cross-tenant matrix."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

urlpatterns = router.urls

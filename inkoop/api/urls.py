"""API routes of inkoop under /api/v1/ (namespace "api"). Every route is in the cross-tenant matrix."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

# inkoop-b: care-use monitoring and the development table (inkoop/api/monitoring.py).
from inkoop.api.monitoring import register as _register_monitoring  # noqa: E402

_register_monitoring(router)

urlpatterns = router.urls

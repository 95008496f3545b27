"""API routes of inkoop under /api/v1/ (namespace "api"). Every route is in the cross-tenant matrix
(tests/tenancy/cases_inkoop*.py)."""

from rest_framework.routers import SimpleRouter

from inkoop.api import views

router = SimpleRouter()
# inkoop-a (issue 16 part A): the names are kept as the issue gives them.
router.register("providers", views.ProviderViewSet, basename="provider")
router.register("contracts", views.ContractViewSet, basename="contract")

# inkoop-b: care-use monitoring and the development table (inkoop/api/monitoring.py).
from inkoop.api.monitoring import register as _register_monitoring  # noqa: E402

_register_monitoring(router)

urlpatterns = router.urls

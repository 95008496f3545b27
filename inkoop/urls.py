"""Page routes of inkoop. Every route here is in the cross-tenant matrix (tests/tenancy/cases_inkoop*.py)."""

urlpatterns: list = []

# inkoop-b: care-use monitoring and the development table (their own module, kept apart from inkoop-a's routes).
from inkoop.urls_monitoring import urlpatterns as _monitoring_urls  # noqa: E402

urlpatterns += _monitoring_urls

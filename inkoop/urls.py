"""Page routes of inkoop. Every route here is in the cross-tenant matrix (tests/tenancy/cases_inkoop*.py)."""

urlpatterns: list = []

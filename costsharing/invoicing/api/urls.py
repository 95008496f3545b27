"""API routes of invoicing under /api/v1/. Every route here must be in the cross-tenant matrix."""

urlpatterns: list = []

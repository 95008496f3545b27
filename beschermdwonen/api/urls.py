"""API routes of this app under /api/v1/ (filled by later issues). Every route must be in the cross-tenant matrix."""

urlpatterns: list = []

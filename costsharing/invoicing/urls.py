"""Page routes of invoicing. Every route here must be in the cross-tenant matrix."""

urlpatterns: list = []

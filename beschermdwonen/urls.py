"""Page routes of this app (filled by later issues). Every route here must be in the cross-tenant matrix."""

urlpatterns: list = []

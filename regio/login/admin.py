"""Identity providers and the security log in the Django admin (superusers only, see regio/admin.py).

The client secret is write-only: the form never shows it (not even masked), an empty field keeps the stored one, and
it is kept encrypted (``regio.login.oidc.encrypt_secret``), out of the audit history.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from regio.login.forms import IdentityProviderAdminForm
from regio.login.models import IdentityProvider, SecurityEvent


@admin.register(IdentityProvider)
class IdentityProviderAdmin(SimpleHistoryAdmin):
    form = IdentityProviderAdminForm
    list_display = ["municipality", "issuer", "enabled", "required", "enforces_mfa"]


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "municipality", "kind", "detail"]
    list_filter = ["kind", "municipality"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

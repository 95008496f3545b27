"""Identity providers and the security log in the Django admin (superusers only, see regio/admin.py).

The client secret is write-only: the form never shows it (not even masked), an empty field keeps the stored one, and
it is kept encrypted (``regio.login.oidc.encrypt_secret``), out of the audit history.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from regio.login.models import IdentityProvider, SecurityEvent
from regio.login.oidc import encrypt_secret


class IdentityProviderForm(forms.ModelForm):
    issuer = forms.URLField(label=_("issuer (uitgever)"), max_length=300, assume_scheme="https")
    client_secret = forms.CharField(
        label=_("client-secret"),
        required=False,
        max_length=500,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Wordt versleuteld bewaard en nooit getoond. Leeg laten houdt het bewaarde secret."),
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "municipality",
            "enabled",
            "label",
            "issuer",
            "client_id",
            "scopes",
            "role_claim",
            "role_mapping",
            "required",
            "enforces_mfa",
            "mfa_values",
        ]

    def save(self, commit=True):
        if self.cleaned_data.get("client_secret"):
            self.instance.client_secret_encrypted = encrypt_secret(self.cleaned_data["client_secret"])
        return super().save(commit=commit)


@admin.register(IdentityProvider)
class IdentityProviderAdmin(SimpleHistoryAdmin):
    form = IdentityProviderForm
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

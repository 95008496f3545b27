from django import forms
from django.utils.translation import gettext_lazy as _

from regio.login.models import IdentityProvider


class CodeForm(forms.Form):
    """The six digits of an authenticator app."""

    token = forms.RegexField(
        label=_("Code uit uw authenticator-app"),
        regex=r"^\s*\d{6}\s*$",
        max_length=20,
        error_messages={"invalid": _("Vul de zes cijfers in die uw app nu toont.")},
        widget=forms.TextInput(
            attrs={
                "class": "utrecht-textbox",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
    )

    def clean_token(self):
        return self.cleaned_data["token"].strip()


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Herstelcode"),
        max_length=40,
        help_text=_("Een van de herstelcodes die u bij het instellen kreeg. Elke code werkt één keer."),
        widget=forms.TextInput(attrs={"class": "utrecht-textbox", "autocomplete": "off", "autofocus": True}),
    )


class IdentityProviderForm(forms.ModelForm):
    """A municipality's identity provider; the client secret is write-only (never rendered, empty keeps it)."""

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role_mapping"].help_text = _(
            'Per waarde van de rolclaim de rol in Regio Wmo, bijvoorbeeld {"wmo-team": "ambtenaar", "bw-team": "bw"}.'
        )
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "utrecht-textbox")

    def save(self, commit=True):
        if self.cleaned_data.get("client_secret"):
            from regio.login.oidc import encrypt_secret

            self.instance.client_secret_encrypted = encrypt_secret(self.cleaned_data["client_secret"])
        return super().save(commit=commit)


class IdentityProviderAdminForm(IdentityProviderForm):
    """The same in the Django admin, where the technical administrator chooses the municipality."""

    class Meta(IdentityProviderForm.Meta):
        fields = ["municipality", *IdentityProviderForm.Meta.fields]

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from regio.roles import MUNICIPAL_ROLES, Role


class LoginForm(AuthenticationForm):
    """Django's login form with Dutch labels and autocomplete hints (WCAG 1.3.5)."""

    username = forms.CharField(
        label=_("Gebruikersnaam"),
        max_length=150,  # as the user model; a longer name reached django-axes' 255-character log as a 500
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "class": "utrecht-textbox"}),
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "utrecht-textbox"}),
    )
    error_messages = {
        "invalid_login": _("Gebruikersnaam of wachtwoord klopt niet. Let op hoofdletters."),
        "inactive": _("Dit account is niet actief."),
        "oidc_required": _(
            "Uw gemeente laat u alleen inloggen via haar eigen inlogdienst. Gebruik de knop met de naam van uw "
            "gemeente hieronder."
        ),
    }

    def confirm_login_allowed(self, user):
        """A municipality that requires its own identity provider: no password login for its people (issue 17)."""
        super().confirm_login_allowed(user)
        from regio.login.models import SecurityEvent, log_event
        from regio.login.oidc import password_login_refused

        if password_login_refused(user):
            log_event(user=user, kind=SecurityEvent.Kind.PASSWORD_REFUSED, request=self.request)
            raise forms.ValidationError(self.error_messages["oidc_required"], code="oidc_required")


class PersonForm(forms.Form):
    """A person's name, e-mail address, roles and whether the account is active (functional administrator)."""

    full_name = forms.CharField(
        label=_("Naam"),
        max_length=150,
        widget=forms.TextInput(attrs={"class": "utrecht-textbox", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        help_text=_("Bij een wijziging krijgt het oude adres daarvan bericht."),
        widget=forms.EmailInput(attrs={"class": "utrecht-textbox", "autocomplete": "off"}),
    )
    roles = forms.MultipleChoiceField(
        label=_("Rollen"),
        choices=[(role, Role(role).label) for role in MUNICIPAL_ROLES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("Account actief"), required=False)

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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
    }

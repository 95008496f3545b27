from django import forms
from django.utils.translation import gettext_lazy as _


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

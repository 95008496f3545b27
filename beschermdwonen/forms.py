from django import forms
from django.utils.translation import gettext_lazy as _

from beschermdwonen.models import NotificationKind
from regio.bounds import PlausibleDate
from regio.privacy import no_bsn


class ClientForm(forms.Form):
    reference = forms.CharField(
        label=_("Cliëntreferentie"),
        max_length=40,
        required=False,
        validators=[no_bsn],
        help_text=_("Laat leeg voor een nieuwe pseudonieme referentie. Nooit een naam of burgerservicenummer."),
    )
    birth_year = forms.CharField(
        label=_("Geboortejaar"), max_length=4, required=False, help_text=_("Alleen het jaar, bijvoorbeeld 1980.")
    )
    municipality = forms.ChoiceField(label=_("Woonplaats (gemeente)"))
    valid_from = forms.DateField(label=_("Woont daar vanaf"), validators=[PlausibleDate()], help_text=_("dd-mm-jjjj"))

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only the region's members can be chosen (STYLE.md rule 5).
        self.fields["municipality"].choices = [(m.code, m.name) for m in municipalities]


class MoveForm(forms.Form):
    municipality = forms.ChoiceField(label=_("Nieuwe woonplaats (gemeente)"))
    valid_from = forms.DateField(label=_("Woont daar vanaf"), validators=[PlausibleDate()], help_text=_("dd-mm-jjjj"))

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [(m.code, m.name) for m in municipalities]


class NotificationForm(forms.Form):
    client = forms.CharField(
        label=_("Cliëntreferentie"),
        max_length=40,
        validators=[no_bsn],
        help_text=_("De pseudonieme referentie uit het register, bijvoorbeeld BW-1A2B3C4D5E."),
    )
    notified_on = forms.DateField(
        label=_("Datum melding"), validators=[PlausibleDate(not_in_future=True)], help_text=_("dd-mm-jjjj")
    )
    kind = forms.ChoiceField(label=_("Soort melding"), choices=NotificationKind.choices)
    notified_by = forms.CharField(
        label=_("Gemeld door"),
        max_length=150,
        validators=[no_bsn],
        help_text=_("Bijvoorbeeld: huisarts, wijkteam, de cliënt zelf. Geen namen van cliënten."),
    )

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from beschermdwonen.models import AdviceKind, NotificationKind
from regio.amounts import AmountField
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


class AssessmentForm(forms.Form):
    advice_kind = forms.ChoiceField(label=_("Advies"), choices=AdviceKind.choices, initial=AdviceKind.NONE)
    advice_cost = AmountField(
        label=_("Kosten advies"), minimum=Decimal("0"), required=False, help_text=_("In euro, bijvoorbeeld 450,00")
    )
    consultation_hours = AmountField(
        label=_("Sparringuren"), number=True, minimum=Decimal("0"), maximum=Decimal("9999.99"), required=False
    )
    consultation_requested_by = forms.ChoiceField(label=_("Sparring gevraagd door"), required=False)

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultation_requested_by"].choices = [("", "—")] + [(m.code, m.name) for m in municipalities]


class HoursForm(forms.Form):
    function = forms.CharField(
        label=_("Functie"), max_length=100, validators=[no_bsn], help_text=_("Bijvoorbeeld: Allround consulent Wmo")
    )
    scale = forms.IntegerField(label=_("Schaal"), min_value=1, max_value=18)
    hours = AmountField(label=_("Uren"), number=True, maximum=Decimal("9999.99"), help_text=_("Bijvoorbeeld 7 of 0,5"))


class ReportForm(forms.Form):
    report = forms.FileField(label=_("Gespreksverslag (PDF)"), help_text=_("Alleen PDF, hoogstens 10 MB."))

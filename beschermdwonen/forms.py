from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from beschermdwonen.models import AdviceKind, Delivery, IndicationProduct, MemberDecision, NotificationKind
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


# Indications, advice, disagreements, replacements (issue 13 part A).

DATE_HELP = _("dd-mm-jjjj")


def _date(label, *, required=True, not_in_future=False):
    return forms.DateField(
        label=label, required=required, validators=[PlausibleDate(not_in_future=not_in_future)], help_text=DATE_HELP
    )


def _text(label, *, required=True, max_length=4000, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        validators=[no_bsn],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text or _("Geen namen en geen burgerservicenummer."),
    )


def _line(label, *, required=True, max_length=200, help_text=""):
    return forms.CharField(
        label=label, required=required, max_length=max_length, validators=[no_bsn], help_text=help_text
    )


class IndicationForm(forms.Form):
    product = forms.ChoiceField(label=_("Product"), choices=IndicationProduct.choices)
    decided_on = _date(_("Datum besluit (indicatie)"), not_in_future=True)
    care_start = _date(_("Startdatum zorg"))
    ends_on = _date(_("Einddatum"), required=False)
    decided_by = forms.ChoiceField(
        label=_("Besloten door"),
        required=False,
        help_text=_("Het arrangement stelt de coördinerende gemeente vast; leeg: de verantwoordelijke gemeente."),
    )
    delivery = forms.ChoiceField(label=_("Leveringsvorm"), choices=Delivery.choices)
    own_contribution_reported_on = _date(_("Eigen bijdrage gemeld op"), required=False, not_in_future=True)

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_by"].choices = [("", "—")] + [(m.code, m.name) for m in municipalities]


class AdviceRequestForm(forms.Form):
    """The intake format of an advice request (WM-DVO annex 2 §4: "een format met informatie")."""

    case_reference = _line(
        _("Eigen kenmerk"), max_length=40, help_text=_("Uw pseudonieme kenmerk van de casus; geen naam of BSN.")
    )
    requested_on = _date(_("Datum adviesvraag"), not_in_future=True)
    question = _text(_("Adviesvraag"))
    situation = _text(_("Situatie en hulpvraag"))
    current_support = _text(_("Huidige ondersteuning"), required=False)


class AdviceForm(forms.Form):
    advised_on = _date(_("Datum advies"), not_in_future=True)
    begeleiding = forms.BooleanField(label=_("Advies: Begeleiding individueel"), required=False)
    bb = forms.ChoiceField(
        label=_("Advies: Bereikbaarheid en Beschikbaarheid"),
        required=False,
        choices=[("", _("geen")), ("basis", _("basis")), ("intensief", _("intensief"))],
    )
    text = _text(_("Inhoud advies"), max_length=8000)
    client = _line(
        _("Cliëntreferentie in het register"),
        required=False,
        max_length=40,
        help_text=_("Optioneel: de cliënt in het register waarover het advies gaat."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Besluit van de gemeente"), choices=MemberDecision.choices)
    decided_on = _date(_("Datum besluit"), not_in_future=True)
    note = _text(_("Toelichting"), required=False, help_text=_("Verplicht als het advies niet (helemaal) is gevolgd."))


class DisagreementForm(forms.Form):
    opened_on = _date(_("Datum"), not_in_future=True)
    subject = _text(_("Waarover de gemeenten het niet eens zijn"))


class DisagreementStepForm(forms.Form):
    taken_on = _date(_("Datum stap"), not_in_future=True)
    step = _line(_("Stap"), max_length=150, help_text=_("Bijvoorbeeld: ambtelijk overleg, bestuurlijk overleg."))
    note = _text(_("Toelichting"), required=False)


class DisagreementCloseForm(forms.Form):
    closed_on = _date(_("Afgesloten op"), not_in_future=True)
    outcome = _text(_("Uitkomst"))


class ReplacementForm(forms.Form):
    reported_on = _date(_("Onhoudbare situatie gemeld op"), not_in_future=True)
    reason = _text(_("Situatie"))
    responsible_provider = _line(
        _("Aanbieder die verantwoordelijk blijft"), help_text=_("Tot een oplossing is gevonden (bijlage 2 §3).")
    )


class CaseMeetingForm(forms.Form):
    meeting_on = _date(_("Datum casusoverleg"))
    invited_providers = _text(
        _("Uitgenodigde aanbieders"), max_length=2000, help_text=_("Een selectie van aanbieders.")
    )


class HandoverForm(forms.Form):
    receiving_provider = _line(_("Ontvangende aanbieder"))
    handover_on = _date(_("Datum warme overdracht"))


class CloseForm(forms.Form):
    closed_on = _date(_("Afgesloten op"), not_in_future=True)

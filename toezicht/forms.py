from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from regio.amounts import AmountField
from regio.bounds import check_date
from regio.privacy import no_bsn_validator
from toezicht.models import Funding, SignalKind, SignalSource, SupervisionKind, Triage


class CapacityForm(forms.Form):
    municipality = forms.ChoiceField(label=_("Gemeente"))
    fte = AmountField(
        label=_("Fte"),
        decimals=4,
        minimum=Decimal("0"),
        maximum=Decimal("9999.9999"),  # DecimalField(max_digits=8, decimal_places=4)
        number=True,
        help_text=_("Toezichtcapaciteit voor deze gemeente, bijvoorbeeld 0,35"),
    )
    source = forms.CharField(
        label=_("Bron"), max_length=200, required=False, help_text=_("Bijvoorbeeld: DVO 2025 bijlage 4")
    )

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only the region's members can be chosen (STYLE.md rule 5: choice fields are restricted too).
        self.fields["municipality"].choices = [(m.code, m.name) for m in municipalities]


class AppointmentForm(forms.Form):
    """The coordinating municipality appoints a supervisor (art. 6.1 lid 1 Wmo 2015)."""

    supervisor = forms.ChoiceField(label=_("Toezichthouder"))
    kind = forms.ChoiceField(label=_("Soort toezicht"), choices=SupervisionKind.choices)
    decision_date = forms.DateField(label=_("Datum aanwijzingsbesluit"), help_text=_("Bijvoorbeeld 01-04-2025"))
    decision_reference = forms.CharField(
        label=_("Kenmerk aanwijzingsbesluit"), max_length=200, help_text=_("Kenmerk of vindplaats van het besluit")
    )
    municipalities = forms.MultipleChoiceField(label=_("Toegewezen gemeenten"), widget=forms.CheckboxSelectMultiple)
    active_from = forms.DateField(label=_("Actief vanaf"))
    active_until = forms.DateField(label=_("Actief tot en met"), required=False)

    def __init__(self, *args, supervisors=(), municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only people and members the user may choose (STYLE.md rule 5: choice fields are restricted too).
        self.fields["supervisor"].choices = [(str(u.pk), str(u)) for u in supervisors]
        self.fields["municipalities"].choices = [(m.code, m.name) for m in municipalities]

    def clean(self):
        data = super().clean()
        for name in ("decision_date", "active_from", "active_until"):
            if data.get(name):
                try:
                    check_date(data[name], label=str(self.fields[name].label))
                except ValidationError as exc:
                    self.add_error(name, exc)
        return data


class HoursForm(forms.Form):
    municipality = forms.ChoiceField(label=_("Gemeente"))
    week = forms.DateField(label=_("Week"), help_text=_("Een dag in de week; de uren tellen voor die hele week"))
    hours = AmountField(label=_("Uren"), decimals=2, minimum=Decimal("0"), maximum=Decimal("168"), number=True)

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [(m.code, m.name) for m in municipalities]


class SignalForm(forms.Form):
    """A supervisor records a signal that reached them otherwise than through the Meldpunt."""

    municipality = forms.ChoiceField(label=_("Gemeente"))
    received_on = forms.DateField(label=_("Datum ontvangst"))
    source = forms.ChoiceField(label=_("Bron"), choices=SignalSource.choices)
    provider_name = forms.CharField(
        label=_("Aanbieder"), max_length=200, required=False, validators=[no_bsn_validator]
    )
    kind = forms.ChoiceField(label=_("Soort"), choices=SignalKind.choices)
    funding = forms.ChoiceField(label=_("Financiering"), choices=Funding.choices, initial=Funding.UNKNOWN)
    description = forms.CharField(
        label=_("Omschrijving"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[no_bsn_validator],
    )

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [(m.code, m.name) for m in municipalities]


class TriageForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Beoordeling"), choices=[c for c in Triage.choices if c[0] != Triage.UNTRIAGED]
    )
    reasons = forms.CharField(
        label=_("Motivering"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), validators=[no_bsn_validator]
    )


class MeldpuntForm(forms.Form):
    """The public Meldpunt toezicht Wmo: anyone reports a signal; nothing is asked that is not needed."""

    municipality = forms.ChoiceField(label=_("Over welke gemeente gaat uw melding?"))
    provider_name = forms.CharField(
        label=_("Naam van de zorgaanbieder (als u die weet)"),
        max_length=200,
        required=False,
        validators=[no_bsn_validator],
    )
    kind = forms.ChoiceField(
        label=_("Waar gaat het over?"),
        choices=[
            (SignalKind.QUALITY, _("De kwaliteit van de zorg of ondersteuning")),
            (SignalKind.LAWFULNESS, _("Het geld: onrechtmatig gebruik of fraude")),
            (SignalKind.BOTH, _("Allebei")),
        ],
    )
    funding = forms.ChoiceField(
        label=_("Hoe wordt de zorg betaald?"), choices=Funding.choices, initial=Funding.UNKNOWN
    )
    description = forms.CharField(
        label=_("Uw melding"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        validators=[no_bsn_validator],
        help_text=_("Beschrijf wat er gebeurt. Noem geen burgerservicenummer (BSN) en geen medische gegevens."),
    )
    contact = forms.CharField(
        label=_("Uw e-mailadres of telefoonnummer (niet verplicht)"),
        max_length=200,
        required=False,
        validators=[no_bsn_validator],
        help_text=_("Alleen als u wilt dat de toezichthouder contact met u kan opnemen."),
    )
    # A honeypot: hidden from people (CSS and aria-hidden), filled in by robots. A filled one is treated as spam.
    website = forms.CharField(label=_("Laat dit veld leeg"), required=False, max_length=200)

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [(m.code, m.name) for m in municipalities]
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})


class ProductiveHoursForm(forms.Form):
    productive_hours = AmountField(
        label=_("Productieve uren per fte"),
        decimals=2,
        minimum=Decimal("1"),
        maximum=Decimal("8784"),
        number=True,
        help_text=_("Uit de normen van dit jaar, bijvoorbeeld 1400"),
    )

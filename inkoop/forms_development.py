"""Forms of the development table (MH) and of the care-use import (BNO 4); their messages in plain Dutch."""

from django import forms
from django.utils.translation import gettext_lazy as _

from inkoop.models import SeatReason
from regio.bounds import PlausibleDate
from regio.privacy import no_bsn_validator

TEXT = {"class": "utrecht-textbox"}
AREA = {"class": "utrecht-textarea", "rows": 5}


def _date(label, required=True):
    return forms.DateField(
        label=label,
        required=required,
        validators=[PlausibleDate()],
        help_text=_("Bijvoorbeeld 01-04-2026"),
        widget=forms.DateInput(attrs=TEXT),
    )


def _text(label, max_length, required=True, area=False):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        validators=[no_bsn_validator],
        widget=forms.Textarea(attrs=AREA) if area else forms.TextInput(attrs=TEXT),
    )


def _yes_no(label, yes, no):
    """A two-way choice as radio buttons, cleaned to True (``ja``) or False (``nee``)."""
    return forms.TypedChoiceField(
        label=label, coerce=lambda v: v == "ja", choices=[("ja", yes), ("nee", no)], widget=forms.RadioSelect
    )


class CareUseImportForm(forms.Form):
    municipality = forms.ChoiceField(label=_("Gemeente (Wmo-systeem waaruit het bestand komt)"))
    file = forms.FileField(
        label=_("Bestand"), help_text=_("CSV (puntkomma of komma) of Excel (.xlsx) met één regel zorggebruik per rij.")
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities = {m.code: m for m in municipalities}
        self.fields["municipality"].choices = [(m.code, m.name) for m in municipalities]


class _Choice(forms.Form):
    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.objects = {str(o.pk): o for o in choices}
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField) and not field.choices:
                field.choices = [(str(o.pk), str(o)) for o in choices]
        self.choice_field = next((n for n, f in self.fields.items() if isinstance(f, forms.ChoiceField)), None)

    def chosen(self):
        return self.objects.get(self.cleaned_data.get(self.choice_field))


class SignForm(_Choice):
    provider = forms.ChoiceField(label=_("Aanbieder"))
    signed_on = _date(_("Ondertekend op"))


class TableForm(forms.Form):
    theme = _text(_("Thema"), 150)
    description = _text(_("Toelichting"), 2000, required=False, area=True)


class ProposalForm(_Choice):
    submitter = forms.ChoiceField(label=_("Ingediend door"))
    table = forms.ChoiceField(label=_("Ontwikkeltafel"), choices=[("", "")])
    title = _text(_("Titel"), 200)
    summary = _text(_("Voorlopig voorstel"), 5000, area=True)
    on = _date(_("Ingediend op"))

    def __init__(self, *args, submitters=(), tables=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.submitters = dict(submitters)
        self.fields["submitter"].choices = [(key, str(obj)) for key, obj in submitters]
        self.tables = {str(t.pk): t for t in tables}
        self.fields["table"].choices = [(str(t.pk), t.theme) for t in tables]


class SeatForm(_Choice):
    signatory = forms.ChoiceField(label=_("Deelnemer"))
    reason = forms.ChoiceField(label=_("Reden van de selectie (MH 4.3)"), choices=SeatReason.choices)
    explanation = _text(_("Toelichting"), 300, required=False)


class DateForm(forms.Form):
    on = _date(_("Datum"))


class MeetingRequestForm(_Choice):
    signatory = forms.ChoiceField(label=_("Gevraagd door (deelnemer)"))
    subject = _text(_("Onderwerp"), 200)
    on = _date(_("Gevraagd op"))


class MeetingPlanForm(forms.Form):
    subject = _text(_("Onderwerp"), 200)
    held_on = _date(_("Datum overleg"))


class MinutesForm(forms.Form):
    minutes = _text(_("Verslag"), 5000, area=True)


class TableDecisionForm(forms.Form):
    work_out = _yes_no(_("Besluit van de ontwikkeltafel"), _("uitwerken"), _("niet uitwerken"))
    on = _date(_("Datum overleg"))
    note = _text(_("Toelichting"), 2000, required=False, area=True)


class PublishForm(forms.Form):
    elaboration = _text(_("Uitgewerkt voorstel"), 20000, area=True)
    on = _date(_("Gepubliceerd op"))
    reactions_until = _date(_("Reageren kan tot en met"))


class BoardsForm(forms.Form):
    on = _date(_("Voorgelegd op"))
    note = _text(_("Conclusie uit de reacties"), 2000, required=False, area=True)


class BoardDecisionForm(_Choice):
    municipality = forms.ChoiceField(label=_("Gemeente"))
    adopted = _yes_no(_("Besluit van het college"), _("aangenomen"), _("verworpen"))
    on = _date(_("Besloten op"))
    note = _text(_("Toelichting"), 500, required=False)


class JudgeForm(forms.Form):
    agenda = _yes_no(_("Op de agenda van de ontwikkeltafel (MH 6.5)"), _("agenderen"), _("niet agenderen"))
    on = _date(_("Beoordeeld op"))
    note = _text(_("Toelichting"), 500, required=False)


class ContributionForm(forms.Form):
    """The public reaction or signal (MH 6): only the text is needed; a name and organisation if one wants to be
    named. ``website`` is a honeypot that people do not see."""

    text = _text(_("Uw reactie"), 3000, area=True)
    name = forms.CharField(
        label=_("Uw naam (niet verplicht)"),
        max_length=100,
        required=False,
        validators=[no_bsn_validator],
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "name"}),
    )
    organisation = forms.CharField(
        label=_("Organisatie (niet verplicht)"),
        max_length=150,
        required=False,
        validators=[no_bsn_validator],
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "organization"}),
    )
    website = forms.CharField(required=False, widget=forms.HiddenInput)


class SignalForm(ContributionForm):
    region = forms.ChoiceField(label=_("Regio"))

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = {r.code: r for r in regions}
        self.fields["region"].choices = [(r.code, r.name) for r in regions]
        self.fields["text"].label = _("Uw signaal")
        self.order_fields(["region", "text", "name", "organisation", "website"])

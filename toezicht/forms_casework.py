"""Forms of the casework pages (investigations, information requests, disclosures). Choice fields hold only what the
user may choose (STYLE.md rule 5); dates are bounded (regio.bounds); texts refuse a BSN."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from regio.bounds import check_date
from regio.privacy import no_bsn_validator
from toezicht.models import (
    Approach,
    CollegeDecision,
    DisclosureBasis,
    InterventionKind,
    InvestigationFunding,
    Outcome,
    Power,
    SignalKind,
)


class BoundedDates(forms.Form):
    """Every date field checked against the house bounds (no year 9999, no year 1)."""

    def clean(self):
        data = super().clean()
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField) and data.get(name):
                try:
                    check_date(data[name], label=str(field.label))
                except ValidationError as exc:
                    self.add_error(name, exc)
        return data


def _text(label, limit, required=True, **kwargs):
    return forms.CharField(label=label, max_length=limit, required=required, validators=[no_bsn_validator], **kwargs)


def _area(label, limit, required=True, **kwargs):
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        validators=[no_bsn_validator],
        widget=forms.Textarea(attrs={"rows": 4}),
        **kwargs,
    )


class InvestigationForm(BoundedDates):
    municipality = forms.ChoiceField(label=_("Gemeente (dossier)"))
    title = _text(_("Titel"), 200)
    kind = forms.ChoiceField(label=_("Soort toezicht"), choices=SignalKind.choices)
    approach = forms.ChoiceField(label=_("Vorm van toezicht"), choices=Approach.choices)
    funding = forms.ChoiceField(label=_("Financiering"), choices=InvestigationFunding.choices)
    theme = _text(_("Thema"), 200, required=False)
    started_on = forms.DateField(label=_("Startdatum"), help_text=_("Bijvoorbeeld 03-03-2025"))
    planned_end_on = forms.DateField(label=_("Geplande einddatum"), required=False)
    municipalities = forms.MultipleChoiceField(
        label=_("Ook betrokken gemeenten"), required=False, widget=forms.CheckboxSelectMultiple
    )
    providers = _area(
        _("Aanbieders"),
        4000,
        required=False,
        help_text=_("Eén aanbieder per regel; eventueel gevolgd door ; KvK-nummer ; onderaannemer"),
    )
    signal = forms.ChoiceField(label=_("Naar aanleiding van signaal"), required=False)

    def __init__(self, *args, municipalities=(), peers=(), signals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [(m.code, m.name) for m in municipalities]
        self.fields["municipalities"].choices = [(m.code, m.name) for m in peers]
        self.fields["signal"].choices = [("", _("Geen"))] + [(s.reference, s.reference) for s in signals]

    def clean_providers(self):
        rows = []
        for line in (self.cleaned_data.get("providers") or "").splitlines():
            parts = [p.strip() for p in line.split(";")]
            if not parts[0]:
                continue
            kvk = parts[1] if len(parts) > 1 else ""
            if kvk and not (kvk.isdigit() and len(kvk) == 8):
                raise ValidationError(_("Een KvK-nummer heeft 8 cijfers: %(kvk)s") % {"kvk": kvk[:20]})
            if len(parts[0]) > 200:
                raise ValidationError(_("Een naam van een aanbieder is ten hoogste 200 tekens."))
            rows.append((parts[0], kvk, len(parts) > 2 and parts[2].lower().startswith("onder")))
        return rows


class FindingsForm(forms.Form):
    findings = _area(_("Bevindingen"), 20000, required=False)
    conclusion = _area(_("Conclusie"), 10000, required=False)
    outcome = forms.ChoiceField(label=_("Uitkomst"), choices=Outcome.choices, required=False)


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Naar status"))
    note = _text(_("Toelichting"), 500, required=False)

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = list(statuses)


class PowerForm(BoundedDates):
    power = forms.ChoiceField(label=_("Bevoegdheid"), choices=Power.choices)
    used_on = forms.DateField(label=_("Datum"))
    justification = _area(_("Noodzaak en evenredigheid"), 2000, required=False)


class InterventionForm(BoundedDates):
    college = forms.ChoiceField(label=_("College"))
    kind = forms.ChoiceField(label=_("Interventie"), choices=InterventionKind.choices)
    recommendation = _area(_("Advies"), 5000)
    recommended_on = forms.DateField(label=_("Datum advies"))

    def __init__(self, *args, colleges=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["college"].choices = [(m.code, m.name) for m in colleges]


class DecisionForm(BoundedDates):
    intervention = forms.ChoiceField(label=_("Interventie"))
    decision = forms.ChoiceField(
        label=_("Besluit college"), choices=[c for c in CollegeDecision.choices if c[0] != CollegeDecision.PENDING]
    )
    decided_on = forms.DateField(label=_("Datum besluit"))
    decision_reference = _text(_("Kenmerk besluit"), 200, required=False)
    notes = _area(_("Toelichting"), 5000, required=False)

    def __init__(self, *args, interventions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention"].choices = [
            (str(i.pk), f"{i.get_kind_display()} ({i.college.name})") for i in interventions
        ]


class DocumentForm(forms.Form):
    title = _text(_("Titel"), 200)
    file = forms.FileField(label=_("Bestand"), help_text=_("PDF, ODF- of Office-document, PNG of JPEG."))


class LinkSignalForm(forms.Form):
    signal = forms.ChoiceField(label=_("Signaal"))

    def __init__(self, *args, signals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signal"].choices = [(s.reference, s.reference) for s in signals]


class RequestForm(BoundedDates):
    municipality = forms.ChoiceField(label=_("Vragend college"))
    received_on = forms.DateField(label=_("Datum ontvangst"), help_text=_("Het antwoord is 14 dagen later uiterlijk"))
    subject = _text(_("Onderwerp"), 200)
    question = _area(_("Vraag"), 5000)
    requested_by = _text(_("Aangevraagd door"), 200, required=False, help_text=_("Naam of functie bij het college"))
    investigation = forms.ChoiceField(label=_("Onderzoek"), required=False)

    def __init__(self, *args, municipalities=(), investigations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [(m.code, m.name) for m in municipalities]
        self.fields["investigation"].choices = [("", _("Geen"))] + [
            (i.reference, f"{i.reference} {i.title}") for i in investigations
        ]


class AnswerForm(BoundedDates):
    answered_on = forms.DateField(label=_("Datum beantwoord"))
    summary = _area(_("Samenvatting antwoord"), 5000)


class DisclosureForm(BoundedDates):
    municipality = forms.ChoiceField(label=_("Ontvangend college"))
    recipient = _text(_("Ontvanger"), 200, help_text=_("Naam en functie bij het college"))
    legal_basis = forms.ChoiceField(label=_("Grondslag"), choices=DisclosureBasis.choices)
    request = forms.ChoiceField(label=_("Informatieverzoek"), required=False)
    investigation = forms.ChoiceField(label=_("Onderzoek"), required=False)
    data_disclosed = _area(_("Verstrekte gegevens"), 5000, help_text=_("Welke gegevens, zonder BSN"))
    purpose = _text(_("Doel (wettelijke taak van het college)"), 500)
    disclosed_on = forms.DateField(label=_("Datum verstrekking"))

    def __init__(self, *args, municipalities=(), requests=(), investigations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [(m.code, m.name) for m in municipalities]
        self.fields["request"].choices = [("", _("Geen"))] + [
            (r.reference, f"{r.reference} {r.subject}") for r in requests
        ]
        self.fields["investigation"].choices = [("", _("Geen"))] + [
            (i.reference, f"{i.reference} {i.title}") for i in investigations
        ]

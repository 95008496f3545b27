"""Forms of the purchasing pages (issue 16). They check shape and bounds in Dutch; the services check the rules
(and the user's right to act) again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inkoop.models import ConsentDecision, Domain, RequirementKind, RequirementOutcome
from inkoop.models.providers import validate_agb, validate_kvk, validate_vat
from regio.bounds import PlausibleDate


def date_field(label, *, required=True, past=False):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[PlausibleDate(not_in_future=past)],
    )


class ProviderForm(forms.Form):
    region = forms.ChoiceField(label=_("Regio"))
    name = forms.CharField(label=_("Naam"), max_length=200)
    kvk_number = forms.CharField(label=_("KvK-nummer"), max_length=20, validators=[validate_kvk])
    vat_number = forms.CharField(
        label=_("Btw-identificatienummer"), max_length=30, required=False, validators=[validate_vat]
    )
    agb_code = forms.CharField(label=_("AGB-code"), max_length=20, required=False, validators=[validate_agb])
    city = forms.CharField(label=_("Vestigingsplaats"), max_length=100, required=False)
    website = forms.URLField(label=_("Website"), max_length=200, required=False, assume_scheme="https")
    domains = forms.MultipleChoiceField(
        label=_("Domeinen"), choices=Domain.choices, widget=forms.CheckboxSelectMultiple
    )
    in_kind = forms.BooleanField(label=_("Zorg in natura"), required=False, initial=True)
    personal_budget = forms.BooleanField(label=_("Pgb"), required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = {r.code: r for r in regions}
        self.fields["region"].choices = [(r.code, r.name) for r in regions]


class CheckForm(forms.Form):
    kind = forms.ChoiceField(label=_("Eis"), choices=RequirementKind.choices)
    outcome = forms.ChoiceField(label=_("Uitkomst"), choices=RequirementOutcome.choices)
    checked_on = date_field(_("Getoetst op"), past=True)
    valid_until = date_field(_("Geldig tot en met"), required=False)
    note = forms.CharField(label=_("Toelichting"), max_length=500, required=False)
    evidence = forms.FileField(label=_("Bewijsstuk (PDF)"), required=False)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=150)
    function = forms.CharField(label=_("Functie"), max_length=150, required=False)
    topic = forms.CharField(label=_("Onderwerp"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mailadres"), max_length=200)
    phone = forms.CharField(label=_("Telefoon"), max_length=30, required=False)
    deputy_for = forms.TypedChoiceField(label=_("Vervanger van"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, contacts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.contacts = {c.pk: c for c in contacts if c.deputy_for_id is None}
        self.fields["deputy_for"].choices = [("", _("(geen: zelf contactpersoon)"))] + [
            (c.pk, c.name) for c in self.contacts.values()
        ]


class ContractForm(forms.Form):
    provider = forms.TypedChoiceField(label=_("Aanbieder"), coerce=int)
    reference = forms.CharField(label=_("Kenmerk"), max_length=60)
    title = forms.CharField(label=_("Titel"), max_length=200)
    starts_on = date_field(_("Ingangsdatum"))
    ends_on = date_field(_("Einddatum"))
    extension_options = forms.IntegerField(label=_("Verlengingsopties"), min_value=0, max_value=10, initial=0)
    extension_months = forms.IntegerField(label=_("Maanden per verlenging"), min_value=1, max_value=60, initial=12)
    notice_months = forms.IntegerField(label=_("Opzegtermijn (maanden)"), min_value=0, max_value=36, initial=6)

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.providers = {p.pk: p for p in providers}
        self.fields["provider"].choices = [(p.pk, f"{p.name} ({p.region.name})") for p in providers]


class ConsentForm(forms.Form):
    municipality = forms.ChoiceField(label=_("Gemeente"))
    decision = forms.ChoiceField(label=_("Besluit"), choices=ConsentDecision.choices)
    decided_on = date_field(_("Datum van het besluit"), past=True)
    document = forms.FileField(label=_("Brief of besluit (PDF)"), required=False)
    note = forms.CharField(label=_("Toelichting"), max_length=500, required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {m.code: m for m in members}
        self.fields["municipality"].choices = [(m.code, m.name) for m in members]


class SignForm(forms.Form):
    signed_on = date_field(_("Getekend op"), past=True)


class CloseForm(forms.Form):
    closed_on = date_field(_("Afgerond op"), past=True)

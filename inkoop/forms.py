"""Forms of the purchasing pages (issue 16). They check shape and bounds in Dutch; the services check the rules
(and the user's right to act) again."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from inkoop.models import ConsentDecision, Domain, ProcedureKind, RequirementKind, RequirementOutcome
from inkoop.models.providers import validate_agb, validate_kvk, validate_vat
from regio.amounts import AmountField
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


def _year_field():
    return forms.IntegerField(label=_("Jaar"), min_value=1900, max_value=2200, help_text=_("Bijvoorbeeld 2026"))


class BudgetForm(forms.Form):
    """The contract's budget for a year, within the region's financial frame (BNO 4)."""

    year = _year_field()
    amount = AmountField(label=_("Budget"), help_text=_("Bijvoorbeeld 1.250.000,00"))


class KpiValueForm(forms.Form):
    """A measured value of one of the contract's indicators for a period (WM-SO 2.4 c)."""

    kpi = forms.TypedChoiceField(label=_("Indicator"), coerce=int)
    period_start = date_field(_("Periode vanaf"))
    period_end = date_field(_("Periode tot en met"))
    value = AmountField(label=_("Gemeten waarde"), number=True, minimum=None, maximum=Decimal("9999999999"))

    def __init__(self, *args, kpis=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kpis = {k.pk: k for k in kpis}
        self.fields["kpi"].choices = [(k.pk, k.name) for k in kpis]


class ProcedureForm(forms.Form):
    """A new procurement procedure of a region the user acts for (WM-SO 2.4 a)."""

    region = forms.ChoiceField(label=_("Regio"))
    reference = forms.CharField(label=_("Kenmerk"), max_length=60)
    title = forms.CharField(label=_("Titel"), max_length=200)
    kind = forms.ChoiceField(label=_("Procedure"), choices=ProcedureKind.choices)
    plan_reference = forms.CharField(label=_("Inkoopplan"), max_length=200, required=False)
    published_on = date_field(_("Gepubliceerd op"), required=False)
    tender_deadline = date_field(_("Sluiting inschrijving"), required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = {r.code: r for r in regions}
        self.fields["region"].choices = [(r.code, r.name) for r in regions]


class LotForm(forms.Form):
    number = forms.IntegerField(label=_("Perceelnummer"), min_value=1, max_value=999)
    title = forms.CharField(label=_("Omschrijving"), max_length=200)


class AwardForm(forms.Form):
    lot = forms.TypedChoiceField(label=_("Perceel"), coerce=int)
    provider = forms.TypedChoiceField(label=_("Aanbieder"), coerce=int)
    awarded_on = date_field(_("Gegund op"))

    def __init__(self, *args, lots=(), providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lots, self.providers = {lot.pk: lot for lot in lots}, {p.pk: p for p in providers}
        self.fields["lot"].choices = [(lot.pk, str(lot)) for lot in lots]
        self.fields["provider"].choices = [(p.pk, p.name) for p in providers]

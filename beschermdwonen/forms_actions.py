"""Forms of the actions added in issue 13 part A (ending an indication, the CAK report of the own contribution, the
charges of annex 3 §5). Kept apart from ``forms.py`` so each topic stays small; the same field helpers."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beschermdwonen.forms import _date, _line
from regio.amounts import AmountField


class IndicationEndForm(forms.Form):
    ends_on = _date(_("Einddatum (laatste dag van de zorg)"))


class OwnContributionForm(forms.Form):
    reported_on = _date(_("Eigen bijdrage gemeld aan het CAK op"), not_in_future=True)


class _ChargeFields(forms.Form):
    incurred_on = _date(_("Datum nacalculatie"), not_in_future=True)
    amount = AmountField(label=_("Werkelijke kosten"), what=_("De werkelijke kosten"))
    description = _line(_("Omschrijving"), max_length=200, help_text=_("Waarover; geen naam of BSN."))


class OrderedAssessmentForm(_ChargeFields):
    """An assessment a member ordered itself (annex 3 §5, first sentence)."""

    municipality = forms.ChoiceField(label=_("Opdrachtgevende gemeente"))
    field_order = ["municipality", "incurred_on", "amount", "description"]

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [(m.code, m.name) for m in municipalities]


class ObjectionCostForm(_ChargeFields):
    """The cost of an objection following an ordered assessment (annex 3 §5, second sentence)."""

    objection_to = forms.TypedChoiceField(label=_("Bezwaar naar aanleiding van"), coerce=int)
    field_order = ["objection_to", "incurred_on", "amount", "description"]

    def __init__(self, *args, charges=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objection_to"].choices = [
            (c.pk, f"{c.municipality.name}, {c.incurred_on:%d-%m-%Y}: {c.description}") for c in charges
        ]

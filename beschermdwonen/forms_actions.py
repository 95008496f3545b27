"""Forms of the actions added in issue 13 part A (ending an indication, the CAK report of the own contribution, the
charges of annex 3 §5). Kept apart from ``forms.py`` so each topic stays small; the same field helpers."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beschermdwonen.forms import _date


class IndicationEndForm(forms.Form):
    ends_on = _date(_("Einddatum (laatste dag van de zorg)"))


class OwnContributionForm(forms.Form):
    reported_on = _date(_("Eigen bijdrage gemeld aan het CAK op"), not_in_future=True)

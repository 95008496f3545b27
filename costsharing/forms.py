"""Forms of the cost-sharing pages (Dutch labels; errors shown in the summary of includes/form.html)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class SplitPreviewForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Bedrag (euro)"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        help_text=_("Bijvoorbeeld 100000,00 of 100000.00"),
        localize=True,
    )
    on = forms.DateField(
        label=_("Datum"),
        help_text=_("De sleutelversie die op deze datum geldt (dd-mm-jjjj)."),
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Grootboekexport (CSV of Excel)"),
        help_text=_("Kolommen: datum, kostensoort, omschrijving, bedrag. Eén foute rij: er wordt niets ingelezen."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Kies een CSV- of Excel-bestand (.csv of .xlsx)."))
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("Het bestand is te groot (hoogstens 10 MB)."))
        return upload.name, upload.read()

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from costsharing.invoicing.models import StatementFormat


class AmountField(forms.CharField):
    """An amount as people type it: 1.234,56 or 1234,56 or 1234.56 (Decimal, never float)."""

    def to_python(self, value):
        text = (super().to_python(value) or "").replace("€", "").replace(" ", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation as exc:
            raise forms.ValidationError(_("Geef een bedrag, bijvoorbeeld 1.234,56.")) from exc
        if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError(_("Een bedrag heeft hoogstens twee decimalen."))
        if amount < Decimal("0.01"):
            raise forms.ValidationError(_("Het bedrag moet groter zijn dan nul."))
        return amount


class PaymentForm(forms.Form):
    amount = AmountField(label=_("Bedrag"), help_text=_("Bijvoorbeeld 1.234,56. Een deelbetaling mag."))
    paid_on = forms.DateField(
        label=_("Betaald op"),
        help_text=_("Als JJJJ-MM-DD of DD-MM-JJJJ."),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        initial=timezone.localdate,
    )
    reference = forms.CharField(label=_("Kenmerk"), max_length=200, required=False)


class CreditForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van de creditering"), max_length=300, help_text=_("Deze reden staat op de creditfactuur.")
    )


FORMAT_CHOICES = [("", _("Herken zelf")), *StatementFormat.choices]


class StatementUploadForm(forms.Form):
    file = forms.FileField(label=_("Bankafschrift"), help_text=_("CAMT.053 (XML), MT940 of CSV, hoogstens 5 MB."))
    format = forms.ChoiceField(label=_("Formaat"), choices=FORMAT_CHOICES, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Het bestand is te groot (hoogstens 5 MB)."))
        return upload


class ResolveLineForm(forms.Form):
    invoice_number = forms.CharField(
        label=_("Factuurnummer"), max_length=20, required=False, help_text=_("Bijvoorbeeld 2025-0001.")
    )
    ignore = forms.BooleanField(label=_("Geen factuurbetaling: negeren"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("ignore") and not data.get("invoice_number"):
            raise forms.ValidationError(_("Vul een factuurnummer in of kies 'negeren'."))
        return data

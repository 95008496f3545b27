from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from invoicing.models import SourceType, StatementFormat, Unit, VatRate
from regio.amounts import AmountField
from regio.bounds import PlausibleDate
from regio.line_sources import manual_line_source_choices

DATE_FORMATS = ["%d-%m-%Y", "%Y-%m-%d"]


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


class DraftForm(forms.Form):
    """Nieuwe conceptfactuur: recipient (a member of a region the user's municipality coordinates), supply period,
    description. The issuer is the user's own municipality, never a field (STYLE.md rule 5)."""

    recipient = forms.ChoiceField(label=_("Aan (deelnemende gemeente)"))
    subject = forms.CharField(label=_("Omschrijving"), max_length=200)
    period_start = forms.DateField(
        validators=[PlausibleDate()],
        label=_("Leveringsperiode vanaf"),
        help_text=_("Als DD-MM-JJJJ."),
        input_formats=DATE_FORMATS,
    )
    period_end = forms.DateField(
        validators=[PlausibleDate()],
        label=_("Leveringsperiode tot en met"),
        help_text=_("Als DD-MM-JJJJ."),
        input_formats=DATE_FORMATS,
    )

    def __init__(self, *args, regions, members, **kwargs):
        """``members``: {region: [municipality, ...]}; the value of a choice is ``<region pk>:<municipality pk>``."""
        super().__init__(*args, **kwargs)
        self.options = {}
        choices = [("", _("Kies een gemeente"))]
        for region in regions:
            group = []
            for municipality in members.get(region.pk, []):
                value = f"{region.pk}:{municipality.pk}"
                self.options[value] = (region, municipality)
                group.append((value, f"{municipality.name} ({municipality.code})"))
            if group:
                choices.append((region.name, group))
        self.fields["recipient"].choices = choices

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("De leveringsperiode eindigt voor ze begint."))
        return data

    def region_and_recipient(self):
        return self.options[self.cleaned_data["recipient"]]


class LineForm(forms.Form):
    """A line of a draft: description, quantity, unit, unit price, VAT rate and where it came from."""

    description = forms.CharField(label=_("Omschrijving"), max_length=300)
    quantity = AmountField(
        label=_("Aantal"),
        decimals=4,
        minimum=Decimal("0.0001"),
        maximum=Decimal("99999999.9999"),  # DecimalField(max_digits=12, decimal_places=4)
        number=True,
        what=_("Het aantal"),
        help_text=_("Bijvoorbeeld 1 of 3,5."),
    )
    unit = forms.ChoiceField(label=_("Eenheid"), choices=Unit.choices)
    unit_price = AmountField(
        label=_("Prijs per eenheid (excl. btw)"),
        decimals=4,
        minimum=Decimal("0"),
        maximum=Decimal("9999999999.9999"),  # DecimalField(max_digits=14, decimal_places=4)
        what=_("De prijs per eenheid"),
        help_text=_("In euro, bijvoorbeeld 1.234,56 (de punt scheidt duizendtallen, de komma de centen)."),
    )
    vat_rate = forms.ChoiceField(label=_("Btw-tarief"), choices=VatRate.choices, initial=VatRate.STANDARD)
    # The sources a person may pick, as the apps registered them (regio.line_sources).
    source_type = forms.ChoiceField(
        label=_("Soort bron"), choices=manual_line_source_choices, initial=SourceType.MANUAL
    )
    source_id = forms.CharField(
        label=_("Referentie van de bron"),
        max_length=64,
        required=False,
        help_text=_("Bijvoorbeeld het nummer van de inkoopfactuur of de indicatie."),
    )


class PayoutForm(forms.Form):
    amount = AmountField(label=_("Bedrag"), help_text=_("Bijvoorbeeld 1.234,56. Een gedeeltelijke uitbetaling mag."))
    paid_on = forms.DateField(
        label=_("Uitbetaald op"),
        help_text=_("Als JJJJ-MM-DD of DD-MM-JJJJ."),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        initial=timezone.localdate,
    )
    reference = forms.CharField(label=_("Kenmerk"), max_length=200, required=False)


class CollectionCostForm(forms.Form):
    amount = AmountField(
        label=_("Bedrag"),
        required=False,
        help_text=_("Leeg laten: het bedrag volgens de wettelijke staffel."),
    )
    incurred_on = forms.DateField(
        validators=[PlausibleDate()],
        label=_("Datum"),
        help_text=_("Als JJJJ-MM-DD of DD-MM-JJJJ."),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        initial=timezone.localdate,
    )
    basis = forms.CharField(
        label=_("Grondslag"),
        max_length=300,
        required=False,
        help_text=_("Leeg laten bij de wettelijke staffel; anders de reden van het andere bedrag."),
    )


class OverpaymentForm(forms.Form):
    """Money received above what is open (issue 10, finding 5): a deliberate act with its reason. The whole amount
    received is typed; what is still open is booked as a payment, the rest stands as "terug te betalen"."""

    amount = AmountField(
        label=_("Ontvangen bedrag"),
        help_text=_(
            "Het hele ontvangen bedrag, bijvoorbeeld 1.234,56; wat nog open staat wordt als betaling geboekt."
        ),
    )
    received_on = forms.DateField(
        label=_("Ontvangen op"),
        help_text=_("Als JJJJ-MM-DD of DD-MM-JJJJ."),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        initial=timezone.localdate,
    )
    reason = forms.CharField(
        label=_("Reden van de overbetaling"), max_length=300, help_text=_("Bijvoorbeeld: dubbel betaald.")
    )
    reference = forms.CharField(label=_("Kenmerk"), max_length=200, required=False)


class OverpaymentRefundForm(forms.Form):
    paid_on = forms.DateField(
        label=_("Terugbetaald op"),
        help_text=_("Als JJJJ-MM-DD of DD-MM-JJJJ."),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        initial=timezone.localdate,
    )
    reference = forms.CharField(label=_("Kenmerk"), max_length=200, required=False)

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from costsharing.invoicing.models import SourceType, StatementFormat, Unit, VatRate
from regio.bounds import PlausibleDate

DATE_FORMATS = ["%d-%m-%Y", "%Y-%m-%d"]


def parse_dutch_decimal(value: str) -> Decimal:
    """1.234,56 / 1234,56 / 1234.56 → Decimal (never float); raises InvalidOperation on anything else."""
    text = (value or "").replace("€", "").replace(" ", "").replace("\xa0", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    amount = Decimal(text)
    if not amount.is_finite():
        raise InvalidOperation(text)
    return amount


class AmountField(forms.CharField):
    """An amount as people type it: 1.234,56 or 1234,56 or 1234.56 (Decimal, never float)."""

    max_amount = Decimal("999999999999.99")  # DecimalField(max_digits=14, decimal_places=2)

    def to_python(self, value):
        text = super().to_python(value) or ""
        if not text and not self.required:
            return None
        try:
            amount = parse_dutch_decimal(text)
        except InvalidOperation as exc:
            raise forms.ValidationError(_("Geef een bedrag, bijvoorbeeld 1.234,56.")) from exc
        if amount > self.max_amount:
            raise forms.ValidationError(_("Dit bedrag is te groot."))
        try:
            exact = amount == amount.quantize(Decimal("0.01"))
        except InvalidOperation:
            exact = False
        if not exact:
            raise forms.ValidationError(_("Een bedrag heeft hoogstens twee decimalen."))
        if amount < Decimal("0.01"):
            raise forms.ValidationError(_("Het bedrag moet groter zijn dan nul."))
        return amount


class DecimalInputField(forms.CharField):
    """A quantity or unit price as people type it (1.234,5678), at most ``decimal_places`` decimals and within the
    database column (``max_digits``)."""

    def __init__(self, *, max_digits: int, decimal_places: int, positive: bool, **kwargs):
        self.max_digits, self.decimal_places, self.positive = max_digits, decimal_places, positive
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value) or ""
        try:
            number = parse_dutch_decimal(text)
        except InvalidOperation as exc:
            raise forms.ValidationError(_("Geef een getal, bijvoorbeeld 1.234,50.")) from exc
        if abs(number) >= Decimal(10) ** (self.max_digits - self.decimal_places):
            raise forms.ValidationError(_("Dit getal is te groot."))
        try:
            exact = number == number.quantize(Decimal(1).scaleb(-self.decimal_places))
        except InvalidOperation:  # e.g. 1e-400: more digits than the context holds
            exact = False
        if not exact:
            raise forms.ValidationError(_("Hoogstens %(n)s cijfers achter de komma.") % {"n": self.decimal_places})
        if self.positive and number <= 0:
            raise forms.ValidationError(_("Het getal moet groter zijn dan nul."))
        if number < 0:
            raise forms.ValidationError(_("Het getal mag niet negatief zijn."))
        return number


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


MANUAL_SOURCES = [
    (SourceType.PASS_THROUGH, SourceType.PASS_THROUGH.label),
    (SourceType.BW_FEE, SourceType.BW_FEE.label),
    (SourceType.MANUAL, SourceType.MANUAL.label),
]


class LineForm(forms.Form):
    """A line of a draft: description, quantity, unit, unit price, VAT rate and where it came from."""

    description = forms.CharField(label=_("Omschrijving"), max_length=300)
    quantity = DecimalInputField(
        label=_("Aantal"), max_digits=12, decimal_places=4, positive=True, help_text=_("Bijvoorbeeld 1 of 3,5.")
    )
    unit = forms.ChoiceField(label=_("Eenheid"), choices=Unit.choices)
    unit_price = DecimalInputField(
        label=_("Prijs per eenheid (excl. btw)"),
        max_digits=14,
        decimal_places=4,
        positive=False,
        help_text=_("In euro, bijvoorbeeld 1.234,56."),
    )
    vat_rate = forms.ChoiceField(label=_("Btw-tarief"), choices=VatRate.choices, initial=VatRate.STANDARD)
    source_type = forms.ChoiceField(label=_("Soort bron"), choices=MANUAL_SOURCES, initial=SourceType.MANUAL)
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

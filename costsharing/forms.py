"""Forms of the cost-sharing pages (Dutch labels; errors shown in the summary of includes/form.html)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from regio.amounts import AmountField, parse_dutch
from regio.bounds import PlausibleDate

# A CAO step's fixed raise per month: generous, but no hand slip of a million (issue 10, finding 6).
MAX_FIXED_STEP = Decimal("10000.00")
# DecimalField(max_digits=20, decimal_places=6) of a key weight.
MAX_WEIGHT = Decimal("99999999999999.999999")


class SplitPreviewForm(forms.Form):
    amount = AmountField(
        label=_("Bedrag (euro)"),
        minimum=Decimal("0"),
        help_text=_("Bijvoorbeeld 100.000,00 of 100000,00"),
    )
    on = forms.DateField(
        validators=[PlausibleDate()],
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


class CaoStepForm(forms.Form):
    effective_date = forms.DateField(
        validators=[PlausibleDate()],
        label=_("Ingangsdatum"),
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
        help_text=_("dd-mm-jjjj; de stap telt vanaf de maand waarin zij ingaat."),
    )
    percentage = forms.DecimalField(
        label=_("Percentage"),
        max_digits=7,
        decimal_places=4,
        required=False,
        localize=True,
        help_text=_("Bijvoorbeeld 1,25"),
    )
    fixed_amount_per_month = AmountField(
        label=_("Vast bedrag per maand (euro)"),
        minimum=Decimal("0"),
        maximum=MAX_FIXED_STEP,
        required=False,
        help_text=_("Bijvoorbeeld 125,00"),
    )
    scales = forms.CharField(
        label=_("Schalen"), required=False, help_text=_("Leeg: alle schalen. Anders met komma's, bijvoorbeeld 8, 10.")
    )
    source = forms.CharField(label=_("Bron"), max_length=300, help_text=_("Bijvoorbeeld: cao Gemeenten 2025-2027"))
    confirmed = forms.BooleanField(
        label=_("Ik heb het percentage gecontroleerd"),
        required=False,
        help_text=_("Nodig bij een ongebruikelijk grote stap (boven de drempel die de beheerder heeft ingesteld)."),
    )

    def clean(self):
        data = super().clean()
        if data.get("percentage") is None and data.get("fixed_amount_per_month") is None:
            raise forms.ValidationError(_("Geef een percentage, een vast bedrag per maand of beide."))
        if data.get("effective_date") is not None:
            from costsharing.services import check_cao_step

            try:  # issue 10, finding 4: the same bounds as the service, shown per field
                check_cao_step(
                    effective_date=data["effective_date"],
                    percentage=data.get("percentage"),
                    confirmed=data.get("confirmed", False),
                )
            except forms.ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    for message in messages:
                        self.add_error(field, message)
        return data

    def clean_scales(self):
        text = self.cleaned_data["scales"].strip()
        if not text:
            return []
        try:
            return sorted({int(part) for part in text.replace(";", ",").split(",") if part.strip()})
        except ValueError as exc:
            raise forms.ValidationError(_("Geef de schalen als getallen met komma's, bijvoorbeeld 8, 10.")) from exc


class PopulationVersionForm(forms.Form):
    reference_year = forms.IntegerField(label=_("Peiljaar inwoners (1 januari)"), min_value=2000, max_value=2100)
    valid_from = forms.DateField(
        validators=[PlausibleDate()],
        label=_("Geldig vanaf"),
        required=False,
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
        help_text=_("Leeg: 1 januari van het peiljaar."),
    )


class MergerForm(forms.Form):
    on = forms.DateField(
        validators=[PlausibleDate()], label=_("Datum herindeling"), input_formats=["%d-%m-%Y", "%Y-%m-%d"]
    )
    mergers = forms.CharField(
        label=_("Herindelingen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Eén regel per nieuwe gemeente: nieuwe code = opgegane codes, bijvoorbeeld GM1991 = GM1685, GM0856"
        ),
    )

    def clean_mergers(self):
        out = []
        for line in self.cleaned_data["mergers"].splitlines():
            if not line.strip():
                continue
            if "=" not in line:
                raise forms.ValidationError(_("Schrijf elke regel als: nieuwe code = opgegane codes."))
            into, merged = line.split("=", 1)
            codes = [c.strip().upper() for c in merged.split(",") if c.strip()]
            if not codes:
                raise forms.ValidationError(_("Noem bij elke nieuwe gemeente de opgegane gemeenten."))
            out.append((into.strip().upper(), codes))
        if not out:
            raise forms.ValidationError(_("Noem ten minste één herindeling."))
        return out


class ActualLineForm(forms.Form):
    date = forms.DateField(validators=[PlausibleDate()], label=_("Datum"), input_formats=["%d-%m-%Y", "%Y-%m-%d"])
    category = forms.ChoiceField(label=_("Kostensoort"))
    description = forms.CharField(label=_("Omschrijving"), max_length=300)
    # A correction may be negative (a credit from a supplier); bounded by the 14-digit column.
    amount = AmountField(label=_("Bedrag (euro)"), minimum=None, help_text=_("Bijvoorbeeld 1.234,56 of -250,00"))

    def __init__(self, *args, year: int | None = None, **kwargs):
        from costsharing.models import STAFF_CATEGORIES, Category

        super().__init__(*args, **kwargs)
        self.year = year
        self.fields["category"].choices = [(c.value, c.label) for c in Category if c not in STAFF_CATEGORIES]

    def clean_date(self):
        """A line added on the page of a year belongs to that year: one dated 1999 on the 2026 page was "added" and
        then shown nowhere (issue 17)."""
        day = self.cleaned_data["date"]
        if self.year is not None and day.year != self.year:
            raise forms.ValidationError(
                _("Deze pagina gaat over %(year)s: kies een datum in %(year)s, of open de pagina van %(other)s.")
                % {"year": self.year, "other": day.year}
            )
        return day


class TypedVersionForm(forms.Form):
    """A version typed in: fixed percentages (WM-SO 6.2) or client counts on a reference date (WM-DVO annex 3.4)."""

    basis = forms.ChoiceField(
        label=_("Grondslag"), choices=[("fixed", _("vaste percentages")), ("clients", _("cliënten op peildatum"))]
    )
    valid_from = forms.DateField(
        validators=[PlausibleDate()], label=_("Geldig vanaf"), input_formats=["%d-%m-%Y", "%Y-%m-%d"]
    )
    valid_until = forms.DateField(
        validators=[PlausibleDate()],
        label=_("Geldig tot en met"),
        required=False,
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
        help_text=_("Leeg: onbepaald."),
    )
    reference_date = forms.DateField(
        validators=[PlausibleDate()], label=_("Peildatum"), required=False, input_formats=["%d-%m-%Y", "%Y-%m-%d"]
    )
    weights = forms.CharField(
        label=_("Gewichten"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Eén regel per gemeente: CBS-code = gewicht, bijvoorbeeld GM1883 = 69 of GM0888 = 12,5 (de komma voor "
            "decimalen, de punt tussen duizendtallen: 28.853)."
        ),
    )
    note = forms.CharField(label=_("Toelichting"), max_length=300, required=False)

    def clean_weights(self):
        out = {}
        for number, line in enumerate(self.cleaned_data["weights"].splitlines(), start=1):
            if not line.strip():
                continue
            code, _sep, value = line.partition("=")
            if not value.strip():
                raise forms.ValidationError(_("Regel %(n)s: schrijf CBS-code = gewicht.") % {"n": number})
            try:
                weight = parse_dutch(value, decimals=6, minimum=Decimal("0"), maximum=MAX_WEIGHT, number=True)
            except forms.ValidationError as exc:
                raise forms.ValidationError(
                    _("Regel %(n)s: %(problem)s") % {"n": number, "problem": " ".join(exc.messages)}
                ) from None
            out[code.strip().upper()] = weight
        if not out:
            raise forms.ValidationError(_("Geef ten minste één gewicht."))
        return out


class OutsideFeesForm(forms.Form):
    """The first year only: the fees invoiced outside the product, per member (WM-DVO 6.1), recorded once."""

    reference = forms.CharField(
        label=_("Factuur of kenmerk"),
        max_length=100,
        help_text=_(
            "Waarmee de bijdragen buiten Regio Wmo zijn gefactureerd, bijvoorbeeld 'facturen 2025-12 (Excel)'."
        ),
    )
    amounts = forms.CharField(
        label=_("Gefactureerde bijdrage per gemeente"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Eén regel per gemeente: CBS-code = bedrag, bijvoorbeeld GM0971 = 57.000,00. Het eigen aandeel van de "
            "coördinerende gemeente hoort erbij (het komt op haar overzicht, niet op een factuur)."
        ),
    )

    def clean_amounts(self):
        out = {}
        for number, line in enumerate(self.cleaned_data["amounts"].splitlines(), start=1):
            if not line.strip():
                continue
            code, _sep, value = line.partition("=")
            if not value.strip():
                raise forms.ValidationError(_("Regel %(n)s: schrijf CBS-code = bedrag.") % {"n": number})
            try:
                amount = parse_dutch(value, decimals=2, minimum=Decimal("0"))
            except forms.ValidationError as exc:
                raise forms.ValidationError(
                    _("Regel %(n)s: %(problem)s") % {"n": number, "problem": " ".join(exc.messages)}
                ) from None
            out[code.strip().upper()] = amount
        if not out:
            raise forms.ValidationError(_("Geef ten minste één bedrag."))
        return out


class AnnualReportForm(forms.Form):
    """The content report of BNO's annual report (BNO 10.6, first item); the figures are computed."""

    content = forms.CharField(
        label=_("Inhoudelijk verslag van de uitgevoerde activiteiten inkoop"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        max_length=20_000,
        help_text=_(
            "Alleen in het jaar dat het inkoopplan wordt vastgesteld blijft dit leeg (BNO 10.6). Een gewijzigde tekst "
            "of gewijzigde cijfers geven een nieuwe versie; eerdere versies blijven leesbaar."
        ),
    )


class AdoptionForm(forms.Form):
    """The adoption of the settlement proposal of an annual report (BNO 10.6)."""

    version = forms.IntegerField(label=_("Versie"), min_value=1, max_value=10_000, widget=forms.HiddenInput)
    adopted_on = forms.DateField(
        validators=[PlausibleDate(not_in_future=True)],
        label=_("Vastgesteld op"),
        help_text=_("dd-mm-jjjj, niet in de toekomst"),
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
    )
    decision = forms.CharField(
        label=_("Besluit"),
        max_length=300,
        required=False,
        help_text=_("Bijvoorbeeld: collegebesluiten van de gemeenten, mei 2025."),
    )


class CollegeAdoptionForm(forms.Form):
    """One college adopted the two-year execution costs of the purchasing plan (BNO 11.1)."""

    municipality = forms.ChoiceField(label=_("Gemeente"))
    adopted_on = forms.DateField(
        validators=[PlausibleDate(not_in_future=True)],
        label=_("Vastgesteld door het college op"),
        help_text=_("dd-mm-jjjj, niet in de toekomst"),
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
    )
    reference = forms.CharField(label=_("Kenmerk besluit"), max_length=300, required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [(m.code, m.name) for m in members]

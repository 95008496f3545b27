from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from regio.amounts import AmountField


class CapacityForm(forms.Form):
    municipality = forms.ChoiceField(label=_("Gemeente"))
    fte = AmountField(
        label=_("Fte"),
        decimals=4,
        minimum=Decimal("0"),
        maximum=Decimal("9999.9999"),  # DecimalField(max_digits=8, decimal_places=4)
        number=True,
        help_text=_("Toezichtcapaciteit voor deze gemeente, bijvoorbeeld 0,35"),
    )
    source = forms.CharField(
        label=_("Bron"), max_length=200, required=False, help_text=_("Bijvoorbeeld: DVO 2025 bijlage 4")
    )

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only the region's members can be chosen (STYLE.md rule 5: choice fields are restricted too).
        self.fields["municipality"].choices = [(m.code, m.name) for m in municipalities]

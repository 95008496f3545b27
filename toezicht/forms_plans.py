"""Forms of the supervision plans and reports (WM-DVO annex 4). The services check everything again."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from regio.bounds import check_date, check_year
from regio.privacy import no_bsn_validator
from toezicht.models.plans import PlanKind

_AREA = {"rows": 4, "cols": 60}


def _year_field():
    return forms.IntegerField(label=_("Jaar"), min_value=1900, max_value=2200, help_text=_("Bijvoorbeeld 2026"))


class _DatesChecked(forms.Form):
    date_fields: tuple[str, ...] = ()

    def clean(self):
        data = super().clean()
        if data.get("year") is not None:
            try:
                check_year(data["year"])
            except ValidationError as exc:
                self.add_error("year", exc)
        for name in self.date_fields:
            if data.get(name):
                try:
                    check_date(data[name], not_in_future=True, label=str(self.fields[name].label))
                except ValidationError as exc:
                    self.add_error(name, exc)
        return data


class PlanForm(_DatesChecked):
    """A supervisor draws up a plan (WM-DVO annex 4: beleidskader, uitvoeringsplan, jaarplan)."""

    date_fields = ("adopted_on",)

    kind = forms.ChoiceField(label=_("Soort plan"), choices=PlanKind.choices)
    year = _year_field()
    title = forms.CharField(label=_("Titel"), max_length=200, validators=[no_bsn_validator])
    summary = forms.CharField(
        label=_("Samenvatting en uitgangspunten"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs=_AREA),
        validators=[no_bsn_validator],
    )
    priorities = forms.CharField(
        label=_("Prioriteiten"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs=_AREA),
        help_text=_("Eén prioriteit per regel, de belangrijkste eerst."),
        validators=[no_bsn_validator],
    )
    themes = forms.CharField(
        label=_("Thema's"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs=_AREA),
        help_text=_("Eén thema per regel."),
        validators=[no_bsn_validator],
    )
    planned_investigations = forms.CharField(
        label=_("Geplande onderzoeken"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs=_AREA),
        help_text=_("Eén onderzoek per regel, met de aanpak."),
        validators=[no_bsn_validator],
    )
    adopted_on = forms.DateField(label=_("Vastgesteld op"), required=False, help_text=_("Bijvoorbeeld 15-01-2026"))


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Uw opmerking"),
        max_length=5000,
        widget=forms.Textarea(attrs=_AREA),
        help_text=_("De toezichthouders lezen uw opmerking; het plan blijft hun verantwoordelijkheid."),
        validators=[no_bsn_validator],
    )


class AnnualReportForm(_DatesChecked):
    """A supervisor draws up the annual report of a municipality assigned to them (WM-DVO intro 6)."""

    municipality = forms.ChoiceField(label=_("Gemeente"))
    year = _year_field()

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only the municipalities assigned to the supervisor (STYLE.md rule 5: choice fields are restricted too).
        self.fields["municipality"].choices = [(m.code, m.name) for m in municipalities]


class EvaluationForm(_DatesChecked):
    """The coordinating municipality records the yearly joint evaluation (WM-DVO annex 4)."""

    date_fields = ("held_on",)

    year = _year_field()
    held_on = forms.DateField(label=_("Datum evaluatie"), help_text=_("Bijvoorbeeld 12-02-2026"))
    participants = forms.CharField(
        label=_("Deelnemers"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60})
    )
    conclusions = forms.CharField(
        label=_("Conclusies"), max_length=10000, widget=forms.Textarea(attrs=_AREA), validators=[no_bsn_validator]
    )
    looking_ahead = forms.CharField(
        label=_("Vooruitblik"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs=_AREA),
        validators=[no_bsn_validator],
    )

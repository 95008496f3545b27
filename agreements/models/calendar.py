"""The settlement calendar of an agreement: when its money cycle does what, and on which articles that rests.

Two shapes come from the seeds: ``wm`` (WM-SO 6.7, WM-DVO 6.1: in December of year Y one invoice per member with the
fee for Y and the final settlement of Y−1) and ``bno`` (BNO 11.1: the costs adopted for two years through the
purchasing plan; BNO 10.5-10.6: the annual report within four months after the year with a settlement proposal per
municipality, invoiced only once adopted). The beat job (``costsharing.start_calendar_steps``) starts the steps that
say ``starts_job`` on their day; a step without it is shown (agreement page, API) but starts nothing.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regio.tenancy import TenantModel


class CalendarShape(models.TextChoices):
    WM = "wm", _("bijdrage van het jaar en afrekening van het vorige jaar in december (WM)")
    BNO = "bno", _("kosten voor twee jaar vastgesteld, jaarverslag met afrekeningsvoorstel (BNO)")


class StepKind(models.TextChoices):
    FEE_AND_SETTLEMENT = "fee_and_settlement", _("bijdrage van het jaar en afrekening van het vorige jaar")
    COST_ADOPTION = "cost_adoption", _("kosten voor twee jaar vastgesteld door de colleges (inkoopplan)")
    ANNUAL_REPORT = "annual_report", _("jaarverslag met afrekeningsvoorstel per gemeente")
    PROPOSAL_ADOPTION = "proposal_adoption", _("afrekeningsvoorstel vastgesteld, daarna gefactureerd")


class SettlementCalendar(TenantModel):
    """The money calendar of one agreement (one per agreement)."""

    tenant_region = "agreement__region"

    agreement = models.OneToOneField(
        "agreements.Agreement",
        verbose_name=_("overeenkomst"),
        on_delete=models.CASCADE,
        related_name="settlement_calendar",
    )
    shape = models.CharField(_("vorm"), max_length=10, choices=CalendarShape.choices)
    articles = models.CharField(_("artikelen"), max_length=200)
    note = models.TextField(_("toelichting"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("afrekenkalender")
        verbose_name_plural = _("afrekenkalenders")

    def __str__(self) -> str:
        return f"{self.agreement.code}: {self.get_shape_display()}"


class CalendarStep(TenantModel):
    """One step of a calendar: its day in the year, which year it concerns and the article it rests on."""

    tenant_region = "calendar__agreement__region"

    calendar = models.ForeignKey(
        SettlementCalendar, verbose_name=_("kalender"), on_delete=models.CASCADE, related_name="steps"
    )
    kind = models.CharField(_("stap"), max_length=30, choices=StepKind.choices)
    month = models.PositiveSmallIntegerField(_("maand"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    day = models.PositiveSmallIntegerField(_("dag"), validators=[MinValueValidator(1), MaxValueValidator(31)])
    # Which year the step concerns, relative to the year in which its day falls: 0 this year, -1 the past year.
    year_offset = models.SmallIntegerField(_("betreft jaar (t.o.v. het lopende jaar)"), default=0)
    starts_job = models.BooleanField(_("start de jaarlijkse taak"), default=False)
    articles = models.CharField(_("artikelen"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stap van de afrekenkalender")
        verbose_name_plural = _("stappen van de afrekenkalender")
        ordering = ["calendar", "month", "day", "kind"]
        constraints = [models.UniqueConstraint(fields=["calendar", "kind"], name="calendar_step_unique_kind")]

    def __str__(self) -> str:
        return f"{self.day:02d}-{self.month:02d}: {self.get_kind_display()}"

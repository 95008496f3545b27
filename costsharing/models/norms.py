"""Norm amounts, overhead, norm scales, activities and CAO steps (SPEC §6, issue #5)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from costsharing.models.choices import NORM
from regio.tenancy import TenantManager, TenantModel, TenantQuerySet

# --- Norm amounts, rates, activities, CAO steps ------------------------------------------------------------------


class NormYearQuerySet(TenantQuerySet):
    def current(self) -> NormYearQuerySet:
        return self.filter(superseded_at__isnull=True)


class NormYear(TenantModel):
    """Norm amounts of one region (its coordinating municipality) for one year (WM-DVO annex 1, WM-SO 6.3-6.5).

    ``origin`` is "entered" for the base price level (WM: 1-1-2024) and "indexed" for years the CAO indexation
    derived. When indexation changes a year's figures it adds a new revision and marks the old one superseded, so
    earlier figures are kept (issue #5).
    """

    tenant_region = "region"

    class Origin(models.TextChoices):
        ENTERED = "entered", _("ingevoerd")
        INDEXED = "indexed", _("geïndexeerd")

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"))
    revision = models.PositiveSmallIntegerField(_("herziening"), default=1)
    origin = models.CharField(_("herkomst"), max_length=10, choices=Origin.choices, default=Origin.ENTERED)
    price_level_date = models.DateField(_("prijspeil"), null=True, blank=True)
    productive_hours = models.DecimalField(_("productieve uren per fte"), max_digits=8, decimal_places=2)
    overhead_per_hour = models.DecimalField(
        _("overhead per uur"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    overhead_percentage = models.DecimalField(
        _("overhead als % van de norm"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    provenance = models.TextField(_("herkomst van de cijfers"), blank=True)
    superseded_at = models.DateTimeField(_("vervangen op"), null=True, blank=True)
    history = HistoricalRecords()

    objects = TenantManager.from_queryset(NormYearQuerySet)()

    class Meta:
        verbose_name = _("normjaar")
        verbose_name_plural = _("normjaren")
        ordering = ["region__name", "year", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "revision"], name="norm_year_unique_revision"),
            models.UniqueConstraint(
                fields=["region", "year"], condition=Q(superseded_at__isnull=True), name="norm_year_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year} (herziening {self.revision})"

    def clean(self) -> None:
        if self.overhead_per_hour is None and self.overhead_percentage is None:
            raise ValidationError(_("Geef de overhead op: per uur of als percentage van de norm."))
        if self.productive_hours is not None and self.productive_hours <= 0:
            raise ValidationError({"productive_hours": _("Het aantal productieve uren moet groter dan nul zijn.")})


class OverheadYear(TenantModel):
    """The overhead (and optionally the productive hours) of a year from the coordinating municipality's budget of
    that year (WM-DVO 5.4: "Jaarlijks wordt de opslag voor de dekking van de overhead aangepast aan de opslag die van
    toepassing is in de begroting"; WM-SO 6.5). The indexation uses it for that year instead of the base year's."""

    tenant_region = "region"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"))
    overhead_per_hour = models.DecimalField(
        _("overhead per uur"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    overhead_percentage = models.DecimalField(
        _("overhead als % van de norm"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    productive_hours = models.DecimalField(
        _("productieve uren per fte"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("bron"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("overhead van een jaar")
        verbose_name_plural = _("overhead per jaar")
        ordering = ["region__name", "year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="overhead_year_unique")]

    def __str__(self) -> str:
        return f"{self.region} {self.year}: overhead"

    def clean(self) -> None:
        if (self.overhead_per_hour is None) == (self.overhead_percentage is None):
            raise ValidationError(_("Geef de overhead óf per uur óf als percentage van de norm."))


class NormScale(TenantModel):
    """The norm wage cost per FTE per year for one salary scale (WM-DVO annex 1: scale 8 € 78.000, 10 € 97.200)."""

    tenant_region = "norm_year__region"

    norm_year = models.ForeignKey(
        NormYear, verbose_name=_("normjaar"), on_delete=models.CASCADE, related_name="scales"
    )
    scale = models.PositiveSmallIntegerField(_("schaal"))
    norm = models.DecimalField(_("norm per fte per jaar"), **NORM)
    provenance = models.TextField(_("herkomst"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("norm per schaal")
        verbose_name_plural = _("normen per schaal")
        ordering = ["norm_year", "scale"]
        constraints = [models.UniqueConstraint(fields=["norm_year", "scale"], name="norm_scale_unique")]

    def __str__(self) -> str:
        return f"schaal {self.scale}: {self.norm}"


class Activity(TenantModel):
    """An activity priced in hours per function and scale (WM-DVO annex 1, beschermd wonen)."""

    tenant_region = "region"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("naam"), max_length=300)
    source = models.CharField(_("bron"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")
        ordering = ["region__name", "code"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="activity_unique_code")]

    def __str__(self) -> str:
        return self.name


class ActivityComponent(TenantModel):
    tenant_region = "activity__region"

    activity = models.ForeignKey(
        Activity, verbose_name=_("activiteit"), on_delete=models.CASCADE, related_name="components"
    )
    function = models.CharField(_("functie"), max_length=200)
    scale = models.PositiveSmallIntegerField(_("schaal"))
    hours = models.DecimalField(_("uren"), max_digits=8, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("onderdeel van een activiteit")
        verbose_name_plural = _("onderdelen van activiteiten")
        ordering = ["activity", "-scale", "pk"]

    def __str__(self) -> str:
        return f"{self.hours} u {self.function} (schaal {self.scale})"


class CaoStep(TenantModel):
    """One CAO raise step (WM-SO 6.4, WM-DVO 5.3): a percentage and/or a fixed amount per month, from a date.

    ``scales`` empty means every scale. A step counts from the month it takes effect (docs/indexation.md).
    """

    tenant_region = "region"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    effective_date = models.DateField(_("ingangsdatum"))
    percentage = models.DecimalField(_("percentage"), max_digits=7, decimal_places=4, null=True, blank=True)
    fixed_amount_per_month = models.DecimalField(
        _("vast bedrag per maand"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    scales = models.JSONField(_("schalen"), default=list, blank=True, help_text=_("Leeg: alle schalen."))
    source = models.CharField(_("bron"), max_length=300)
    is_demo = models.BooleanField(_("demogegeven"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("CAO-stap")
        verbose_name_plural = _("CAO-stappen")
        ordering = ["region__name", "effective_date", "pk"]

    def __str__(self) -> str:
        parts = []
        if self.percentage is not None:
            parts.append(f"+{self.percentage} %")
        if self.fixed_amount_per_month is not None:
            parts.append(f"+€ {self.fixed_amount_per_month}/maand")
        return f"{self.effective_date:%d-%m-%Y}: {' en '.join(parts)}"

    def applies_to(self, scale: int) -> bool:
        return not self.scales or scale in self.scales

    def clean(self) -> None:
        if self.percentage is None and self.fixed_amount_per_month is None:
            raise ValidationError(_("Een CAO-stap heeft een percentage, een vast bedrag per maand of beide."))
        if self.effective_date is not None:  # issue 10, finding 4: the hard bounds hold for region files too
            from costsharing.services import check_cao_step

            check_cao_step(effective_date=self.effective_date, percentage=self.percentage, confirmed=True)

"""Formation, budget lines, advances and actual costs (SPEC §6, issue #5)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from costsharing.models.choices import AMOUNT, TASK_AREA_CATEGORY, Category, TaskArea
from regio.tenancy import TenantModel

# --- Formation, budget, advances, actuals ------------------------------------------------------------------------


class FormationLine(TenantModel):
    """FTE per function and scale per task area for a year (WM-SO 6.1 a, 6.3)."""

    tenant_region = "region"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"))
    task_area = models.CharField(_("taakveld"), max_length=30, choices=TaskArea.choices)
    function = models.CharField(_("functie"), max_length=200)
    scale = models.PositiveSmallIntegerField(_("schaal"))
    fte = models.DecimalField(_("fte"), max_digits=8, decimal_places=4)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("formatieregel")
        verbose_name_plural = _("formatie")
        ordering = ["region__name", "year", "task_area", "function"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "task_area", "function", "scale"], name="formation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_task_area_display()}: {self.fte} fte {self.function} (schaal {self.scale})"

    @property
    def category(self) -> str:
        return TASK_AREA_CATEGORY[TaskArea(self.task_area)]


class BudgetLine(TenantModel):
    """A budgeted amount of one of the other cost categories (WM-SO 6.1 b-h) for a year."""

    tenant_region = "region"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"))
    category = models.CharField(_("kostensoort"), max_length=30, choices=Category.choices)
    description = models.CharField(_("omschrijving"), max_length=300)
    amount = models.DecimalField(_("bedrag"), **AMOUNT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("begrotingsregel")
        verbose_name_plural = _("begroting")
        ordering = ["region__name", "year", "category"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "category", "description"], name="budget_line_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_category_display()}: {self.amount}"


class Advance(TenantModel):
    """The advance (voorschot) a member pays for a year, derived from the budget (WM-SO 6.7)."""

    tenant_region = "region"
    tenant_municipality = "municipality"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey("regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("jaar"))
    amount = models.DecimalField(_("voorschot"), **AMOUNT)
    basis = models.TextField(_("berekening"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("voorschot")
        verbose_name_plural = _("voorschotten")
        ordering = ["region__name", "year", "municipality__code"]
        constraints = [models.UniqueConstraint(fields=["region", "municipality", "year"], name="advance_unique")]

    def __str__(self) -> str:
        return f"{self.municipality.name} {self.year}: {self.amount}"


class ActualCostLine(TenantModel):
    """An actual cost of the coordinating municipality (WM-SO 6.7 nacalculatie), entered or imported."""

    tenant_region = "region"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"), db_index=True)
    date = models.DateField(_("datum"))
    category = models.CharField(_("kostensoort"), max_length=30, choices=Category.choices)
    description = models.CharField(_("omschrijving"), max_length=300)
    amount = models.DecimalField(_("bedrag"), **AMOUNT)
    source = models.CharField(_("bron"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("werkelijke kostenregel")
        verbose_name_plural = _("werkelijke kosten")
        ordering = ["region__name", "date", "pk"]
        indexes = [models.Index(fields=["region", "year", "category", "date"], name="actual_cost_lookup")]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.get_category_display()}: {self.amount}"

    def save(self, *args, **kwargs):
        if self.date:
            self.year = self.date.year
        super().save(*args, **kwargs)

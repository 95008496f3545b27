"""Supervision (toezicht Wmo). For now: the supervision capacity per municipality per year (WM-DVO annex 4).

The capacity *is* the FTE key that splits supervision costs (SPEC §6.1, issue #5): costsharing reads it from here
and never copies it. Casework (signals, investigations) comes later and will extend this app.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regio.tenancy import TenantModel


class SupervisionCapacity(TenantModel):
    """FTE of the supervisors working for one member municipality in one year (WM-DVO annex 4,
    "Financiële uitgangspunten": Beek 0,35 fte, Stein 0,55 fte, Sittard-Geleen 2 fte).

    Entered by the coordinating municipality; every change is in the audit history. Visible to every member of the
    region (the split is a regional document), changed only by the region's coordinating staff.
    """

    tenant_region = "region"

    region = models.ForeignKey(
        "regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="supervision_capacities"
    )
    municipality = models.ForeignKey(
        "regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    fte = models.DecimalField(
        _("fte"),
        max_digits=8,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Toezichtcapaciteit voor deze gemeente in fte, zoals in bijlage 4 van de DVO."),
    )
    source = models.CharField(_("bron"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("toezichtcapaciteit")
        verbose_name_plural = _("toezichtcapaciteit")
        ordering = ["region__name", "year", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "municipality", "year"], name="supervision_capacity_unique"),
            models.CheckConstraint(condition=models.Q(fte__gte=0), name="supervision_capacity_fte_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} {self.year}: {self.fte} fte"

    def clean(self) -> None:
        if self.fte is not None and self.fte < 0:
            raise ValidationError({"fte": _("Het aantal fte kan niet negatief zijn.")})

"""The region's settings for beschermd wonen (region-file section ``beschermd_wonen``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regio.tenancy import TenantModel

__all__ = ["RegionSetting"]


class RegionSetting(TenantModel):
    """Per region: the start date of the objective distribution model (WM-DVO annex 3 §1, §7). Empty = not started:
    every client is existing and Stein and Beek bear no beschermd-wonen cost (annex 1, annex 3 §1). The seed says
    1-1-2024 (annex 3 §7); national policy has postponed it since (SPEC §7), so the demo keeps it empty."""

    tenant_region = "region"

    region = models.OneToOneField(
        "regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="bw_setting"
    )
    objective_model_start = models.DateField(_("ingangsdatum objectief verdeelmodel"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("instelling beschermd wonen")
        verbose_name_plural = _("instellingen beschermd wonen")

    def __str__(self) -> str:
        return f"{self.region} beschermd wonen"

    @classmethod
    def objective_start_for(cls, region):
        """The start date for a region, or None (not set or not started)."""
        return (
            cls.objects.unrestricted("a region setting the caller reached through its region")
            .filter(region=region)
            .values_list("objective_model_start", flat=True)
            .first()
        )

"""Subregions, their delegate, and who attended a meeting on whose behalf (BNO 8.1, 9.4-9.5; issue #15)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models.agreements import Agreement
from agreements.models.governance import Meeting
from regio.models import Municipality
from regio.tenancy import TenantModel


class Subregion(TenantModel):
    """A subregion of a regulation that sends one delegate (and a deputy) to a meeting on behalf of its members
    (BNO 9.4-9.5: one official representative per subregion at the overlegtafel Wmo; BNO 8.1)."""

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("overeenkomst"), on_delete=models.PROTECT, related_name="subregions"
    )
    name = models.CharField(_("naam"), max_length=200)
    members = models.ManyToManyField(Municipality, verbose_name=_("gemeenten"), related_name="+")
    delegate = models.CharField(_("vertegenwoordiger"), max_length=200, blank=True)
    delegate_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("vertegenwoordiger van gemeente"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deputy = models.CharField(_("plaatsvervanger"), max_length=200, blank=True)
    article = models.CharField(_("artikel"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subregio")
        verbose_name_plural = _("subregio's")
        ordering = ["agreement", "name"]
        constraints = [models.UniqueConstraint(fields=["agreement", "name"], name="subregion_unique_name")]

    def __str__(self) -> str:
        return self.name


class MeetingAttendance(TenantModel):
    """Who attended a meeting, for which municipality, and whether on behalf of a subregion."""

    tenant_region = "meeting__region"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    name = models.CharField(_("naam"), max_length=200)
    function = models.CharField(_("functie"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    subregion = models.ForeignKey(
        Subregion,
        verbose_name=_("namens subregio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attendance",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aanwezige bij een overleg")
        verbose_name_plural = _("aanwezigen bij overleggen")
        ordering = ["meeting", "subregion__name", "municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "name", "municipality"], name="attendance_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality.name})"

"""Care use and its costs per member, for the half-yearly monitoring report (BNO 4: "monitorrapportages per half
jaar ... over zorggebruik Wmo en de kosten daarvan, soorten producten, omvang en samenloop van de diverse producten
per regiogemeente en ten opzichte van andere gemeente in de samenwerkingsregio").

* ``CareUseImport``: one imported file (CSV or Excel from a member's Wmo system); its SHA-256 makes the same file
  twice a no-op.
* ``CareUse``: one line of care use: a client (pseudonym only, never a BSN), a product of a kind, a provider, a period
  within one half-year, a volume and its cost, charged to a member.

Who sees what: the lines are per client (pseudonym): the member's own staff and the region's coordinating staff see
them; the report shows aggregates only, to every member of the region (``inkoop.services.monitoring``). Only the
coordinating municipality's staff imports (BNO 4: the centre municipality monitors and reports).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regio.privacy import no_bsn
from regio.tenancy import TenantModel

__all__ = ["CareUse", "CareUseImport", "ProductKind"]


class ProductKind(models.TextChoices):
    """The kinds of Wmo products the report compares (BNO 4 "soorten producten")."""

    HOUSEHOLD = "huishouden", _("hulp bij het huishouden")
    SUPPORT = "begeleiding", _("begeleiding")
    DAYCARE = "dagbesteding", _("dagbesteding")
    RESPITE = "kortdurend_verblijf", _("kortdurend verblijf")
    AIDS = "hulpmiddelen", _("hulpmiddelen en woonvoorzieningen")
    TRANSPORT = "vervoer", _("vervoer")
    SHELTER = "beschermd_wonen", _("beschermd wonen")
    OTHER = "overig", _("overig")


class CareUseImport(TenantModel):
    """One imported file of care use. Its lines are all there or none are (an import with a bad row imports
    nothing)."""

    tenant_region = "region"
    tenant_municipality = "municipality"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(_("bestandsnaam"), max_length=200, validators=[no_bsn])
    digest = models.CharField(_("vingerafdruk (SHA-256)"), max_length=64)
    lines = models.PositiveIntegerField(_("regels"), default=0)
    total = models.DecimalField(_("totaal"), max_digits=16, decimal_places=2, default=0)
    created_by = models.ForeignKey(
        "regio.User",
        verbose_name=_("ingelezen door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ingelezen op"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inlezing zorggebruik")
        verbose_name_plural = _("inlezingen zorggebruik")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["region", "digest"], name="inkoop_careuse_unique_file")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%d-%m-%Y})"


class CareUse(TenantModel):
    """Care use of one client (pseudonym) for one product over a period within one half-year."""

    tenant_region = "region"
    tenant_municipality = "municipality"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    client_key = models.CharField(_("cliëntreferentie"), max_length=40, validators=[no_bsn])
    product = models.CharField(_("productcode"), max_length=20, validators=[no_bsn])
    kind = models.CharField(_("soort product"), max_length=20, choices=ProductKind.choices)
    # The provider as the file names it (AGB code and name); linked to the region's provider register when the AGB
    # code is in it.
    provider = models.ForeignKey(
        "inkoop.Provider",
        verbose_name=_("aanbieder (register)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    provider_name = models.CharField(_("aanbieder"), max_length=200, blank=True, validators=[no_bsn])
    year = models.PositiveSmallIntegerField(_("jaar"))
    half = models.PositiveSmallIntegerField(
        _("halfjaar"), choices=[(1, _("eerste halfjaar")), (2, _("tweede halfjaar"))]
    )
    period_start = models.DateField(_("van"))
    period_end = models.DateField(_("tot en met"))
    volume = models.DecimalField(_("omvang"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("eenheid"), max_length=20, blank=True, validators=[no_bsn])
    amount = models.DecimalField(_("kosten"), max_digits=14, decimal_places=2)
    care_import = models.ForeignKey(
        CareUseImport, verbose_name=_("inlezing"), on_delete=models.PROTECT, related_name="care_use"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("zorggebruik")
        verbose_name_plural = _("zorggebruik")
        ordering = ["year", "half", "municipality", "client_key", "period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="inkoop_careuse_period"
            ),
            models.CheckConstraint(condition=Q(half__in=[1, 2]), name="inkoop_careuse_half"),
            models.CheckConstraint(condition=Q(volume__gte=0), name="inkoop_careuse_volume"),
        ]
        indexes = [models.Index(fields=["region", "year", "half"], name="inkoop_careuse_region_half")]

    def __str__(self) -> str:
        return f"{self.client_key} {self.year}-H{self.half} {self.product}"

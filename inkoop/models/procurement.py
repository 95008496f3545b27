"""Procurement procedures from the purchasing plan (WM-SO 2.4 a, 4.4 a; BNO 4, 6): the kind, the lots, the dates,
the award, and the hand-over of the closed file to each member's purchasing team for its archive (WM-SO 4.4 a)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from inkoop.models.providers import Provider
from regio.bounds import PlausibleDate
from regio.models import Municipality, Region
from regio.tenancy import TenantModel


class ProcedureKind(models.TextChoices):
    """The procedure kinds of the Aanbestedingswet 2012 used for Wmo services (social and other specific services)."""

    OPEN = "openbaar", _("Openbare procedure")
    RESTRICTED = "niet_openbaar", _("Niet-openbare procedure")
    MULTIPLE_PRIVATE = "meervoudig_onderhands", _("Meervoudig onderhandse procedure")
    SINGLE_PRIVATE = "enkelvoudig_onderhands", _("Enkelvoudig onderhandse procedure")
    SOCIAL_SERVICES = "sociale_diensten", _("Sociale en andere specifieke diensten (verlicht regime)")
    OPEN_HOUSE = "open_house", _("Open house")
    ADMINISTRATIVE = "bestuurlijk", _("Bestuurlijk aanbesteden")


class ProcedureStatus(models.TextChoices):
    PREPARATION = "voorbereiding", _("In voorbereiding")
    PUBLISHED = "gepubliceerd", _("Gepubliceerd")
    AWARDED = "gegund", _("Gegund")
    CLOSED = "afgerond", _("Afgerond en overgedragen")


class Procedure(TenantModel):
    """One procurement procedure of a region, prepared and run by the coordinating municipality (WM-SO 2.4 a)."""

    tenant_region = "region"

    region = models.ForeignKey(Region, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="procedures")
    reference = models.CharField(_("kenmerk"), max_length=60, unique=True)
    title = models.CharField(_("titel"), max_length=200)
    kind = models.CharField(_("procedure"), max_length=30, choices=ProcedureKind.choices)
    plan_reference = models.CharField(_("inkoopplan"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProcedureStatus.choices, default=ProcedureStatus.PREPARATION
    )
    published_on = models.DateField(_("gepubliceerd op"), null=True, blank=True, validators=[PlausibleDate()])
    tender_deadline = models.DateField(_("sluiting inschrijving"), null=True, blank=True, validators=[PlausibleDate()])
    awarded_on = models.DateField(_("gegund op"), null=True, blank=True, validators=[PlausibleDate()])
    closed_on = models.DateField(_("afgerond op"), null=True, blank=True, validators=[PlausibleDate()])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aanbesteding")
        verbose_name_plural = _("aanbestedingen")
        ordering = ["-published_on", "reference"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def clean(self) -> None:
        if self.published_on and self.tender_deadline and self.tender_deadline < self.published_on:
            raise ValidationError({"tender_deadline": _("De inschrijving sluit niet vóór de publicatie.")})


class Lot(TenantModel):
    """A lot (perceel) of a procedure, with the providers it was awarded to."""

    tenant_region = "procedure__region"

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("aanbesteding"), on_delete=models.CASCADE, related_name="lots"
    )
    number = models.PositiveSmallIntegerField(_("perceel"))
    title = models.CharField(_("omschrijving"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("perceel")
        verbose_name_plural = _("percelen")
        ordering = ["procedure", "number"]
        constraints = [models.UniqueConstraint(fields=["procedure", "number"], name="lot_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Award(TenantModel):
    """A lot awarded to a provider (gunning)."""

    tenant_region = "lot__procedure__region"

    lot = models.ForeignKey(Lot, verbose_name=_("perceel"), on_delete=models.CASCADE, related_name="awards")
    provider = models.ForeignKey(
        Provider, verbose_name=_("aanbieder"), on_delete=models.PROTECT, related_name="awards"
    )
    awarded_on = models.DateField(_("gegund op"), validators=[PlausibleDate()])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gunning")
        verbose_name_plural = _("gunningen")
        ordering = ["lot", "provider__name"]
        constraints = [models.UniqueConstraint(fields=["lot", "provider"], name="award_unique_provider")]

    def __str__(self) -> str:
        return f"{self.lot}: {self.provider}"


class Handover(TenantModel):
    """The closed file handed over to one member's purchasing team for its archive (WM-SO 4.4 a): the export's
    fingerprint, so the member can prove what it received. Visible to that member and the coordinating staff."""

    tenant_municipality = "municipality"
    tenant_region = "procedure__region"

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("aanbesteding"), on_delete=models.CASCADE, related_name="handovers"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    handed_over_on = models.DateField(_("overgedragen op"))
    sha256 = models.CharField(_("vingerafdruk export"), max_length=64)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("overdracht")
        verbose_name_plural = _("overdrachten")
        ordering = ["procedure", "municipality__name"]
        constraints = [models.UniqueConstraint(fields=["procedure", "municipality"], name="handover_unique_member")]

    def __str__(self) -> str:
        return f"{self.procedure.reference} → {self.municipality}"

"""The register of privacy agreements per region (WM-SO 11.1-11.2, annexes 5 and 6; BNO 18; issue #15).

The coordinating municipality is in principle the processor and the members the controllers (processing agreement,
annex 5); for beschermd wonen outside intramural care and for toezicht Wmo they are joint controllers (annex 6).
The beschermd-wonen and toezicht pages show under which agreement their data are processed.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models.agreements import Agreement
from agreements.models.documents import Document
from regio.models import Municipality, Region
from regio.tenancy import TenantModel


class ProcessingKind(models.TextChoices):
    PROCESSOR = "verwerkersovereenkomst", _("Verwerkersovereenkomst (art. 28 AVG)")
    JOINT_CONTROLLERS = "gezamenlijk", _("Overeenkomst gezamenlijke verwerkingsverantwoordelijken (art. 26 AVG)")


class ProcessingDomain(models.TextChoices):
    GENERAL = "algemeen", _("Inkoop, contract- en leveranciersmanagement")
    PROTECTED_HOUSING = "beschermd_wonen", _("Beschermd wonen (niet-intramuraal)")
    SUPERVISION = "toezicht", _("Toezicht Wmo")
    # WM-SO 11.2: one joint-controllers agreement (annex 6) for both beschermd wonen niet-intramuraal and toezicht.
    PROTECTED_HOUSING_AND_SUPERVISION = "bw_toezicht", _("Beschermd wonen (niet-intramuraal) en toezicht Wmo")


class ProcessingRole(models.TextChoices):
    PROCESSOR = "verwerker", _("Verwerker")
    CONTROLLER = "verwerkingsverantwoordelijke", _("Verwerkingsverantwoordelijke")
    JOINT_CONTROLLER = "gezamenlijk_verantwoordelijke", _("Gezamenlijk verwerkingsverantwoordelijke")


class ProcessingAgreement(TenantModel):
    """One privacy agreement of a region: its kind, domain, the agreement it rests on, dates and document."""

    tenant_region = "region"

    region = models.ForeignKey(Region, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("titel"), max_length=300)
    kind = models.CharField(_("soort"), max_length=30, choices=ProcessingKind.choices)
    domain = models.CharField(_("verwerking voor"), max_length=20, choices=ProcessingDomain.choices)
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("op grond van"),
        on_delete=models.PROTECT,
        related_name="processing_agreements",
    )
    article = models.CharField(_("artikel"), max_length=100, blank=True)
    annex = models.CharField(_("bijlage"), max_length=100, blank=True)
    signed_on = models.DateField(_("gesloten op"), null=True, blank=True)
    effective_from = models.DateField(_("geldig vanaf"))
    effective_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    document = models.ForeignKey(
        Document, verbose_name=_("document"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("privacyovereenkomst")
        verbose_name_plural = _("privacyovereenkomsten")
        ordering = ["region__name", "domain", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True) | Q(effective_until__gte=models.F("effective_from")),
                name="processing_agreement_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_kind_display()})"


class ProcessingParty(TenantModel):
    """A municipality's role in a privacy agreement."""

    tenant_region = "processing_agreement__region"

    processing_agreement = models.ForeignKey(ProcessingAgreement, on_delete=models.CASCADE, related_name="parties")
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("rol"), max_length=30, choices=ProcessingRole.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partij bij een privacyovereenkomst")
        verbose_name_plural = _("partijen bij privacyovereenkomsten")
        ordering = ["processing_agreement", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["processing_agreement", "municipality"], name="processing_party_once")
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name}: {self.get_role_display()}"

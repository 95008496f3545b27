"""Publication of a regulation and its amendments (BNO 23; Wgr art. 26) and the transfer of rights with the other
parties' prior written consent (WM-SO 12.4); issue #15."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models.agreements import Agreement
from agreements.models.workflows import Amendment
from regio.models import Municipality
from regio.tenancy import TenantModel


class PublicationMedium(models.TextChoices):
    STAATSCOURANT = "staatscourant", _("Staatscourant")
    GEMEENTEBLAD = "gemeenteblad", _("Gemeenteblad")
    OTHER = "anders", _("Anders")


class Publication(TenantModel):
    """A centrumregeling or its amendment must be published (BNO 23.1, 13.4; Wgr art. 26): where, when, by when."""

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("overeenkomst"), on_delete=models.PROTECT, related_name="publications"
    )
    amendment = models.ForeignKey(
        Amendment,
        verbose_name=_("wijziging"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publications",
    )
    title = models.CharField(_("wat"), max_length=300)
    article = models.CharField(_("artikel"), max_length=100, blank=True)
    due_on = models.DateField(_("uiterlijk bekend te maken op"))
    published_on = models.DateField(_("bekendgemaakt op"), null=True, blank=True)
    medium = models.CharField(_("waar"), max_length=20, choices=PublicationMedium.choices, blank=True)
    reference = models.CharField(_("vindplaats"), max_length=200, blank=True, help_text=_("Bijv. Gmb. 2020, 12345."))
    sent_to_province_on = models.DateField(_("toegezonden aan Gedeputeerde Staten op"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bekendmaking")
        verbose_name_plural = _("bekendmakingen")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.agreement.code}: {self.title}"


class TransferStatus(models.TextChoices):
    REQUESTED = "aangevraagd", _("Aangevraagd")
    TRANSFERRED = "overgedragen", _("Overgedragen")
    REFUSED = "geweigerd", _("Geweigerd")


class RightsTransfer(TenantModel):
    """A party asks to transfer (part of) its rights and obligations to a third party: only with the other
    municipalities' prior written consent (WM-SO 12.4)."""

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("overeenkomst"), on_delete=models.PROTECT, related_name="rights_transfers"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("overdragende gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    transferee = models.CharField(_("aan (derde)"), max_length=300)
    description = models.TextField(_("welke rechten en verplichtingen"), max_length=10_000)
    requested_on = models.DateField(_("aangevraagd op"))
    status = models.CharField(
        _("status"), max_length=20, choices=TransferStatus.choices, default=TransferStatus.REQUESTED
    )
    transferred_on = models.DateField(_("overgedragen per"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("overdracht van rechten")
        verbose_name_plural = _("overdrachten van rechten")
        ordering = ["-requested_on", "-pk"]

    def __str__(self) -> str:
        return f"Overdracht door {self.municipality.name} aan {self.transferee}"


class TransferConsent(TenantModel):
    """One other municipality's written consent (or refusal) to a transfer, dated."""

    tenant_region = "transfer__agreement__region"

    transfer = models.ForeignKey(RightsTransfer, on_delete=models.CASCADE, related_name="consents")
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    in_favour = models.BooleanField(_("stemt in"))
    decided_on = models.DateField(_("schriftelijk op"))
    reference = models.CharField(_("kenmerk brief"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("toestemming voor overdracht")
        verbose_name_plural = _("toestemmingen voor overdracht")
        ordering = ["decided_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["transfer", "municipality"], name="transfer_consent_once")]

    def __str__(self) -> str:
        verb = "stemt in" if self.in_favour else "stemt niet in"
        return f"{self.municipality.name} {verb} ({self.decided_on:%d-%m-%Y})"

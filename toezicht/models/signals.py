"""Signals about providers (SPEC §8; WM-DVO annex 4: reactive supervision). Confidential casework."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regio.tenancy import TenantModel
from toezicht.models.confidential import casework_filter


class SignalSource(models.TextChoices):
    MELDPUNT = "meldpunt", _("Meldpunt toezicht")
    IKZ = "ikz", _("Landelijk meldpunt (IKZ)")
    GGD = "ggd", _("Calamiteitenmelding GGD")
    COLLEGE = "college", _("College")
    OWN = "own", _("Eigen waarneming")
    PROVIDER = "provider", _("Aanbieder")


class SignalKind(models.TextChoices):
    QUALITY = "quality", _("Kwaliteit")
    LAWFULNESS = "lawfulness", _("Rechtmatigheid")
    BOTH = "both", _("Kwaliteit en rechtmatigheid")


class Funding(models.TextChoices):
    IN_KIND = "in_kind", _("Zorg in natura")
    PGB = "pgb", _("Persoonsgebonden budget")
    UNKNOWN = "unknown", _("Onbekend")


class Triage(models.TextChoices):
    UNTRIAGED = "untriaged", _("Nog niet beoordeeld")
    INVESTIGATE = "investigate", _("Onderzoek starten")
    MONITOR = "monitor", _("Volgen, geen onderzoek")
    NO_ACTION = "no_action", _("Geen actie")
    FORWARD = "forward", _("Doorgestuurd (geen Wmo-toezicht)")


class Signal(TenantModel):
    """A signal about a provider (SPEC §8; WM-DVO annex 4: reactive supervision). Casework, so confidential: only the
    supervisors assigned to its municipality see or change it; every read of its detail is in the access log."""

    tenant_municipality = "municipality"

    reference = models.CharField(_("kenmerk"), max_length=40, unique=True, editable=False)
    municipality = models.ForeignKey(
        "regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField(_("datum ontvangst"))
    source = models.CharField(_("bron"), max_length=20, choices=SignalSource.choices)
    provider_name = models.CharField(_("aanbieder"), max_length=200, blank=True)
    kind = models.CharField(_("soort"), max_length=20, choices=SignalKind.choices)
    funding = models.CharField(_("financiering"), max_length=20, choices=Funding.choices, default=Funding.UNKNOWN)
    description = models.TextField(_("omschrijving"), max_length=5000)
    contact = models.CharField(
        _("contactgegevens melder"), max_length=200, blank=True, help_text=_("Alleen als de melder die opgeeft.")
    )
    triage = models.CharField(_("beoordeling"), max_length=20, choices=Triage.choices, default=Triage.UNTRIAGED)
    triage_reasons = models.TextField(_("motivering beoordeling"), blank=True, max_length=5000)
    triaged_by = models.ForeignKey(
        "regio.User",
        verbose_name=_("beoordeeld door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    triaged_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "regio.User",
        verbose_name=_("vastgelegd door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    investigation = models.ForeignKey(
        "toezicht.Investigation",
        verbose_name=_("onderzoek"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signals",
        help_text=_("Het onderzoek dat naar aanleiding van dit signaal loopt."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.reference} ({self.municipality.name})"

    @classmethod
    def tenant_filter(cls, scope, action: str) -> models.Q:
        # Confidential casework (SPEC §8): the assigned supervisors and their team manager only.
        return casework_filter(scope, action)

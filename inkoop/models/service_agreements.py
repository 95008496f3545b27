"""Service agreements (dienstverleningsovereenkomsten, DVO) with providers under Maastricht-Heuvelland's agreement:
the items MH 8.2 a-j requires, each shown as complete or missing per DVO."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import Agreement
from inkoop.models.providers import Provider
from regio.bounds import PlausibleDate
from regio.models import Region
from regio.tenancy import TenantModel

# MH 8.2: the DVO contains at least these subjects (letter, field, label).
CHECKLIST = (
    ("a", "has_municipalities", _("namen van de deelnemende gemeenten")),
    ("b", "has_providers", _("namen van de deelnemende dienstverlener(s)")),
    ("c", "has_eligibility", _("welke burgers onder welke voorwaarden in aanmerking komen")),
    ("d", "has_legislation", _("de toepasselijke wet- en regelgeving, waaronder de Wnt")),
    ("e", "has_quality", _("kwaliteitscriteria en randvoorwaarden, waaronder goed werkgeverschap")),
    ("f", "has_entry_exit", _("toe- en uittredingsvoorwaarden")),
    ("g", "has_provider_activities", _("activiteiten en resultaten van de dienstverlener(s)")),
    ("h", "has_municipal_activities", _("activiteiten en prestaties van de gemeenten")),
    ("i", "has_monitoring", _("monitoring, verantwoording, financiering en betaling")),
    ("j", "has_term_tariffs", _("looptijd, tarieven en indexering")),
)


class ServiceAgreement(TenantModel):
    """A DVO with one or more providers (MH 8.1) and whether it covers each item of MH 8.2."""

    tenant_region = "region"

    region = models.ForeignKey(Region, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("samenwerkingsovereenkomst"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reference = models.CharField(_("kenmerk"), max_length=60, unique=True)
    title = models.CharField(_("titel"), max_length=200)
    providers = models.ManyToManyField(Provider, verbose_name=_("dienstverleners"), related_name="service_agreements")
    starts_on = models.DateField(_("ingangsdatum"), null=True, blank=True, validators=[PlausibleDate()])
    ends_on = models.DateField(_("einddatum"), null=True, blank=True, validators=[PlausibleDate()])
    has_municipalities = models.BooleanField(_("8.2 a"), default=False)
    has_providers = models.BooleanField(_("8.2 b"), default=False)
    has_eligibility = models.BooleanField(_("8.2 c"), default=False)
    has_legislation = models.BooleanField(_("8.2 d (met Wnt)"), default=False)
    has_quality = models.BooleanField(_("8.2 e"), default=False)
    has_entry_exit = models.BooleanField(_("8.2 f"), default=False)
    has_provider_activities = models.BooleanField(_("8.2 g"), default=False)
    has_municipal_activities = models.BooleanField(_("8.2 h"), default=False)
    has_monitoring = models.BooleanField(_("8.2 i"), default=False)
    has_term_tariffs = models.BooleanField(_("8.2 j"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dienstverleningsovereenkomst")
        verbose_name_plural = _("dienstverleningsovereenkomsten")
        ordering = ["region", "reference"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def checklist(self) -> list[tuple[str, str, bool]]:
        """(letter, subject, present) for every item of MH 8.2."""
        return [(letter, str(label), getattr(self, field)) for letter, field, label in CHECKLIST]

    @property
    def missing(self) -> list[str]:
        return [f"8.2 {letter}" for letter, _label, present in self.checklist() if not present]

    @property
    def complete(self) -> bool:
        return not self.missing

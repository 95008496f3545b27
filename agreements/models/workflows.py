"""Notices, accessions, amendments, their decisions and the workflow trail (issue #4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models.agreements import Agreement
from regio.models import Municipality
from regio.tenancy import TenantModel

# --- workflows --------------------------------------------------------------------------------------------------


class NoticeKind(models.TextChoices):
    TERMINATION = "opzegging", _("Opzegging")
    WITHDRAWAL = "uittreding", _("Uittreding")
    DISSOLUTION = "ontbinding", _("Ontbinding na ingebrekestelling")


class NoticeStatus(models.TextChoices):
    RECEIVED = "ontvangen", _("Ontvangen")
    REGISTERED = "geregistreerd", _("Geregistreerd, uittredingsdatum berekend")
    EFFECTED = "uitgetreden", _("Uitgetreden")
    WITHDRAWN = "ingetrokken", _("Ingetrokken")


class Notice(TenantModel):
    """A notice of termination or withdrawal by one party (WM-SO 16; WM-2015 6.4-6.7; BNO 15)."""

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("overeenkomst"), on_delete=models.PROTECT, related_name="notices"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("opzeggende gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("soort"), max_length=20, choices=NoticeKind.choices, default=NoticeKind.TERMINATION)
    status = models.CharField(_("status"), max_length=20, choices=NoticeStatus.choices, default=NoticeStatus.RECEIVED)
    received_on = models.DateField(_("ontvangen op"))
    registered_letter = models.BooleanField(_("per aangetekende brief"), default=False)
    letter_reference = models.CharField(_("kenmerk brief"), max_length=100, blank=True)
    decision_announced_on = models.DateField(_("besluit bekendgemaakt op"), null=True, blank=True)
    council_consent_on = models.DateField(
        _("toestemming van de raad op"), null=True, blank=True, help_text=_("BNO 15.1.")
    )
    college_decision_on = models.DateField(
        _("collegebesluit tot uittreding op"), null=True, blank=True, help_text=_("BNO 15.1.")
    )
    exit_date = models.DateField(_("uittredingsdatum"), null=True, blank=True)
    obligations_until = models.DateField(_("verplichtingen tot"), null=True, blank=True)
    explanation = models.TextField(_("toelichting"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opzegging")
        verbose_name_plural = _("opzeggingen")
        ordering = ["-received_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.agreement.code} door {self.municipality.name}"


class AccessionStatus(models.TextChoices):
    REQUESTED = "aangevraagd", _("Aangevraagd")
    JOINED = "toegetreden", _("Toegetreden")
    REFUSED = "geweigerd", _("Geweigerd")


class Accession(TenantModel):
    """A municipality asks to join; every current party must consent (WM-SO 13; WM-2015 6.1; BNO 14)."""

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("overeenkomst"), on_delete=models.PROTECT, related_name="accessions"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("toetredende gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    requested_on = models.DateField(_("aangevraagd op"))
    status = models.CharField(
        _("status"), max_length=20, choices=AccessionStatus.choices, default=AccessionStatus.REQUESTED
    )
    joined_on = models.DateField(_("toegetreden per"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("toetreding")
        verbose_name_plural = _("toetredingen")
        ordering = ["-requested_on"]

    def __str__(self) -> str:
        return f"Toetreding {self.municipality.name} tot {self.agreement.code}"


class AmendmentStatus(models.TextChoices):
    PROPOSED = "voorgesteld", _("Voorgesteld")
    ADOPTED = "vastgesteld", _("Vastgesteld en gehecht")
    REJECTED = "verworpen", _("Verworpen")


class Amendment(TenantModel):
    """A change or addendum: proposed, approved per party, adopted only when every party approved (WM-SO 12.2-12.3,
    WM-2015 6.2-6.3, BNO 13), then attached to the agreement with its own effective date."""

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("overeenkomst"), on_delete=models.PROTECT, related_name="amendments"
    )
    title = models.CharField(_("titel"), max_length=300)
    is_addendum = models.BooleanField(_("addendum"), default=True)
    description = models.TextField(_("omschrijving"), blank=True)
    proposed_on = models.DateField(_("voorgesteld op"))
    proposed_by = models.ForeignKey(
        Municipality, verbose_name=_("voorgesteld door"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AmendmentStatus.choices, default=AmendmentStatus.PROPOSED
    )
    advice_on = models.DateField(
        _("positief advies portefeuillehoudersoverleg op"), null=True, blank=True, help_text=_("BNO 13.2.")
    )
    sent_to_colleges_on = models.DateField(_("voorstel aan de colleges op"), null=True, blank=True)
    adopted_on = models.DateField(_("vastgesteld op"), null=True, blank=True)
    effective_from = models.DateField(_("in werking vanaf"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("wijziging of addendum")
        verbose_name_plural = _("wijzigingen en addenda")
        ordering = ["-proposed_on"]

    def __str__(self) -> str:
        return f"{self.agreement.code}: {self.title}"


class Decision(TenantModel):
    """One party's consent or approval in an accession or amendment, dated and attributed."""

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    accession = models.ForeignKey(Accession, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions")
    amendment = models.ForeignKey(Amendment, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions")
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    in_favour = models.BooleanField(_("stemt in"))
    decided_on = models.DateField(_("besloten op"))
    council_consent_on = models.DateField(_("toestemming raad op"), null=True, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("besluit van een partij")
        verbose_name_plural = _("besluiten van partijen")
        ordering = ["decided_on"]
        constraints = [
            models.UniqueConstraint(fields=["accession", "municipality"], name="decision_once_per_accession"),
            models.UniqueConstraint(fields=["amendment", "municipality"], name="decision_once_per_amendment"),
            models.CheckConstraint(
                condition=Q(accession__isnull=False, amendment__isnull=True)
                | Q(accession__isnull=True, amendment__isnull=False),
                name="decision_one_subject",
            ),
        ]

    def __str__(self) -> str:
        verb = "stemt in" if self.in_favour else "stemt niet in"
        return f"{self.municipality.name} {verb} ({self.decided_on:%d-%m-%Y})"


class WorkflowEvent(TenantModel):
    """A dated, attributed step of a workflow (notice, accession, amendment, agreement end): the timeline's source."""

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="events")
    on = models.DateField(_("datum"))
    action = models.CharField(_("stap"), max_length=300)
    article = models.CharField(_("artikel"), max_length=100, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notice = models.ForeignKey(Notice, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    accession = models.ForeignKey(Accession, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    amendment = models.ForeignKey(Amendment, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stap")
        verbose_name_plural = _("stappen")
        ordering = ["on", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.on:%d-%m-%Y} {self.action}"

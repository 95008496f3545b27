"""Investigations (onderzoeken) of the Wmo supervisors (WM-DVO annex 4; SPEC §8). Confidential casework.

An investigation belongs to one municipality (its case file; the one whose supervisors see it) and may concern
others and several providers. It records the approach, the powers used (Awb 5:15-5:19), findings, conclusion and
outcome, the interventions recommended to the college and the college's decision, its documents, and a status that
moves only through the transitions in ``TRANSITIONS`` (STYLE.md rule 3), each one in ``InvestigationStatusChange``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regio.tenancy import TenantModel
from toezicht.models.confidential import casework_filter
from toezicht.models.signals import SignalKind


class Approach(models.TextChoices):
    """The forms of supervision of the Beleidskader (WM-DVO annex 4, "Proactief, preventief en reactief toezicht")."""

    PROACTIVE = "proactive", _("Proactief")
    PREVENTIVE = "preventive", _("Preventief (screening toetredende aanbieders en onderaannemers)")
    REACTIVE = "reactive", _("Reactief (signaal of calamiteit)")
    RISK_BASED = "risk_based", _("Risicogebaseerd en thematisch")
    STRUCTURAL = "structural", _("Structureel (steekproef zorg in natura en pgb)")


class InvestigationStatus(models.TextChoices):
    INTAKE = "intake", _("Aangemaakt")
    INVESTIGATING = "investigating", _("In onderzoek")
    REPORTING = "reporting", _("Rapportage")
    ADVISED = "advised", _("Advies aan college")
    CLOSED = "closed", _("Afgesloten")


# The explicit lifecycle (STYLE.md rule 3): from → allowed next states. Closing is possible from every open state
# (an investigation can be discontinued); a closed one stays closed.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    InvestigationStatus.INTAKE: (InvestigationStatus.INVESTIGATING, InvestigationStatus.CLOSED),
    InvestigationStatus.INVESTIGATING: (InvestigationStatus.REPORTING, InvestigationStatus.CLOSED),
    InvestigationStatus.REPORTING: (
        InvestigationStatus.INVESTIGATING,
        InvestigationStatus.ADVISED,
        InvestigationStatus.CLOSED,
    ),
    InvestigationStatus.ADVISED: (InvestigationStatus.CLOSED,),
    InvestigationStatus.CLOSED: (),
}


class Outcome(models.TextChoices):
    NONE = "", _("Nog geen uitkomst")
    COMPLIANT = "compliant", _("Voldoet")
    IMPROVEMENT = "improvement", _("Verbeterpunten")
    VIOLATION = "violation", _("Overtreding vastgesteld")
    DISCONTINUED = "discontinued", _("Gestopt zonder oordeel")


class InvestigationFunding(models.TextChoices):
    IN_KIND = "in_kind", _("Zorg in natura")
    PGB = "pgb", _("Persoonsgebonden budget")
    BOTH = "both", _("Zorg in natura en pgb")
    UNKNOWN = "unknown", _("Onbekend")


class Investigation(TenantModel):
    """One investigation (onderzoek) of the supervisors (WM-DVO annex 4). Visible only to the supervisors assigned to
    ``municipality`` and their team manager (``confidential.casework_filter``); every read of it is logged."""

    tenant_municipality = "municipality"

    reference = models.CharField(_("kenmerk"), max_length=40, unique=True, editable=False)
    municipality = models.ForeignKey(
        "regio.Municipality",
        verbose_name=_("gemeente (dossier)"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("De gemeente waarvan de toezichthouders dit dossier voeren."),
    )
    municipalities = models.ManyToManyField(
        "regio.Municipality",
        verbose_name=_("betrokken gemeenten"),
        related_name="+",
        help_text=_("Alle gemeenten waarop het onderzoek betrekking heeft, de dossiergemeente inbegrepen."),
    )
    title = models.CharField(_("titel"), max_length=200)
    kind = models.CharField(_("soort toezicht"), max_length=20, choices=SignalKind.choices)
    approach = models.CharField(_("vorm van toezicht"), max_length=20, choices=Approach.choices)
    funding = models.CharField(
        _("financiering"), max_length=20, choices=InvestigationFunding.choices, default=InvestigationFunding.UNKNOWN
    )
    theme = models.CharField(_("thema"), max_length=200, blank=True)
    supervisors = models.ManyToManyField("regio.User", verbose_name=_("toezichthouders"), related_name="+")
    started_on = models.DateField(_("startdatum"))
    planned_end_on = models.DateField(_("geplande einddatum"), null=True, blank=True)
    closed_on = models.DateField(_("einddatum"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=InvestigationStatus.choices, default=InvestigationStatus.INTAKE
    )
    findings = models.TextField(_("bevindingen"), blank=True, max_length=20000)
    conclusion = models.TextField(_("conclusie"), blank=True, max_length=10000)
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=Outcome.choices, blank=True, default="")
    created_by = models.ForeignKey(
        "regio.User", verbose_name=_("aangemaakt door"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("onderzoek toezicht")
        verbose_name_plural = _("onderzoeken toezicht")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True) | models.Q(closed_on__gte=models.F("started_on")),
                name="toezicht_investigation_closed_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end_on__isnull=True) | models.Q(planned_end_on__gte=models.F("started_on")),
                name="toezicht_investigation_planned_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_closed(self) -> bool:
        return self.status == InvestigationStatus.CLOSED

    def next_statuses(self) -> tuple[str, ...]:
        return TRANSITIONS.get(self.status, ())

    @classmethod
    def tenant_filter(cls, scope, action: str) -> models.Q:
        return casework_filter(scope, action)


class InvestigationProvider(TenantModel):
    """A provider an investigation concerns (main contractor or subcontractor)."""

    tenant_municipality = "investigation__municipality"

    investigation = models.ForeignKey(
        Investigation, verbose_name=_("onderzoek"), on_delete=models.CASCADE, related_name="providers"
    )
    name = models.CharField(_("aanbieder"), max_length=200)
    kvk = models.CharField(_("KvK-nummer"), max_length=8, blank=True)
    subcontractor = models.BooleanField(_("onderaannemer"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("betrokken aanbieder")
        verbose_name_plural = _("betrokken aanbieders")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def tenant_filter(cls, scope, action: str) -> models.Q:
        return casework_filter(scope, action, prefix="investigation__")


class Power(models.TextChoices):
    """The powers of Awb 5:15-5:19 (WM-DVO annex 4, "Bevoegdheden toezichthouders", c i-v)."""

    ENTER = "5:15", _("Betreden van plaatsen (art. 5:15 Awb)")
    INFORMATION = "5:16", _("Vorderen van inlichtingen (art. 5:16 Awb)")
    RECORDS = "5:17", _("Inzage zakelijke gegevens en bescheiden (art. 5:17 Awb)")
    EXAMINE = "5:18", _("Onderzoeken van zaken, opnemen, monsters (art. 5:18 Awb)")
    VEHICLES = "5:19", _("Onderzoeken van vervoermiddelen (art. 5:19 Awb)")


class PowerUse(TenantModel):
    """One use of a power in an investigation: which, when, by whom, and why it was necessary and proportionate
    (annex 4 f: necessity, proportionality, subsidiarity; Awb 5:13)."""

    tenant_municipality = "investigation__municipality"

    investigation = models.ForeignKey(
        Investigation, verbose_name=_("onderzoek"), on_delete=models.CASCADE, related_name="powers_used"
    )
    power = models.CharField(_("bevoegdheid"), max_length=10, choices=Power.choices)
    used_on = models.DateField(_("datum"))
    used_by = models.ForeignKey(
        "regio.User", verbose_name=_("toezichthouder"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    justification = models.TextField(_("noodzaak en evenredigheid"), max_length=2000, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gebruikte bevoegdheid")
        verbose_name_plural = _("gebruikte bevoegdheden")
        ordering = ["used_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_power_display()} {self.used_on:%d-%m-%Y}"

    @classmethod
    def tenant_filter(cls, scope, action: str) -> models.Q:
        return casework_filter(scope, action, prefix="investigation__")


class InterventionKind(models.TextChoices):
    """What the supervisors can recommend to the college (WM-DVO annex 4 e; SPEC §8)."""

    INSTRUCTION = "instruction", _("Aanwijzing")
    RECOVERY = "recovery", _("Terugvordering")
    PENALTY_ORDER = "penalty_order", _("Last onder dwangsom")
    ENFORCEMENT = "enforcement", _("Bestuursdwang")


class CollegeDecision(models.TextChoices):
    PENDING = "pending", _("Nog niet besloten")
    ADOPTED = "adopted", _("Overgenomen")
    AMENDED = "amended", _("Gewijzigd overgenomen")
    REJECTED = "rejected", _("Niet overgenomen")


class Intervention(TenantModel):
    """An intervention the supervisors recommend to a college, and that college's decision on it (the college
    decides; the supervisor advises: Awb 5:20 e / annex 4 e)."""

    tenant_municipality = "investigation__municipality"

    investigation = models.ForeignKey(
        Investigation, verbose_name=_("onderzoek"), on_delete=models.CASCADE, related_name="interventions"
    )
    college = models.ForeignKey(
        "regio.Municipality", verbose_name=_("college"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("interventie"), max_length=20, choices=InterventionKind.choices)
    recommendation = models.TextField(_("advies"), max_length=5000)
    recommended_on = models.DateField(_("datum advies"))
    decision = models.CharField(
        _("besluit college"), max_length=20, choices=CollegeDecision.choices, default=CollegeDecision.PENDING
    )
    decided_on = models.DateField(_("datum besluit"), null=True, blank=True)
    decision_reference = models.CharField(_("kenmerk besluit"), max_length=200, blank=True)
    decision_notes = models.TextField(_("toelichting besluit"), max_length=5000, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("interventie")
        verbose_name_plural = _("interventies")
        ordering = ["recommended_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decided_on__isnull=True) | models.Q(decided_on__gte=models.F("recommended_on")),
                name="toezicht_intervention_decided_after_advice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.college.name})"

    @classmethod
    def tenant_filter(cls, scope, action: str) -> models.Q:
        return casework_filter(scope, action, prefix="investigation__")


class InvestigationStatusChange(TenantModel):
    """The status history of an investigation: one row per transition (never changed)."""

    tenant_municipality = "investigation__municipality"

    investigation = models.ForeignKey(
        Investigation, verbose_name=_("onderzoek"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("van"), max_length=20, choices=InvestigationStatus.choices, blank=True)
    to_status = models.CharField(_("naar"), max_length=20, choices=InvestigationStatus.choices)
    changed_at = models.DateTimeField(_("op"), auto_now_add=True)
    changed_by = models.ForeignKey(
        "regio.User", verbose_name=_("door"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("statuswijziging onderzoek")
        verbose_name_plural = _("statuswijzigingen onderzoek")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.investigation_id}: {self.from_status} → {self.to_status}"

    @classmethod
    def tenant_filter(cls, scope, action: str) -> models.Q:
        return casework_filter(scope, action, prefix="investigation__")


def document_path(instance, filename: str) -> str:
    # Private media (MEDIA_ROOT is never served): a random name that says nothing about the case.
    import secrets

    return f"toezicht/{secrets.token_hex(16)}"


class InvestigationDocument(TenantModel):
    """A document of an investigation (report, hearing, correspondence). Bounded upload (``TOEZICHT_DOCUMENT_MAX_MB``),
    stored under a random name in private media, downloaded only through the case-file view (logged)."""

    tenant_municipality = "investigation__municipality"

    investigation = models.ForeignKey(
        Investigation, verbose_name=_("onderzoek"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("titel"), max_length=200)
    file = models.FileField(_("bestand"), upload_to=document_path, max_length=300)
    original_name = models.CharField(_("oorspronkelijke naam"), max_length=255)
    content_type = models.CharField(_("bestandstype"), max_length=100)
    size = models.PositiveIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        "regio.User", verbose_name=_("geüpload door"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("geüpload op"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document onderzoek")
        verbose_name_plural = _("documenten onderzoek")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def tenant_filter(cls, scope, action: str) -> models.Q:
        return casework_filter(scope, action, prefix="investigation__")

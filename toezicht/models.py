"""Supervision (toezicht Wmo). For now: the supervision capacity per municipality per year (WM-DVO annex 4).

The capacity *is* the FTE key that splits supervision costs (SPEC §6.1, issue #5): costsharing reads it from here
and never copies it. Casework (signals, investigations) comes later and will extend this app.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regio.tenancy import NOTHING, VIEW, TenantModel


class SupervisionCapacity(TenantModel):
    """FTE of the supervisors working for one member municipality in one year (WM-DVO annex 4,
    "Financiële uitgangspunten": Beek 0,35 fte, Stein 0,55 fte, Sittard-Geleen 2 fte).

    Entered by the coordinating municipality; every change is in the audit history. Visible to every member of the
    region (the split is a regional document), changed only by the region's coordinating staff.
    """

    tenant_region = "region"

    region = models.ForeignKey(
        "regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="supervision_capacities"
    )
    municipality = models.ForeignKey(
        "regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    fte = models.DecimalField(
        _("fte"),
        max_digits=8,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Toezichtcapaciteit voor deze gemeente in fte, zoals in bijlage 4 van de DVO."),
    )
    source = models.CharField(_("bron"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("toezichtcapaciteit")
        verbose_name_plural = _("toezichtcapaciteit")
        ordering = ["region__name", "year", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "municipality", "year"], name="supervision_capacity_unique"),
            models.CheckConstraint(condition=models.Q(fte__gte=0), name="supervision_capacity_fte_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} {self.year}: {self.fte} fte"

    def clean(self) -> None:
        if self.fte is not None and self.fte < 0:
            raise ValidationError({"fte": _("Het aantal fte kan niet negatief zijn.")})


class SupervisionKind(models.TextChoices):
    """The two kinds of supervision, worked on together (SPEC §8; WM-DVO annex 4)."""

    QUALITY = "quality", _("Kwaliteit")
    LAWFULNESS = "lawfulness", _("Rechtmatigheid")


class SupervisorAppointment(TenantModel):
    """The appointment of a supervisor by the college of the coordinating municipality (art. 6.1 lid 1 Wmo 2015),
    acting for the other members under their mandates (WM-DVO annex 4; WM-SO 4.12).

    Managed by the coordinating municipality's staff; visible to them, to the supervisor appointed and to the
    colleges of the municipalities assigned. The municipalities assigned become django-guardian grants
    ``regio.supervise_municipality`` (``services.sync_grants``), which is what opens the casework to the supervisor.
    """

    tenant_region = "region"

    region = models.ForeignKey(
        "regio.Region", verbose_name=_("regio"), on_delete=models.PROTECT, related_name="supervisor_appointments"
    )
    supervisor = models.ForeignKey(
        "regio.User", verbose_name=_("toezichthouder"), on_delete=models.PROTECT, related_name="appointments"
    )
    kind = models.CharField(_("soort toezicht"), max_length=20, choices=SupervisionKind.choices)
    appointing_municipality = models.ForeignKey(
        "regio.Municipality", verbose_name=_("aanwijzend college"), on_delete=models.PROTECT, related_name="+"
    )
    decision_date = models.DateField(_("datum aanwijzingsbesluit"))
    decision_reference = models.CharField(
        _("kenmerk aanwijzingsbesluit"), max_length=200, help_text=_("Kenmerk of vindplaats van het besluit.")
    )
    municipalities = models.ManyToManyField(
        "regio.Municipality", verbose_name=_("toegewezen gemeenten"), related_name="supervisor_appointments"
    )
    mandates = models.ManyToManyField(
        "agreements.Mandate",
        verbose_name=_("mandaten"),
        blank=True,
        related_name="supervisor_appointments",
        help_text=_("De mandaten van de andere colleges waarop de aanwijzing voor hun gemeente rust."),
    )
    active_from = models.DateField(_("actief vanaf"))
    active_until = models.DateField(_("actief tot en met"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aanwijzing toezichthouder")
        verbose_name_plural = _("aanwijzingen toezichthouders")
        ordering = ["region__name", "supervisor__full_name", "-active_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active_until__isnull=True) | models.Q(active_until__gte=models.F("active_from")),
                name="supervisor_appointment_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} ({self.get_kind_display()}), {self.decision_reference}"

    def is_active_on(self, on) -> bool:
        return self.active_from <= on and (self.active_until is None or on <= self.active_until)

    @classmethod
    def tenant_filter(cls, scope, action: str) -> models.Q:
        if action == VIEW:
            return (
                models.Q(region__in=scope.coordinated_region_ids)
                | models.Q(supervisor_id=scope.user_id)
                | models.Q(municipalities__in=scope.own_municipality_ids)
            )
        if scope.read_only:
            return NOTHING
        return models.Q(region__in=scope.coordinated_region_ids)


class ProductiveHours(TenantModel):
    """The productive hours of one FTE in a year (the norms), recorded by the coordinating municipality; without a
    record the setting ``TOEZICHT_PRODUCTIVE_HOURS`` holds. Capacity in hours = FTE × productive hours."""

    tenant_region = "region"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"))
    hours = models.DecimalField(
        _("productieve uren per fte"), max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal("1"))]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("productieve uren toezicht")
        verbose_name_plural = _("productieve uren toezicht")
        ordering = ["region__name", "year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="toezicht_productive_hours_unique"),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="toezicht_productive_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year}: {self.hours}"


class HoursEntry(TenantModel):
    """Hours a supervisor worked for one municipality in one week (WM-DVO annex 4: realised against capacity).

    Written only by the supervisor, only for municipalities assigned to them. Visible to the supervisor and, as
    figures, to the coordinating municipality's staff and the municipality itself (hours are no casework).
    """

    tenant_municipality = "municipality"

    supervisor = models.ForeignKey(
        "regio.User", verbose_name=_("toezichthouder"), on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        "regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    week = models.DateField(_("week (maandag)"))
    hours = models.DecimalField(
        _("uren"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("168"))],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uren toezicht")
        verbose_name_plural = _("uren toezicht")
        ordering = ["-week", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["supervisor", "municipality", "week"], name="toezicht_hours_unique"),
            models.CheckConstraint(
                condition=models.Q(hours__gte=0) & models.Q(hours__lte=168), name="toezicht_hours_in_week"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} {self.municipality.name} week {self.week:%d-%m-%Y}: {self.hours}"

    @classmethod
    def tenant_filter(cls, scope, action: str) -> models.Q:
        if action == VIEW:
            return (
                models.Q(supervisor_id=scope.user_id)
                | models.Q(municipality__in=scope.coordinated_municipality_ids)
                | models.Q(municipality__in=scope.own_municipality_ids)
            )
        if scope.read_only:
            return NOTHING
        return models.Q(supervisor_id=scope.user_id, municipality__in=scope.supervised_municipality_ids)


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
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.reference} ({self.municipality.name})"

    @classmethod
    def tenant_filter(cls, scope, action: str) -> models.Q:
        # Confidential casework (SPEC §8): the supervisor role *and* a grant on the municipality. Coordinators,
        # civil servants and administrators see none of it.
        if not scope.has_role("toezichthouder"):
            return NOTHING
        if action != VIEW and scope.read_only:
            return NOTHING
        return models.Q(municipality__in=scope.supervised_municipality_ids)


# Plans and reports (issue 14, part B) live in their own modules; imported here so Django registers them.
from toezicht.models_plans import PlanComment, PlanKind, SupervisionPlan  # noqa: E402, F401
from toezicht.models_reports import AnnualReport, JointEvaluation  # noqa: E402, F401

"""Supervision capacity, appointed supervisors, productive hours and hours registered (WM-DVO annex 4).

The capacity *is* the FTE key that splits supervision costs (SPEC §6.1, issue #5): costsharing reads it from here
and never copies it.
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

"""Meetings, extra meeting requests and plan obligations (BNO 8, issue #4)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models.agreements import Agreement
from regio.models import Municipality, Region
from regio.tenancy import TenantModel

# --- governance -------------------------------------------------------------------------------------------------


class MeetingKind(models.TextChoices):
    ADMINISTRATIVE = "bestuurlijk", _("Bestuurlijk overleg / portefeuillehoudersoverleg")
    POLICY = "ambtelijk_beleid", _("Ambtelijk overleg (beleid)")
    OPERATIONAL = "ambtelijk_uitvoerend", _("Ambtelijk overleg (uitvoering)")
    DEVELOPMENT_TABLE = "ontwikkeltafel", _("Ontwikkeltafel")


class MeetingRequirement(TenantModel):
    """A minimum number of meetings of a kind per year, as the agreement says (WM-SO 3.1-3.2; BNO 8.2)."""

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="meeting_requirements")
    kind = models.CharField(_("soort overleg"), max_length=30, choices=MeetingKind.choices)
    per_year = models.PositiveSmallIntegerField(_("minimaal per jaar"))
    article = models.CharField(_("artikel"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minimale overlegfrequentie")
        verbose_name_plural = _("minimale overlegfrequenties")
        constraints = [models.UniqueConstraint(fields=["agreement", "kind"], name="meeting_requirement_unique")]

    def __str__(self) -> str:
        return f"{self.agreement.code}: {self.get_kind_display()} ≥ {self.per_year}/jaar"


class Meeting(TenantModel):
    tenant_region = "region"

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="meetings")
    agreement = models.ForeignKey(Agreement, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("soort overleg"), max_length=30, choices=MeetingKind.choices)
    date = models.DateField(_("datum"))
    title = models.CharField(_("titel"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    participants = models.ManyToManyField(Municipality, verbose_name=_("deelnemers"), blank=True, related_name="+")
    extra_request = models.ForeignKey(
        "ExtraMeetingRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("overleg")
        verbose_name_plural = _("overleggen")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["region", "kind", "date"], name="meeting_unique_per_day")]

    def __str__(self) -> str:
        return f"{self.title or self.get_kind_display()} {self.date:%d-%m-%Y}"


class ExtraMeetingRequest(TenantModel):
    """BNO 8.3-8.4: portfolio holders ask, with reasons, for an extra meeting; once a third asked, it is held within
    two weeks."""

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="extra_meeting_requests")
    subject = models.CharField(_("onderwerp"), max_length=300)
    threshold_reached_on = models.DateField(_("een derde bereikt op"), null=True, blank=True)
    due_on = models.DateField(_("uiterlijk te houden op"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verzoek extra overleg")
        verbose_name_plural = _("verzoeken extra overleg")

    def __str__(self) -> str:
        return f"{self.agreement.code}: {self.subject}"


class ExtraMeetingSupport(TenantModel):
    tenant_region = "request__agreement__region"

    request = models.ForeignKey(ExtraMeetingRequest, on_delete=models.CASCADE, related_name="supports")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("gevraagd op"))
    reasons = models.TextField(_("redenen"))
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "municipality"], name="extra_meeting_support_once")]

    def __str__(self) -> str:
        return f"{self.municipality.name} vraagt extra overleg ({self.on:%d-%m-%Y})"


class Recurrence(models.TextChoices):
    ONCE = "once", _("Eenmalig")
    YEARLY = "yearly", _("Jaarlijks")
    BIENNIAL = "biennial", _("Tweejaarlijks")


class PlanObligation(TenantModel):
    """A plan or report due by a date (BNO 6.1, 10.5; WM-SO 3.3, 12.1; WM-DVO algemeen 6)."""

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="plan_obligations")
    key = models.SlugField(_("sleutel"), max_length=60)
    title = models.CharField(_("titel"), max_length=300)
    article = models.CharField(_("artikel"), max_length=100, blank=True)
    recurrence = models.CharField(_("herhaling"), max_length=10, choices=Recurrence.choices, default=Recurrence.YEARLY)
    due_month = models.PositiveSmallIntegerField(
        _("uiterlijk maand"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    due_day = models.PositiveSmallIntegerField(
        _("uiterlijk dag"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    first_year = models.PositiveSmallIntegerField(_("eerste jaar"))
    last_year = models.PositiveSmallIntegerField(_("laatste jaar"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan of verslag met termijn")
        verbose_name_plural = _("plannen en verslagen met termijn")
        constraints = [models.UniqueConstraint(fields=["agreement", "key"], name="plan_obligation_unique_key")]

    def __str__(self) -> str:
        return f"{self.agreement.code}: {self.title}"


class PlanSubmission(TenantModel):
    """A plan or report delivered for one year: it no longer shows as a deadline."""

    tenant_region = "obligation__agreement__region"

    obligation = models.ForeignKey(PlanObligation, on_delete=models.CASCADE, related_name="submissions")
    year = models.PositiveSmallIntegerField(_("jaar"))
    submitted_on = models.DateField(_("ingediend op"))
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["obligation", "year"], name="plan_submission_once")]

    def __str__(self) -> str:
        return f"{self.obligation.title} {self.year}: ingediend {self.submitted_on:%d-%m-%Y}"

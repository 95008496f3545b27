"""BNO's yearly cycle (issue 12, part B): the two-year execution costs adopted by the colleges (BNO 11.1) and the
annual report with its settlement proposal per municipality, versioned and adopted (BNO 10.5-10.6). The rules are in
``costsharing/services/annual_reports.py``; the invoices of an adopted proposal in invoicing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from costsharing.models.choices import AMOUNT
from regio.tenancy import TenantModel


class AnnualReportFrozen(Exception):
    """A version of an annual report never changes once drawn up; an adopted report changes no more."""


class ExecutionCostPlan(TenantModel):
    """The costs of the execution organisation and of Wmo supervision for two years, as the purchasing plan puts
    them to the colleges (BNO 11.1: "tweejaarlijks door de colleges van de gemeenten vaststellen via het
    inkoopplan"). Each college's adoption is a ``CollegeAdoption``."""

    tenant_region = "region"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    first_year = models.PositiveSmallIntegerField(_("eerste jaar"))
    title = models.CharField(_("inkoopplan"), max_length=300)
    article = models.CharField(_("artikel"), max_length=100, default="BNO 11.1")
    first_year_amount = models.DecimalField(_("kosten eerste jaar"), **AMOUNT)
    second_year_amount = models.DecimalField(_("kosten tweede jaar"), **AMOUNT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tweejaarlijkse uitvoeringskosten")
        verbose_name_plural = _("tweejaarlijkse uitvoeringskosten")
        ordering = ["region__name", "-first_year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "first_year"], name="execution_cost_plan_once"),
            models.CheckConstraint(
                condition=models.Q(first_year_amount__gte=0, second_year_amount__gte=0),
                name="execution_cost_plan_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.first_year}-{self.first_year + 1})"

    @property
    def last_year(self) -> int:
        return self.first_year + 1

    def amount_for(self, year: int) -> Decimal:
        if year == self.first_year:
            return self.first_year_amount
        if year == self.first_year + 1:
            return self.second_year_amount
        return Decimal("0.00")


class CollegeAdoption(TenantModel):
    """One college adopted the two-year costs (BNO 11.1), on a date."""

    tenant_region = "plan__region"

    plan = models.ForeignKey(
        ExecutionCostPlan, verbose_name=_("inkoopplan"), on_delete=models.CASCADE, related_name="adoptions"
    )
    municipality = models.ForeignKey(
        "regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    adopted_on = models.DateField(_("vastgesteld op"))
    reference = models.CharField(_("kenmerk besluit"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vastgelegd door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vaststelling door een college")
        verbose_name_plural = _("vaststellingen door de colleges")
        ordering = ["plan", "municipality__name"]
        constraints = [models.UniqueConstraint(fields=["plan", "municipality"], name="college_adoption_once")]

    def __str__(self) -> str:
        return f"{self.municipality.name}: {self.plan} vastgesteld op {self.adopted_on:%d-%m-%Y}"


class AnnualReport(TenantModel):
    """The annual report of a year (BNO 10.5-10.6): its versions, and the adoption of the settlement proposal of one
    of them (date, decision, by whom), after which it is invoiced and never changes."""

    tenant_region = "region"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"))
    adopted_version = models.ForeignKey(
        "costsharing.AnnualReportVersion",
        verbose_name=_("vastgestelde versie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    adopted_on = models.DateField(_("voorstel vastgesteld op"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vaststelling vastgelegd door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    adoption_decision = models.CharField(_("besluit"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jaarverslag")
        verbose_name_plural = _("jaarverslagen")
        ordering = ["region__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="annual_report_once"),
            models.CheckConstraint(
                condition=models.Q(adopted_on__isnull=True, adopted_version__isnull=True)
                | models.Q(adopted_on__isnull=False, adopted_version__isnull=False),
                name="annual_report_adopted_with_version",
            ),
        ]

    def __str__(self) -> str:
        return f"Jaarverslag {self.year} {self.region.name}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._adopted_when_loaded = dict(zip(field_names, values, strict=True)).get("adopted_on") is not None
        return instance

    def save(self, *args, **kwargs):
        if getattr(self, "_adopted_when_loaded", False):
            raise AnnualReportFrozen("Een vastgesteld jaarverslag verandert niet meer.")
        super().save(*args, **kwargs)
        self._adopted_when_loaded = self.adopted_on is not None

    @property
    def due_on(self) -> date:
        """BNO 10.5: within four months after the end of the year."""
        return date(self.year + 1, 4, 30)

    @property
    def is_adopted(self) -> bool:
        return self.adopted_on is not None

    @property
    def status_label(self) -> str:
        return str(_("vastgesteld")) if self.is_adopted else str(_("wacht op vaststelling"))


class AnnualReportVersion(TenantModel):
    """One version of an annual report: the content report as written, and the financial accounts and settlement
    proposal as computed then (``figures``). It never changes: a changed text or figure makes the next version."""

    tenant_region = "report__region"

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("jaarverslag"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("versie"))
    content = models.TextField(_("inhoudelijk verslag"), blank=True)
    figures = models.JSONField(_("verantwoording en voorstel"), default=dict)
    created_at = models.DateTimeField(_("opgesteld op"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opgesteld door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("versie van een jaarverslag")
        verbose_name_plural = _("versies van jaarverslagen")
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="annual_report_version_once")]

    def __str__(self) -> str:
        return f"{self.report}, versie {self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AnnualReportFrozen("Een versie van een jaarverslag verandert niet; stel een nieuwe versie op.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AnnualReportFrozen("Een versie van een jaarverslag wordt niet verwijderd.")

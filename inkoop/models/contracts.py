"""Framework contracts (raamcontracten) and what hangs on them (WM-SO 2.4 b-c, 2.6, 4.11, 4.12; BNO 4).

The coordinating municipality signs a framework contract on behalf of the members only after each member's written
consent (WM-SO 4.11), recorded with its date and document, and under a valid mandate (WM-SO 4.12: ``may_act`` with
the power ``framework_contracts``), recorded on the consent when the contract is signed. Tariffs per product and year
with their indexation, budgets per contract and year within the region's financial frame (BNO 4), subsidy relations
(BNO 4), and performance indicators with measured values per period (WM-SO 2.4 c). The product shows what is
available to each member, never orders (WM-SO 2.6)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import Mandate
from agreements.services._common import add_months
from inkoop.models.documents import PurchasingDocument
from inkoop.models.procurement import Lot
from inkoop.models.providers import Provider
from regio.bounds import PlausibleDate
from regio.models import Municipality, Region
from regio.tenancy import TenantModel

MONEY = {"max_digits": 14, "decimal_places": 2}


class ContractStatus(models.TextChoices):
    DRAFT = "concept", _("Concept")
    CONSENT = "instemming", _("Instemmingsronde")
    SIGNED = "getekend", _("Getekend")
    REFUSED = "geweigerd", _("Geweigerd")
    ENDED = "beeindigd", _("Beëindigd")


class FrameworkContract(TenantModel):
    """A framework contract of a region with one provider. Every member sees it; the coordinating staff act."""

    tenant_region = "region"

    region = models.ForeignKey(Region, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="contracts")
    provider = models.ForeignKey(
        Provider, verbose_name=_("aanbieder"), on_delete=models.PROTECT, related_name="contracts"
    )
    lot = models.ForeignKey(
        Lot, verbose_name=_("perceel"), null=True, blank=True, on_delete=models.PROTECT, related_name="contracts"
    )
    reference = models.CharField(_("kenmerk"), max_length=60, unique=True)
    title = models.CharField(_("titel"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    starts_on = models.DateField(_("ingangsdatum"), validators=[PlausibleDate()])
    ends_on = models.DateField(_("einddatum"), validators=[PlausibleDate()])
    extension_options = models.PositiveSmallIntegerField(_("verlengingsopties"), default=0)
    extension_months = models.PositiveSmallIntegerField(_("maanden per verlenging"), default=12)
    extensions_used = models.PositiveSmallIntegerField(_("verlengingen gebruikt"), default=0)
    notice_months = models.PositiveSmallIntegerField(
        _("opzegtermijn (maanden)"), default=6, help_text=_("Vóór de einddatum opzeggen of over verlenging beslissen.")
    )
    signed_on = models.DateField(_("getekend op"), null=True, blank=True)
    signed_by = models.ForeignKey(
        "regio.User",
        verbose_name=_("getekend door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    refused_on = models.DateField(_("geweigerd op"), null=True, blank=True)
    refusal_reason = models.CharField(_("reden van weigering"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("raamcontract")
        verbose_name_plural = _("raamcontracten")
        ordering = ["region", "-starts_on", "reference"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("De einddatum ligt na de ingangsdatum.")})
        if self.extension_options > 10 or self.extension_months > 60 or self.notice_months > 36:
            raise ValidationError(
                _("Ten hoogste 10 verlengingen van elk 60 maanden en een opzegtermijn van 36 maanden.")
            )

    @property
    def extensions_left(self) -> int:
        return max(self.extension_options - self.extensions_used, 0)

    @property
    def notice_deadline(self) -> date:
        """The last day to give notice, or to decide on an extension while options remain."""
        return add_months(self.ends_on, -self.notice_months)

    def in_force_on(self, on: date) -> bool:
        return self.status == ContractStatus.SIGNED and self.starts_on <= on <= self.ends_on


class ConsentDecision(models.TextChoices):
    GIVEN = "akkoord", _("Schriftelijk akkoord")
    REFUSED = "geen_akkoord", _("Geen akkoord")


class MemberConsent(TenantModel):
    """A member's written decision on one contract (WM-SO 4.11), with its date and document; the mandate the
    coordinating municipality signed under is recorded here when it signs (WM-SO 4.12)."""

    tenant_region = "contract__region"

    contract = models.ForeignKey(
        FrameworkContract, verbose_name=_("raamcontract"), on_delete=models.CASCADE, related_name="consents"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("besluit"), max_length=20, choices=ConsentDecision.choices)
    decided_on = models.DateField(_("datum"), validators=[PlausibleDate(not_in_future=True)])
    document = models.ForeignKey(
        PurchasingDocument,
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    mandate = models.ForeignKey(
        Mandate, verbose_name=_("mandaat"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("instemming")
        verbose_name_plural = _("instemmingen")
        ordering = ["contract", "municipality__name"]
        constraints = [models.UniqueConstraint(fields=["contract", "municipality"], name="consent_unique_member")]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.get_decision_display()}"


class Unit(models.TextChoices):
    HOUR = "uur", _("per uur")
    DAY_PART = "dagdeel", _("per dagdeel")
    DAY = "dag", _("per dag")
    WEEK = "week", _("per week")
    MONTH = "maand", _("per maand")
    ITEM = "stuk", _("per stuk")
    TRAJECTORY = "traject", _("per traject")


class ContractProduct(TenantModel):
    """A product purchased under a contract (the iWmo product code where there is one)."""

    tenant_region = "contract__region"

    contract = models.ForeignKey(
        FrameworkContract, verbose_name=_("raamcontract"), on_delete=models.CASCADE, related_name="products"
    )
    code = models.CharField(_("productcode"), max_length=20)
    name = models.CharField(_("product"), max_length=200)
    unit = models.CharField(_("eenheid"), max_length=10, choices=Unit.choices, default=Unit.HOUR)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("producten")
        ordering = ["contract", "code"]
        constraints = [models.UniqueConstraint(fields=["contract", "code"], name="product_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Tariff(TenantModel):
    """The tariff of a product in a year; ``indexation`` is the percentage that made it from the year before."""

    tenant_region = "product__contract__region"

    product = models.ForeignKey(
        ContractProduct, verbose_name=_("product"), on_delete=models.CASCADE, related_name="tariffs"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    amount = models.DecimalField(_("tarief"), **MONEY)
    indexation = models.DecimalField(_("indexatie (%)"), max_digits=6, decimal_places=3, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tarief")
        verbose_name_plural = _("tarieven")
        ordering = ["product", "year"]
        constraints = [models.UniqueConstraint(fields=["product", "year"], name="tariff_unique_year")]

    def __str__(self) -> str:
        return f"{self.product} {self.year}"


class PurchasingFrame(TenantModel):
    """The region's financial frame for purchasing in a year: the budgets per provider stay within it (BNO 4)."""

    tenant_region = "region"

    region = models.ForeignKey(Region, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"))
    amount = models.DecimalField(_("financieel kader"), **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("financieel kader")
        verbose_name_plural = _("financiële kaders")
        ordering = ["region", "year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="frame_unique_year")]

    def __str__(self) -> str:
        return f"{self.region} {self.year}"


class ContractBudget(TenantModel):
    """The budget of one contract (so one provider) in a year, within the region's frame (BNO 4)."""

    tenant_region = "contract__region"

    contract = models.ForeignKey(
        FrameworkContract, verbose_name=_("raamcontract"), on_delete=models.CASCADE, related_name="budgets"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    amount = models.DecimalField(_("budget"), **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgetten")
        ordering = ["contract", "year"]
        constraints = [models.UniqueConstraint(fields=["contract", "year"], name="budget_unique_year")]

    def __str__(self) -> str:
        return f"{self.contract.reference} {self.year}"


class SubsidyRelation(TenantModel):
    """A subsidy relation with a provider where the region uses one instead of a contract (BNO 4)."""

    tenant_region = "provider__region"

    provider = models.ForeignKey(
        Provider, verbose_name=_("aanbieder"), on_delete=models.PROTECT, related_name="subsidies"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    amount = models.DecimalField(_("subsidiebedrag"), **MONEY)
    purpose = models.CharField(_("doel"), max_length=300)
    decision_reference = models.CharField(_("kenmerk beschikking"), max_length=100)
    granted_on = models.DateField(_("verleend op"), validators=[PlausibleDate()])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subsidierelatie")
        verbose_name_plural = _("subsidierelaties")
        ordering = ["provider", "-year"]

    def __str__(self) -> str:
        return f"{self.provider} {self.year}"


class Kpi(TenantModel):
    """A performance indicator of a contract (WM-SO 2.4 c) with its target."""

    tenant_region = "contract__region"

    contract = models.ForeignKey(
        FrameworkContract, verbose_name=_("raamcontract"), on_delete=models.CASCADE, related_name="kpis"
    )
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("eenheid"), max_length=30, blank=True)
    target = models.DecimalField(_("norm"), max_digits=12, decimal_places=2)
    higher_is_better = models.BooleanField(_("hoger is beter"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prestatie-indicator")
        verbose_name_plural = _("prestatie-indicatoren")
        ordering = ["contract", "name"]

    def __str__(self) -> str:
        return self.name

    def meets(self, value) -> bool:
        return value >= self.target if self.higher_is_better else value <= self.target


class KpiValue(TenantModel):
    """A measured value of an indicator for one period."""

    tenant_region = "kpi__contract__region"

    kpi = models.ForeignKey(Kpi, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values")
    period_start = models.DateField(_("periode vanaf"), validators=[PlausibleDate()])
    period_end = models.DateField(_("periode tot en met"), validators=[PlausibleDate()])
    value = models.DecimalField(_("gemeten waarde"), max_digits=12, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meting")
        verbose_name_plural = _("metingen")
        ordering = ["kpi", "period_start"]
        constraints = [models.UniqueConstraint(fields=["kpi", "period_start"], name="kpi_value_unique_period")]

    def __str__(self) -> str:
        return f"{self.kpi} {self.period_start}"

    @property
    def meets_target(self) -> bool:
        return self.kpi.meets(self.value)

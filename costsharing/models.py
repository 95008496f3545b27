"""Cost sharing: allocation keys, norm amounts, CAO steps, formation, budgets, actual costs and the December
reckoning (SPEC §6, issue #5).

Every model is owned by a region (the cooperation); statement lines are also owned by their municipality, so a member
sees its own line and the coordinating staff see all. Rules live in ``costsharing/services.py``; nobody sets a status
by hand (STYLE.md rule 3).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regio.tenancy import VIEW, Scope, TenantManager, TenantModel, TenantQuerySet

AMOUNT = {"max_digits": 14, "decimal_places": 2}
# Exact weights: inhabitants, FTE and percentages as given (never rounded ratios, SPEC §6.1).
WEIGHT = {"max_digits": 20, "decimal_places": 6}
# An annual norm derived by indexation is an average of twelve monthly levels; kept to a millionth of a euro.
NORM = {"max_digits": 20, "decimal_places": 6}


class Basis(models.TextChoices):
    FIXED = "fixed", _("vaste percentages")
    POPULATION = "population", _("inwoners op peildatum")
    FTE = "fte", _("fte (toezichtcapaciteit)")
    CLIENTS = "clients", _("cliënten op peildatum")


class Category(models.TextChoices):
    """The cost categories of WM-SO 6.1 a-h; staff (a) is split by task area because each has its own key."""

    STAFF = "staff", _("a. personeel inkoop, contract- en leveranciersmanagement")
    STAFF_SUPERVISION = "staff_supervision", _("a. personeel toezicht Wmo")
    STAFF_PROTECTED_HOUSING = "staff_bw", _("a. personeel beschermd wonen")
    HIRED = "hired", _("b. inhuur van capaciteit")
    LEGAL = "legal", _("c. juridische kosten")
    TRAINING = "training", _("d. opleiding toezichthouders")
    PGAX = "pgax", _("e. PGAX (systeem toezichthouders)")
    PRICE_BOOK = "price_book", _("f. update prijzenboek woningaanpassingen")
    DISPUTE_ADVICE = "dispute_advice", _("g. extern advies bij geschillen")
    ANNUAL_INSIGHT = "annual_insight", _("h. Annual Insight (50 %)")


STAFF_CATEGORIES = {Category.STAFF, Category.STAFF_SUPERVISION, Category.STAFF_PROTECTED_HOUSING}
# WM-SO 6.1 h: only 50 % of the yearly cost of Annual Insight is charged to the cooperation.
CATEGORY_CHARGE = {Category.ANNUAL_INSIGHT: Decimal("0.5")}


class TaskArea(models.TextChoices):
    PURCHASING = "purchasing", _("inkoop")
    CONTRACT_MANAGEMENT = "contract_management", _("contractmanagement")
    SUPPLIER_MANAGEMENT = "supplier_management", _("leveranciersmanagement")
    SUPERVISION = "supervision", _("toezicht Wmo")
    PROTECTED_HOUSING = "protected_housing", _("beschermd wonen")


TASK_AREA_CATEGORY = {
    TaskArea.PURCHASING: Category.STAFF,
    TaskArea.CONTRACT_MANAGEMENT: Category.STAFF,
    TaskArea.SUPPLIER_MANAGEMENT: Category.STAFF,
    TaskArea.SUPERVISION: Category.STAFF_SUPERVISION,  # split by the FTE key, WM-DVO annex 4
    TaskArea.PROTECTED_HOUSING: Category.STAFF_PROTECTED_HOUSING,  # split by clients, WM-DVO annex 3.4
}


# --- Allocation keys ---------------------------------------------------------------------------------------------


class AllocationKey(TenantModel):
    """A verdeelsleutel of a region (SPEC §6.1). Its versions say how it split costs over time."""

    tenant_region = "region"

    region = models.ForeignKey(
        "regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="allocation_keys"
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("naam"), max_length=200)
    source = models.CharField(_("bron (artikel)"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verdeelsleutel")
        verbose_name_plural = _("verdeelsleutels")
        ordering = ["region__name", "code"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="allocation_key_unique_code")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class KeyVersion(TenantModel):
    """One version of a key: its basis, reference date, validity and (except for FTE) its shares.

    An FTE version has no shares of its own: its weights are the supervision capacity of the year in
    ``toezicht.SupervisionCapacity`` (one source of truth, WM-DVO annex 4).
    """

    tenant_region = "key__region"

    key = models.ForeignKey(
        AllocationKey, verbose_name=_("sleutel"), on_delete=models.CASCADE, related_name="versions"
    )
    basis = models.CharField(_("grondslag"), max_length=20, choices=Basis.choices)
    reference_date = models.DateField(_("peildatum"), null=True, blank=True)
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sleutelversie")
        verbose_name_plural = _("sleutelversies")
        ordering = ["key", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "valid_from"], name="key_version_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="key_version_period_valid",
            ),
        ]

    def __str__(self) -> str:
        until = f"{self.valid_until:%d-%m-%Y}" if self.valid_until else "…"
        return f"{self.key.code} {self.valid_from:%d-%m-%Y} – {until} ({self.get_basis_display()})"

    def is_valid_on(self, on) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)

    def clean(self) -> None:
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("Het einde van de geldigheid ligt voor het begin.")})


class KeyShare(TenantModel):
    """A municipality's weight in a key version: inhabitants, FTE, clients or a percentage, exactly as given."""

    tenant_region = "version__key__region"

    version = models.ForeignKey(KeyVersion, verbose_name=_("versie"), on_delete=models.CASCADE, related_name="shares")
    municipality = models.ForeignKey("regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT)
    weight = models.DecimalField(_("gewicht"), **WEIGHT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aandeel")
        verbose_name_plural = _("aandelen")
        ordering = ["version", "municipality__code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "municipality"], name="key_share_unique_member"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="key_share_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name}: {self.weight}"


class CategoryKey(TenantModel):
    """Which key splits a cost category in a region (e.g. supervision by the FTE key, WM-DVO annex 4)."""

    tenant_region = "region"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    category = models.CharField(_("kostensoort"), max_length=30, choices=Category.choices)
    key = models.ForeignKey(AllocationKey, verbose_name=_("sleutel"), on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sleutel per kostensoort")
        verbose_name_plural = _("sleutels per kostensoort")
        constraints = [models.UniqueConstraint(fields=["region", "category"], name="category_key_unique")]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.key.code}"


# --- Norm amounts, rates, activities, CAO steps ------------------------------------------------------------------


class NormYearQuerySet(TenantQuerySet):
    def current(self) -> NormYearQuerySet:
        return self.filter(superseded_at__isnull=True)


class NormYear(TenantModel):
    """Norm amounts of one region (its coordinating municipality) for one year (WM-DVO annex 1, WM-SO 6.3-6.5).

    ``origin`` is "entered" for the base price level (WM: 1-1-2024) and "indexed" for years the CAO indexation
    derived. When indexation changes a year's figures it adds a new revision and marks the old one superseded, so
    earlier figures are kept (issue #5).
    """

    tenant_region = "region"

    class Origin(models.TextChoices):
        ENTERED = "entered", _("ingevoerd")
        INDEXED = "indexed", _("geïndexeerd")

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"))
    revision = models.PositiveSmallIntegerField(_("herziening"), default=1)
    origin = models.CharField(_("herkomst"), max_length=10, choices=Origin.choices, default=Origin.ENTERED)
    price_level_date = models.DateField(_("prijspeil"), null=True, blank=True)
    productive_hours = models.DecimalField(_("productieve uren per fte"), max_digits=8, decimal_places=2)
    overhead_per_hour = models.DecimalField(
        _("overhead per uur"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    overhead_percentage = models.DecimalField(
        _("overhead als % van de norm"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    provenance = models.TextField(_("herkomst van de cijfers"), blank=True)
    superseded_at = models.DateTimeField(_("vervangen op"), null=True, blank=True)
    history = HistoricalRecords()

    objects = TenantManager.from_queryset(NormYearQuerySet)()

    class Meta:
        verbose_name = _("normjaar")
        verbose_name_plural = _("normjaren")
        ordering = ["region__name", "year", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "revision"], name="norm_year_unique_revision"),
            models.UniqueConstraint(
                fields=["region", "year"], condition=Q(superseded_at__isnull=True), name="norm_year_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year} (herziening {self.revision})"

    def clean(self) -> None:
        if self.overhead_per_hour is None and self.overhead_percentage is None:
            raise ValidationError(_("Geef de overhead op: per uur of als percentage van de norm."))
        if self.productive_hours is not None and self.productive_hours <= 0:
            raise ValidationError({"productive_hours": _("Het aantal productieve uren moet groter dan nul zijn.")})


class OverheadYear(TenantModel):
    """The overhead (and optionally the productive hours) of a year from the coordinating municipality's budget of
    that year (WM-DVO 5.4: "Jaarlijks wordt de opslag voor de dekking van de overhead aangepast aan de opslag die van
    toepassing is in de begroting"; WM-SO 6.5). The indexation uses it for that year instead of the base year's."""

    tenant_region = "region"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"))
    overhead_per_hour = models.DecimalField(
        _("overhead per uur"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    overhead_percentage = models.DecimalField(
        _("overhead als % van de norm"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    productive_hours = models.DecimalField(
        _("productieve uren per fte"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("bron"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("overhead van een jaar")
        verbose_name_plural = _("overhead per jaar")
        ordering = ["region__name", "year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="overhead_year_unique")]

    def __str__(self) -> str:
        return f"{self.region} {self.year}: overhead"

    def clean(self) -> None:
        if (self.overhead_per_hour is None) == (self.overhead_percentage is None):
            raise ValidationError(_("Geef de overhead óf per uur óf als percentage van de norm."))


class NormScale(TenantModel):
    """The norm wage cost per FTE per year for one salary scale (WM-DVO annex 1: scale 8 € 78.000, 10 € 97.200)."""

    tenant_region = "norm_year__region"

    norm_year = models.ForeignKey(
        NormYear, verbose_name=_("normjaar"), on_delete=models.CASCADE, related_name="scales"
    )
    scale = models.PositiveSmallIntegerField(_("schaal"))
    norm = models.DecimalField(_("norm per fte per jaar"), **NORM)
    provenance = models.TextField(_("herkomst"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("norm per schaal")
        verbose_name_plural = _("normen per schaal")
        ordering = ["norm_year", "scale"]
        constraints = [models.UniqueConstraint(fields=["norm_year", "scale"], name="norm_scale_unique")]

    def __str__(self) -> str:
        return f"schaal {self.scale}: {self.norm}"


class Activity(TenantModel):
    """An activity priced in hours per function and scale (WM-DVO annex 1, beschermd wonen)."""

    tenant_region = "region"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("naam"), max_length=300)
    source = models.CharField(_("bron"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")
        ordering = ["region__name", "code"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="activity_unique_code")]

    def __str__(self) -> str:
        return self.name


class ActivityComponent(TenantModel):
    tenant_region = "activity__region"

    activity = models.ForeignKey(
        Activity, verbose_name=_("activiteit"), on_delete=models.CASCADE, related_name="components"
    )
    function = models.CharField(_("functie"), max_length=200)
    scale = models.PositiveSmallIntegerField(_("schaal"))
    hours = models.DecimalField(_("uren"), max_digits=8, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("onderdeel van een activiteit")
        verbose_name_plural = _("onderdelen van activiteiten")
        ordering = ["activity", "-scale", "pk"]

    def __str__(self) -> str:
        return f"{self.hours} u {self.function} (schaal {self.scale})"


class CaoStep(TenantModel):
    """One CAO raise step (WM-SO 6.4, WM-DVO 5.3): a percentage and/or a fixed amount per month, from a date.

    ``scales`` empty means every scale. A step counts from the month it takes effect (docs/indexation.md).
    """

    tenant_region = "region"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    effective_date = models.DateField(_("ingangsdatum"))
    percentage = models.DecimalField(_("percentage"), max_digits=7, decimal_places=4, null=True, blank=True)
    fixed_amount_per_month = models.DecimalField(
        _("vast bedrag per maand"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    scales = models.JSONField(_("schalen"), default=list, blank=True, help_text=_("Leeg: alle schalen."))
    source = models.CharField(_("bron"), max_length=300)
    is_demo = models.BooleanField(_("demogegeven"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("CAO-stap")
        verbose_name_plural = _("CAO-stappen")
        ordering = ["region__name", "effective_date", "pk"]

    def __str__(self) -> str:
        parts = []
        if self.percentage is not None:
            parts.append(f"+{self.percentage} %")
        if self.fixed_amount_per_month is not None:
            parts.append(f"+€ {self.fixed_amount_per_month}/maand")
        return f"{self.effective_date:%d-%m-%Y}: {' en '.join(parts)}"

    def applies_to(self, scale: int) -> bool:
        return not self.scales or scale in self.scales

    def clean(self) -> None:
        if self.percentage is None and self.fixed_amount_per_month is None:
            raise ValidationError(_("Een CAO-stap heeft een percentage, een vast bedrag per maand of beide."))
        if self.effective_date is not None:  # issue 10, finding 4: the hard bounds hold for region files too
            from costsharing.services import check_cao_step

            check_cao_step(effective_date=self.effective_date, percentage=self.percentage, confirmed=True)


# --- Formation, budget, advances, actuals ------------------------------------------------------------------------


class FormationLine(TenantModel):
    """FTE per function and scale per task area for a year (WM-SO 6.1 a, 6.3)."""

    tenant_region = "region"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"))
    task_area = models.CharField(_("taakveld"), max_length=30, choices=TaskArea.choices)
    function = models.CharField(_("functie"), max_length=200)
    scale = models.PositiveSmallIntegerField(_("schaal"))
    fte = models.DecimalField(_("fte"), max_digits=8, decimal_places=4)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("formatieregel")
        verbose_name_plural = _("formatie")
        ordering = ["region__name", "year", "task_area", "function"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "task_area", "function", "scale"], name="formation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_task_area_display()}: {self.fte} fte {self.function} (schaal {self.scale})"

    @property
    def category(self) -> str:
        return TASK_AREA_CATEGORY[TaskArea(self.task_area)]


class BudgetLine(TenantModel):
    """A budgeted amount of one of the other cost categories (WM-SO 6.1 b-h) for a year."""

    tenant_region = "region"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"))
    category = models.CharField(_("kostensoort"), max_length=30, choices=Category.choices)
    description = models.CharField(_("omschrijving"), max_length=300)
    amount = models.DecimalField(_("bedrag"), **AMOUNT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("begrotingsregel")
        verbose_name_plural = _("begroting")
        ordering = ["region__name", "year", "category"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "category", "description"], name="budget_line_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_category_display()}: {self.amount}"


class Advance(TenantModel):
    """The advance (voorschot) a member pays for a year, derived from the budget (WM-SO 6.7)."""

    tenant_region = "region"
    tenant_municipality = "municipality"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey("regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("jaar"))
    amount = models.DecimalField(_("voorschot"), **AMOUNT)
    basis = models.TextField(_("berekening"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("voorschot")
        verbose_name_plural = _("voorschotten")
        ordering = ["region__name", "year", "municipality__code"]
        constraints = [models.UniqueConstraint(fields=["region", "municipality", "year"], name="advance_unique")]

    def __str__(self) -> str:
        return f"{self.municipality.name} {self.year}: {self.amount}"


class ActualCostLine(TenantModel):
    """An actual cost of the coordinating municipality (WM-SO 6.7 nacalculatie), entered or imported."""

    tenant_region = "region"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"), db_index=True)
    date = models.DateField(_("datum"))
    category = models.CharField(_("kostensoort"), max_length=30, choices=Category.choices)
    description = models.CharField(_("omschrijving"), max_length=300)
    amount = models.DecimalField(_("bedrag"), **AMOUNT)
    source = models.CharField(_("bron"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("werkelijke kostenregel")
        verbose_name_plural = _("werkelijke kosten")
        ordering = ["region__name", "date", "pk"]
        indexes = [models.Index(fields=["region", "year", "category", "date"], name="actual_cost_lookup")]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.get_category_display()}: {self.amount}"

    def save(self, *args, **kwargs):
        if self.date:
            self.year = self.date.year
        super().save(*args, **kwargs)


# --- The December reckoning --------------------------------------------------------------------------------------


FROZEN_MESSAGE = _("Een vastgestelde afrekening verandert niet; maak een correctieversie.")
STATUS_MESSAGE = _(
    "De status van een afrekening gaat alleen vooruit (concept → vastgesteld → gefactureerd), via vaststellen en "
    "factureren; een correctie is een nieuwe versie."
)
# The guards read the stored rows whoever writes (a service, a task, the admin): a reason for ``unrestricted``.
GUARD = "frozen guard: reads the stored row, whoever writes (STYLE.md rule 8)"
# What still moves on an approved or settled reckoning (STYLE.md rule 8): its status forward (approved → settled,
# with the date) and the run marks of a re-run that found the inputs unchanged. The PostgreSQL trigger of migration
# 0005 leaves out the same columns.
MUTABLE_WHEN_FROZEN = frozenset({"status", "settled_at", "run_state", "progress", "error"})


class ReckoningQuerySet(TenantQuerySet):
    """Bulk changes of reckonings (STYLE.md rules 3 and 8): nobody sets a status in bulk (the services approve and
    settle one reckoning at a time), an approved or settled one is neither changed nor deleted, and none is created
    in another state than draft."""

    def update(self, **kwargs):
        if "status" in kwargs:
            raise ValidationError(STATUS_MESSAGE)
        if set(kwargs) - MUTABLE_WHEN_FROZEN and self.exclude(status=Reckoning.Status.DRAFT).exists():
            raise ValidationError(FROZEN_MESSAGE)
        return super().update(**kwargs)

    update.queryset_only = True

    def delete(self):
        if self.exclude(status=Reckoning.Status.DRAFT).exists():
            raise ValidationError(_("Een vastgestelde afrekening wordt niet verwijderd; maak een correctieversie."))
        return super().delete()

    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if any(obj.status != Reckoning.Status.DRAFT for obj in objs):
            raise ValidationError(STATUS_MESSAGE)
        return super().bulk_create(objs, *args, **kwargs)


class Reckoning(TenantModel):
    """The December reckoning of a region for a year (WM-SO 6.7, WM-DVO 5-6, BNO 10.6).

    One row per (region, year, version), enforced by the database. ``draft`` is recomputed by each run;
    ``approved`` is frozen with its inputs snapshotted; ``settled`` once invoiced. A correction after approval is a
    new version whose lines show the difference with the previous one.

    Frozen means frozen (issue 10, STYLE.md rule 8): the status moves only forward, by ``approve_reckoning`` and
    ``mark_settled``; an approved reckoning, its parts, lines and items refuse changes here (``save``/``delete``), on
    the querysets (bulk ``update``/``delete``/``bulk_create``) and on PostgreSQL in the triggers of migration 0005.
    """

    tenant_region = "region"

    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        APPROVED = "approved", _("vastgesteld")
        SETTLED = "settled", _("gefactureerd")

    class RunState(models.TextChoices):
        IDLE = "idle", _("nog niet berekend")
        QUEUED = "queued", _("in de wachtrij")
        RUNNING = "running", _("wordt berekend")
        DONE = "done", _("berekend")
        FAILED = "failed", _("mislukt")

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"))
    version = models.PositiveSmallIntegerField(_("versie"), default=1)
    previous = models.ForeignKey(
        "self", verbose_name=_("vorige versie"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    total = models.DecimalField(_("totale kosten"), default=Decimal("0.00"), **AMOUNT)
    inputs_hash = models.CharField(_("vingerafdruk van de invoer"), max_length=64, blank=True)
    inputs = models.JSONField(_("vastgelegde invoer"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("berekend op"), null=True, blank=True)
    approved_at = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "regio.User",
        verbose_name=_("vastgesteld door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    settled_at = models.DateTimeField(_("gefactureerd op"), null=True, blank=True)
    run_state = models.CharField(_("berekening"), max_length=10, choices=RunState.choices, default=RunState.IDLE)
    progress = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    error = models.TextField(_("foutmelding"), blank=True)
    history = HistoricalRecords(excluded_fields=["progress", "inputs"])

    objects = TenantManager.from_queryset(ReckoningQuerySet)()

    class Meta:
        verbose_name = _("afrekening")
        verbose_name_plural = _("afrekeningen")
        ordering = ["region__name", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "version"], name="reckoning_unique_version"),
        ]

    def __str__(self) -> str:
        return f"Afrekening {self.region} {self.year} versie {self.version}"

    # The allowed status moves (STYLE.md rule 3); the services approve_reckoning and mark_settled make them.
    NEXT_STATUS = {
        Status.DRAFT: {Status.DRAFT, Status.APPROVED},
        Status.APPROVED: {Status.APPROVED, Status.SETTLED},
        Status.SETTLED: {Status.SETTLED},
    }

    def _stored(self) -> dict | None:
        """The row as the database has it now (not as this instance was loaded, which may be stale)."""
        if self._state.adding or self.pk is None:
            return None
        fields = [f.attname for f in self._meta.concrete_fields]
        return Reckoning.objects.unrestricted(GUARD).filter(pk=self.pk).values(*fields).first()

    def save(self, *args, **kwargs):
        stored = self._stored()
        if stored is None:
            if self.status != self.Status.DRAFT:
                raise ValidationError(STATUS_MESSAGE)
        else:
            if self.status not in self.NEXT_STATUS[stored["status"]]:
                raise ValidationError(STATUS_MESSAGE)
            if stored["status"] != self.Status.DRAFT:
                update_fields = kwargs.get("update_fields")
                names = (
                    {self._meta.get_field(name).attname for name in update_fields} if update_fields else set(stored)
                )
                if any(getattr(self, n) != stored[n] for n in names - MUTABLE_WHEN_FROZEN if n in stored):
                    raise ValidationError(FROZEN_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        stored = self._stored()
        if stored is not None and stored["status"] != self.Status.DRAFT:
            raise ValidationError(_("Een vastgestelde afrekening wordt niet verwijderd; maak een correctieversie."))
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT


def _frozen_reckoning_ids(reckoning_ids, part_ids=()) -> set[int]:
    """Which of these reckonings (and of the reckonings of these parts) are approved or settled."""
    ids = {pk for pk in reckoning_ids if pk is not None}
    part_ids = {pk for pk in part_ids if pk is not None}
    if part_ids:
        ids |= set(
            ReckoningPart.objects.unrestricted(GUARD).filter(pk__in=part_ids).values_list("reckoning_id", flat=True)
        )
    if not ids:
        return set()
    return set(
        Reckoning.objects.unrestricted(GUARD)
        .filter(pk__in=ids)
        .exclude(status=Reckoning.Status.DRAFT)
        .values_list("pk", flat=True)
    )


class FrozenQuerySet(TenantQuerySet):
    """Blocks bulk changes of parts, lines and items of an approved or settled reckoning, and bulk creation under
    one (STYLE.md rule 8)."""

    def _refuse_frozen(self):
        if self.exclude(reckoning__status=Reckoning.Status.DRAFT).exists():
            raise ValidationError(FROZEN_MESSAGE)

    def update(self, **kwargs):
        self._refuse_frozen()
        # Moving rows under an approved reckoning (or, for items, under a part of one) is adding to it.
        reckoning = kwargs.get("reckoning_id", kwargs.get("reckoning"))
        part = kwargs.get("part_id", kwargs.get("part"))
        if _frozen_reckoning_ids([getattr(reckoning, "pk", reckoning)], [getattr(part, "pk", part)]):
            raise ValidationError(FROZEN_MESSAGE)
        return super().update(**kwargs)

    update.queryset_only = True

    def delete(self):
        self._refuse_frozen()
        return super().delete()

    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if _frozen_reckoning_ids([obj.reckoning_id for obj in objs], [getattr(obj, "part_id", None) for obj in objs]):
            raise ValidationError(FROZEN_MESSAGE)
        return super().bulk_create(objs, *args, **kwargs)


class FrozenModel(TenantModel):
    """A part, line or item of a reckoning: written only while its reckoning is a draft, never added to, changed
    under or moved out of an approved or settled one (the database checks the reckoning's current status)."""

    class Meta:
        abstract = True

    def _touches_frozen(self) -> bool:
        ids = {self.reckoning_id}
        if not self._state.adding and self.pk is not None:
            ids |= set(
                type(self).objects.unrestricted(GUARD).filter(pk=self.pk).values_list("reckoning_id", flat=True)
            )
        # An item also hangs under its part's reckoning.
        return bool(_frozen_reckoning_ids(ids, [getattr(self, "part_id", None)]))

    def save(self, *args, **kwargs):
        if self._touches_frozen():
            raise ValidationError(FROZEN_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._touches_frozen():
            raise ValidationError(FROZEN_MESSAGE)
        return super().delete(*args, **kwargs)


class ReckoningPart(FrozenModel):
    """What one category contributed under one key version: the sum of its cost lines (or formation × norm).

    It names the key version, the norm year (with the CAO steps in its provenance) and the cost lines it came from,
    so every euro of a statement is traceable (issue #5).
    """

    tenant_region = "reckoning__region"

    reckoning = models.ForeignKey(Reckoning, on_delete=models.CASCADE, related_name="parts")
    category = models.CharField(_("kostensoort"), max_length=30, choices=Category.choices)
    key_version = models.ForeignKey(KeyVersion, verbose_name=_("sleutelversie"), on_delete=models.PROTECT)
    norm_year = models.ForeignKey(
        NormYear, verbose_name=_("normjaar"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("bedrag"), **AMOUNT)
    line_count = models.PositiveIntegerField(_("aantal kostenregels"), default=0)
    lines_total = models.DecimalField(
        _("som van de kostenregels"),
        default=Decimal("0.00"),
        help_text=_("Vóór het deel ten laste van de regio (WM-SO 6.1 h)."),
        **AMOUNT,
    )
    cost_line_ids = models.JSONField(
        _("kostenregels"),
        default=list,
        blank=True,
        help_text=_("De ids van de kostenregels, vastgelegd bij het vaststellen."),
    )
    weights = models.JSONField(_("gewichten"), default=dict, blank=True)
    explanation = models.TextField(_("toelichting"), blank=True)
    history = HistoricalRecords(excluded_fields=["cost_line_ids"])

    objects = TenantManager.from_queryset(FrozenQuerySet)()

    class Meta:
        verbose_name = _("onderdeel van een afrekening")
        verbose_name_plural = _("onderdelen van afrekeningen")
        ordering = ["reckoning", "category", "key_version__valid_from"]


class ReckoningLine(FrozenModel):
    """A member's statement line: its share of the actual costs, its advances, and the difference to settle."""

    tenant_region = "reckoning__region"
    tenant_municipality = "municipality"

    reckoning = models.ForeignKey(Reckoning, on_delete=models.CASCADE, related_name="lines")
    municipality = models.ForeignKey("regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT)
    share = models.DecimalField(_("aandeel in de kosten"), **AMOUNT)
    advances = models.DecimalField(_("betaalde voorschotten"), **AMOUNT)
    difference = models.DecimalField(
        _("te betalen (+) of te ontvangen (−)"),
        **AMOUNT,
        help_text=_("Aandeel min voorschotten: positief betaalt de gemeente bij, negatief krijgt zij terug."),
    )
    previous_share = models.DecimalField(_("aandeel in de vorige versie"), null=True, blank=True, **AMOUNT)
    history = HistoricalRecords()

    objects = TenantManager.from_queryset(FrozenQuerySet)()

    class Meta:
        verbose_name = _("afrekeningsregel")
        verbose_name_plural = _("afrekeningsregels")
        ordering = ["reckoning", "municipality__name"]
        constraints = [models.UniqueConstraint(fields=["reckoning", "municipality"], name="reckoning_line_unique")]

    @property
    def correction(self) -> Decimal | None:
        """The change against the previous version (a credit or extra invoice, SPEC §6.5)."""
        if self.previous_share is None:
            return None
        return self.share - self.previous_share

    @property
    def to_settle(self) -> Decimal:
        """What invoicing settles for this line: the difference with the advances for a first version; for a
        correction version only the change against the previous version (its difference was settled already)."""
        return self.difference if self.previous_share is None else self.share - self.previous_share


class ReckoningItem(FrozenModel):
    """One member's part of one ReckoningPart: the trace from a statement line to key version and cost lines."""

    tenant_region = "reckoning__region"
    tenant_municipality = "municipality"

    reckoning = models.ForeignKey(Reckoning, on_delete=models.CASCADE, related_name="items")
    part = models.ForeignKey(ReckoningPart, on_delete=models.CASCADE, related_name="items")
    municipality = models.ForeignKey("regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT)
    weight = models.DecimalField(_("gewicht"), **WEIGHT)
    amount = models.DecimalField(_("bedrag"), **AMOUNT)
    history = HistoricalRecords()

    objects = TenantManager.from_queryset(FrozenQuerySet)()

    class Meta:
        verbose_name = _("afrekeningspost")
        verbose_name_plural = _("afrekeningsposten")
        ordering = ["reckoning", "municipality__name", "part"]


# --- Notices -----------------------------------------------------------------------------------------------------


class Notice(TenantModel):
    """An in-app notice to a member, e.g. the updated cost overview after the CAO indexation (WM-SO 6.6)."""

    tenant_region = "region"
    tenant_municipality = "municipality"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey("regio.Municipality", verbose_name=_("gemeente"), on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("jaar"))
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("bericht"))
    pdf = models.BinaryField(_("overzicht (PDF)"), blank=True, default=b"")
    created_at = models.DateTimeField(_("verstuurd op"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["pdf"])

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        # A notice is for the member itself; coordinating staff see what they sent. Nobody edits one.
        if action == VIEW:
            return Q(municipality__in=scope.own_municipality_ids) | Q(region__in=scope.coordinated_region_ids)
        return Q(pk__in=[])

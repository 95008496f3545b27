"""The money of beschermd wonen (issue 13 part B; WM-DVO annexes 1 and 3, WM-SO 7).

* ``MaastrichtBudget``: the budget the coordinating municipality receives from the former centre municipality
  Maastricht, per year and track (annex 3 §1: new clients from 1-1-2022, existing clients from 1-1-2023), each
  version with its source (a gemeentefonds circular; a new circular makes a new version, annex 3 §7).
* ``CostImport`` / ``RealisedCost``: realised costs per client (pseudonym only), imported from a municipality's Wmo
  system (CSV/Excel) or the iWmo WMO303 declaration (WM-DVO 7.1). One file is one import; a line booked once is
  never booked twice (its ``line_key``).
* ``ExecutionCost``: the formation of the beschermd-wonen team on budget basis per year, split by the region's key
  and settled after the year (annex 3 §4).
* ``Fee``: an access fee of a member for a year (annex 1; annex 2 §2; annex 3 §5), the record an invoice line of
  source ``bw_fee`` points to.

Who sees what: figures per member (budget, financing, fees, execution costs) are for the region's staff with a role
in the Wmo work (not for supervisors); only the access team writes. Realised costs are per client (pseudonym): the
access team sees the region's, a member's ``bw`` staff its own municipality's.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beschermdwonen.models.billed import BilledModel, billed_manager
from regio.privacy import no_bsn
from regio.roles import Role
from regio.tenancy import NOTHING, VIEW, Scope, TenantModel

__all__ = [
    "BudgetTrack",
    "CostImport",
    "ExecutionCost",
    "ExecutionKey",
    "Fee",
    "FeeKind",
    "ImportFormat",
    "MaastrichtBudget",
    "RealisedCost",
    "cost_filter",
    "member_figures_filter",
    "money_filter",
]

MONEY_ROLES = (Role.PROTECTED_HOUSING, Role.COORDINATOR, Role.CIVIL_SERVANT, Role.PORTFOLIO_HOLDER)


def _team_regions(scope: Scope):
    from beschermdwonen.models.register import access_team_region_ids

    return access_team_region_ids(scope)


def money_filter(scope: Scope, action: str, prefix: str = "") -> Q:
    """Region-level figures per member: seen by the region's members' Wmo staff, written by the access team."""
    if action == VIEW:
        if not any(scope.has_role(r) for r in MONEY_ROLES):
            return NOTHING
        return Q(**{f"{prefix}region__in": scope.member_region_ids})
    if scope.read_only or not scope.has_role(Role.PROTECTED_HOUSING):
        return NOTHING
    return Q(**{f"{prefix}region__in": _team_regions(scope)})


def cost_filter(scope: Scope, action: str) -> Q:
    """Per-client cost records: the access team the region's, a member's ``bw`` staff its own municipality's."""
    if not scope.has_role(Role.PROTECTED_HOUSING):
        return NOTHING
    team = Q(region__in=_team_regions(scope))
    if action != VIEW:
        return NOTHING if scope.read_only else team
    return team | Q(municipality_id=scope.municipality_id)


def member_figures_filter(scope: Scope, action: str) -> Q:
    """What one member is charged (fees, annex 3 §5 charges): a member sees its own; the coordinating municipality
    (its coordinators and access team) every member's; only the access team writes them."""
    if action != VIEW:
        return money_filter(scope, action)
    if not any(scope.has_role(r) for r in MONEY_ROLES):
        return NOTHING
    own = Q(municipality_id=scope.municipality_id, region__in=scope.member_region_ids)
    return own | Q(region__in=scope.coordinated_region_ids) | Q(region__in=_team_regions(scope))


class BudgetTrack(models.TextChoices):
    NEW = "new", _("nieuwe cliënten (vanaf 1-1-2022)")
    EXISTING = "existing", _("bestaande cliënten (vanaf 1-1-2023)")


class MaastrichtBudget(TenantModel):
    """One version of the budget received from Maastricht for a year and track (annex 3 §1, §7). The current
    version is the one with the highest number; earlier versions stay as they were (what changed, and why)."""

    tenant_region = "region"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"))
    track = models.CharField(_("spoor"), max_length=10, choices=BudgetTrack.choices)
    version = models.PositiveSmallIntegerField(_("versie"), default=1)
    amount = models.DecimalField(_("bedrag"), max_digits=14, decimal_places=2)
    source = models.CharField(
        _("bron"), max_length=200, validators=[no_bsn], help_text=_("Bijvoorbeeld: meicirculaire gemeentefonds 2025.")
    )
    created_by = models.ForeignKey(
        "regio.User",
        verbose_name=_("vastgelegd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget beschermd wonen van Maastricht")
        verbose_name_plural = _("budgetten beschermd wonen van Maastricht")
        ordering = ["region", "year", "track", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "track", "version"], name="bw_budget_unique_version"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="bw_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_track_display()} v{self.version}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return money_filter(scope, action)


class ImportFormat(models.TextChoices):
    TABLE = "table", _("CSV/Excel uit het Wmo-systeem")
    WMO303 = "wmo303", _("iWmo-declaratie (WMO303)")


class CostImport(TenantModel):
    """One imported file of realised costs (its SHA-256 digest: the same file twice is refused as already done)."""

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    file_format = models.CharField(_("soort bestand"), max_length=10, choices=ImportFormat.choices)
    filename = models.CharField(_("bestandsnaam"), max_length=200, validators=[no_bsn])
    digest = models.CharField(_("vingerafdruk (SHA-256)"), max_length=64)
    lines = models.PositiveIntegerField(_("regels"), default=0)
    booked = models.PositiveIntegerField(_("geboekt"), default=0)
    total = models.DecimalField(_("totaal geboekt"), max_digits=16, decimal_places=2, default=0)
    created_by = models.ForeignKey(
        "regio.User",
        verbose_name=_("ingelezen door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ingelezen op"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inlezing gerealiseerde kosten")
        verbose_name_plural = _("inlezingen gerealiseerde kosten")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["region", "digest"], name="bw_import_unique_file")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%d-%m-%Y})"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return cost_filter(scope, action)


class RealisedCost(TenantModel):
    """A realised cost of one client (pseudonym) for a product over a period, charged to the responsible
    municipality (woonplaatsbeginsel, annex 3 §3). A credit is a negative amount.

    Indexes: only those a query uses (an import books 100.000 lines, and every index is written per line): the
    region leads the unique line key and the year index, so it has no index of its own; the client key is compared
    for equality only (no ``LIKE`` index)."""

    region = models.ForeignKey(
        "regio.Region", verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    municipality = models.ForeignKey(
        "regio.Municipality", verbose_name=_("verantwoordelijke gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    client_key = models.CharField(_("cliëntreferentie"), max_length=40, validators=[no_bsn])
    year = models.PositiveSmallIntegerField(_("jaar"))
    period_start = models.DateField(_("van"))
    period_end = models.DateField(_("tot en met"))
    product = models.CharField(_("product"), max_length=20, validators=[no_bsn])
    amount = models.DecimalField(_("bedrag"), max_digits=14, decimal_places=2)
    cost_import = models.ForeignKey(
        CostImport, verbose_name=_("inlezing"), on_delete=models.PROTECT, related_name="costs"
    )
    line_key = models.CharField(_("regelsleutel"), max_length=64)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gerealiseerde kosten beschermd wonen")
        verbose_name_plural = _("gerealiseerde kosten beschermd wonen")
        ordering = ["year", "municipality", "client_key", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["region", "line_key"], name="bw_cost_unique_line"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="bw_cost_period"),
        ]
        indexes = [
            models.Index(fields=["region", "year", "municipality"], name="bw_cost_region_year"),
            models.Index(fields=["client_key"], name="bw_cost_client"),
        ]

    def __str__(self) -> str:
        return f"{self.client_key} {self.year} {self.product} {self.amount}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return cost_filter(scope, action)


class ExecutionKey(models.TextChoices):
    """Annex 3 §4 names both: "de verdeelsleutel zoals ook bij de overige Wmo producten" and "op basis van de
    aantallen cliënten". The region chooses (SPEC §7); the Westelijke Mijnstreek demo splits by clients."""

    CLIENTS = "clients", _("aantallen cliënten op de peildatum")
    WMO_KEY = "wmo_key", _("de verdeelsleutel van de overige Wmo-producten (kostenverdeling)")


class ExecutionCost(TenantModel):
    """The beschermd-wonen formation of a year on budget basis and, after the year, its settlement (annex 3 §4)."""

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"))
    budgeted = models.DecimalField(_("begroot"), max_digits=14, decimal_places=2)
    realised = models.DecimalField(_("nacalculatie"), max_digits=14, decimal_places=2, null=True, blank=True)
    reference_date = models.DateField(_("peildatum aantallen cliënten"))
    key = models.CharField(_("verdeling"), max_length=10, choices=ExecutionKey.choices, default=ExecutionKey.CLIENTS)
    source = models.CharField(_("bron"), max_length=200, validators=[no_bsn], blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uitvoeringskosten beschermd wonen")
        verbose_name_plural = _("uitvoeringskosten beschermd wonen")
        ordering = ["region", "year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="bw_execution_unique_year"),
            models.CheckConstraint(condition=Q(budgeted__gte=0), name="bw_execution_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Uitvoeringskosten {self.year}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return money_filter(scope, action)


class FeeKind(models.TextChoices):
    """What a member pays the coordinating municipality for access (annex 1; annex 2 §2; annex 3 §5)."""

    INTRAMURAL = "intramural", _("melding intramuraal")
    EXTRAMURAL = "extramural", _("melding extramuraal (bereikbaarheid en beschikbaarheid)")
    RUNNING = "running", _("lopende indicatie (per jaar)")
    ADVICE = "advice", _("GGD- of extern advies (doorbelast)")
    CONSULTATION = "consultation", _("sparringuren")


class Fee(BilledModel):
    """A member's access fee of one kind for one year: quantity × unit price (the year's indexed activity price
    from cost sharing, or the cost passed on in full). Recomputed until its invoice line (source ``bw_fee``) is on an
    issued invoice; frozen from then on (``models.billed``)."""

    line_source = "bw_fee"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    kind = models.CharField(_("soort"), max_length=20, choices=FeeKind.choices)
    quantity = models.DecimalField(_("aantal"), max_digits=12, decimal_places=2)
    unit_price = models.DecimalField(_("prijs per eenheid"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("bedrag"), max_digits=14, decimal_places=2)
    computed_at = models.DateTimeField(_("berekend op"), default=timezone.now)
    history = HistoricalRecords()

    objects = billed_manager()

    class Meta:
        verbose_name = _("vergoeding beschermd wonen")
        verbose_name_plural = _("vergoedingen beschermd wonen")
        ordering = ["region", "year", "municipality", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["region", "municipality", "year", "kind"], name="bw_fee_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return member_figures_filter(scope, action)

"""Plans of supervision (WM-DVO annex 4, "Beleidskader en uitvoering"): the policy frame (beleidskader), the execution
plan (uitvoeringsplan) and the annual plan (jaarplan), each per region and year, and the comments of the members'
civil servants on them.

Who may do what (WM-SO 3.2 c; WM-DVO annex 4): the supervisors draw up the plans and are the only ones who change
them (the supervisor is independent); every member's people read them, and the civil servants comment beforehand
without a say over the content. The yearly joint evaluation of the three municipalities is in ``models_reports``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regio.roles import Role
from regio.tenancy import NOTHING, VIEW, TenantModel


class PlanKind(models.TextChoices):
    """The three planning documents of WM-DVO annex 4, from the long term to the year."""

    POLICY_FRAME = "policy_frame", _("Beleidskader")
    EXECUTION = "execution", _("Uitvoeringsplan")
    ANNUAL = "annual", _("Jaarplan")


def _supervisor_of_region(scope) -> bool:
    """A supervisor with at least one municipality assigned (the guardian grant) who may act (not read-only)."""
    return scope.has_role(Role.SUPERVISOR) and not scope.read_only and bool(scope.supervised_municipality_ids)


class SupervisionPlan(TenantModel):
    """One planning document of a region for one year (WM-DVO annex 4: beleidskader → uitvoeringsplan → jaarplan).

    Visible to every member of the region (a regional document); drawn up and changed only by its supervisors
    (WM-SO 3.2 c: the civil servants' meeting reads it beforehand but has no say). Every change is in the history.
    """

    tenant_region = "region"

    region = models.ForeignKey(
        "regio.Region", verbose_name=_("regio"), on_delete=models.PROTECT, related_name="supervision_plans"
    )
    kind = models.CharField(_("soort plan"), max_length=20, choices=PlanKind.choices)
    year = models.PositiveSmallIntegerField(_("jaar"))
    title = models.CharField(_("titel"), max_length=200)
    summary = models.TextField(_("samenvatting en uitgangspunten"), max_length=10000, blank=True)
    priorities = models.TextField(
        _("prioriteiten"),
        max_length=5000,
        blank=True,
        help_text=_("Eén prioriteit per regel, de belangrijkste eerst."),
    )
    themes = models.TextField(_("thema's"), max_length=5000, blank=True, help_text=_("Eén thema per regel."))
    planned_investigations = models.TextField(
        _("geplande onderzoeken"),
        max_length=5000,
        blank=True,
        help_text=_("Eén onderzoek per regel, met aanpak (bijv. proactief, steekproef pgb)."),
    )
    adopted_on = models.DateField(_("vastgesteld op"), null=True, blank=True)
    updated_by = models.ForeignKey(
        "regio.User",
        verbose_name=_("bijgewerkt door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan toezicht")
        verbose_name_plural = _("plannen toezicht")
        ordering = ["region__name", "-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["region", "kind", "year"], name="toezicht_plan_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

    def priority_list(self) -> list[str]:
        return self.lines(self.priorities)

    def theme_list(self) -> list[str]:
        return self.lines(self.themes)

    def investigation_list(self) -> list[str]:
        return self.lines(self.planned_investigations)

    @classmethod
    def tenant_filter(cls, scope, action: str) -> models.Q:
        if action == VIEW:
            return models.Q(region__in=scope.member_region_ids)
        if not _supervisor_of_region(scope):
            return NOTHING
        return models.Q(region__in=scope.member_region_ids)


class PlanComment(TenantModel):
    """A comment on a plan by someone of a member municipality (WM-SO 3.2 c: the civil servants' meeting reads the plan
    beforehand). A comment is advice, not a say: it never changes the plan. Comments are not edited afterwards."""

    tenant_region = "plan__region"

    plan = models.ForeignKey(
        SupervisionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey("regio.User", verbose_name=_("auteur"), on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("opmerking"), max_length=5000)
    created_at = models.DateTimeField(_("geplaatst op"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opmerking bij plan toezicht")
        verbose_name_plural = _("opmerkingen bij plannen toezicht")
        ordering = ["plan", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.plan}: {self.author}"

    @classmethod
    def tenant_filter(cls, scope, action: str) -> models.Q:
        if action == VIEW:
            return models.Q(plan__region__in=scope.member_region_ids)
        # Posting a comment: a member's civil servants, coordinating staff and supervisors; never a read-only
        # portfolio holder (SPEC §1). Nobody changes a comment afterwards (the service refuses it).
        if scope.read_only or not scope.has_role(Role.CIVIL_SERVANT, Role.COORDINATOR, Role.SUPERVISOR):
            return NOTHING
        return models.Q(plan__region__in=scope.member_region_ids)

"""Reports of supervision (WM-DVO intro 6 and annex 4): the annual report per municipality for its college and council,
and the yearly joint evaluation of the three municipalities.

The annual report holds aggregated figures only: supervisors carry the providers' professional secrecy, which limits
what may be reported (WM-DVO annex 4, "Bevoegdheden toezichthouders en geheimhouding"). Case files stay with the
supervisors; this record never names a provider, a signal or a person.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regio.roles import Role
from regio.tenancy import NOTHING, VIEW, TenantModel

# Who reads a municipality's annual report: its college (portfolio holder, civil servants), the coordinating staff
# and the administrator of the municipality.
COLLEGE_ROLES = (
    Role.CIVIL_SERVANT,
    Role.PORTFOLIO_HOLDER,
    Role.COORDINATOR,
    Role.FUNCTIONAL_ADMIN,
    Role.SUPERVISOR,
    Role.SUPERVISION_MANAGER,
)


class AnnualReport(TenantModel):
    """The supervisors' annual report to one municipality for one year (WM-DVO intro 6: "De toezichthouders Wmo bieden
    jaarlijks een jaarverslag aan bij de gemeenten"; annex 4: to the college and the council).

    ``figures`` is the aggregated snapshot the PDF is rendered from; the PDF depends on nothing else, so generating it
    again from the same figures gives the same bytes (``content_hash``). Drawn up by the supervisors assigned to the
    municipality; read by that municipality's people (its college) and the coordinating municipality's staff.
    """

    tenant_municipality = "municipality"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    figures = models.JSONField(_("cijfers"), default=dict)
    content_hash = models.CharField(_("SHA-256 van de PDF"), max_length=64)
    pdf = models.BinaryField(_("jaarverslag (PDF)"), default=b"")
    generated_at = models.DateTimeField(_("opgesteld op"))
    generated_by = models.ForeignKey(
        "regio.User",
        verbose_name=_("opgesteld door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["pdf"])

    class Meta:
        verbose_name = _("jaarverslag toezicht")
        verbose_name_plural = _("jaarverslagen toezicht")
        ordering = ["-year", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="toezicht_annual_report_unique"),
        ]

    def __str__(self) -> str:
        return f"Jaarverslag toezicht Wmo {self.year} {self.municipality.name}"

    @property
    def filename(self) -> str:
        return f"jaarverslag-toezicht-{self.year}-{self.municipality.code}.pdf"

    @classmethod
    def tenant_filter(cls, scope, action: str) -> models.Q:
        supervises = models.Q(municipality__in=scope.supervised_municipality_ids)
        if action == VIEW:
            # The college's people and the coordinating staff; not beschermd-wonen staff (no task here).
            mine = (
                models.Q(municipality__in=scope.own_municipality_ids | scope.coordinated_municipality_ids)
                if scope.has_role(*COLLEGE_ROLES)
                else NOTHING
            )
            return mine | supervises if scope.has_role(Role.SUPERVISOR) else mine
        if scope.read_only or not scope.has_role(Role.SUPERVISOR):
            return NOTHING
        return supervises


class JointEvaluation(TenantModel):
    """The yearly joint evaluation of supervision by the member municipalities (WM-DVO annex 4: "Jaarlijks evalueren
    de drie gemeenten samen het toezicht en kijken zij vooruit"). Recorded by the coordinating municipality's staff;
    visible to every member of the region."""

    tenant_region = "region"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("geëvalueerd jaar"))
    held_on = models.DateField(_("datum evaluatie"))
    participants = models.TextField(_("deelnemers"), max_length=2000, blank=True)
    conclusions = models.TextField(_("conclusies"), max_length=10000)
    looking_ahead = models.TextField(_("vooruitblik"), max_length=10000, blank=True)
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
        verbose_name = _("gezamenlijke evaluatie toezicht")
        verbose_name_plural = _("gezamenlijke evaluaties toezicht")
        ordering = ["region__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="toezicht_joint_evaluation_unique"),
        ]

    def __str__(self) -> str:
        return f"Evaluatie toezicht {self.year}"

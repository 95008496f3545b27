"""Disputes between the parties of an agreement and their escalation (WM-SO 14.2-14.4; BNO 17 with art. 28 Wgr;
MH 10.4; issue #15).

A dispute is visible to the parties of its agreement only (and to the region's coordinating staff): a member of the
region that is no party to that agreement does not see it. Only the coordinating staff record its steps.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models.agreements import Agreement, AgreementKind
from agreements.models.governance import Meeting
from agreements.models.parties import Party
from regio.models import Municipality
from regio.tenancy import NOTHING, VIEW, Scope, TenantModel


class DisputeStatus(models.TextChoices):
    REPORTED = "gemeld", _("Gemeld, nog niet geagendeerd")
    ON_AGENDA = "geagendeerd", _("Geagendeerd voor het bestuurlijk overleg")
    RESOLVED = "opgelost", _("Opgelost in het bestuurlijk overleg")
    UNRESOLVED = "niet_opgelost", _("Geen oplossing bereikt")
    ESCALATED = "geescaleerd", _("Voorgelegd (mediation, rechter of Gedeputeerde Staten)")
    CLOSED = "afgesloten", _("Afgesloten na escalatie")


class EscalationRoute(models.TextChoices):
    MEDIATION = "mediation", _("Mediation of andere bemiddeling (MH 10.4)")
    COURT = "rechter", _("Bevoegde rechter (WM-SO 14.4: rechtbank Limburg)")
    PROVINCE = "gedeputeerde_staten", _("Gedeputeerde Staten (art. 28 Wgr)")


# Which escalation routes an agreement's kind has: a gemeenschappelijke regeling (centrumregeling) goes to
# Gedeputeerde Staten under art. 28 Wgr (BNO 17); a civil-law agreement to the court (WM-SO 14.4), with mediation
# only where the agreement offers it (MH 10.4: set per agreement in ``Agreement.dispute_routes``).
ROUTES_BY_KIND = {
    AgreementKind.CENTRAL_SCHEME: (EscalationRoute.PROVINCE,),
}
DEFAULT_ROUTES = (EscalationRoute.COURT,)


class LegalCostSplit(models.TextChoices):
    NONE = "geen", _("Geen kosten voor juridisch advies")
    RECKONING = "afrekening", _("Via de kostenverdeling van de samenwerking (WM-SO 6.1 c/g)")
    EACH_OWN = "ieder_eigen", _("Iedere partij draagt de eigen kosten")
    RAISING_PARTY = "melder", _("De melder draagt de kosten")


class LegalCostCategory(models.TextChoices):
    LEGAL = "legal", _("c. juridische kosten")
    DISPUTE_ADVICE = "dispute_advice", _("g. extern advies bij geschillen")


class Dispute(TenantModel):
    """A dispute reported in writing with reasons by a party (WM-SO 14.2), discussed in the next bestuurlijk overleg
    where the parties decide together (WM-SO 14.3), else escalated (WM-SO 14.4; MH 10.4; art. 28 Wgr)."""

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("overeenkomst"), on_delete=models.PROTECT, related_name="disputes"
    )
    raised_by = models.ForeignKey(
        Municipality, verbose_name=_("gemeld door"), on_delete=models.PROTECT, related_name="+"
    )
    reported_on = models.DateField(_("schriftelijk gemeld op"))
    letter_reference = models.CharField(_("kenmerk van de melding"), max_length=100, blank=True)
    subject = models.CharField(_("onderwerp"), max_length=300)
    reasons = models.TextField(_("onderbouwing"), max_length=10_000)
    status = models.CharField(
        _("status"), max_length=20, choices=DisputeStatus.choices, default=DisputeStatus.REPORTED
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("bestuurlijk overleg"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disputes",
    )
    decided_on = models.DateField(_("besloten op"), null=True, blank=True)
    decision = models.TextField(_("gezamenlijk besluit"), blank=True, max_length=10_000)
    best_practices = models.TextField(_("best practices"), blank=True, max_length=10_000)
    legal_costs_amount = models.DecimalField(
        _("kosten juridisch advies"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    legal_costs_split = models.CharField(
        _("verdeling kosten juridisch advies"),
        max_length=20,
        choices=LegalCostSplit.choices,
        default=LegalCostSplit.NONE,
    )
    legal_costs_category = models.CharField(
        _("kostensoort"), max_length=20, choices=LegalCostCategory.choices, blank=True
    )
    legal_costs_booked_on = models.DateField(_("kosten geboekt op"), null=True, blank=True)
    legal_costs_reference = models.CharField(_("boeking"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("geschil")
        verbose_name_plural = _("geschillen")
        ordering = ["-reported_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.agreement.code}: {self.subject}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        """Only the parties of its agreement see a dispute (and the coordinating staff of its region); only the
        coordinating staff act on it."""
        coordinated = Q(agreement__region__in=scope.coordinated_region_ids)
        if action == VIEW:
            parties = (
                Party.objects.unrestricted(
                    "the tenant filter itself: the agreements the user's municipality is party to"
                )
                .filter(municipality__in=scope.own_municipality_ids)
                .values("agreement_id")
            )
            return coordinated | Q(agreement__in=parties)
        return NOTHING if scope.read_only else coordinated


class DisputeEscalation(TenantModel):
    """One escalation step with its dates: mediation, the court or Gedeputeerde Staten."""

    tenant_region = "dispute__agreement__region"

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="escalations")
    route = models.CharField(_("route"), max_length=30, choices=EscalationRoute.choices)
    article = models.CharField(_("artikel"), max_length=100, blank=True)
    forum = models.CharField(_("instantie"), max_length=200, blank=True)
    started_on = models.DateField(_("voorgelegd op"))
    reference = models.CharField(_("kenmerk"), max_length=100, blank=True)
    ended_on = models.DateField(_("afgerond op"), null=True, blank=True)
    outcome = models.TextField(_("uitkomst"), blank=True, max_length=10_000)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("escalatie van een geschil")
        verbose_name_plural = _("escalaties van geschillen")
        ordering = ["started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_route_display()} ({self.started_on:%d-%m-%Y})"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        disputes = Dispute.objects.unrestricted("the tenant filter itself: narrowed to its dispute's filter next")
        return Q(dispute__in=disputes.filter(Dispute.tenant_filter(scope, action)).values("pk"))

"""Charges of WM-DVO annex 3 §5 ("Kosten onderzoeken"): assessments a member ordered itself and the cost of
objections (bezwaren) that followed them.

    "De kosten van de onderzoeken die in opdracht van de gemeenten Beek en Beek [sic: Stein en Beek] worden
    uitgevoerd zullen op basis van nacalculatie worden doorbelast aan de opdracht gevende gemeente. Mochten er naar
    aanleiding van de onderzoeken bezwaren worden ingediend dan zullen deze aanvullend verrekend worden met de
    individuele gemeenten."

So: an ordered assessment is charged at its actual cost (nacalculatie) to the municipality that ordered it; an
objection's cost is charged *in addition* to that same municipality (the objection follows its assessment). A charge
is a record an invoice line of source ``bw_charge`` points to (``regio.line_sources``); it is never edited: a
correction is a new record, so what is on an invoice stays as it was.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beschermdwonen.models.money import member_figures_filter
from beschermdwonen.models.register import Assessment
from regio.privacy import no_bsn
from regio.tenancy import Scope, TenantModel

__all__ = ["ChargeKind", "MemberCharge"]


class ChargeKind(models.TextChoices):
    ASSESSMENT = "assessment", _("onderzoek in opdracht van de gemeente")
    OBJECTION = "objection", _("bezwaar naar aanleiding van het onderzoek")


class MemberCharge(TenantModel):
    """An ordered assessment's actual cost, or an objection's cost following it, charged to the ordering member."""

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "regio.Municipality",
        verbose_name=_("opdrachtgevende gemeente"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("soort"), max_length=12, choices=ChargeKind.choices)
    incurred_on = models.DateField(_("datum nacalculatie"))
    year = models.PositiveSmallIntegerField(_("jaar"))
    description = models.CharField(_("omschrijving"), max_length=200, validators=[no_bsn])
    amount = models.DecimalField(_("werkelijke kosten"), max_digits=14, decimal_places=2)
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("onderzoek in het register"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    objection_to = models.ForeignKey(
        "self",
        verbose_name=_("bezwaar naar aanleiding van"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objections",
    )
    created_by = models.ForeignKey(
        "regio.User", verbose_name=_("vastgelegd door"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("doorbelasting onderzoek of bezwaar")
        verbose_name_plural = _("doorbelastingen onderzoeken en bezwaren")
        ordering = ["-incurred_on", "-pk"]
        indexes = [models.Index(fields=["region", "year", "municipality"], name="bw_charge_region_year")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="bw_charge_amount_positive"),
            models.CheckConstraint(
                condition=Q(kind="assessment", objection_to__isnull=True)
                | Q(kind="objection", objection_to__isnull=False),
                name="bw_charge_objection_follows_assessment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.incurred_on:%d-%m-%Y}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        """As the fees: a member sees its own charges, the coordinating municipality every member's; only the
        access team records them."""
        return member_figures_filter(scope, action)

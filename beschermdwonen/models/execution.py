"""A member's share of the execution costs of beschermd wonen for a year (WM-DVO annex 3 §4): the formation on
budget basis, or after the year its recalculation ("Aan het einde van het begrotingsjaar vindt op basis van een
nacalculatie de definitieve afrekening plaats"), split by the number of clients per member on the reference date
("Op basis van de aantallen cliënten worden deze kosten vervolgens verdeeld over de drie individuele gemeenten").

A share is the record an invoice line of source ``bw_execution`` points to: one per member and year, recomputed until
that line is on an issued invoice, frozen from then on (``models.billed``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beschermdwonen.models.billed import BilledModel, billed_manager
from beschermdwonen.models.money import ExecutionCost, member_figures_filter
from regio.tenancy import Scope

__all__ = ["ExecutionBasis", "ExecutionShare"]


class ExecutionBasis(models.TextChoices):
    BUDGETED = "budgeted", _("begroot (formatie op begrotingsbasis)")
    REALISED = "realised", _("nacalculatie")


class ExecutionShare(BilledModel):
    line_source = "bw_execution"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+")
    execution = models.ForeignKey(
        ExecutionCost, verbose_name=_("uitvoeringskosten"), on_delete=models.PROTECT, related_name="shares"
    )
    municipality = models.ForeignKey(
        "regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    clients = models.PositiveIntegerField(_("cliënten op de peildatum"))
    basis = models.CharField(_("grondslag"), max_length=10, choices=ExecutionBasis.choices)
    amount = models.DecimalField(_("bedrag"), max_digits=14, decimal_places=2)
    computed_at = models.DateTimeField(_("berekend op"), default=timezone.now)
    history = HistoricalRecords()

    objects = billed_manager()

    class Meta:
        verbose_name = _("aandeel uitvoeringskosten beschermd wonen")
        verbose_name_plural = _("aandelen uitvoeringskosten beschermd wonen")
        ordering = ["region", "year", "municipality"]
        constraints = [
            models.UniqueConstraint(fields=["execution", "municipality"], name="bw_execution_share_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="bw_execution_share_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Uitvoeringskosten {self.year}, {self.municipality}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return member_figures_filter(scope, action)

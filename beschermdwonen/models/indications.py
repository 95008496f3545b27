"""Indications of beschermd wonen (WM-DVO annex 2 §1-2, annex 3 §1-3; WM-SO 1.1 a).

An indication is the decision that a client gets a product of beschermd wonen: the arrangement (Begeleiding +
Bereikbaarheid en Beschikbaarheid + Intramuraal wonen, decided by the coordinating municipality for all members,
annex 2 §1) or a single product (Begeleiding individueel with B&B basis for new clients: the member decides itself,
annex 2 §2). Which indications run on a date is a query (``selectors.running_indications``); the money side counts
them for the access fees (annex 1) and splits the financing by them (annex 3 §2-3).

Annex 3 §1 calls a client *existing* when the indication was given before the start of the objective distribution
model; §2 and §3 say it by the care start date ("startdatum vóór / ná"). Both dates are kept, and
``Indication.classification`` answers under both rules, so a page can show which one applies.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beschermdwonen.models.register import Client, client_filter
from regio.tenancy import Scope, TenantModel

__all__ = ["Delivery", "Indication", "IndicationProduct"]


class IndicationProduct(models.TextChoices):
    """The products of beschermd wonen (SPEC §7; WM-DVO annex 2 §1-2; WM-SO 1.1 a)."""

    ARRANGEMENT = "arrangement", _("arrangement beschermd wonen (begeleiding, B&B en intramuraal wonen)")
    BEGELEIDING = "begeleiding", _("Begeleiding individueel")
    BB_BASIS = "bb_basis", _("Bereikbaarheid en Beschikbaarheid basis")
    BB_INTENSIEF = "bb_intensief", _("Bereikbaarheid en Beschikbaarheid intensief")
    INTRAMURAAL = "intramuraal", _("Intramuraal wonen")


class Delivery(models.TextChoices):
    IN_KIND = "in_kind", _("zorg in natura")
    PGB = "pgb", _("persoonsgebonden budget (pgb)")


class Indication(TenantModel):
    """One indication of one client: product, decision date, care start date, end, who decided, the responsible
    municipality (woonplaatsbeginsel), in kind or pgb and when the own contribution was reported to the CAK
    (annex 2 §1: "financiële administratie van de eigen bijdrage")."""

    tenant_region = "client__region"

    client = models.ForeignKey(Client, verbose_name=_("cliënt"), on_delete=models.PROTECT, related_name="indications")
    product = models.CharField(_("product"), max_length=20, choices=IndicationProduct.choices)
    decided_on = models.DateField(_("datum besluit (indicatie)"))
    care_start = models.DateField(_("startdatum zorg"))
    ends_on = models.DateField(_("einddatum"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "regio.Municipality",
        verbose_name=_("besloten door"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("De coördinerende gemeente voor het arrangement; de gemeente zelf voor de andere producten."),
    )
    responsible_municipality = models.ForeignKey(
        "regio.Municipality",
        verbose_name=_("verantwoordelijke gemeente"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivery = models.CharField(_("leveringsvorm"), max_length=10, choices=Delivery.choices, default=Delivery.IN_KIND)
    own_contribution_reported_on = models.DateField(_("eigen bijdrage gemeld op"), null=True, blank=True)
    created_by = models.ForeignKey(
        "regio.User", verbose_name=_("vastgelegd door"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicatie beschermd wonen")
        verbose_name_plural = _("indicaties beschermd wonen")
        ordering = ["-care_start", "-pk"]
        indexes = [
            models.Index(fields=["care_start", "ends_on"], name="bw_indication_period"),
            models.Index(fields=["responsible_municipality", "care_start"], name="bw_indication_resp"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("care_start")),
                name="bw_indication_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.get_product_display()} {self.care_start:%d-%m-%Y}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return client_filter(scope, action, prefix="client__", on="care_start")

    def runs_on(self, on) -> bool:
        return self.care_start <= on and (self.ends_on is None or on <= self.ends_on)

    def is_existing_by_indication(self, objective_start) -> bool:
        """Annex 3 §1: existing = "een indicatie ... hebben gekregen vóór" the objective model's start. Not started
        (empty date): every client is existing (SPEC §7)."""
        return objective_start is None or self.decided_on < objective_start

    def is_existing_by_start(self, objective_start) -> bool:
        """Annex 3 §2-3: existing = "een startdatum vóór" the objective model's start; new = start on or after it."""
        return objective_start is None or self.care_start < objective_start

    def classification(self, objective_start) -> dict:
        """Existing or new under both rules, and whether they disagree (decided before, care started after)."""
        by_indication = self.is_existing_by_indication(objective_start)
        by_start = self.is_existing_by_start(objective_start)
        return {"by_indication": by_indication, "by_start": by_start, "differ": by_indication != by_start}

"""Replacement in an untenable situation (herplaatsing onhoudbare situaties, WM-DVO annex 2 §3).

At the access team's request a selection of providers meets in a case meeting; "tot het moment dat dit overleg heeft
plaatsgevonden en een oplossing is gevonden, blijft de aanbieder verantwoordelijk"; clients are never put on the
street; "wanneer er een alternatief gevonden is, dient er een warme overdracht plaats te vinden". A replacement
cannot be closed without the receiving provider and the warm hand-over date.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beschermdwonen.models.register import Client, client_filter
from regio.privacy import no_bsn
from regio.tenancy import Scope, TenantModel

__all__ = ["Replacement"]


class Replacement(TenantModel):
    tenant_region = "client__region"

    client = models.ForeignKey(Client, verbose_name=_("cliënt"), on_delete=models.PROTECT, related_name="replacements")
    reported_on = models.DateField(_("onhoudbare situatie gemeld op"))
    reason = models.TextField(_("situatie"), max_length=4000, validators=[no_bsn])
    responsible_provider = models.CharField(
        _("aanbieder die verantwoordelijk blijft"),
        max_length=200,
        validators=[no_bsn],
        help_text=_("Blijft verantwoordelijk tot het casusoverleg een oplossing heeft gevonden (bijlage 2 §3)."),
    )
    meeting_on = models.DateField(_("datum casusoverleg"), null=True, blank=True)
    invited_providers = models.TextField(
        _("uitgenodigde aanbieders"), max_length=2000, blank=True, validators=[no_bsn]
    )
    receiving_provider = models.CharField(_("ontvangende aanbieder"), max_length=200, blank=True, validators=[no_bsn])
    handover_on = models.DateField(_("datum warme overdracht"), null=True, blank=True)
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    created_by = models.ForeignKey(
        "regio.User", verbose_name=_("vastgelegd door"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("herplaatsing beschermd wonen")
        verbose_name_plural = _("herplaatsingen beschermd wonen")
        ordering = ["reported_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | (~Q(receiving_provider="") & Q(handover_on__isnull=False)),
                name="bw_replacement_closed_with_handover",
            ),
        ]

    def __str__(self) -> str:
        return f"Herplaatsing {self.client} {self.reported_on:%d-%m-%Y}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return client_filter(scope, action, prefix="client__", on="reported_on")

    def age_days(self, today=None) -> int:
        return ((today or timezone.localdate()) - self.reported_on).days

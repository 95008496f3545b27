"""Notices about cost sharing sent to members (issue #5)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regio.tenancy import VIEW, Scope, TenantModel

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

"""The statutory interest rates (WM-SO 6.9, issue #6); the interest kind is agreements' ``InterestKind``."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import InterestKind  # the one enum, defined with the agreement (SPEC §6.6)
from regio.tenancy import NOTHING, VIEW, Scope, TenantModel

INTEREST_KIND_HELP = _(
    "Welke wettelijke rente geldt bij te late betaling. WM-SO 6.9 noemt de wettelijke rente van art. 6:119 BW "
    "(standaard). Let op: de Rijksoverheid rekent afspraken tussen overheidsorganisaties (haar voorbeeld: een "
    "provincie en het UWV) tot handelstransacties, dus de jurist van de regio kan ook voor de handelsrente "
    "(art. 6:119a BW) kiezen."
)


# --- Statutory interest rates -----------------------------------------------------------------------------------


class StatutoryInterestRate(TenantModel):
    """One half-year's statutory interest rate (art. 6:119 / 6:119a BW), loaded from data/wettelijke-rente.csv.

    Not tenant data: every logged-in user reads the table; nobody changes it through the app (administrators add
    half-years in the Django admin).
    """

    class Verified(models.TextChoices):
        YES = "yes", _("gecontroleerd")
        PARTLY = "partly", _("deels gecontroleerd")
        NO = "no", _("niet gecontroleerd: controleer het Staatsblad")

    kind = models.CharField(_("soort rente"), max_length=20, choices=InterestKind.choices)
    valid_from = models.DateField(_("geldig vanaf"))
    rate = models.DecimalField(_("percentage per jaar"), max_digits=5, decimal_places=2)
    verified = models.CharField(_("gecontroleerd"), max_length=10, choices=Verified.choices, default=Verified.NO)
    source = models.CharField(_("bron"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("wettelijke rente")
        verbose_name_plural = _("wettelijke rentes")
        ordering = ["kind", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "valid_from"], name="invoicing_rate_unique_per_start"),
            models.CheckConstraint(condition=Q(rate__gte=0), name="invoicing_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} vanaf {self.valid_from:%d-%m-%Y}: {self.rate} %"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        # Public law, not tenant data: readable to every logged-in user, writable by nobody through the app.
        return Q() if action == VIEW else NOTHING

"""The yearly cycle of WM (WM-DVO 6.1, WM-SO 6.7): the fee (bijdrage) of a year per member as it was charged.

A ``Fee`` is drawn up once, in December of its year, from the budget (formation at the year's indexed norms plus
overhead, plus the budget lines of WM-SO 6.1 b-h) split by the key version of 1 January (WM-SO 6.2), and invoiced
with the settlement of the year before. In the first year a region uses the product, fees invoiced outside it can
be recorded once (origin ``outside``), so the settlement of that year has something to compare with. A fee never
changes once recorded (only the invoice reference is filled in once).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regio.tenancy import TenantModel

AMOUNT = {"max_digits": 14, "decimal_places": 2}
FEE_FROZEN = _("Een vastgelegde bijdrage verandert niet; een verschil komt in de afrekening van het jaar.")


class FeeOrigin(models.TextChoices):
    PRODUCT = "product", _("gefactureerd in Regio Wmo")
    OWN_SHARE = "own_share", _("eigen aandeel van de coördinerende gemeente (niet gefactureerd)")
    OUTSIDE = "outside", _("buiten Regio Wmo gefactureerd (eerste jaar)")


class Fee(TenantModel):
    """The fee of one member for one year on budget basis (WM-DVO 6.1; WM-SO 6.1, 6.2), as charged."""

    tenant_region = "region"
    tenant_municipality = "municipality"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey("regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("jaar"))
    amount = models.DecimalField(_("bijdrage"), **AMOUNT)
    origin = models.CharField(_("herkomst"), max_length=10, choices=FeeOrigin.choices)
    budget_total = models.DecimalField(_("begroting van de regio"), null=True, blank=True, **AMOUNT)
    norm_year = models.ForeignKey(
        "costsharing.NormYear",
        verbose_name=_("normjaar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    basis = models.TextField(_("berekening"), blank=True)
    reference = models.CharField(_("factuur of kenmerk"), max_length=100, blank=True)
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
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
        verbose_name = _("bijdrage")
        verbose_name_plural = _("bijdragen")
        ordering = ["region__name", "-year", "municipality__code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "municipality", "year"], name="fee_unique_per_member_year"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="fee_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} {self.year}: {self.amount}"

    @property
    def invoiced(self) -> Decimal:
        """What of the fee is invoiced: all of it once invoiced (in or outside the product); the coordinating
        municipality's own share is never invoiced (it shows on its statement)."""
        if self.origin == FeeOrigin.OWN_SHARE:
            return Decimal("0.00")
        if self.origin == FeeOrigin.OUTSIDE or self.reference:
            return self.amount
        return Decimal("0.00")

    def save(self, *args, **kwargs):
        if self.pk:
            stored = (
                type(self)
                .objects.unrestricted("frozen guard: reads the stored row, whoever writes")
                .filter(pk=self.pk)
                .values()
                .first()
            )
            if stored:
                for name in ("amount", "origin", "year", "municipality_id", "region_id", "budget_total", "basis"):
                    if stored[name] != getattr(self, name):
                        raise ValidationError(FEE_FROZEN)
                if stored["reference"] and stored["reference"] != self.reference:
                    raise ValidationError(FEE_FROZEN)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(FEE_FROZEN)

"""Collection costs claimed on an overdue invoice (WIK, issue #6)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from invoicing.models.invoices import Invoice, invoice_scope_q
from regio.tenancy import Scope, TenantModel


class CollectionCost(TenantModel):
    """Extrajudicial collection costs (buitengerechtelijke incassokosten, art. 6:96 lid 2 sub c BW) claimed on an
    overdue invoice: the amount, the date and its basis. Payments settle these first, then the interest, then the
    principal (art. 6:44 BW, SPEC §6.6).

    A separate record, so the issued invoice itself never changes (Wet OB art. 35a; the trigger of migration 0003
    stays as it is). One per invoice: a change is a new version in the history, not a second claim.
    """

    invoice = models.OneToOneField(
        Invoice, verbose_name=_("factuur"), on_delete=models.PROTECT, related_name="collection_cost"
    )
    amount = models.DecimalField(
        _("bedrag"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    incurred_on = models.DateField(_("datum"))
    basis = models.CharField(_("grondslag"), max_length=300)
    # What the statutory scale gave when the costs were recorded (the suggestion the person could override).
    statutory_amount = models.DecimalField(_("bedrag volgens de staffel"), max_digits=14, decimal_places=2)
    principal = models.DecimalField(_("hoofdsom waarover berekend"), max_digits=14, decimal_places=2)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geregistreerd door"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incassokosten")
        verbose_name_plural = _("incassokosten")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="invoicing_collection_cost_positive")]

    def __str__(self) -> str:
        return f"{self.amount} incassokosten op {self.invoice}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return invoice_scope_q(scope, action, prefix="invoice__")

"""Invoice lines and the per-series invoice counter (issue #6)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from invoicing.models.invoices import (
    VAT_PERCENT,
    ZERO,
    Invoice,
    InvoiceImmutableError,
    InvoiceStatus,
    Unit,
    VatRate,
    invoice_scope_q,
)
from regio.formatting import round_cents
from regio.line_sources import line_source_choices
from regio.models import Municipality
from regio.tenancy import Scope, TenantManager, TenantModel, TenantQuerySet


class InvoiceLineQuerySet(TenantQuerySet):
    def update(self, **kwargs):
        if self.exclude(invoice__status=InvoiceStatus.DRAFT).exists():
            raise InvoiceImmutableError(_("De regels van een verzonden factuur veranderen niet meer."))
        return super().update(**kwargs)

    update.queryset_only = True

    def delete(self):
        if self.exclude(invoice__status=InvoiceStatus.DRAFT).exists():
            raise InvoiceImmutableError(_("De regels van een verzonden factuur veranderen niet meer."))
        return super().delete()

    delete.queryset_only = True


class InvoiceLine(TenantModel):
    """One line: what was supplied, how much, at what price and VAT rate, and where it came from."""

    invoice = models.ForeignKey(Invoice, verbose_name=_("factuur"), on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("volgorde"), default=1)
    description = models.CharField(_("omschrijving"), max_length=300)
    quantity = models.DecimalField(_("aantal"), max_digits=12, decimal_places=4, default=Decimal("1"))
    unit = models.CharField(_("eenheid"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    unit_price = models.DecimalField(_("prijs per eenheid"), max_digits=14, decimal_places=4)
    vat_rate = models.CharField(_("btw-tarief"), max_length=10, choices=VatRate.choices, default=VatRate.STANDARD)
    total_excl = models.DecimalField(_("bedrag exclusief btw"), max_digits=14, decimal_places=2, default=ZERO)
    # A code registered in regio.line_sources (a callable: a new app's source needs no migration).
    source_type = models.CharField(_("soort bron"), max_length=20, choices=line_source_choices, default="manual")
    source_id = models.CharField(_("bron-id"), max_length=64, blank=True)  # the record's id in the owning app
    history = HistoricalRecords()

    objects = TenantManager.from_queryset(InvoiceLineQuerySet)()

    class Meta:
        verbose_name = _("factuurregel")
        verbose_name_plural = _("factuurregels")
        ordering = ["invoice", "position", "pk"]

    def __str__(self) -> str:
        return self.description

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return invoice_scope_q(scope, action, prefix="invoice__")

    @property
    def vat_percent(self) -> Decimal:
        return VAT_PERCENT[self.vat_rate]

    def _parent_issued(self) -> bool:
        if not self.invoice_id:
            return False
        status = Invoice.objects.unrestricted().filter(pk=self.invoice_id).values_list("status", flat=True).first()
        return status not in (None, InvoiceStatus.DRAFT)

    def save(self, *args, **kwargs):
        if self._parent_issued():
            raise InvoiceImmutableError(_("De regels van een verzonden factuur veranderen niet meer."))
        # Rounded once, half up, per line: the line amount of the invoice and the e-invoice (BT-131).
        self.total_excl = round_cents(self.quantity * self.unit_price)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._parent_issued():
            raise InvoiceImmutableError(_("De regels van een verzonden factuur veranderen niet meer."))
        return super().delete(*args, **kwargs)


class InvoiceCounter(TenantModel):
    """The last number given per issuer and year; locked (SELECT ... FOR UPDATE) while issuing."""

    tenant_municipality = "issuer"

    issuer = models.ForeignKey(Municipality, verbose_name=_("afzender"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"))
    last = models.PositiveIntegerField(_("laatste volgnummer"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("factuurnummering")
        verbose_name_plural = _("factuurnummeringen")
        constraints = [models.UniqueConstraint(fields=["issuer", "year"], name="invoicing_counter_unique")]

    def __str__(self) -> str:
        return f"{self.issuer} {self.year}: {self.last}"

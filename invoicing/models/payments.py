"""Payments, payouts and overpayments; a booked payment or payout is written once (issue #6)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from invoicing.models.invoices import ZERO, Invoice, invoice_scope_q
from invoicing.models.statements import BankStatementLine, BookingQuerySet, WrittenOnce
from regio.tenancy import Scope, TenantManager, TenantModel


def statement_line_field(*, related_name: str) -> models.OneToOneField:
    """The bank-statement line a payment, payout or overpayment came from (none when registered by hand)."""
    return models.OneToOneField(
        BankStatementLine,
        verbose_name=_("afschriftregel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
    )


class Booking(WrittenOnce, TenantModel):
    """What a payment and a payout share: money on an invoice, registered by hand or from one bank-statement line,
    written once (see ``WrittenOnce``), visible to whoever may see the invoice. Partial amounts are allowed.
    Subclasses declare ``invoice`` and ``statement_line`` themselves (their reverse names differ)."""

    amount = models.DecimalField(
        _("bedrag"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    paid_on = models.DateField(_("betaald op"))
    reference = models.CharField(_("kenmerk"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geregistreerd door"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("geregistreerd op"), auto_now_add=True)

    objects = TenantManager.from_queryset(BookingQuerySet)()

    class Meta:
        abstract = True
        ordering = ["invoice", "paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="%(app_label)s_%(class)s_positive")]

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return invoice_scope_q(scope, action, prefix="invoice__")


class Payment(Booking):
    """A payment on an invoice, registered by hand or from a statement line. Partial payments are allowed."""

    invoice = models.ForeignKey(Invoice, verbose_name=_("factuur"), on_delete=models.PROTECT, related_name="payments")
    statement_line = statement_line_field(related_name="payment")
    history = HistoricalRecords()

    class Meta(Booking.Meta):
        verbose_name = _("betaling")
        verbose_name_plural = _("betalingen")

    def __str__(self) -> str:
        return f"{self.amount} op {self.paid_on:%d-%m-%Y}"


class Payout(Booking):
    """Money the coordinating municipality paid to a member on a refund credit note (SPEC §6.5: the negative
    difference of the reckoning is settled). Registered by hand or from a debit entry of a bank statement; partial
    payouts are allowed: issued → partly paid out → paid out."""

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("creditfactuur"), on_delete=models.PROTECT, related_name="payouts"
    )
    statement_line = statement_line_field(related_name="payout")
    paid_on = models.DateField(_("uitbetaald op"))
    history = HistoricalRecords()

    class Meta(Booking.Meta):
        verbose_name = _("uitbetaling")
        verbose_name_plural = _("uitbetalingen")

    def __str__(self) -> str:
        return f"{self.amount} uitbetaald op {self.paid_on:%d-%m-%Y}"


class Overpayment(TenantModel):
    """Money a member paid above what its invoice asked (issue 10, finding 5): not a payment on the invoice, which
    would drive the principal below zero, but a separate, deliberate record with its reason, owed back to the member
    ("terug te betalen") until the coordinating municipality records the refund.

    A bank-statement line that pays more than is open is booked up to the open amount and the rest lands here with
    the reason "bankafschrift": no money is lost and no invoice shows a negative principal.
    """

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("factuur"), on_delete=models.PROTECT, related_name="overpayments"
    )
    amount = models.DecimalField(
        _("te veel betaald"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    received_on = models.DateField(_("ontvangen op"))
    reason = models.CharField(_("reden"), max_length=300)
    reference = models.CharField(_("kenmerk"), max_length=200, blank=True)
    statement_line = statement_line_field(related_name="overpayment")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geregistreerd door"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refunded_on = models.DateField(_("terugbetaald op"), null=True, blank=True)
    refund_reference = models.CharField(_("kenmerk terugbetaling"), max_length=200, blank=True)
    refunded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("terugbetaling geregistreerd door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("geregistreerd op"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("overbetaling")
        verbose_name_plural = _("overbetalingen")
        ordering = ["invoice", "received_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="invoicing_overpayment_positive"),
            models.CheckConstraint(
                condition=Q(refunded_on__isnull=True) | Q(refunded_on__gte=models.F("received_on")),
                name="invoicing_overpayment_refund_after_receipt",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} te veel betaald op {self.invoice}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return invoice_scope_q(scope, action, prefix="invoice__")

    @property
    def to_refund(self) -> Decimal:
        """What the coordinating municipality still owes the member ("terug te betalen")."""
        return ZERO if self.refunded_on else self.amount

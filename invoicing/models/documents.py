"""Rendered invoice documents (PDF, e-invoice) (issue #6)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from invoicing.models.invoices import Invoice, invoice_scope_q
from regio.tenancy import Scope, TenantModel


class DocumentKind(models.TextChoices):
    INVOICE = "invoice", _("factuur")
    REMINDER = "reminder", _("aanmaning (betalen binnen 14 dagen)")
    INTEREST_CLAIM = "interest_claim", _("vordering wettelijke rente")


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("wordt gemaakt")
    READY = "ready", _("klaar")
    FAILED = "failed", _("mislukt")


class InvoiceDocument(TenantModel):
    """A PDF made from an invoice (the invoice itself, the reminder letter, the interest claim), as private media.

    Separate from the invoice, so that rendering (and retrying a failed render) never touches the invoice.
    """

    invoice = models.ForeignKey(Invoice, verbose_name=_("factuur"), on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("soort"), max_length=20, choices=DocumentKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=DocumentStatus.choices, default="pending")
    file = models.FileField(_("bestand"), upload_to="invoicing/%Y/", blank=True)
    letter_date = models.DateField(_("datum van de brief"), null=True, blank=True)
    error = models.TextField(_("foutmelding"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    rendered_at = models.DateTimeField(_("gemaakt op"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("gemaild op"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("factuurdocument")
        verbose_name_plural = _("factuurdocumenten")
        constraints = [models.UniqueConstraint(fields=["invoice", "kind"], name="invoicing_document_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.invoice.number}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return invoice_scope_q(scope, action, prefix="invoice__")

"""Bank statements and their lines; a settled statement is written once (issue #6)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regio.models import Municipality
from regio.roles import Role
from regio.tenancy import NOTHING, VIEW, Scope, TenantManager, TenantModel, TenantQuerySet

# --- Payments and bank statements --------------------------------------------------------------------------------
#
# A settled statement (issue 10, "frozen means frozen"): a bank statement is settled from the moment its import
# commits. The file's record (``BankStatement``) and each entry's bank data never change and are never deleted, and
# no entry is added to it later (on PostgreSQL the trigger of migration 0008 refuses a line under a statement that an
# earlier transaction imported). An entry moves forward once, from "needs a person" (unmatched, ambiguous) to
# settled (matched, resolved, ignored), and a settled entry never changes again. What it settled, a ``Payment`` or a
# ``Payout`` (by hand or from an entry), is a booking: never changed, never deleted. A wrong booking is corrected by
# a new record (a credit note), not by rewriting the old one (STYLE.md rule 8).

STATEMENT_MESSAGE = _("Een ingelezen bankafschrift verandert niet en wordt niet verwijderd.")
BOOKING_MESSAGE = _("Een geboekte betaling of uitbetaling verandert niet en wordt niet verwijderd.")


class WrittenOnceQuerySet(TenantQuerySet):
    """Rows written once (bank statements, payments, payouts): bulk update and delete are refused."""

    message = STATEMENT_MESSAGE

    def update(self, **kwargs):
        raise ValidationError(self.message)

    update.queryset_only = True

    def delete(self):
        raise ValidationError(self.message)

    delete.queryset_only = True


class BookingQuerySet(WrittenOnceQuerySet):
    message = BOOKING_MESSAGE


class WrittenOnce:
    """Model mixin: ``save`` only inserts, ``delete`` is refused (the message of the model's queryset)."""

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise ValidationError(type(self).objects.get_queryset().message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(type(self).objects.get_queryset().message)


class StatementFormat(models.TextChoices):
    CAMT053 = "camt053", _("CAMT.053 (XML)")
    MT940 = "mt940", _("MT940")
    CSV = "csv", _("CSV")


class BankStatement(WrittenOnce, TenantModel):
    """An imported bank statement of the issuing municipality; the same file twice is refused (digest). Written once,
    by the import (see "A settled statement" above)."""

    tenant_municipality = "municipality"

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="bank_statements"
    )
    format = models.CharField(_("formaat"), max_length=10, choices=StatementFormat.choices)
    filename = models.CharField(_("bestandsnaam"), max_length=255)
    digest = models.CharField(_("SHA-256"), max_length=64)
    statement_id = models.CharField(_("afschriftnummer"), max_length=100, blank=True)
    imported_at = models.DateTimeField(_("ingelezen op"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingelezen door"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = TenantManager.from_queryset(WrittenOnceQuerySet)()

    class Meta:
        verbose_name = _("bankafschrift")
        verbose_name_plural = _("bankafschriften")
        ordering = ["-imported_at"]
        constraints = [models.UniqueConstraint(fields=["municipality", "digest"], name="invoicing_statement_once")]

    def __str__(self) -> str:
        return self.filename

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        # Bank statements are the coordinating municipality's finance work (SPEC §1: registers payments).
        if not scope.has_role(Role.COORDINATOR) or (action != VIEW and scope.read_only):
            return NOTHING
        return Q(municipality_id=scope.municipality_id)


class LineStatus(models.TextChoices):
    MATCHED = "matched", _("gekoppeld")
    UNMATCHED = "unmatched", _("niet gekoppeld")
    AMBIGUOUS = "ambiguous", _("meerdere mogelijkheden")
    RESOLVED = "resolved", _("handmatig gekoppeld")
    IGNORED = "ignored", _("genegeerd (geen factuurbetaling)")


SETTLED_LINE = frozenset({LineStatus.MATCHED, LineStatus.RESOLVED, LineStatus.IGNORED})
# What moves on an entry after import, and only while it needs a person: its status (to settled) and the matching
# notes; the bank's data never.
LINE_MUTABLE = frozenset({"status", "candidates", "note"})
LINE_MESSAGE = _("Een verwerkte afschriftregel verandert niet meer; de gegevens van de bank veranderen nooit.")


class StatementLineQuerySet(TenantQuerySet):
    """No bulk change of entries (a person or the import settles them one by one) and no deletion."""

    def update(self, **kwargs):
        raise ValidationError(LINE_MESSAGE)

    update.queryset_only = True

    def delete(self):
        raise ValidationError(STATEMENT_MESSAGE)

    delete.queryset_only = True


class Direction(models.TextChoices):
    CREDIT = "credit", _("bij (ontvangen)")
    DEBIT = "debit", _("af (uitbetaald)")


class BankStatementLine(TenantModel):
    """One entry of a statement: money in (a payment on an invoice) or out (a payout of a credit note). Unmatched
    and ambiguous lines stay listed for a person, never dropped. ``amount`` is positive; ``direction`` says which
    way the money went."""

    statement = models.ForeignKey(
        BankStatement, verbose_name=_("afschrift"), on_delete=models.PROTECT, related_name="lines"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField(_("regel"))
    booked_on = models.DateField(_("boekdatum"))
    amount = models.DecimalField(_("bedrag"), max_digits=14, decimal_places=2)
    direction = models.CharField(_("bij of af"), max_length=10, choices=Direction.choices, default=Direction.CREDIT)
    counterparty_name = models.CharField(_("tegenpartij"), max_length=200, blank=True)
    counterparty_iban = models.CharField(_("rekening tegenpartij"), max_length=34, blank=True)
    remittance = models.TextField(_("omschrijving"), blank=True)
    bank_reference = models.CharField(_("bankreferentie"), max_length=100, blank=True)
    # Identifies the entry across files (account, date, amount, reference, text): a second import books nothing.
    fingerprint = models.CharField(_("vingerafdruk"), max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=LineStatus.choices, default=LineStatus.UNMATCHED)
    candidates = models.JSONField(_("mogelijke facturen"), default=list, blank=True)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = TenantManager.from_queryset(StatementLineQuerySet)()

    class Meta:
        verbose_name = _("afschriftregel")
        verbose_name_plural = _("afschriftregels")
        ordering = ["statement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "fingerprint"], name="invoicing_statement_line_once")
        ]

    def __str__(self) -> str:
        return f"{self.booked_on:%d-%m-%Y} {self.amount} {self.remittance[:40]}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        if not scope.has_role(Role.COORDINATOR) or (action != VIEW and scope.read_only):
            return NOTHING
        return Q(municipality_id=scope.municipality_id)

    @property
    def needs_person(self) -> bool:
        return self.status in (LineStatus.UNMATCHED, LineStatus.AMBIGUOUS)

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk is not None:
            fields = [f.attname for f in self._meta.concrete_fields]
            stored = (
                BankStatementLine.objects.unrestricted("frozen guard: reads the stored row, whoever writes")
                .filter(pk=self.pk)
                .values(*fields)
                .first()
            )
            if stored is not None:
                update_fields = kwargs.get("update_fields")
                names = {self._meta.get_field(n).attname for n in update_fields} if update_fields else set(fields)
                changed = {n for n in names if getattr(self, n) != stored[n]}
                if changed and (stored["status"] in SETTLED_LINE or changed - LINE_MUTABLE):
                    raise ValidationError(LINE_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(STATEMENT_MESSAGE)

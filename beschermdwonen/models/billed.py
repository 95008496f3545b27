"""Records of beschermd wonen that an invoice bills (a fee, a member's share of the execution costs) are frozen once
their invoice line is on an issued invoice (STYLE.md rule 8: "an issued invoice never changes", and so neither does
what it billed). The guard is in three layers, the way cost sharing freezes an approved reckoning and invoicing an
issued invoice:

* the model (``save``/``delete``) and the queryset (bulk ``update``/``delete``) ask ``regio.line_sources`` which
  records are on an issued invoice (invoicing answers; beschermd wonen never imports it);
* on PostgreSQL a trigger (migration 0005) refuses any change or deletion of such a row, whoever writes.

A later correction goes on a new invoice or a credit note; recomputing leaves a frozen record as it is and says so.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from regio.line_sources import issued_source_ids
from regio.tenancy import TenantManager, TenantModel, TenantQuerySet

__all__ = ["BilledModel", "BilledQuerySet", "billed_manager"]

FROZEN_MESSAGE = _(
    "Dit bedrag staat op een verzonden factuur en verandert niet meer; een correctie gaat via een creditnota of een "
    "nieuwe factuur."
)


class BilledQuerySet(TenantQuerySet):
    """Bulk changes leave billed records alone: refused as a whole when one of them is on an issued invoice."""

    def _refuse_billed(self) -> None:
        ids = list(self.values_list("pk", flat=True))
        if issued_source_ids(self.model.line_source, ids):
            raise ValidationError(FROZEN_MESSAGE)

    def update(self, **kwargs):
        self._refuse_billed()
        return super().update(**kwargs)

    update.queryset_only = True

    def delete(self):
        self._refuse_billed()
        return super().delete()

    delete.queryset_only = True

    def billed_ids(self) -> set[int]:
        """The pks among these records that are on an issued invoice (two queries)."""
        ids = list(self.values_list("pk", flat=True))
        return {int(i) for i in issued_source_ids(self.model.line_source, ids)}


def billed_manager():
    return TenantManager.from_queryset(BilledQuerySet)()


class BilledModel(TenantModel):
    """Abstract base: ``line_source`` is the invoice-line source code whose ``source_id`` is this record's pk."""

    line_source = ""

    class Meta:
        abstract = True

    @property
    def is_billed(self) -> bool:
        return bool(self.pk) and bool(issued_source_ids(self.line_source, [self.pk]))

    def save(self, *args, **kwargs):
        if not self._state.adding and self.is_billed:
            raise ValidationError(FROZEN_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_billed:
            raise ValidationError(FROZEN_MESSAGE)
        return super().delete(*args, **kwargs)

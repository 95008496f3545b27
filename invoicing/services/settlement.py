"""Statutory interest and the settlement of an invoice: what is outstanding of collection costs, interest and
principal on a day, payments applied in the order of art. 6:44 BW. Articles: WM-SO 6.9, SPEC §6.6.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from invoicing import interest as interest_core
from invoicing.models import (
    Invoice,
    StatutoryInterestRate,
)
from invoicing.services._common import ZERO
from regio.bounds import check_date

# --- statutory interest ------------------------------------------------------------------------------------------


def rate_table(kind: str) -> list[interest_core.Rate]:
    return [
        interest_core.Rate(valid_from=r.valid_from, rate=r.rate)
        for r in StatutoryInterestRate.objects.unrestricted().filter(kind=kind).order_by("valid_from")
    ]


def statutory_interest(
    *,
    principal: Decimal,
    start: date,
    end: date,
    kind: str = interest_core.NON_COMMERCIAL,
    payments: Iterable[tuple[date, Decimal] | interest_core.Payment] = (),
    costs: Decimal = ZERO,
    costs_on: date | None = None,
    rates: Iterable[interest_core.Rate] | None = None,
) -> interest_core.InterestResult:
    """Statutory interest (art. 6:119 / 6:119a BW, WM-SO 6.9) as SPEC §6.6 describes; see ``interest.compute``.

    ``rates`` defaults to the table in the database (loaded from data/wettelijke-rente.csv, kept by administrators).
    Raises ``interest.InterestError`` (a ValueError with a Dutch message) on bad input.
    """
    if kind not in interest_core.KINDS:
        raise interest_core.InterestError(
            "Kies 'non-commercial' (art. 6:119 BW) of 'commercial' (art. 6:119a BW).", field="kind"
        )
    # Plausible dates only (issue 10, finding 7): "to=9999-12-31" was a 500 ("year 10000 is out of range").
    for day, field, label in ((start, "from", _("De begindatum")), (end, "to", _("De einddatum"))):
        try:
            check_date(day, label=label)
        except ValidationError as exc:
            raise interest_core.InterestError(" ".join(exc.messages), field=field) from None
    table = list(rates) if rates is not None else rate_table(kind)
    pays = [p if isinstance(p, interest_core.Payment) else interest_core.Payment(*p) for p in payments]
    return interest_core.compute(
        principal=principal,
        start=start,
        end=end,
        kind=kind,
        rates=table,
        payments=pays,
        costs=costs,
        costs_on=costs_on,
    )


@dataclass
class Settlement:
    """What the payments on an invoice settled up to a day, in the order of art. 6:44 BW: collection costs, then
    interest, then principal (SPEC §6.6)."""

    until: date
    principal: Decimal  # what the invoice asks (after credit invoices), less payments within the term
    costs: Decimal
    interest: Decimal  # statutory interest accrued up to ``until`` (0 before the reminder's term passed)
    paid: Decimal  # all payments up to ``until``
    costs_paid: Decimal
    interest_paid: Decimal
    costs_outstanding: Decimal
    interest_outstanding: Decimal
    principal_outstanding: Decimal  # never below zero (issue 10, finding 5): what was paid too much is ``overpaid``
    overpaid: Decimal = ZERO

    @property
    def total_outstanding(self) -> Decimal:
        return self.costs_outstanding + self.interest_outstanding + self.principal_outstanding


def _interest_start_applies(invoice: Invoice, end: date) -> bool:
    return bool(invoice.reminder_due_on and invoice.due_on and end > invoice.reminder_due_on)


def settlement(invoice: Invoice, *, until: date | None = None, payments=None) -> Settlement:
    """Allocate the payments up to ``until`` over costs, interest and principal (art. 6:44 BW)."""
    until = until or timezone.localdate()
    if payments is None:
        payments = list(invoice.payments.unrestricted().order_by("paid_on"))
    payments = [p for p in payments if p.paid_on <= until]
    record = invoice.collection_cost_record()
    costs = record.amount if record else ZERO
    costs_on = record.incurred_on if record else None
    due_on = invoice.due_on or until
    principal = invoice.amount_due() - sum((p.amount for p in payments if p.paid_on <= due_on), ZERO)
    later = [p for p in payments if p.paid_on > due_on]
    paid = sum((p.amount for p in payments), ZERO)
    if principal > 0 and _interest_start_applies(invoice, until) and until > due_on:
        result = statutory_interest(
            principal=principal,
            start=due_on,
            end=until,
            kind=invoice.interest_kind,
            payments=[(p.paid_on, p.amount) for p in later],
            costs=costs,
            costs_on=costs_on,
        )
        return Settlement(
            until=until,
            principal=principal,
            costs=costs,
            interest=result.interest,
            paid=paid,
            costs_paid=result.costs_paid,
            interest_paid=result.interest_paid,
            costs_outstanding=result.costs_outstanding,
            interest_outstanding=result.interest_outstanding,
            principal_outstanding=result.principal_outstanding,
            overpaid=max(
                sum((p.amount for p in later), ZERO)
                - result.costs_paid
                - result.interest_paid
                - result.principal_paid,
                ZERO,
            ),
        )
    costs_left, principal_left, costs_paid = costs, principal, ZERO
    for payment in later:
        left = payment.amount
        if costs_on is not None and payment.paid_on >= costs_on:
            to_costs = min(left, costs_left)
            costs_left -= to_costs
            costs_paid += to_costs
            left -= to_costs
        principal_left -= left
    # Payments are bounded by what is open, but a credit invoice issued after payment (or a payment registered before
    # the bounds) can leave more paid than asked: that is shown as overpaid, never as a negative principal.
    overpaid = max(-principal_left, ZERO)
    principal_left = max(principal_left, ZERO)
    return Settlement(
        until=until,
        principal=principal,
        costs=costs,
        interest=ZERO,
        paid=paid,
        costs_paid=costs_paid,
        interest_paid=ZERO,
        costs_outstanding=costs_left,
        interest_outstanding=ZERO,
        principal_outstanding=principal_left,
        overpaid=overpaid,
    )

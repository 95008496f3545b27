"""Statutory interest (wettelijke rente), computed the way Dutch calculators do (SPEC §6.6, WM-SO 6.9).

* art. 6:119 BW (non-commercial) and art. 6:119a BW (commercial transactions, handelsrente);
* the period is split at every rate change (1 January, 1 July), at every anniversary of the start (where the year's
  interest is added to the principal: art. 6:119 lid 2, art. 6:119a lid 3) and at every payment;
* per sub-period: principal × rate × days / 365 (365 also in leap years), rounded half up to cents;
* a payment settles costs first, then interest, then the principal (art. 6:44 BW).

The core (``compute``) is pure: it takes the rate table as data, so it is tested without a database.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from agreements.models import InterestKind
from regio.formatting import format_date, round_cents

NON_COMMERCIAL = InterestKind.NON_COMMERCIAL.value
COMMERCIAL = InterestKind.COMMERCIAL.value
KINDS = tuple(InterestKind.values)
DAYS_IN_YEAR = Decimal(365)
ZERO = Decimal("0.00")
MAX_YEARS = 100


class InterestError(ValueError):
    """Input the computation refuses, with a Dutch message for the person who asked."""

    def __init__(self, message: str, field: str = "non_field_errors"):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Rate:
    valid_from: date
    rate: Decimal  # percentage per year, e.g. Decimal("2.00")


@dataclass(frozen=True)
class Payment:
    paid_on: date
    amount: Decimal


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # exclusive: the number of days is end - start
    rate: Decimal
    days: int
    principal: Decimal
    amount: Decimal

    def as_dict(self) -> dict:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "rate": f"{self.rate:.2f}",
            "days": self.days,
            "principal": f"{self.principal:.2f}",
            "amount": f"{self.amount:.2f}",
        }


@dataclass
class InterestResult:
    principal: Decimal
    start: date
    end: date
    kind: str
    periods: list[Period] = field(default_factory=list)
    interest_paid: Decimal = ZERO
    costs_paid: Decimal = ZERO
    principal_paid: Decimal = ZERO
    principal_outstanding: Decimal = ZERO
    interest_outstanding: Decimal = ZERO
    costs_outstanding: Decimal = ZERO

    @property
    def interest(self) -> Decimal:
        """All interest that accrued over the period: the sum of the rounded sub-period amounts."""
        return sum((p.amount for p in self.periods), ZERO)

    def as_dict(self) -> dict:
        return {
            "principal": f"{self.principal:.2f}",
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "kind": self.kind,
            "interest": f"{self.interest:.2f}",
            "interest_outstanding": f"{self.interest_outstanding:.2f}",
            "principal_outstanding": f"{self.principal_outstanding:.2f}",
            "periods": [p.as_dict() for p in self.periods],
        }


def anniversary(start: date, years: int) -> date:
    """The same day ``years`` later; a start on 29 February has its anniversary on 28 February in other years."""
    year = start.year + years
    day = min(start.day, calendar.monthrange(year, start.month)[1])
    return date(year, start.month, day)


def rate_on(rates: Sequence[Rate], on: date) -> Decimal:
    current = None
    for rate in rates:
        if rate.valid_from <= on:
            current = rate
        else:
            break
    if current is None:
        raise InterestError(
            f"De renteperiode begint op {format_date(on)}, voor de eerste rente in de tabel "
            f"({format_date(rates[0].valid_from)})."
            if rates
            else "Er staan geen rentepercentages in de tabel.",
            field="from",
        )
    return current.rate


def compute(
    *,
    principal: Decimal,
    start: date,
    end: date,
    kind: str,
    rates: Iterable[Rate],
    payments: Iterable[Payment] = (),
    costs: Decimal = ZERO,
    costs_on: date | None = None,
) -> InterestResult:
    """Interest on ``principal`` from ``start`` to ``end`` (end exclusive), art. 6:119 / 6:119a BW.

    ``costs`` (collection costs) are settled first by every payment on or after ``costs_on`` (the day they were
    incurred; None: from the start), art. 6:44 BW."""
    if not isinstance(principal, Decimal) or not isinstance(costs, Decimal):
        raise TypeError("bedragen zijn Decimal, geen float")
    if kind not in KINDS:
        raise InterestError("Kies 'non-commercial' (art. 6:119 BW) of 'commercial' (art. 6:119a BW).", field="kind")
    if principal < 0:
        raise InterestError("De hoofdsom mag niet negatief zijn.", field="principal")
    if end < start:
        raise InterestError("De begindatum ligt na de einddatum.", field="from")
    # Bounded by construction (issue 10, findings 4 and 7): the anniversaries are counted year by year, and the year
    # after 9999 does not exist ("year 10000 is out of range" was a 500).
    if end.year >= date.max.year or end.year - start.year > MAX_YEARS:
        raise InterestError(
            f"Een renteperiode is hoogstens {MAX_YEARS} jaar en eindigt voor {date.max.year}.", field="to"
        )
    table = sorted(rates, key=lambda r: r.valid_from)
    rate_on(table, start)  # refuses a start before the table
    payments = sorted(payments, key=lambda p: p.paid_on)
    for payment in payments:
        if payment.amount <= 0:
            raise InterestError("Een betaling moet een positief bedrag zijn.", field="payments")
        if not start < payment.paid_on <= end:
            raise InterestError(
                f"De betaling van {format_date(payment.paid_on)} ligt niet binnen de renteperiode.", field="payments"
            )

    # Boundaries: rate changes, anniversaries and payments strictly inside the period, then the end.
    boundaries = {r.valid_from for r in table if start < r.valid_from < end}
    years = 1
    while (a := anniversary(start, years)) < end:
        boundaries.add(a)
        years += 1
    anniversaries = {anniversary(start, n) for n in range(1, years)}
    boundaries.update(p.paid_on for p in payments if p.paid_on < end)
    boundaries.add(end)

    result = InterestResult(principal=principal, start=start, end=end, kind=kind)
    outstanding = principal
    costs_outstanding = costs
    interest_this_year = ZERO  # accrued since the last anniversary, not yet added to the principal
    cursor = start
    for boundary in sorted(boundaries):
        if boundary <= cursor:
            continue
        days = (boundary - cursor).days
        rate = rate_on(table, cursor)
        amount = round_cents(outstanding * rate / Decimal(100) * Decimal(days) / DAYS_IN_YEAR)
        if outstanding > 0:
            result.periods.append(
                Period(start=cursor, end=boundary, rate=rate, days=days, principal=outstanding, amount=amount)
            )
            interest_this_year += amount
        # Art. 6:119 lid 2 / 6:119a lid 3: at the end of each year the interest is added to the principal.
        if boundary in anniversaries:
            outstanding += interest_this_year
            interest_this_year = ZERO
        # Art. 6:44 BW: a payment goes to costs, then interest, then the principal.
        for payment in (p for p in payments if p.paid_on == boundary):
            left = payment.amount
            to_costs = min(left, costs_outstanding) if costs_on is None or payment.paid_on >= costs_on else ZERO
            costs_outstanding -= to_costs
            left -= to_costs
            to_interest = min(left, interest_this_year)
            interest_this_year -= to_interest
            left -= to_interest
            to_principal = min(left, outstanding)
            outstanding -= to_principal
            result.costs_paid += to_costs
            result.interest_paid += to_interest
            result.principal_paid += to_principal
        cursor = boundary
    result.principal_outstanding = outstanding
    result.interest_outstanding = interest_this_year
    result.costs_outstanding = costs_outstanding
    return result

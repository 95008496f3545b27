"""The Maastricht budget for new clients against what it finances (WM-DVO annex 3 §1, track 1; SPEC §7).

Annex 3 §1: "Voor nieuwe cliënten vanaf 1-1-2022 tot en met de ingang van het objectieve verdeelmodel ontvangt de
gemeente Sittard-Geleen een aan de rijksmiddelen gekoppeld budget van de huidige centrumgemeente Maastricht." The
annex adds that these definitions (of the disentanglement agreement with Maastricht) differ from its own: this track
covers the clients whose first care start is on or after 1-1-2022 and before the objective model's start (all of
them from 1-1-2022 while the model has not started). Clients starting on or after that date are paid by their own
municipality (annex 3 §3) and are not charged to this budget.

Spent = the realised costs of the year of those clients, per responsible member (woonplaatsbeginsel, the same
realised costs the financing of existing clients reads); the budget is the highest version of the year's ``new``
track (annex 3 §7: a new circular is a new version). Rest = budget − spent (negative: an overrun, which no member
shares: annex 3 §6, no shared reserve).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Min, Sum

from beschermdwonen.models import BudgetTrack, Indication, MaastrichtBudget, RealisedCost

TRACK_START = date(2022, 1, 1)  # annex 3 §1: "vanaf 1-1-2022"
ZERO = Decimal("0.00")


@dataclass
class NewTrack:
    year: int
    budget: MaastrichtBudget | None
    objective_start: date | None
    spent: list[tuple[object, Decimal]] = field(default_factory=list)  # (member, realised costs)

    @property
    def budget_amount(self) -> Decimal:
        return self.budget.amount if self.budget else ZERO

    @property
    def total_spent(self) -> Decimal:
        return sum((amount for _m, amount in self.spent), ZERO)

    @property
    def rest(self) -> Decimal:
        return self.budget_amount - self.total_spent


def new_track(*, financing) -> NewTrack:
    """The new-clients track of the year of a ``financing.Financing`` (which checked VIEW on the region's figures;
    aggregates per member, no client leaves): two queries (the budget; the costs, the track's clients a subquery)."""
    region, year, objective_start = financing.region, financing.year, financing.objective_start
    members = [line.municipality for line in financing.lines]
    budget = (
        MaastrichtBudget.objects.unrestricted("the caller checked VIEW on the region")
        .filter(region=region, year=year, track=BudgetTrack.NEW)
        .order_by("-version")
        .first()
    )
    first_starts = (
        Indication.objects.unrestricted("a subquery of client references; no record leaves")
        .filter(client__region=region)
        .values("client__reference")
        .annotate(first=Min("care_start"))
        .filter(first__gte=TRACK_START)
    )
    if objective_start is not None:
        first_starts = first_starts.filter(first__lt=objective_start)
    totals = dict(
        RealisedCost.objects.unrestricted("sums per member; no record leaves")
        .filter(region=region, year=year, client_key__in=first_starts.values("client__reference"))
        .values_list("municipality_id")
        .annotate(total=Sum("amount"))
        .values_list("municipality_id", "total")
    )
    return NewTrack(
        year=year,
        budget=budget,
        objective_start=objective_start,
        spent=[(m, totals.get(m.pk) or ZERO) for m in members],
    )

"""What a store run of billed figures (the access fees, the execution-cost shares) answers: the records it stored and
those it left as billed because their invoice line is on an issued invoice (``models.billed``), with the figure
computed now, so the page can say so in Dutch."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from regio.formatting import format_amount


@dataclass(frozen=True)
class Frozen:
    record: object  # the billed record (a Fee, an ExecutionShare), with ``amount``
    label: str  # "Stein, lopende indicatie (per jaar)"
    computed: Decimal  # what the figure would be now


class StoredRecords(list):
    """A list of the records of a run (stored and frozen alike); ``frozen`` the billed ones left as they were."""

    def __init__(self, *args):
        super().__init__(*args)
        self.frozen: list[Frozen] = []

    def keep_frozen(self, record, *, label: str, computed: Decimal) -> None:
        self.append(record)
        self.frozen.append(Frozen(record, label, computed))

    @property
    def stored_count(self) -> int:
        return len(self) - len(self.frozen)

    def frozen_message(self) -> str:
        """Empty when nothing was billed; otherwise how many were left and every difference with now."""
        if not self.frozen:
            return ""
        text = (
            f"{len(self.frozen)} bedrag(en) staan op een verzonden factuur en zijn niet opnieuw berekend "
            "(een verzonden factuur verandert niet)."
        )
        changed = [f for f in self.frozen if f.computed != f.record.amount]
        if changed:
            parts = "; ".join(
                f"{f.label}: gefactureerd {format_amount(f.record.amount)}, nu {format_amount(f.computed)}"
                for f in changed
            )
            text += f" Het verschil gaat via een creditnota of een nieuwe factuur: {parts}."
        return text

"""Care-use sources: lines of care use another app already holds, for the half-yearly monitoring report (BNO 4).

Beschermd wonen imports the iWmo declaration lines (WMO303) and realised costs per client; the monitoring report of
the purchasing app counts them with the care use imported for it, without importing beschermd wonen (side apps do not
import each other, docs/architecture.md). An app registers ``fn(region, start, end) -> iterable of CareUseLine`` in
its ``AppConfig.ready()``; the caller has checked that the acting user may see the region's report, and the report
shows aggregates only (never a client reference).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class CareUseLine:
    municipality_id: int
    client_key: str  # a pseudonym, never a BSN
    product: str
    kind: str  # one of the report's product kinds (e.g. "beschermd_wonen")
    period_start: date
    period_end: date
    amount: Decimal
    volume: Decimal = Decimal("0")
    provider_name: str = ""


_SOURCES: dict[str, Callable[[object, date, date], Iterable[CareUseLine]]] = {}


def register_care_use_source(name: str, fn: Callable[[object, date, date], Iterable[CareUseLine]]) -> None:
    _SOURCES[name] = fn


def care_use_sources() -> dict[str, Callable[[object, date, date], Iterable[CareUseLine]]]:
    return dict(sorted(_SOURCES.items()))

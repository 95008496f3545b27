"""Where supervision's screening of a provider meets the provider register (issue 16), without either side app
importing the other (docs/architecture.md: side apps meet through registries in ``regio``).

The provider register (inkoop) registers a recorder in its ``AppConfig.ready()``; toezicht's preventive screening
calls ``record_screening(...)`` when it lands. The recorder finds the provider by region and KvK number and keeps
only a reference, a date, the outcome and a short summary, never the case itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

ScreeningRecorder = Callable[..., object]
_RECORDERS: list[ScreeningRecorder] = []


def register_screening_recorder(recorder: ScreeningRecorder) -> None:
    if recorder not in _RECORDERS:
        _RECORDERS.append(recorder)


def record_screening(
    *, user, region, kvk_number: str, source: str, reference: str, screened_on: date, outcome: str, summary: str = ""
) -> list:
    """Hand a screening result to every registered register; returns what they recorded (empty when none is)."""
    return [
        recorder(
            user=user,
            region=region,
            kvk_number=kvk_number,
            source=source,
            reference=reference,
            screened_on=screened_on,
            outcome=outcome,
            summary=summary,
        )
        for recorder in _RECORDERS
    ]

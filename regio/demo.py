"""Demo steps beyond the region files: apps register what the demo should show that a file cannot say
(e.g. "the 2025 reckoning approved and invoiced, one invoice paid, one overdue with a reminder").

``load_demo`` imports ``demo/*.yaml`` and then runs every registered step in order. A step must be idempotent: it
checks what is already there, so loading the demo twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

_STEPS: dict[str, tuple[int, Callable[[], str]]] = {}


def register_demo_step(name: str, step: Callable[[], str], order: int = 100) -> None:
    """``step()`` returns one line for the console, e.g. "WM 2025: afrekening goedgekeurd, 3 facturen"."""
    _STEPS[name] = (order, step)


def demo_steps() -> list[tuple[str, Callable[[], str]]]:
    return [(name, step) for name, (order, step) in sorted(_STEPS.items(), key=lambda item: (item[1][0], item[0]))]

"""Region-file section ``beschermd_wonen`` (WM-DVO annexes 1-3): the region's settings for beschermd wonen.

The section is an object whose keys are *parts*, each with its own schema, check and loader, registered with
``register_part``: this module registers ``objective_model_start``; the money side registers its own parts (the
Maastricht budget per year and track, the execution-key choice) from its own module, without touching this one. A part
absent from a file leaves what the database holds unchanged, so the parts may also come from different files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from regio.bounds import check_date
from regio.regionfile.registry import LoadContext, Section, register_section


@dataclass(frozen=True)
class Part:
    key: str
    schema: dict
    load: Callable[[LoadContext, Any, str], None]  # (ctx, value, path)
    check: Callable[[LoadContext, Any, str], None] | None = None
    models: tuple[str, ...] = ()


PARTS: dict[str, Part] = {}
SCHEMA: dict = {
    "type": "object",
    "description": "beschermd wonen: instellingen van de regio (DVO bijlagen 1-3)",
    "additionalProperties": False,
    "properties": {},
}


def register_part(part: Part) -> None:
    """Add a part to the section (its schema, check and loader) and (re-)register the section with every part's
    models. Call it from ``AppConfig.ready()``."""
    PARTS[part.key] = part
    SCHEMA["properties"][part.key] = part.schema
    register_section(
        Section(
            "beschermd_wonen",
            SCHEMA,
            _load,
            order=70,
            check=_check,
            description="Beschermd wonen: ingangsdatum objectief verdeelmodel en de andere regio-instellingen.",
            models=tuple(m for p in PARTS.values() for m in p.models),
        )
    )


def _check(ctx: LoadContext, value: dict) -> None:
    for key, part in PARTS.items():
        if key in value and part.check is not None:
            part.check(ctx, value[key], f"beschermd_wonen.{key}")


def _load(ctx: LoadContext, value: dict) -> None:
    if ctx.region is None:
        ctx.fail("beschermd_wonen", "de sectie 'region' ontbreekt.")
    for key, part in PARTS.items():
        if key in value:
            part.load(ctx, value[key], f"beschermd_wonen.{key}")
    ctx.raise_if_problems()


# -- objective_model_start (WM-DVO annex 3 §1, §7) -------------------------------------------------------------------


def _start_date(ctx: LoadContext, value, path: str):
    parsed = ctx.date(value, path)
    if parsed is None:
        return None
    try:
        return check_date(parsed, label="De ingangsdatum van het objectieve verdeelmodel")
    except Exception as exc:  # a ValidationError in Dutch
        ctx.problem(path, " ".join(getattr(exc, "messages", [str(exc)])))
        return None


def check_objective_model_start(ctx: LoadContext, value, path: str) -> None:
    _start_date(ctx, value, path)


def load_objective_model_start(ctx: LoadContext, value, path: str) -> None:
    from beschermdwonen.models import RegionSetting

    start = _start_date(ctx, value, path)
    if value not in (None, "") and start is None:
        return
    ctx.upsert(RegionSetting, {"region": ctx.region}, {"objective_model_start": start}, path)


OBJECTIVE_MODEL_START = Part(
    "objective_model_start",
    {
        "type": ["string", "null"],
        "description": "ingangsdatum objectief verdeelmodel (JJJJ-MM-DD); leeg of null: niet gestart",
    },
    load_objective_model_start,
    check=check_objective_model_start,
    models=("beschermdwonen.RegionSetting",),
)


def register() -> None:
    register_part(OBJECTIVE_MODEL_START)

"""Region-file section ``fte_capacity`` (WM-DVO annex 4): supervision FTE per member per year."""

from __future__ import annotations

from regio.regionfile.core import CBS
from regio.regionfile.registry import LoadContext, Section, register_section
from toezicht.models import SupervisionCapacity

FTE_CAPACITY_SCHEMA = {
    "type": "array",
    "description": "toezichtcapaciteit per gemeente per jaar (DVO bijlage 4)",
    "items": {
        "type": "object",
        "required": ["year", "municipality", "fte"],
        "additionalProperties": False,
        "properties": {
            "year": {"type": "integer", "minimum": 2000, "maximum": 2100},
            "municipality": CBS,
            "fte": {"type": ["number", "string"], "description": "fte, bijv. 0.35"},
            "source": {"type": "string"},
        },
    },
}


def load_fte_capacity(ctx: LoadContext, items: list[dict]) -> None:
    if ctx.region is None:
        ctx.fail("fte_capacity", "de sectie 'region' ontbreekt.")
    for i, item in enumerate(items):
        path = f"fte_capacity[{i}]"
        municipality = ctx.municipality(item["municipality"], f"{path}.municipality")
        fte = ctx.decimal(item["fte"], f"{path}.fte")
        if municipality is None or fte is None:
            continue
        if fte < 0:
            ctx.problem(f"{path}.fte", "het aantal fte kan niet negatief zijn.")
            continue
        ctx.upsert(
            SupervisionCapacity,
            {"region": ctx.region, "municipality": municipality, "year": item["year"]},
            {"fte": fte, "source": item.get("source", "")},
            path,
        )
    ctx.raise_if_problems()


def register() -> None:
    register_section(
        Section(
            "fte_capacity",
            FTE_CAPACITY_SCHEMA,
            load_fte_capacity,
            order=40,
            models=("toezicht.SupervisionCapacity",),
        )
    )

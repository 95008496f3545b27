"""The region-file section ``beschermd_wonen`` (issue 13): the objective model's start date (empty = not started;
annex 3 §1, §7), the budget received from Maastricht per year and track with its source (annex 3 §1, §7; a new
circular is a new version) and the execution costs per year with the chosen key (annex 3 §4)::

    beschermd_wonen:
      objective_model_start: null
      maastricht_budget:
        - {year: 2025, track: existing, amount: 1500000, source: "meicirculaire gemeentefonds 2025"}
      execution_costs:
        - {year: 2025, budgeted: 240000, key: clients, reference_date: 2025-01-01, source: "begroting 2025"}
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from regio.regionfile.registry import LoadContext, Section, register_section

NUMBER = {"type": ["number", "string"]}
YEAR = {"type": "integer", "minimum": 2015, "maximum": 2100}
DATE = {"type": ["string", "null"]}

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "objective_model_start": DATE,
        "maastricht_budget": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["year", "track", "amount", "source"],
                "additionalProperties": False,
                "properties": {
                    "year": YEAR,
                    "track": {"enum": ["new", "existing"]},
                    "amount": NUMBER,
                    "source": {"type": "string", "minLength": 1, "maxLength": 200},
                },
            },
        },
        "execution_costs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["year", "budgeted", "reference_date"],
                "additionalProperties": False,
                "properties": {
                    "year": YEAR,
                    "budgeted": NUMBER,
                    "realised": {"type": ["number", "string", "null"]},
                    "key": {"enum": ["clients", "wmo_key"]},
                    "reference_date": {"type": "string"},
                    "source": {"type": "string", "maxLength": 200},
                },
            },
        },
    },
}


def load(ctx: LoadContext, value: dict) -> None:
    from beschermdwonen import financing
    from beschermdwonen.models import ExecutionCost, MaastrichtBudget, RegionSetting

    if ctx.region is None:
        ctx.fail("beschermd_wonen", "de sectie 'region' ontbreekt.")
    if "objective_model_start" in value:
        start = ctx.date(value["objective_model_start"], "beschermd_wonen.objective_model_start")
        ctx.upsert(RegionSetting, {"region": ctx.region}, {"objective_model_start": start}, "beschermd_wonen")
    for i, item in enumerate(value.get("maastricht_budget", [])):
        path = f"beschermd_wonen.maastricht_budget[{i}]"
        amount = ctx.decimal(item["amount"], f"{path}.amount")
        if amount is None:
            continue
        if amount < 0 or amount != amount.quantize(financing.ZERO):
            ctx.problem(f"{path}.amount", "een bedrag in euro's en centen, niet negatief.")
            continue
        known = MaastrichtBudget.objects.unrestricted("the region file's own budget versions").filter(
            region=ctx.region, year=item["year"], track=item["track"], amount=amount, source=item["source"].strip()
        )
        if known.exists():  # a version of the file loaded before: a second import changes nothing
            ctx.counts["unchanged"] += 1
            continue
        try:
            financing.record_budget(
                user=ctx.actor,
                region=ctx.region,
                year=item["year"],
                track=item["track"],
                amount=amount.quantize(financing.ZERO),
                source=item["source"],
            )
        except (ValidationError, PermissionDenied) as exc:
            ctx.problem(path, "; ".join(getattr(exc, "messages", [str(exc)])))
    for i, item in enumerate(value.get("execution_costs", [])):
        path = f"beschermd_wonen.execution_costs[{i}]"
        budgeted = ctx.decimal(item["budgeted"], f"{path}.budgeted")
        realised = ctx.decimal(item["realised"], f"{path}.realised") if item.get("realised") is not None else None
        on = ctx.date(item["reference_date"], f"{path}.reference_date")
        if budgeted is None or on is None:
            continue
        ctx.upsert(
            ExecutionCost,
            {"region": ctx.region, "year": item["year"]},
            {
                "budgeted": budgeted,
                "realised": realised,
                "key": item.get("key", "clients"),
                "reference_date": on,
                "source": item.get("source", ""),
            },
            path,
        )
    ctx.raise_if_problems()


def register() -> None:
    register_section(
        Section(
            "beschermd_wonen",
            SCHEMA,
            load,
            order=90,
            description="Beschermd wonen: start objectief verdeelmodel, budget van Maastricht, uitvoeringskosten",
            models=(
                "beschermdwonen.RegionSetting",
                "beschermdwonen.MaastrichtBudget",
                "beschermdwonen.ExecutionCost",
            ),
        )
    )

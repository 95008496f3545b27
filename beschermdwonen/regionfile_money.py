"""The money parts of the region-file section ``beschermd_wonen`` (registered with ``regionfile.register_part``):

* ``maastricht_budget``: the budget received from Maastricht per year and track with its source (annex 3 §1, §7; a
  new circular is a new version, a version loaded before changes nothing);
* ``execution_costs``: the execution costs per year on budget basis, the settled amount after the year and the key
  (annex 3 §4: ``clients`` or ``wmo_key``)::

    beschermd_wonen:
      maastricht_budget:
        - {year: 2025, track: existing, amount: 1500000, source: "septembercirculaire gemeentefonds 2025"}
      execution_costs:
        - {year: 2025, budgeted: 240000, key: clients, reference_date: 2025-01-01, source: "begroting 2025"}
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

from beschermdwonen.regionfile import Part, register_part
from regio.regionfile.registry import LoadContext

NUMBER = {"type": ["number", "string"]}
YEAR = {"type": "integer", "minimum": 2015, "maximum": 2100}
CENT = Decimal("0.01")

BUDGET_SCHEMA = {
    "type": "array",
    "description": "budget van Maastricht per jaar en spoor, met de circulaire als bron (DVO bijlage 3 §1, §7)",
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
}
EXECUTION_SCHEMA = {
    "type": "array",
    "description": "uitvoeringskosten per jaar op begrotingsbasis en hun verdeling (DVO bijlage 3 §4)",
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
}


def _money(ctx: LoadContext, value, path: str) -> Decimal | None:
    amount = ctx.decimal(value, path)
    if amount is None:
        return None
    if amount < 0 or amount != amount.quantize(CENT) or amount >= Decimal("1e12"):
        ctx.problem(path, "een bedrag in euro's en centen, niet negatief.")
        return None
    return amount.quantize(CENT)


def load_budget(ctx: LoadContext, items: list, path: str) -> None:
    from beschermdwonen import financing
    from beschermdwonen.models import MaastrichtBudget

    for i, item in enumerate(items):
        where = f"{path}[{i}]"
        amount = _money(ctx, item["amount"], f"{where}.amount")
        if amount is None:
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
                amount=amount,
                source=item["source"],
            )
        except (ValidationError, PermissionDenied) as exc:
            ctx.problem(where, "; ".join(getattr(exc, "messages", [str(exc)])))


def load_execution(ctx: LoadContext, items: list, path: str) -> None:
    from beschermdwonen.models import ExecutionCost

    for i, item in enumerate(items):
        where = f"{path}[{i}]"
        budgeted = _money(ctx, item["budgeted"], f"{where}.budgeted")
        realised = _money(ctx, item["realised"], f"{where}.realised") if item.get("realised") is not None else None
        on = ctx.date(item["reference_date"], f"{where}.reference_date")
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
            where,
        )


def register() -> None:
    register_part(Part("maastricht_budget", BUDGET_SCHEMA, load_budget, models=("beschermdwonen.MaastrichtBudget",)))
    register_part(Part("execution_costs", EXECUTION_SCHEMA, load_execution, models=("beschermdwonen.ExecutionCost",)))

"""Region-file section ``secondment`` (WM-SO 4.10): how the region settles the cost of seconded staff (a credit of
its own, or set off against the fee) and the staff each member seconds per year. Loaded through the services, so the
rules (a member of the region, not the coordinating municipality itself, amounts with their basis) hold here too."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

from costsharing import services
from costsharing.models import SecondmentSettlement
from regio.regionfile.registry import LoadContext, Section, register_section

NUMBER = {"type": ["number", "string"], "description": "een getal, bijv. 0.5 of 48600.00"}

SECONDMENT_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "settlement": {"enum": list(SecondmentSettlement.values), "description": "credit of offset (WM-SO 4.10)"},
        "staff": {
            "type": "array",
            "maxItems": 1000,
            "items": {
                "type": "object",
                "required": ["year", "municipality", "function", "fte", "amount", "basis"],
                "additionalProperties": False,
                "properties": {
                    "year": {"type": "integer", "minimum": 2000, "maximum": 2100},
                    "municipality": {"type": "string", "pattern": "^GM[0-9]{4}$"},
                    "function": {"type": "string", "minLength": 1, "maxLength": 200},
                    "scale": {"type": "integer", "minimum": 1, "maximum": 18},
                    "fte": NUMBER,
                    "amount": NUMBER,
                    "basis": {"type": "string", "minLength": 1, "maxLength": 2000},
                },
            },
        },
    },
}


def load_secondment(ctx: LoadContext, value: dict) -> None:
    if ctx.region is None:
        ctx.problem("secondment", "Noem eerst de regio (region.code) in het bestand.")
        ctx.raise_if_problems()
    try:
        if "settlement" in value:
            services.set_secondment_settlement(user=ctx.actor, region=ctx.region, settlement=value["settlement"])
    except (ValidationError, PermissionDenied) as exc:
        ctx.problem("secondment.settlement", "; ".join(getattr(exc, "messages", [str(exc)])))
    for i, item in enumerate(value.get("staff", [])):
        path = f"secondment.staff[{i}]"
        municipality = ctx.municipality(item["municipality"], f"{path}.municipality")
        fte = ctx.decimal(item["fte"], f"{path}.fte")
        amount = ctx.decimal(item["amount"], f"{path}.amount")
        if municipality is None or not isinstance(fte, Decimal) or not isinstance(amount, Decimal):
            continue
        try:
            services.record_secondment(
                user=ctx.actor,
                region=ctx.region,
                year=item["year"],
                municipality=municipality,
                function=item["function"],
                scale=item.get("scale"),
                fte=fte,
                amount=amount,
                basis=item["basis"],
            )
        except (ValidationError, PermissionDenied) as exc:
            ctx.problem(path, "; ".join(getattr(exc, "messages", [str(exc)])))
    ctx.raise_if_problems()


def register() -> None:
    register_section(
        Section(
            "secondment",
            SECONDMENT_SCHEMA,
            load_secondment,
            order=75,
            models=("costsharing.SecondmentSetting", "costsharing.Secondment"),
        )
    )

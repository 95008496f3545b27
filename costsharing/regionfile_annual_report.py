"""Region-file section ``execution_cost_plans`` of cost sharing (issue 12; BNO 11.1): the execution costs adopted for
two years through the purchasing plan, and each college's adoption with its date, loaded through the services so a
second import changes nothing."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from costsharing import services
from costsharing.regionfile import NUMBER, YEAR, _need_region
from regio.regionfile.core import CBS, DATE
from regio.regionfile.registry import LoadContext, Section, register_section

EXECUTION_COST_PLANS_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["first_year", "title", "amounts"],
        "additionalProperties": False,
        "properties": {
            "first_year": YEAR,
            "title": {"type": "string", "minLength": 1, "maxLength": 300},
            "article": {"type": "string", "maxLength": 100},
            "amounts": {"type": "array", "minItems": 2, "maxItems": 2, "items": NUMBER},
            "adoptions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["municipality", "adopted_on"],
                    "additionalProperties": False,
                    "properties": {
                        "municipality": CBS,
                        "adopted_on": DATE,
                        "reference": {"type": "string", "maxLength": 300},
                    },
                },
            },
        },
    },
}


def load_execution_cost_plans(ctx: LoadContext, items: list[dict]) -> None:
    """The two-year execution costs and each college's adoption (BNO 11.1), through the services."""
    _need_region(ctx, "execution_cost_plans")
    for i, item in enumerate(items):
        path = f"execution_cost_plans[{i}]"
        first, second = (ctx.decimal(a, f"{path}.amounts[{n}]") for n, a in enumerate(item["amounts"]))
        ctx.raise_if_problems()
        try:
            plan = services.record_cost_plan(
                user=ctx.actor,
                region=ctx.region,
                first_year=item["first_year"],
                title=item["title"],
                article=item.get("article", ""),
                first_year_amount=first,
                second_year_amount=second,
            )
        except ValidationError as exc:
            for message in exc.messages:
                ctx.problem(path, message)
            continue
        for j, adoption in enumerate(item.get("adoptions", [])):
            where = f"{path}.adoptions[{j}]"
            municipality = ctx.municipality(adoption["municipality"], f"{where}.municipality")
            day = ctx.date(adoption["adopted_on"], f"{where}.adopted_on")
            if municipality is None or day is None:
                continue
            try:
                services.record_college_adoption(
                    user=ctx.actor,
                    plan=plan,
                    municipality=municipality,
                    adopted_on=day,
                    reference=adoption.get("reference", ""),
                )
            except ValidationError as exc:
                for message in exc.messages:
                    ctx.problem(where, message)
    ctx.raise_if_problems()


def register() -> None:
    register_section(
        Section(
            "execution_cost_plans",
            EXECUTION_COST_PLANS_SCHEMA,
            load_execution_cost_plans,
            order=91,
            models=("costsharing.ExecutionCostPlan", "costsharing.CollegeAdoption"),
        )
    )

"""Region-file section ``settlement_calendars`` (issue 12): the money calendar of an agreement with the articles it
rests on. Loaded with ``ctx.upsert``: a second load changes nothing.

```yaml
settlement_calendars:
  - agreement: WM-SO-2025
    shape: wm
    articles: WM-SO 6.7, WM-DVO 6.1
    steps:
      - kind: fee_and_settlement
        month: 12
        day: 1
        year_offset: -1     # the settlement concerns the past year (the fee is of the running year)
        starts_job: true
        articles: WM-SO 6.7, WM-DVO 6.1
```
"""

from __future__ import annotations

from agreements.models import CalendarShape, CalendarStep, SettlementCalendar, StepKind
from agreements.regionfile import _agreement
from regio.regionfile.registry import LoadContext, Section, register_section

TEXT = {"type": "string", "maxLength": 200}
SCHEMA = {
    "type": "array",
    "maxItems": 50,
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["agreement", "shape", "articles", "steps"],
        "properties": {
            "agreement": {"type": "string", "minLength": 1, "maxLength": 50},
            "shape": {"enum": list(CalendarShape.values)},
            "articles": {"type": "string", "minLength": 1, "maxLength": 200},
            "note": {"type": "string", "maxLength": 2000},
            "steps": {
                "type": "array",
                "maxItems": 20,
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["kind", "month", "day", "articles"],
                    "properties": {
                        "kind": {"enum": list(StepKind.values)},
                        "month": {"type": "integer", "minimum": 1, "maximum": 12},
                        "day": {"type": "integer", "minimum": 1, "maximum": 31},
                        "year_offset": {"type": "integer", "minimum": -2, "maximum": 1},
                        "starts_job": {"type": "boolean"},
                        "articles": {"type": "string", "minLength": 1, "maxLength": 200},
                        "description": {"type": "string", "maxLength": 2000},
                    },
                },
            },
        },
    },
}
DAYS_IN_MONTH = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def load_calendars(ctx: LoadContext, items: list[dict]) -> None:
    for i, item in enumerate(items):
        path = f"settlement_calendars[{i}]"
        agreement = _agreement(ctx, item["agreement"], f"{path}.agreement")
        kinds = [s["kind"] for s in item["steps"]]
        for j, step in enumerate(item["steps"]):
            if step["day"] > DAYS_IN_MONTH[step["month"]]:
                ctx.problem(f"{path}.steps[{j}].day", f"maand {step['month']} heeft geen dag {step['day']}.")
            if kinds.count(step["kind"]) > 1:
                ctx.problem(f"{path}.steps[{j}].kind", f"stap '{step['kind']}' staat dubbel in deze kalender.")
            if step.get("starts_job") and step["kind"] != StepKind.FEE_AND_SETTLEMENT:
                ctx.problem(
                    f"{path}.steps[{j}].starts_job",
                    "alleen de stap 'fee_and_settlement' start de jaarlijkse taak (WM-SO 6.7, WM-DVO 6.1).",
                )
        ctx.raise_if_problems()
        calendar = ctx.upsert(
            SettlementCalendar,
            {"agreement": agreement},
            {"shape": item["shape"], "articles": item["articles"], "note": item.get("note", "")},
            path,
        )
        if calendar is None:
            continue
        for j, step in enumerate(item["steps"]):
            ctx.upsert(
                CalendarStep,
                {"calendar": calendar, "kind": step["kind"]},
                {
                    "month": step["month"],
                    "day": step["day"],
                    "year_offset": step.get("year_offset", 0),
                    "starts_job": bool(step.get("starts_job", False)),
                    "articles": step["articles"],
                    "description": step.get("description", ""),
                },
                f"{path}.steps[{j}]",
            )


def register() -> None:
    register_section(
        Section(
            "settlement_calendars",
            SCHEMA,
            load_calendars,
            order=48,
            description="Afrekenkalender per overeenkomst (issue 12)",
            models=("agreements.SettlementCalendar", "agreements.CalendarStep"),
        )
    )

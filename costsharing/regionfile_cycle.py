"""Region-file section ``fees_invoiced_outside`` (issue 12): the first year a region uses the product, the fee of
that year invoiced outside it, per member, recorded once (WM-DVO 6.1), so that the settlement of that year (WM-SO
6.7) has something to compare with. A second load of the same figures changes nothing; other figures for a year
already recorded are refused (a recorded fee never changes).

```yaml
fees_invoiced_outside:
  - year: 2024
    reference: facturen december 2024 (Excel)
    amounts: {GM1883: "200000.00", GM0971: "55000.00", GM0888: "35000.00"}
```
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

from costsharing import services
from regio.regionfile.registry import LoadContext, Section, register_section

AMOUNT = {"type": "string", "pattern": r"^\d{1,12}(\.\d{1,2})?$", "description": "bedrag als 57000.00"}
SCHEMA = {
    "type": "array",
    "maxItems": 5,
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["year", "reference", "amounts"],
        "properties": {
            "year": {"type": "integer", "minimum": 2000, "maximum": 2100},
            "reference": {"type": "string", "minLength": 1, "maxLength": 100},
            "amounts": {
                "type": "object",
                "minProperties": 1,
                "maxProperties": 100,
                "propertyNames": {"pattern": r"^GM\d{4}$"},
                "additionalProperties": AMOUNT,
            },
        },
    },
}


def load_outside_fees(ctx: LoadContext, items: list[dict]) -> None:
    for i, item in enumerate(items):
        path = f"fees_invoiced_outside[{i}]"
        amounts = {}
        for code, value in item["amounts"].items():
            municipality = ctx.municipality(code, f"{path}.amounts.{code}")
            if municipality is not None:
                amounts[municipality] = Decimal(value).quantize(Decimal("0.01"))
        ctx.raise_if_problems()
        recorded = {f.municipality_id: f for f in services.fees_of(region=ctx.region, year=item["year"])}
        if recorded:
            same = len(recorded) == len(amounts) and all(
                m.pk in recorded and recorded[m.pk].amount == a for m, a in amounts.items()
            )
            if same:
                ctx.counts["unchanged"] += len(recorded)
            else:
                ctx.problem(
                    path,
                    f"de bijdragen van {item['year']} zijn al vastgelegd met andere bedragen; een vastgelegde "
                    "bijdrage verandert niet.",
                )
            continue
        try:
            created = services.record_outside_fees(
                user=ctx.actor, region=ctx.region, year=item["year"], amounts=amounts, reference=item["reference"]
            )
        except (ValidationError, PermissionDenied) as exc:
            for message in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
                ctx.problem(path, message)
            continue
        ctx.counts["created"] += len(created)
    ctx.raise_if_problems()


def register() -> None:
    register_section(
        Section(
            "fees_invoiced_outside",
            SCHEMA,
            load_outside_fees,
            order=95,
            description="Buiten Regio Wmo gefactureerde bijdragen van het eerste jaar (issue 12)",
            models=("costsharing.Fee",),
        )
    )

"""Region-file sections of cost sharing (issue #5): allocation_keys, norms, activities, cao_steps, formation,
budget, actuals; execution_cost_plans (issue 12: BNO 11.1). Each is validated by its JSON Schema and loaded with
``ctx.upsert`` (the cost plans through their services) so a second import changes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

from costsharing import services
from costsharing.models import (
    Activity,
    ActivityComponent,
    ActualCostLine,
    AllocationKey,
    Basis,
    BudgetLine,
    CaoStep,
    Category,
    CategoryKey,
    FormationLine,
    KeyShare,
    KeyVersion,
    NormScale,
    NormYear,
    OverheadYear,
    TaskArea,
)
from regio.bounds import check_percentage
from regio.regionfile.core import CBS, DATE
from regio.regionfile.registry import LoadContext, Section, register_section

NUMBER = {"type": ["number", "string"], "description": "een getal, bijv. 97200 of 21.00"}
YEAR = {"type": "integer", "minimum": 2000, "maximum": 2100}
# Plausible percentages (issue 10, finding 4): a CAO step of -50 % or +900 % is a typing error, not a raise.
CAO_STEP_PERCENTAGE = (Decimal("-10"), Decimal("25"))
OVERHEAD_PERCENTAGE = (Decimal("0"), Decimal("100"))
CATEGORY = {"enum": list(Category.values)}

ALLOCATION_KEYS_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["code", "name", "versions"],
        "additionalProperties": False,
        "properties": {
            "code": {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$", "description": "kleine letters en -"},
            "name": {"type": "string", "minLength": 1},
            "source": {"type": "string"},
            "categories": {
                "type": "array",
                "items": CATEGORY,
                "description": "kostensoorten die deze sleutel verdeelt",
            },
            "versions": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["valid_from"],
                    "additionalProperties": False,
                    "properties": {
                        "valid_from": DATE,
                        "valid_until": DATE,
                        "basis": {"enum": list(Basis.values)},
                        "reference_date": DATE,
                        "population_year": {**YEAR, "description": "inwoners op 1 januari van dit jaar (CBS)"},
                        "shares": {
                            "type": "object",
                            "propertyNames": {"pattern": r"^GM\d{4}$"},
                            "additionalProperties": NUMBER,
                        },
                        "merge": {
                            "type": "array",
                            "description": "herindelingen per valid_from; aandelen opgeteld (BNO considerans)",
                            "items": {
                                "type": "object",
                                "required": ["into", "merged"],
                                "additionalProperties": False,
                                "properties": {"into": CBS, "merged": {"type": "array", "minItems": 1, "items": CBS}},
                            },
                        },
                        "note": {"type": "string"},
                    },
                },
            },
        },
    },
}
NORMS_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["year", "scales", "productive_hours"],
        "additionalProperties": False,
        "properties": {
            "year": YEAR,
            "price_level_date": DATE,
            "scales": {"type": "object", "propertyNames": {"pattern": r"^\d{1,2}$"}, "additionalProperties": NUMBER},
            "productive_hours": NUMBER,
            "overhead_per_hour": NUMBER,
            "overhead_percentage": NUMBER,
            "source": {"type": "string"},
        },
    },
}
OVERHEADS_SCHEMA = {
    "type": "array",
    "description": "overhead per jaar uit de begroting van de coördinerende gemeente (WM-DVO 5.4)",
    "items": {
        "type": "object",
        "required": ["year", "source"],
        "additionalProperties": False,
        "properties": {
            "year": YEAR,
            "overhead_per_hour": NUMBER,
            "overhead_percentage": NUMBER,
            "productive_hours": NUMBER,
            "source": {"type": "string", "minLength": 1},
        },
    },
}
ACTIVITIES_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["code", "name", "components"],
        "additionalProperties": False,
        "properties": {
            "code": {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"},
            "name": {"type": "string", "minLength": 1},
            "source": {"type": "string"},
            "components": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["function", "scale", "hours"],
                    "additionalProperties": False,
                    "properties": {"function": {"type": "string"}, "scale": {"type": "integer"}, "hours": NUMBER},
                },
            },
        },
    },
}
CAO_STEPS_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["effective_date", "source"],
        "additionalProperties": False,
        "properties": {
            "effective_date": DATE,
            "percentage": NUMBER,
            "fixed_amount_per_month": NUMBER,
            "scales": {"type": "array", "items": {"type": "integer"}},
            "source": {"type": "string", "minLength": 1},
            "demo": {"type": "boolean", "description": "true: verzonnen demogegeven"},
        },
    },
}
FORMATION_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["year", "task_area", "function", "scale", "fte"],
        "additionalProperties": False,
        "properties": {
            "year": YEAR,
            "task_area": {"enum": list(TaskArea.values)},
            "function": {"type": "string", "minLength": 1},
            "scale": {"type": "integer"},
            "fte": NUMBER,
        },
    },
}
BUDGET_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["year", "category", "description", "amount"],
        "additionalProperties": False,
        "properties": {"year": YEAR, "category": CATEGORY, "description": {"type": "string"}, "amount": NUMBER},
    },
}
ACTUALS_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["date", "category", "description", "amount"],
        "additionalProperties": False,
        "properties": {"date": DATE, "category": CATEGORY, "description": {"type": "string"}, "amount": NUMBER},
    },
}

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


def _need_region(ctx: LoadContext, key: str) -> None:
    if ctx.region is None:
        ctx.fail(key, "de sectie 'region' ontbreekt.")


def _sync_shares(ctx: LoadContext, version: KeyVersion, shares: dict, path: str) -> None:
    existing = {s.municipality_id: s for s in KeyShare.objects.unrestricted().filter(version=version)}
    for municipality, weight in shares.items():
        ctx.upsert(KeyShare, {"version": version, "municipality": municipality}, {"weight": weight}, path)
        existing.pop(municipality.pk, None)
    for share in existing.values():
        share.delete()
        ctx.counts["deleted"] += 1


def load_allocation_keys(ctx: LoadContext, items: list[dict]) -> None:
    _need_region(ctx, "allocation_keys")
    from regio.models import PopulationFigure

    for i, item in enumerate(items):
        path = f"allocation_keys[{i}]"
        key = ctx.upsert(
            AllocationKey,
            {"region": ctx.region, "code": item["code"]},
            {"name": item["name"], "source": item.get("source", "")},
            path,
        )
        if key is None:
            continue
        previous_shares: dict = {}
        previous_basis = None
        previous_reference = None
        for j, spec in enumerate(sorted(item["versions"], key=lambda v: v["valid_from"])):
            vpath = f"{path}.versions[{j}]"
            valid_from = ctx.date(spec["valid_from"], f"{vpath}.valid_from")
            valid_until = ctx.date(spec.get("valid_until"), f"{vpath}.valid_until")
            reference = ctx.date(spec.get("reference_date"), f"{vpath}.reference_date")
            basis = spec.get("basis") or previous_basis
            shares: dict = {}
            if "merge" in spec:  # BNO considerans: on a merger the shares are added up
                shares = dict(previous_shares)
                for k, merger in enumerate(spec["merge"]):
                    into = ctx.municipality(merger["into"], f"{vpath}.merge[{k}].into")
                    merged = [ctx.municipality(c, f"{vpath}.merge[{k}].merged") for c in merger["merged"]]
                    if into is None or None in merged:
                        continue
                    total = sum((shares.pop(m, Decimal(0)) for m in merged), shares.pop(into, Decimal(0)))
                    shares[into] = total
                reference = reference or previous_reference
            elif "population_year" in spec:
                basis = Basis.POPULATION
                reference = date(spec["population_year"], 1, 1)
                members = list(ctx.region.members_on(valid_from)) if valid_from else []
                figures = {
                    f.municipality_id: f.inhabitants
                    for f in PopulationFigure.objects.unrestricted().filter(
                        municipality__in=members, reference_date=reference
                    )
                }
                for m in members:
                    if m.pk not in figures:
                        ctx.problem(
                            f"{vpath}.population_year",
                            f"geen inwonertal op 1-1-{spec['population_year']} voor {m.name} ({m.code}).",
                        )
                    else:
                        shares[m] = Decimal(figures[m.pk])
            else:
                for code, value in spec.get("shares", {}).items():
                    municipality = ctx.municipality(code, f"{vpath}.shares.{code}")
                    weight = ctx.decimal(value, f"{vpath}.shares.{code}")
                    if municipality is not None and weight is not None:
                        shares[municipality] = weight
            if basis is None:
                ctx.problem(f"{vpath}.basis", "verplicht veld ontbreekt (fixed, population, fte of clients).")
            if ctx.problems or valid_from is None:
                continue
            existing = KeyVersion.objects.unrestricted().filter(key=key, valid_from=valid_from).first()
            try:
                services.validate_version(
                    key=key,
                    basis=basis,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    shares=shares,
                    exclude_pk=existing.pk if existing else None,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    ctx.problem(vpath, message)
                continue
            version = ctx.upsert(
                KeyVersion,
                {"key": key, "valid_from": valid_from},
                {
                    "basis": basis,
                    "valid_until": valid_until,
                    "reference_date": reference,
                    "note": spec.get("note", ""),
                },
                vpath,
            )
            if version is not None:
                _sync_shares(ctx, version, shares, f"{vpath}.shares")
            previous_shares, previous_basis, previous_reference = shares, basis, reference
        for category in item.get("categories", []):
            ctx.upsert(CategoryKey, {"region": ctx.region, "category": category}, {"key": key}, f"{path}.categories")
    ctx.raise_if_problems()


def load_norms(ctx: LoadContext, items: list[dict]) -> None:
    _need_region(ctx, "norms")
    for i, item in enumerate(items):
        path = f"norms[{i}]"
        values = {
            "origin": NormYear.Origin.ENTERED,
            "price_level_date": ctx.date(item.get("price_level_date"), f"{path}.price_level_date"),
            "productive_hours": ctx.decimal(item["productive_hours"], f"{path}.productive_hours"),
            "overhead_per_hour": ctx.decimal(item["overhead_per_hour"], f"{path}.overhead_per_hour")
            if "overhead_per_hour" in item
            else None,
            "overhead_percentage": ctx.decimal(item["overhead_percentage"], f"{path}.overhead_percentage")
            if "overhead_percentage" in item
            else None,
            "provenance": item.get("source", ""),
        }
        current = NormYear.objects.unrestricted().current().filter(region=ctx.region, year=item["year"]).first()
        lookup = {"region": ctx.region, "year": item["year"], "revision": current.revision if current else 1}
        norm_year = ctx.upsert(NormYear, lookup, values, path)
        if norm_year is None:
            continue
        for scale, value in item["scales"].items():
            norm = ctx.decimal(value, f"{path}.scales.{scale}")
            if norm is not None:
                ctx.upsert(
                    NormScale, {"norm_year": norm_year, "scale": int(scale)}, {"norm": norm}, f"{path}.scales.{scale}"
                )
    ctx.raise_if_problems()


def load_overheads(ctx: LoadContext, items: list[dict]) -> None:
    _need_region(ctx, "overheads")
    for i, item in enumerate(items):
        path = f"overheads[{i}]"
        values = {
            "overhead_per_hour": ctx.decimal(item["overhead_per_hour"], f"{path}.overhead_per_hour")
            if "overhead_per_hour" in item
            else None,
            "overhead_percentage": ctx.decimal(item["overhead_percentage"], f"{path}.overhead_percentage")
            if "overhead_percentage" in item
            else None,
            "productive_hours": ctx.decimal(item["productive_hours"], f"{path}.productive_hours")
            if "productive_hours" in item
            else None,
            "source": item["source"],
        }
        ctx.upsert(OverheadYear, {"region": ctx.region, "year": item["year"]}, values, path)
    ctx.raise_if_problems()


def load_activities(ctx: LoadContext, items: list[dict]) -> None:
    _need_region(ctx, "activities")
    for i, item in enumerate(items):
        path = f"activities[{i}]"
        activity = ctx.upsert(
            Activity,
            {"region": ctx.region, "code": item["code"]},
            {"name": item["name"], "source": item.get("source", "")},
            path,
        )
        if activity is None:
            continue
        keep = set()
        for j, component in enumerate(item["components"]):
            hours = ctx.decimal(component["hours"], f"{path}.components[{j}].hours")
            obj = ctx.upsert(
                ActivityComponent,
                {"activity": activity, "function": component["function"], "scale": component["scale"]},
                {"hours": hours},
                f"{path}.components[{j}]",
            )
            if obj is not None:
                keep.add(obj.pk)
        for stale in ActivityComponent.objects.unrestricted().filter(activity=activity).exclude(pk__in=keep):
            stale.delete()
            ctx.counts["deleted"] += 1
    ctx.raise_if_problems()


def _check_percentage(ctx: LoadContext, value, bounds: tuple[Decimal, Decimal], label: str, path: str) -> None:
    try:
        check_percentage(value, low=bounds[0], high=bounds[1], label=label)
    except ValidationError as exc:
        for message in exc.messages:
            ctx.problem(path, message)


def check_cao_steps(ctx: LoadContext, items: list[dict]) -> None:
    """Before anything is written: a step's percentage within CAO_STEP_PERCENTAGE (issue 10, finding 4)."""
    for i, item in enumerate(items):
        if "percentage" in item:
            label = "Het percentage van een CAO-stap"
            _check_percentage(ctx, item["percentage"], CAO_STEP_PERCENTAGE, label, f"cao_steps[{i}].percentage")


def check_overhead_percentages(ctx: LoadContext, items: list[dict], key: str) -> None:
    for i, item in enumerate(items):
        if "overhead_percentage" in item:
            path = f"{key}[{i}].overhead_percentage"
            _check_percentage(ctx, item["overhead_percentage"], OVERHEAD_PERCENTAGE, "De opslag", path)


def load_cao_steps(ctx: LoadContext, items: list[dict]) -> None:
    """CAO steps, then the indexation of every later year right away (WM-SO 6.4) and, for each year whose figures
    changed, the updated cost overview to every member after commit (WM-SO 6.6)."""
    _need_region(ctx, "cao_steps")
    for i, item in enumerate(items):
        path = f"cao_steps[{i}]"
        percentage = ctx.decimal(item["percentage"], f"{path}.percentage") if "percentage" in item else None
        fixed = (
            ctx.decimal(item["fixed_amount_per_month"], f"{path}.fixed_amount_per_month")
            if "fixed_amount_per_month" in item
            else None
        )
        ctx.upsert(
            CaoStep,
            {
                "region": ctx.region,
                "effective_date": ctx.date(item["effective_date"], f"{path}.effective_date"),
                "source": item["source"],
            },
            {
                "percentage": percentage,
                "fixed_amount_per_month": fixed,
                "scales": item.get("scales", []),
                "is_demo": bool(item.get("demo", False)),
            },
            path,
        )
    ctx.raise_if_problems()
    _index(ctx)


def _index(ctx: LoadContext) -> None:
    from django.db import transaction

    from costsharing import notices

    result = services.index_norms(user=ctx.actor, region=ctx.region)
    if result.changed_years:
        ctx.counts["updated"] += len(result.changed_years)
        region = ctx.region
        years = list(result.changed_years)
        transaction.on_commit(lambda: notices.send_cost_overviews(region=region, years=years))


def load_formation(ctx: LoadContext, items: list[dict]) -> None:
    _need_region(ctx, "formation")
    for i, item in enumerate(items):
        path = f"formation[{i}]"
        ctx.upsert(
            FormationLine,
            {
                "region": ctx.region,
                "year": item["year"],
                "task_area": item["task_area"],
                "function": item["function"],
                "scale": item["scale"],
            },
            {"fte": ctx.decimal(item["fte"], f"{path}.fte")},
            path,
        )
    ctx.raise_if_problems()
    _index(ctx)  # a formation for a later year needs that year's indexed norms


def load_budget(ctx: LoadContext, items: list[dict]) -> None:
    """Budget lines of WM-SO 6.1 b-h; then the advances per member for every budget year (WM-SO 6.7)."""
    _need_region(ctx, "budget")
    years = set()
    for i, item in enumerate(items):
        path = f"budget[{i}]"
        ctx.upsert(
            BudgetLine,
            {
                "region": ctx.region,
                "year": item["year"],
                "category": item["category"],
                "description": item["description"],
            },
            {"amount": ctx.decimal(item["amount"], f"{path}.amount")},
            path,
        )
        years.add(item["year"])
    ctx.raise_if_problems()
    years |= set(FormationLine.objects.unrestricted().filter(region=ctx.region).values_list("year", flat=True))
    for year in sorted(years):
        try:
            services.compute_advances(user=ctx.actor, region=ctx.region, year=year)
        except ValidationError as exc:
            for message in exc.messages:
                ctx.problem(f"budget ({year})", message)
    ctx.raise_if_problems()


def load_actuals(ctx: LoadContext, items: list[dict]) -> None:
    _need_region(ctx, "actuals")
    for i, item in enumerate(items):
        path = f"actuals[{i}]"
        if item["category"] in {c.value for c in services.STAFF_CATEGORIES}:
            ctx.problem(
                f"{path}.category", "personeelskosten komen uit de formatie tegen de geïndexeerde norm (WM-SO 6.3)."
            )
            continue
        day = ctx.date(item["date"], f"{path}.date")
        if day is None:
            continue
        ctx.upsert(
            ActualCostLine,
            {"region": ctx.region, "date": day, "category": item["category"], "description": item["description"]},
            {"year": day.year, "amount": ctx.decimal(item["amount"], f"{path}.amount"), "source": "regiobestand"},
            path,
        )
    ctx.raise_if_problems()


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
    keys = ("costsharing.AllocationKey", "costsharing.KeyVersion", "costsharing.KeyShare", "costsharing.CategoryKey")
    register_section(Section("allocation_keys", ALLOCATION_KEYS_SCHEMA, load_allocation_keys, order=50, models=keys))
    register_section(
        Section(
            "norms",
            NORMS_SCHEMA,
            load_norms,
            order=60,
            check=lambda ctx, items: check_overhead_percentages(ctx, items, "norms"),
            models=("costsharing.NormYear", "costsharing.NormScale"),
        )
    )
    register_section(
        Section(
            "overheads",
            OVERHEADS_SCHEMA,
            load_overheads,
            order=61,
            check=lambda ctx, items: check_overhead_percentages(ctx, items, "overheads"),
            models=("costsharing.OverheadYear",),
        )
    )
    register_section(
        Section(
            "activities",
            ACTIVITIES_SCHEMA,
            load_activities,
            order=61,
            models=("costsharing.Activity", "costsharing.ActivityComponent"),
        )
    )
    register_section(
        Section(
            "cao_steps",
            CAO_STEPS_SCHEMA,
            load_cao_steps,
            order=62,
            check=check_cao_steps,
            models=("costsharing.CaoStep",),
        )
    )
    register_section(
        Section("formation", FORMATION_SCHEMA, load_formation, order=70, models=("costsharing.FormationLine",))
    )
    register_section(Section("budget", BUDGET_SCHEMA, load_budget, order=80, models=("costsharing.BudgetLine",)))
    register_section(
        Section("actuals", ACTUALS_SCHEMA, load_actuals, order=90, models=("costsharing.ActualCostLine",))
    )
    register_section(
        Section(
            "execution_cost_plans",
            EXECUTION_COST_PLANS_SCHEMA,
            load_execution_cost_plans,
            order=91,
            models=("costsharing.ExecutionCostPlan", "costsharing.CollegeAdoption"),
        )
    )

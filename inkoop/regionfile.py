"""Region-file sections of the purchasing side (issue 16).

- ``providers``: the region's provider register (WM-SO 2.4 d), found again by KvK number, with contact persons and
  their deputies (MH 5.2). After loading, every provider party of the region's agreements still named only as text
  (MH bijlage 1) is pointed at the provider with the same name.
- ``contracts``: the region's financial frame per year (BNO 4) and its framework contracts, found again by
  reference, with products, tariffs per year, budgets and performance indicators with measured values
  (WM-SO 2.4 b-c). A file brings a contract in as a draft: the consent round and the signature (WM-SO 4.11-4.12)
  need the members' written decisions and happen on the contract's page or through the API, never by file.
"""

from __future__ import annotations

from decimal import Decimal

from inkoop.models import (
    ContactPerson,
    ContractBudget,
    ContractProduct,
    ContractStatus,
    Domain,
    FrameworkContract,
    Kpi,
    KpiValue,
    Provider,
    ProviderParty,
    PurchasingFrame,
    Tariff,
    Unit,
)
from inkoop.models.providers import compact, validate_agb, validate_kvk, validate_vat
from regio.regionfile.core import DATE
from regio.regionfile.registry import LoadContext, Section, register_section

NUMBER = {"type": ["number", "string"], "description": "bedrag of getal, bijv. 1234.56"}
YEARS = {"type": "object", "propertyNames": {"pattern": r"^(19|20|21)\d{2}$"}, "additionalProperties": NUMBER}
TEXT = {"type": "string", "maxLength": 200}
PERSON = {
    "type": "object",
    "required": ["name", "email"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 150},
        "email": {"type": "string", "maxLength": 200},
        "function": {"type": "string", "maxLength": 150},
        "topic": {"type": "string", "maxLength": 150},
        "phone": {"type": "string", "maxLength": 30},
    },
}

PROVIDERS_SCHEMA = {
    "type": "array",
    "description": "het aanbiedersregister van de regio (WM-SO 2.4 d)",
    "maxItems": 2000,
    "items": {
        "type": "object",
        "required": ["name", "kvk", "domains"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 200},
            "kvk": {"type": "string", "maxLength": 20},
            "vat": {"type": "string", "maxLength": 30},
            "agb": {"type": "string", "maxLength": 20},
            "city": {"type": "string", "maxLength": 100},
            "website": {"type": "string", "maxLength": 200},
            "domains": {"type": "array", "minItems": 1, "items": {"enum": Domain.values}},
            "in_kind": {"type": "boolean"},
            "personal_budget": {"type": "boolean"},
            "contacts": {
                "type": "array",
                "maxItems": 50,
                "items": {**PERSON, "properties": {**PERSON["properties"], "deputy": PERSON}},
            },
        },
    },
}

CONTRACTS_SCHEMA = {
    "type": "object",
    "description": "financieel kader per jaar (BNO 4) en raamcontracten (WM-SO 2.4 b-c, 4.11)",
    "additionalProperties": False,
    "properties": {
        "frames": YEARS,
        "items": {
            "type": "array",
            "maxItems": 2000,
            "items": {
                "type": "object",
                "required": ["reference", "title", "provider", "starts_on", "ends_on"],
                "additionalProperties": False,
                "properties": {
                    "reference": {"type": "string", "minLength": 1, "maxLength": 60},
                    "title": TEXT,
                    "provider": {"type": "string", "description": "KvK-nummer van een aanbieder uit 'providers'"},
                    "starts_on": DATE,
                    "ends_on": DATE,
                    "extension_options": {"type": "integer", "minimum": 0, "maximum": 10},
                    "extension_months": {"type": "integer", "minimum": 1, "maximum": 60},
                    "notice_months": {"type": "integer", "minimum": 0, "maximum": 36},
                    "budgets": YEARS,
                    "products": {
                        "type": "array",
                        "maxItems": 200,
                        "items": {
                            "type": "object",
                            "required": ["code", "name"],
                            "additionalProperties": False,
                            "properties": {
                                "code": {"type": "string", "minLength": 1, "maxLength": 20},
                                "name": TEXT,
                                "unit": {"enum": Unit.values},
                                "tariffs": YEARS,
                            },
                        },
                    },
                    "kpis": {
                        "type": "array",
                        "maxItems": 50,
                        "items": {
                            "type": "object",
                            "required": ["name", "target"],
                            "additionalProperties": False,
                            "properties": {
                                "name": TEXT,
                                "unit": {"type": "string", "maxLength": 30},
                                "target": NUMBER,
                                "higher_is_better": {"type": "boolean"},
                                "values": {
                                    "type": "array",
                                    "maxItems": 200,
                                    "items": {
                                        "type": "object",
                                        "required": ["from", "to", "value"],
                                        "additionalProperties": False,
                                        "properties": {"from": DATE, "to": DATE, "value": NUMBER},
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}


def _number_check(ctx: LoadContext, validator, value: str, path: str) -> str:
    from django.core.exceptions import ValidationError

    try:
        validator(value)
    except ValidationError as exc:
        ctx.problem(path, " ".join(exc.messages))
    return compact(value)


def load_providers(ctx: LoadContext, items: list[dict]) -> None:
    if ctx.region is None:
        ctx.fail("providers", "de sectie 'region' ontbreekt.")
    for i, item in enumerate(items):
        path = f"providers[{i}]"
        kvk = _number_check(ctx, validate_kvk, item["kvk"], f"{path}.kvk")
        values = {
            "name": item["name"].strip(),
            "vat_number": _number_check(ctx, validate_vat, item.get("vat", ""), f"{path}.vat"),
            "agb_code": _number_check(ctx, validate_agb, item.get("agb", ""), f"{path}.agb"),
            "city": item.get("city", ""),
            "website": item.get("website", ""),
            "in_kind": item.get("in_kind", True),
            "personal_budget": item.get("personal_budget", False),
        }
        chosen = set(item["domains"])
        values.update({field: domain.value in chosen for domain, field in Provider.DOMAIN_FIELDS.items()})
        provider = ctx.upsert(Provider, {"region": ctx.region, "kvk_number": kvk}, values, path)
        if provider is None or provider.pk is None:
            continue
        for k, contact in enumerate(item.get("contacts", [])):
            where = f"{path}.contacts[{k}]"
            deputy = contact.get("deputy")
            main = ctx.upsert(
                ContactPerson,
                {"provider": provider, "email": contact["email"], "deputy_for": None},
                _person(contact),
                where,
            )
            if deputy and main is not None and main.pk:
                ctx.upsert(
                    ContactPerson,
                    {"provider": provider, "email": deputy["email"], "deputy_for": main},
                    _person(deputy),
                    f"{where}.deputy",
                )
    ctx.raise_if_problems()
    _link_parties(ctx)


def _person(item: dict) -> dict:
    return {key: item.get(key, "") for key in ("name", "function", "topic", "phone")}


def _link_parties(ctx: LoadContext) -> None:
    """Point the region's provider parties named only as text (MH bijlage 1) at the provider with that name."""
    from agreements.models import Party, PartyRole

    linked = ProviderParty.objects.unrestricted("regiobestand: koppelingen van de eigen regio").values("party_id")
    parties = (
        Party.objects.unrestricted("regiobestand: de partijen van de eigen regio")
        .filter(agreement__region=ctx.region, role=PartyRole.PROVIDER, municipality__isnull=True)
        .exclude(pk__in=linked)
        .exclude(provider_name="")
    )
    register = Provider.objects.unrestricted("regiobestand: het register van de eigen regio").filter(region=ctx.region)
    by_name = {p.name.casefold(): p for p in register}
    for party in parties:
        provider = by_name.get(party.provider_name.strip().casefold())
        if provider is not None:
            ProviderParty.objects.create(party=party, provider=provider)
            ctx.counts["created"] += 1


def load_contracts(ctx: LoadContext, value: dict) -> None:
    if ctx.region is None:
        ctx.fail("contracts", "de sectie 'region' ontbreekt.")
    for year, amount in value.get("frames", {}).items():
        number = _amount(ctx, amount, f"contracts.frames.{year}")
        if number is not None:
            ctx.upsert(
                PurchasingFrame,
                {"region": ctx.region, "year": int(year)},
                {"amount": number},
                f"contracts.frames.{year}",
            )
    register = Provider.objects.unrestricted("regiobestand: het register van de eigen regio").filter(region=ctx.region)
    providers = {p.kvk_number: p for p in register}
    for i, item in enumerate(value.get("items", [])):
        path = f"contracts.items[{i}]"
        provider = providers.get(compact(item["provider"]))
        starts_on, ends_on = (
            ctx.date(item["starts_on"], f"{path}.starts_on"),
            ctx.date(item["ends_on"], f"{path}.ends_on"),
        )
        if provider is None:
            ctx.problem(f"{path}.provider", f"geen aanbieder met KvK-nummer '{item['provider']}' in 'providers'.")
            continue
        if starts_on is None or ends_on is None:
            continue
        other = FrameworkContract.objects.unrestricted("regiobestand: kenmerk uniek over de regio's heen")
        if other.filter(reference=item["reference"]).exclude(region=ctx.region).exists():
            ctx.problem(f"{path}.reference", "dit kenmerk is al in gebruik.")
            continue
        values = {
            "provider": provider,
            "title": item["title"],
            "starts_on": starts_on,
            "ends_on": ends_on,
            "extension_options": item.get("extension_options", 0),
            "extension_months": item.get("extension_months", 12),
            "notice_months": item.get("notice_months", 6),
        }
        existing = other.filter(region=ctx.region, reference=item["reference"]).first()
        if existing is not None and existing.status != ContractStatus.DRAFT:
            # Past the draft, a contract changes through its services only (consents, signature, extension).
            if any(getattr(existing, key) != value for key, value in values.items()):
                ctx.problem(
                    path,
                    f"raamcontract {existing.reference} is {existing.get_status_display().lower()}: "
                    "wijzig het niet via een regiobestand.",
                )
                continue
            ctx.counts["unchanged"] += 1
            contract = existing
        else:
            lookup = {"region": ctx.region, "reference": item["reference"]}
            contract = ctx.upsert(FrameworkContract, lookup, values, path)
        if contract is None or contract.pk is None:
            continue
        _load_contract_parts(ctx, contract, item, path)
    ctx.raise_if_problems()
    _check_frames(ctx)


def _load_contract_parts(ctx: LoadContext, contract, item: dict, path: str) -> None:
    for year, amount in item.get("budgets", {}).items():
        number = _amount(ctx, amount, f"{path}.budgets.{year}")
        if number is not None:
            ctx.upsert(
                ContractBudget, {"contract": contract, "year": int(year)}, {"amount": number}, f"{path}.budgets.{year}"
            )
    for k, product in enumerate(item.get("products", [])):
        where = f"{path}.products[{k}]"
        row = ctx.upsert(
            ContractProduct,
            {"contract": contract, "code": product["code"]},
            {"name": product["name"], "unit": product.get("unit", Unit.HOUR)},
            where,
        )
        if row is None or row.pk is None:
            continue
        previous = None
        for year, amount in sorted(product.get("tariffs", {}).items()):
            number = _amount(ctx, amount, f"{where}.tariffs.{year}")
            if number is None:
                continue
            # The indexation is what the file's tariffs imply from one year to the next, to three decimals.
            indexation = ((number / previous - 1) * 100).quantize(Decimal("0.001")) if previous else None
            ctx.upsert(
                Tariff, {"product": row, "year": int(year)}, {"amount": number, "indexation": indexation}, where
            )
            previous = number
    for k, kpi in enumerate(item.get("kpis", [])):
        where = f"{path}.kpis[{k}]"
        target = ctx.decimal(kpi["target"], f"{where}.target")
        if target is None:
            continue
        values = {"unit": kpi.get("unit", ""), "target": target, "higher_is_better": kpi.get("higher_is_better", True)}
        row = ctx.upsert(Kpi, {"contract": contract, "name": kpi["name"]}, values, where)
        if row is None or row.pk is None:
            continue
        for v, measured in enumerate(kpi.get("values", [])):
            at = f"{where}.values[{v}]"
            start, end = ctx.date(measured["from"], f"{at}.from"), ctx.date(measured["to"], f"{at}.to")
            number = ctx.decimal(measured["value"], f"{at}.value")
            if start and end and number is not None:
                ctx.upsert(KpiValue, {"kpi": row, "period_start": start}, {"period_end": end, "value": number}, at)


def _amount(ctx: LoadContext, value, path: str) -> Decimal | None:
    number = ctx.decimal(value, path)
    if number is not None and (not number.is_finite() or number < 0 or number >= Decimal("1e12")):
        ctx.problem(path, "een bedrag ligt tussen 0 en 999.999.999.999,99.")
        return None
    return number.quantize(Decimal("0.01")) if number is not None else None


def _check_frames(ctx: LoadContext) -> None:
    """The budgets per provider stay within the region's financial frame of their year (BNO 4)."""
    from django.db.models import Sum

    budgets = ContractBudget.objects.unrestricted("regiobestand: de budgetten van de eigen regio")
    totals = budgets.filter(contract__region=ctx.region).values("year").annotate(total=Sum("amount"))
    frames = PurchasingFrame.objects.unrestricted("regiobestand: de kaders van de eigen regio").filter(
        region=ctx.region
    )
    frame_of = {f.year: f.amount for f in frames}
    for row in totals:
        frame = frame_of.get(row["year"])
        if frame is None:
            ctx.problem(
                f"contracts.frames.{row['year']}", f"er zijn budgetten voor {row['year']} maar geen financieel kader."
            )
        elif row["total"] > frame:
            ctx.problem(
                f"contracts.frames.{row['year']}",
                f"de budgetten van {row['year']} gaan boven het financieel kader uit (BNO 4).",
            )
    ctx.raise_if_problems()


def register() -> None:
    register_section(
        Section(
            "providers",
            PROVIDERS_SCHEMA,
            load_providers,
            order=70,  # after the agreements (order 40-50): their provider parties are linked here
            models=("inkoop.Provider", "inkoop.ContactPerson", "inkoop.ProviderParty"),
        )
    )
    register_section(
        Section(
            "contracts",
            CONTRACTS_SCHEMA,
            load_contracts,
            order=71,
            models=(
                "inkoop.PurchasingFrame",
                "inkoop.FrameworkContract",
                "inkoop.ContractProduct",
                "inkoop.Tariff",
                "inkoop.ContractBudget",
                "inkoop.Kpi",
                "inkoop.KpiValue",
            ),
        )
    )

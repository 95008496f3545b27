"""Region-file sections of governance that are set up once (issue #15): the privacy agreements register (WM-SO
11.1-11.2, annexes 5 and 6) and the subregions with their delegate (BNO 9.4-9.5)::

    processing_agreements:
      - code: WM-VWO-2025
        title: Verwerkersovereenkomst Westelijke Mijnstreek
        kind: verwerkersovereenkomst          # or gezamenlijk (joint controllers, art. 26 AVG)
        domain: algemeen                      # beschermd_wonen, toezicht
        agreement: WM-SO-2025
        article: WM-SO 11.1
        annex: bijlage 5
        signed_on: 2025-08-21
        from: 2025-04-01
        until: null
        parties:
          - {municipality: GM1883, role: verwerker}
          - {municipality: GM0971, role: verwerkingsverantwoordelijke}
    subregions:
      - {agreement: BNO-2020, name: Maasland, members: [GM0828, GM1721], delegate: ..., delegate_municipality: GM0828,
         deputy: ..., article: BNO 9.4}

Loaded with ``ctx.upsert`` (a second import changes nothing); a party or member that is not a municipality of the
region, or an unknown agreement, refuses the file whole with the path.
"""

from __future__ import annotations

from agreements.models import (
    ProcessingAgreement,
    ProcessingDomain,
    ProcessingKind,
    ProcessingParty,
    ProcessingRole,
    Subregion,
)
from agreements.regionfile import CBS, CODE, DATE, DATE_OR_NULL, _agreement
from regio.regionfile.registry import LoadContext, Section, register_section

SHORT = {"type": "string", "maxLength": 100}

PROCESSING_SCHEMA = {
    "type": "array",
    "maxItems": 100,
    "items": {
        "type": "object",
        "required": ["code", "title", "kind", "domain", "agreement", "from", "parties"],
        "additionalProperties": False,
        "properties": {
            "code": {**CODE, "maxLength": 60},
            "title": {"type": "string", "minLength": 1, "maxLength": 300},
            "kind": {"enum": list(ProcessingKind.values)},
            "domain": {"enum": list(ProcessingDomain.values)},
            "agreement": CODE,
            "article": SHORT,
            "annex": SHORT,
            "signed_on": DATE,
            "from": DATE,
            "until": DATE_OR_NULL,
            "parties": {
                "type": "array",
                "minItems": 1,
                "maxItems": 50,
                "items": {
                    "type": "object",
                    "required": ["municipality", "role"],
                    "additionalProperties": False,
                    "properties": {"municipality": CBS, "role": {"enum": list(ProcessingRole.values)}},
                },
            },
        },
    },
}
SUBREGIONS_SCHEMA = {
    "type": "array",
    "maxItems": 50,
    "items": {
        "type": "object",
        "required": ["agreement", "name", "members"],
        "additionalProperties": False,
        "properties": {
            "agreement": CODE,
            "name": {"type": "string", "minLength": 1, "maxLength": 200},
            "members": {"type": "array", "minItems": 1, "maxItems": 50, "items": CBS},
            "delegate": {"type": "string", "maxLength": 200},
            "delegate_municipality": CBS,
            "deputy": {"type": "string", "maxLength": 200},
            "article": SHORT,
        },
    },
}


def _region_member(ctx: LoadContext, code: str, path: str):
    municipality = ctx.municipality(code, path)
    if municipality is not None and not municipality.memberships.filter(region=ctx.region).exists():
        ctx.problem(path, f"{municipality.name} is geen lid van {ctx.region.name}.")
        return None
    return municipality


def load_processing_agreements(ctx: LoadContext, items: list[dict]) -> None:
    for i, item in enumerate(items):
        path = f"processing_agreements[{i}]"
        agreement = _agreement(ctx, item["agreement"], f"{path}.agreement")
        parties = [
            (_region_member(ctx, p["municipality"], f"{path}.parties[{k}].municipality"), p["role"])
            for k, p in enumerate(item["parties"])
        ]
        if len({p["municipality"] for p in item["parties"]}) != len(item["parties"]):
            ctx.problem(f"{path}.parties", "Een gemeente staat twee keer bij deze overeenkomst.")
        taken = ProcessingAgreement.objects.unrestricted("is de code van een andere regio?").filter(code=item["code"])
        if taken.exclude(region=ctx.region).exists():
            ctx.problem(f"{path}.code", f"De code {item['code']} hoort bij een andere regio.")
        ctx.raise_if_problems()
        processing = ctx.upsert(
            ProcessingAgreement,
            {"code": item["code"]},
            {
                "region": ctx.region,
                "title": item["title"],
                "kind": item["kind"],
                "domain": item["domain"],
                "agreement": agreement,
                "article": item.get("article", ""),
                "annex": item.get("annex", ""),
                "signed_on": ctx.date(item.get("signed_on"), f"{path}.signed_on"),
                "effective_from": ctx.date(item["from"], f"{path}.from"),
                "effective_until": ctx.date(item.get("until"), f"{path}.until"),
            },
            path,
        )
        if processing is None:
            continue
        for k, (municipality, role) in enumerate(parties):
            ctx.upsert(
                ProcessingParty,
                {"processing_agreement": processing, "municipality": municipality},
                {"role": role},
                f"{path}.parties[{k}]",
            )


def load_subregions(ctx: LoadContext, items: list[dict]) -> None:
    for i, item in enumerate(items):
        path = f"subregions[{i}]"
        agreement = _agreement(ctx, item["agreement"], f"{path}.agreement")
        members = [_region_member(ctx, code, f"{path}.members[{k}]") for k, code in enumerate(item["members"])]
        delegate_of = item.get("delegate_municipality")
        delegate_municipality = (
            _region_member(ctx, delegate_of, f"{path}.delegate_municipality") if delegate_of else None
        )
        if delegate_of and delegate_of not in item["members"]:
            ctx.problem(f"{path}.delegate_municipality", "De vertegenwoordiger komt uit een gemeente van de subregio.")
        ctx.raise_if_problems()
        subregion = ctx.upsert(
            Subregion,
            {"agreement": agreement, "name": item["name"]},
            {
                "delegate": item.get("delegate", ""),
                "delegate_municipality": delegate_municipality,
                "deputy": item.get("deputy", ""),
                "article": item.get("article", ""),
            },
            path,
        )
        if subregion is None:
            continue
        wanted = {m.pk for m in members}
        if set(subregion.members.values_list("pk", flat=True)) != wanted:
            subregion.members.set(wanted)
            ctx.counts["updated"] += 1


def register() -> None:
    register_section(
        Section(
            "processing_agreements",
            PROCESSING_SCHEMA,
            load_processing_agreements,
            order=55,
            description="Privacyovereenkomsten (WM-SO 11.1-11.2)",
            models=("agreements.ProcessingAgreement", "agreements.ProcessingParty"),
        )
    )
    register_section(
        Section(
            "subregions",
            SUBREGIONS_SCHEMA,
            load_subregions,
            order=56,
            description="Subregio's en hun vertegenwoordiger (BNO 9.4-9.5)",
            models=("agreements.Subregion",),
        )
    )

"""Region-file sections of this app: ``agreements``, ``mandates`` and ``meetings`` (issue #4).

Each loader only upserts (``ctx.upsert``), so importing the same file twice changes nothing. Problems are reported
with the path inside the file, in plain Dutch.
"""

from __future__ import annotations

from django.db.models import Q

from agreements.models import (
    VAT_NEEDS_REASON,
    Agreement,
    AgreementKind,
    EscalationRoute,
    InterestKind,
    Mandate,
    MandatedBody,
    Meeting,
    MeetingKind,
    MeetingRequirement,
    Party,
    PartyRole,
    PlanObligation,
    Power,
    Recurrence,
    VatTreatment,
)
from regio.regionfile.loader import DATE_PATTERN
from regio.regionfile.registry import LoadContext, Section, register_section

CBS = {"type": "string", "pattern": r"^GM\d{4}$", "description": "GM gevolgd door vier cijfers, bijv. GM1883"}
DATE = {"type": "string", "pattern": DATE_PATTERN, "description": "datum als JJJJ-MM-DD"}
DATE_OR_NULL = {"anyOf": [DATE, {"type": "null"}]}
CODE = {
    "type": "string",
    "pattern": r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$",
    "description": "letters en cijfers met koppeltekens, bijv. WM-SO-2025",
}
TEXT = {"type": "string"}
ARTICLE_KEYS = [
    "notice",
    "first_end",
    "fixed_day",
    "only_on",
    "after_decision",
    "registered_letter",
    "special_circumstances",
    "obligations",
    "term",
    "default_notice",
    "ends_with",
]

PARTY_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "municipality": CBS,
        "provider": {"type": "string", "minLength": 1},
        "role": {"enum": list(PartyRole.values)},
        "signatory": TEXT,
        "function": TEXT,
        "represented_by": TEXT,
        "college_decision": DATE,
        "signed": DATE,
        "joined": DATE,
        "left": DATE,
    },
    "oneOf": [{"required": ["municipality"]}, {"required": ["provider"]}],
}
EXIT_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "first_possible_end": DATE,
        "min_notice_months": {"type": "integer", "minimum": 0},
        "fixed_end": {
            "type": "object",
            "required": ["month", "day"],
            "additionalProperties": False,
            "properties": {
                "month": {"type": "integer", "minimum": 1, "maximum": 12},
                "day": {"type": "integer", "minimum": 1, "maximum": 31},
            },
        },
        "only_on": DATE,
        "min_months_after_decision": {"type": "integer", "minimum": 0},
        "registered_letter": {"type": "boolean"},
        "special_circumstances": {"type": "boolean"},
        "obligations_until": DATE,
        "obligations": TEXT,
        "default_notice_days": {"type": "integer", "minimum": 0},
        "articles": {
            "type": "object",
            "propertyNames": {"enum": ARTICLE_KEYS},
            "additionalProperties": {"type": "string"},
        },
    },
}
PLAN_SCHEMA = {
    "type": "object",
    "required": ["key", "title", "due", "first_year"],
    "additionalProperties": False,
    "properties": {
        "key": {"type": "string", "pattern": r"^[a-z0-9-]+$", "description": "kleine letters, cijfers en -"},
        "title": {"type": "string", "minLength": 1},
        "article": TEXT,
        "recurrence": {"enum": list(Recurrence.values)},
        "due": {"type": "string", "pattern": r"^\d{2}-\d{2}$", "description": "maand-dag als MM-DD, bijv. 03-31"},
        "first_year": {"type": "integer", "minimum": 1900},
        "last_year": {"type": "integer", "minimum": 1900},
    },
}
AGREEMENTS_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["code", "kind", "title", "effective_from", "parties"],
        "additionalProperties": False,
        "properties": {
            "code": CODE,
            "kind": {"enum": list(AgreementKind.values)},
            "title": {"type": "string", "minLength": 1},
            "citation_title": TEXT,
            "coordinator": CBS,
            "effective_from": DATE,
            "effective_until": DATE_OR_NULL,
            "signed_on": DATE,
            "replaces": CODE,
            "replaces_text": TEXT,
            "elaborates": CODE,
            "parties": {"type": "array", "minItems": 1, "items": PARTY_SCHEMA},
            "exit": EXIT_SCHEMA,
            "accession_rule": TEXT,
            "amendment_rule": TEXT,
            "consent_needs_council": {"type": "boolean"},
            # issue #15: BNO 13.2 (advice before the colleges), BNO 15.1 (withdrawal after the council's consent),
            # and the escalation of disputes the agreement offers (WM-SO 14.4; MH 10.4; art. 28 Wgr).
            "amendment_needs_advice": {"type": "boolean"},
            "withdrawal_needs_council": {"type": "boolean"},
            "dispute_routes": {
                "type": "array",
                "maxItems": 3,
                "items": {
                    "type": "object",
                    "required": ["route"],
                    "additionalProperties": False,
                    "properties": {
                        "route": {"enum": list(EscalationRoute.values)},
                        "article": {"type": "string", "maxLength": 100},
                        "forum": {"type": "string", "maxLength": 200},
                    },
                },
            },
            "payment_term_days": {"type": "integer", "minimum": 0},
            "interest": {"enum": list(InterestKind.values)},
            # VAT per agreement (issue 12): WM-SO 6.8 "Over de dienstverlening van de gemeente Sittard-Geleen is BTW
            # verschuldigd"; exempt and outside the scope need the reason (EN 16931 BR-E-10, BR-O-10).
            "vat": {
                "type": "object",
                "required": ["rate"],
                "additionalProperties": False,
                "properties": {
                    "rate": {"enum": list(VatTreatment.values)},
                    "reason": TEXT,
                    "article": TEXT,
                    "exemption_code": {
                        "type": "string",
                        "pattern": r"^VATEX-[A-Z0-9-]{1,24}$",
                        "description": "code uit de VATEX-lijst, bijv. VATEX-EU-O",
                    },
                },
            },
            "meetings_per_year": {
                "type": "object",
                "propertyNames": {"enum": list(MeetingKind.values)},
                "additionalProperties": {
                    "type": "object",
                    "required": ["count"],
                    "additionalProperties": False,
                    "properties": {"count": {"type": "integer", "minimum": 0}, "article": TEXT},
                },
            },
            "plans": {"type": "array", "items": PLAN_SCHEMA},
        },
    },
}
MANDATES_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["agreement", "mandating", "mandated", "body", "powers", "from"],
        "additionalProperties": False,
        "properties": {
            "agreement": CODE,
            "mandating": CBS,
            "mandated": CBS,
            "body": {"enum": list(MandatedBody.values)},
            "powers": {"type": "array", "minItems": 1, "items": {"enum": list(Power.values)}},
            "detail": TEXT,
            "sub_mandate_allowed": {"type": "boolean"},
            "sub_mandate_to": TEXT,
            "legal_basis": TEXT,
            "from": DATE,
            "until": DATE,
        },
    },
}
MEETINGS_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["kind", "date"],
        "additionalProperties": False,
        "properties": {
            "kind": {"enum": list(MeetingKind.values)},
            "date": DATE,
            "agreement": CODE,
            "title": TEXT,
            "agenda": TEXT,
            "participants": {"type": "array", "items": CBS},
        },
    },
}


def _agreement(ctx: LoadContext, code: str, path: str) -> Agreement | None:
    found = ctx.cache.setdefault("agreements", {})
    if code not in found:
        found[code] = Agreement.objects.unrestricted().filter(code=code).first()
    agreement = found[code]
    if agreement is None:
        ctx.problem(path, f"onbekende overeenkomst '{code}': voeg haar toe onder 'agreements'.")
    elif ctx.region is not None and agreement.region_id != ctx.region.pk:
        ctx.problem(path, f"overeenkomst '{code}' hoort bij een andere regio.")
        return None
    return agreement


def _vat_values(ctx: LoadContext, vat: dict | None, path: str) -> dict:
    """The agreement's VAT treatment (issue 12); without a ``vat`` key the 21 % every invoice had before."""
    vat = vat or {"rate": VatTreatment.STANDARD}
    values = {
        "vat_rate": vat["rate"],
        "vat_reason": vat.get("reason", "").strip(),
        "vat_article": vat.get("article", "").strip(),
        "vat_exemption_code": vat.get("exemption_code", ""),
    }
    if values["vat_rate"] in VAT_NEEDS_REASON and not values["vat_reason"]:
        ctx.problem(f"{path}.reason", "geef de reden van de vrijstelling of waarom de btw buiten de reikwijdte valt.")
    return values


def load_agreements(ctx: LoadContext, items: list[dict]) -> None:
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        if item["code"] in seen:
            ctx.problem(
                f"agreements[{i}].code",
                f"'{item['code']}' staat dubbel in het bestand (ook bij [{seen[item['code']]}]).",
            )
        seen.setdefault(item["code"], i)
        existing = Agreement.objects.unrestricted().filter(code=item["code"]).exclude(region=ctx.region).first()
        if existing is not None:
            ctx.problem(f"agreements[{i}].code", f"de code '{item['code']}' is al in gebruik bij een andere regio.")
    ctx.raise_if_problems()
    cache = ctx.cache.setdefault("agreements", {})
    for i, item in enumerate(items):
        path = f"agreements[{i}]"
        exit_rules = item.get("exit", {})
        fixed = exit_rules.get("fixed_end") or {}
        values = {
            "kind": item["kind"],
            "title": item["title"],
            "citation_title": item.get("citation_title", ""),
            "region": ctx.region,
            "coordinator": ctx.municipality(item["coordinator"], f"{path}.coordinator")
            if item.get("coordinator")
            else None,
            "effective_from": ctx.date(item["effective_from"], f"{path}.effective_from"),
            "effective_until": ctx.date(item.get("effective_until"), f"{path}.effective_until"),
            "signed_on": ctx.date(item.get("signed_on"), f"{path}.signed_on"),
            "replaces_text": item.get("replaces_text", ""),
            "exit_first_possible_end": ctx.date(
                exit_rules.get("first_possible_end"), f"{path}.exit.first_possible_end"
            ),
            "exit_min_notice_months": exit_rules.get("min_notice_months"),
            "exit_fixed_end_month": fixed.get("month"),
            "exit_fixed_end_day": fixed.get("day"),
            "exit_only_on": ctx.date(exit_rules.get("only_on"), f"{path}.exit.only_on"),
            "exit_min_months_after_decision": exit_rules.get("min_months_after_decision"),
            "exit_requires_registered_letter": bool(exit_rules.get("registered_letter", False)),
            "exit_requires_special_circumstances": bool(exit_rules.get("special_circumstances", False)),
            "exit_obligations_until": ctx.date(exit_rules.get("obligations_until"), f"{path}.exit.obligations_until"),
            "exit_obligations_text": exit_rules.get("obligations", ""),
            "exit_citations": exit_rules.get("articles", {}),
            "default_notice_days": exit_rules.get("default_notice_days"),
            "accession_rule": item.get("accession_rule", ""),
            "amendment_rule": item.get("amendment_rule", ""),
            "consent_needs_council": bool(item.get("consent_needs_council", False)),
            "amendment_needs_advice": bool(item.get("amendment_needs_advice", False)),
            "withdrawal_needs_council": bool(item.get("withdrawal_needs_council", False)),
            "dispute_routes": list(item.get("dispute_routes", [])),
            "payment_term_days": item.get("payment_term_days", 30),
            "interest_kind": item.get("interest", InterestKind.NON_COMMERCIAL),
            **_vat_values(ctx, item.get("vat"), f"{path}.vat"),
        }
        ctx.raise_if_problems()
        agreement = ctx.upsert(Agreement, {"code": item["code"]}, values, path)
        cache[item["code"]] = agreement
    ctx.raise_if_problems()
    # Links may point to agreements later in the file: set them once all exist.
    for i, item in enumerate(items):
        path = f"agreements[{i}]"
        links = {}
        for key in ("replaces", "elaborates"):
            links[key] = _agreement(ctx, item[key], f"{path}.{key}") if item.get(key) else None
        ctx.raise_if_problems()
        cache[item["code"]] = ctx.upsert(Agreement, {"code": item["code"]}, links, path)
    ctx.raise_if_problems()
    for i, item in enumerate(items):
        agreement = cache[item["code"]]
        parent = agreement.elaborates
        if (
            parent
            and parent.effective_until
            and (agreement.effective_until is None or agreement.effective_until > parent.effective_until)
        ):
            ctx.problem(
                f"agreements[{i}].effective_until",
                f"{agreement.code} werkt {parent.code} uit en eindigt daarmee van rechtswege (WM-DVO 8.4): "
                f"zet effective_until op {parent.effective_until.isoformat()} of eerder.",
            )
    ctx.raise_if_problems()
    for item in items:
        agreement = cache[item["code"]]
        if agreement.effective_until and _outlasting(agreement):
            # WM-SO 15.3, WM-DVO 8.4: an agreement that now ends takes its mandates and elaborations with it.
            from agreements.services import end_agreement

            end_agreement(
                user=ctx.actor,
                agreement=agreement,
                last_day=agreement.effective_until,
                reason=f"regiobestand {ctx.filename}",
            )
            ctx.counts["updated"] += 1
    for i, item in enumerate(items):
        agreement = cache[item["code"]]
        _load_parties(ctx, agreement, item["parties"], f"agreements[{i}].parties")
        for kind, spec in item.get("meetings_per_year", {}).items():
            ctx.upsert(
                MeetingRequirement,
                {"agreement": agreement, "kind": kind},
                {"per_year": spec["count"], "article": spec.get("article", "")},
                f"agreements[{i}].meetings_per_year.{kind}",
            )
        for k, plan in enumerate(item.get("plans", [])):
            ppath = f"agreements[{i}].plans[{k}]"
            month, day = (int(x) for x in plan["due"].split("-"))
            ctx.upsert(
                PlanObligation,
                {"agreement": agreement, "key": plan["key"]},
                {
                    "title": plan["title"],
                    "article": plan.get("article", ""),
                    "recurrence": plan.get("recurrence", Recurrence.YEARLY),
                    "due_month": month,
                    "due_day": day,
                    "first_year": plan["first_year"],
                    "last_year": plan.get("last_year"),
                },
                ppath,
            )


def _outlasting(agreement: Agreement) -> bool:
    """Whether a mandate or an elaborating agreement runs on after the agreement's last day."""
    end = agreement.effective_until
    late = Q(valid_until__isnull=True) | Q(valid_until__gt=end)
    if Mandate.objects.unrestricted().filter(agreement=agreement).filter(late).exists():
        return True
    late_child = Q(effective_until__isnull=True) | Q(effective_until__gt=end)
    return Agreement.objects.unrestricted().filter(elaborates=agreement).filter(late_child).exists()


def _load_parties(ctx: LoadContext, agreement: Agreement, parties: list[dict], base: str) -> None:
    seen = set()
    for k, party in enumerate(parties):
        path = f"{base}[{k}]"
        who = party.get("municipality") or party.get("provider")
        if who in seen:
            ctx.problem(path, f"'{who}' staat dubbel bij deze overeenkomst.")
            continue
        seen.add(who)
        values = {
            "role": party.get("role", PartyRole.MEMBER),
            "signatory": party.get("signatory", ""),
            "signatory_function": party.get("function", ""),
            "represented_by": party.get("represented_by", ""),
            "college_decision_on": ctx.date(party.get("college_decision"), f"{path}.college_decision"),
            "signed_on": ctx.date(party.get("signed"), f"{path}.signed"),
            "joined_on": ctx.date(party.get("joined"), f"{path}.joined"),
            "left_on": ctx.date(party.get("left"), f"{path}.left"),
        }
        if party.get("municipality"):
            municipality = ctx.municipality(party["municipality"], f"{path}.municipality")
            if municipality is None:
                continue
            lookup = {"agreement": agreement, "municipality": municipality}
        else:
            lookup = {"agreement": agreement, "municipality": None, "provider_name": party["provider"]}
        ctx.upsert(Party, lookup, values, path)
    ctx.raise_if_problems()


def load_mandates(ctx: LoadContext, items: list[dict]) -> None:
    for i, item in enumerate(items):
        path = f"mandates[{i}]"
        agreement = _agreement(ctx, item["agreement"], f"{path}.agreement")
        mandating = ctx.municipality(item["mandating"], f"{path}.mandating")
        mandated = ctx.municipality(item["mandated"], f"{path}.mandated")
        valid_from = ctx.date(item["from"], f"{path}.from")
        if agreement is None or mandating is None or mandated is None or valid_from is None:
            continue
        ctx.upsert(
            Mandate,
            {
                "agreement": agreement,
                "mandating": mandating,
                "mandated": mandated,
                "mandated_body": item["body"],
                "valid_from": valid_from,
            },
            {
                "powers": list(item["powers"]),
                "detail": item.get("detail", ""),
                "sub_mandate_allowed": bool(item.get("sub_mandate_allowed", False)),
                "sub_mandate_to": item.get("sub_mandate_to", ""),
                "legal_basis": item.get("legal_basis", ""),
                "valid_until": ctx.date(item.get("until"), f"{path}.until"),
            },
            path,
        )


def load_meetings(ctx: LoadContext, items: list[dict]) -> None:
    for i, item in enumerate(items):
        path = f"meetings[{i}]"
        agreement = _agreement(ctx, item["agreement"], f"{path}.agreement") if item.get("agreement") else None
        on = ctx.date(item["date"], f"{path}.date")
        participants = [
            ctx.municipality(code, f"{path}.participants[{k}]") for k, code in enumerate(item.get("participants", []))
        ]
        ctx.raise_if_problems()
        meeting = ctx.upsert(
            Meeting,
            {"region": ctx.region, "kind": item["kind"], "date": on},
            {"agreement": agreement, "title": item.get("title", ""), "agenda": item.get("agenda", "")},
            path,
        )
        if meeting is None:
            continue
        wanted = {m.pk for m in participants}
        if set(meeting.participants.values_list("pk", flat=True)) != wanted:
            meeting.participants.set(wanted)
            ctx.counts["updated"] += 1


def register() -> None:
    register_section(
        Section(
            "agreements",
            AGREEMENTS_SCHEMA,
            load_agreements,
            order=40,
            description="Overeenkomsten (issue #4)",
            models=(
                "agreements.Agreement",
                "agreements.Party",
                "agreements.MeetingRequirement",
                "agreements.PlanObligation",
            ),
        )
    )
    register_section(
        Section(
            "mandates",
            MANDATES_SCHEMA,
            load_mandates,
            order=45,
            description="Mandaten",
            models=("agreements.Mandate",),
        )
    )
    register_section(
        Section(
            "meetings",
            MEETINGS_SCHEMA,
            load_meetings,
            order=50,
            description="Overleggen",
            models=("agreements.Meeting",),
        )
    )

"""The half-yearly monitoring report on care use (BNO 4): per member and compared with the other members, the care
use and its costs, the kinds of products, their volume and their overlap (samenloop), with members compared per
1.000 inhabitants (CBS population on 1 January, ``regio.PopulationFigure``).

The report is aggregates only: it names no client. Every member of the region's Wmo staff may read it (BNO 4: the
members receive it as steering information); supervisors and beschermd-wonen-only staff do not. The lines come from
the care use imported for it (``inkoop.CareUse``) and from the other apps' care-use sources (``regio.care_use``:
beschermd wonen's iWmo declaration lines).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations

from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.utils import translation

from inkoop.models import CareUse, ProductKind
from regio.care_use import care_use_sources
from regio.formatting import round_cents
from regio.models import Municipality, PopulationFigure
from regio.roles import Role
from regio.tenancy import VIEW, can, is_system, scope_of

REPORT_ROLES = (Role.CIVIL_SERVANT, Role.COORDINATOR, Role.PORTFOLIO_HOLDER, Role.FUNCTIONAL_ADMIN)
KIND_LABELS = dict(ProductKind.choices)
TOP_PROVIDERS = 15


def may_read_report(user, region) -> bool:
    if is_system(user):
        return True
    return can(user, VIEW, region) and scope_of(user).has_role(*REPORT_ROLES)


def require_report(user, region) -> None:
    if not may_read_report(user, region):
        raise PermissionDenied("U heeft geen toegang tot de monitorrapportage van deze regio.")


def half_period(year: int, half: int) -> tuple[date, date]:
    return (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))


def _ratio(part, whole, scale: int = 1000) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * scale / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _population(members, year: int) -> dict[int, tuple[int, date]]:
    """The inhabitants of each member on the latest 1 January not after the report's year (else the earliest known).
    A member formed by a merger without figures of its own counts its predecessors' (BNO considerans: Land van
    Cuijk and Maashorst since 2022)."""
    predecessors = dict(
        Municipality.objects.unrestricted("the region's members' predecessors (public CBS codes)")
        .filter(successor__in=members)
        .values_list("pk", "successor_id")
    )
    own: dict[int, tuple[int, date]] = {}
    rows = (
        PopulationFigure.objects.unrestricted("public CBS figures of the region's members")
        .filter(municipality__in=[*(m.pk for m in members), *predecessors])
        .order_by("municipality_id", "reference_date")
        .values_list("municipality_id", "reference_date", "inhabitants")
    )
    for municipality_id, reference, inhabitants in rows:
        if municipality_id not in own or reference.year <= year:
            own[municipality_id] = (inhabitants, reference)
    merged: dict[int, tuple[int, date]] = {}
    for predecessor, successor in predecessors.items():
        if predecessor in own:
            total, reference = merged.get(successor, (0, own[predecessor][1]))
            merged[successor] = (total + own[predecessor][0], min(reference, own[predecessor][1]))
    return {m.pk: own.get(m.pk) or merged[m.pk] for m in members if m.pk in own or m.pk in merged}


def _lines(region, year: int, half: int):
    """Every line of the half-year: (source, municipality, client, kind, provider, volume, amount)."""
    rows = (
        CareUse.objects.unrestricted("monitoring report: the caller checked the region; aggregates only")
        .filter(region=region, year=year, half=half)
        .values_list("municipality_id", "client_key", "kind", "provider_name", "volume", "amount")
    )
    for row in rows.iterator():
        yield ("import", *row)
    start, end = half_period(year, half)
    for name, source in care_use_sources().items():
        for line in source(region, start, end):
            yield (
                name,
                line.municipality_id,
                line.client_key,
                line.kind,
                line.provider_name,
                line.volume,
                line.amount,
            )


def report_figures(*, user, region, year: int, half: int) -> dict:
    """The figures of the report: plain values (Decimal, int, str), the same for the page, the PDF and the API."""
    require_report(user, region)
    start, end = half_period(year, half)
    members = sorted(region.members_on(end), key=lambda m: m.name)
    member_ids = {m.pk for m in members}
    population = _population(members, year)
    clients: dict[int, set] = defaultdict(set)
    kinds_of: dict[tuple[int, str], set] = defaultdict(set)
    cost: dict[int, Decimal] = defaultdict(Decimal)
    by_kind: dict[str, dict] = defaultdict(lambda: {"clients": set(), "volume": Decimal(0), "cost": Decimal(0)})
    kind_member: dict[tuple[str, int], set] = defaultdict(set)
    providers: dict[str, dict] = defaultdict(lambda: {"clients": set(), "cost": Decimal(0)})
    sources: Counter = Counter()
    for source, municipality_id, client, kind, provider, volume, amount in _lines(region, year, half):
        if municipality_id not in member_ids:
            continue
        sources[source] += 1
        key = (municipality_id, client)
        clients[municipality_id].add(client)
        kinds_of[key].add(kind)
        cost[municipality_id] += amount
        by_kind[kind]["clients"].add(key)
        by_kind[kind]["volume"] += volume
        by_kind[kind]["cost"] += amount
        kind_member[(kind, municipality_id)].add(client)
        if provider:
            providers[provider]["clients"].add(key)
            providers[provider]["cost"] += amount
    overlap_by_member: Counter = Counter()
    pairs: Counter = Counter()
    for (municipality_id, _client), kinds in kinds_of.items():
        if len(kinds) > 1:
            overlap_by_member[municipality_id] += 1
            pairs.update(combinations(sorted(kinds), 2))
    member_rows = []
    for m in members:
        inhabitants, reference = population.get(m.pk, (None, None))
        n = len(clients[m.pk])
        member_rows.append(
            {
                "code": m.code,
                "name": m.name,
                "inhabitants": inhabitants,
                "population_date": reference,
                "clients": n,
                "clients_per_1000": _ratio(n, inhabitants),
                "cost": round_cents(cost[m.pk]),
                "cost_per_inhabitant": _ratio(cost[m.pk], inhabitants, scale=1),
                "overlap_clients": overlap_by_member[m.pk],
                "overlap_percent": _ratio(overlap_by_member[m.pk], n, scale=100),
            }
        )
    kind_rows = []
    for kind in [k for k in ProductKind.values if k in by_kind]:
        data = by_kind[kind]
        kind_rows.append(
            {
                "kind": kind,
                "label": str(KIND_LABELS[kind]),
                "clients": len(data["clients"]),
                "volume": data["volume"],
                "cost": round_cents(data["cost"]),
                "per_member": [
                    {
                        "code": m.code,
                        "clients": len(kind_member[(kind, m.pk)]),
                        "clients_per_1000": _ratio(len(kind_member[(kind, m.pk)]), population.get(m.pk, (None,))[0]),
                    }
                    for m in members
                ],
            }
        )
    all_clients = sum(len(c) for c in clients.values())
    inhabitants_total = sum(population[m.pk][0] for m in members if m.pk in population)
    total_cost = round_cents(sum(cost.values(), Decimal(0)))
    provider_rows = sorted(
        (
            {"name": name, "clients": len(d["clients"]), "cost": round_cents(d["cost"])}
            for name, d in providers.items()
        ),
        key=lambda row: (-row["cost"], row["name"]),
    )[:TOP_PROVIDERS]
    return {
        "region": {"code": region.code, "name": region.name},
        "year": year,
        "half": half,
        "start": start,
        "end": end,
        "members": member_rows,
        "kinds": kind_rows,
        "overlap": {
            "clients": sum(overlap_by_member.values()),
            "pairs": [
                {"kinds": list(pair), "labels": [str(KIND_LABELS[k]) for k in pair], "clients": n}
                for pair, n in sorted(pairs.items(), key=lambda item: (-item[1], item[0]))[:10]
            ],
        },
        "providers": provider_rows,
        "totals": {
            "clients": all_clients,
            "inhabitants": inhabitants_total,
            "clients_per_1000": _ratio(all_clients, inhabitants_total),
            "cost": total_cost,
            "cost_per_inhabitant": _ratio(total_cost, inhabitants_total, scale=1),
        },
        "sources": dict(sorted(sources.items())),
    }


def chart_data(figures: dict) -> dict:
    """The three charts' series as strings of numbers (the page's JSON block; the tables carry the same figures)."""
    return {
        "members": [m["name"] for m in figures["members"]],
        "per_1000": [str(m["clients_per_1000"] or 0) for m in figures["members"]],
        "overlap": [str(m["overlap_percent"] or 0) for m in figures["members"]],
        "kinds": [k["label"] for k in figures["kinds"]],
        "kind_cost": [str(k["cost"]) for k in figures["kinds"]],
        "labels": {
            "per_1000": str(translation.gettext("Cliënten per 1.000 inwoners")),
            "overlap": str(translation.gettext("Cliënten met samenloop (%)")),
            "kind_cost": str(translation.gettext("Kosten per soort product (€)")),
        },
    }


def render_report_pdf(*, figures: dict) -> bytes:
    """The report as a PDF (WeasyPrint, the house style of the other PDFs), from its figures alone: no clock, no
    user, so the same figures give the same document."""
    from weasyprint import HTML

    with translation.override("nl"):
        html = render_to_string("inkoop/pdf/monitoring_report.html", {"figures": figures})
    return HTML(string=html, base_url=None).write_pdf()

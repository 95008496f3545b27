"""Region-file sections of toezicht (WM-DVO annex 4).

- ``fte_capacity``: supervision FTE per member per year (kept for the files that already use it).
- ``toezicht``: the supervision register of a region: ``capacity`` (FTE per member per year, the same records as
  ``fte_capacity``), ``productive_hours`` (per year, the norm behind 1 FTE) and ``supervisors``: the appointments
  (art. 6.1 lid 1 Wmo 2015) by the coordinating college under the members' mandates. An appointment is what gives a
  supervisor the municipalities' casework (the guardian grants follow it, ``services.sync_grants``), so a file no
  longer needs ``people[].supervises`` for a supervisor it appoints here.
"""

from __future__ import annotations

from regio.regionfile.core import CBS
from regio.regionfile.registry import LoadContext, Section, register_section
from toezicht.models import SupervisionCapacity

FTE_CAPACITY_SCHEMA = {
    "type": "array",
    "description": "toezichtcapaciteit per gemeente per jaar (DVO bijlage 4)",
    "items": {
        "type": "object",
        "required": ["year", "municipality", "fte"],
        "additionalProperties": False,
        "properties": {
            "year": {"type": "integer", "minimum": 2000, "maximum": 2100},
            "municipality": CBS,
            "fte": {"type": ["number", "string"], "description": "fte, bijv. 0.35"},
            "source": {"type": "string"},
        },
    },
}


def load_fte_capacity(ctx: LoadContext, items: list[dict]) -> None:
    if ctx.region is None:
        ctx.fail("fte_capacity", "de sectie 'region' ontbreekt.")
    load_fte_capacity_at(ctx, items, "fte_capacity")
    ctx.raise_if_problems()


TOEZICHT_SCHEMA = {
    "type": "object",
    "description": "toezicht Wmo: capaciteit, productieve uren en aangewezen toezichthouders (DVO bijlage 4)",
    "additionalProperties": False,
    "properties": {
        "capacity": FTE_CAPACITY_SCHEMA,
        "productive_hours": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["year", "hours"],
                "additionalProperties": False,
                "properties": {
                    "year": {"type": "integer", "minimum": 2000, "maximum": 2100},
                    "hours": {"type": ["number", "string"], "description": "productieve uren per fte, bijv. 1400"},
                },
            },
        },
        "supervisors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "username",
                    "kind",
                    "decision_date",
                    "decision_reference",
                    "municipalities",
                    "active_from",
                ],
                "additionalProperties": False,
                "properties": {
                    "username": {"type": "string", "maxLength": 150},
                    "kind": {"enum": ["quality", "lawfulness"]},
                    "decision_date": {"type": "string", "format": "date"},
                    "decision_reference": {"type": "string", "minLength": 1, "maxLength": 200},
                    "municipalities": {"type": "array", "minItems": 1, "maxItems": 100, "items": CBS},
                    "active_from": {"type": "string", "format": "date"},
                    "active_until": {"type": ["string", "null"], "format": "date"},
                },
            },
        },
    },
}


def load_toezicht(ctx: LoadContext, value: dict) -> None:
    """Capacity, productive hours and appointments of the region (WM-DVO annex 4). An appointment is found again by
    supervisor and decision reference, so a second import changes nothing; its mandates are checked by the same
    rule as on the page (``services.appoint_supervisor``: ``may_act`` with the power ``supervision``)."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from regio.models import User
    from regio.tenancy import system_actor
    from toezicht import services
    from toezicht.models import ProductiveHours, SupervisorAppointment

    if ctx.region is None:
        ctx.fail("toezicht", "de sectie 'region' ontbreekt.")
    load_fte_capacity_at(ctx, value.get("capacity", []), "toezicht.capacity")
    for i, item in enumerate(value.get("productive_hours", [])):
        path = f"toezicht.productive_hours[{i}]"
        hours = ctx.decimal(item["hours"], f"{path}.hours")
        if hours is None:
            continue
        if not 0 < hours <= 8784:
            ctx.problem(f"{path}.hours", "het aantal productieve uren ligt tussen 0 en 8784.")
            continue
        ctx.upsert(ProductiveHours, {"region": ctx.region, "year": item["year"]}, {"hours": hours}, path)
    ctx.raise_if_problems()
    actor = ctx.actor or system_actor("regiobestand toezicht")
    for i, item in enumerate(value.get("supervisors", [])):
        path = f"toezicht.supervisors[{i}]"
        supervisor = User.objects.filter(username=item["username"]).first()
        if supervisor is None:
            ctx.problem(f"{path}.username", f"onbekende persoon '{item['username']}': voeg die toe onder 'people'.")
            continue
        municipalities = [
            ctx.municipality(code, f"{path}.municipalities[{k}]") for k, code in enumerate(item["municipalities"])
        ]
        decision_date = ctx.date(item["decision_date"], f"{path}.decision_date")
        active_from = ctx.date(item["active_from"], f"{path}.active_from")
        active_until = ctx.date(item.get("active_until"), f"{path}.active_until")
        if None in municipalities or decision_date is None or active_from is None:
            continue
        # Only the region's own people: a file of one region cannot appoint someone of another (issue 10, finding 2).
        if not ctx.region.members_on(active_from).filter(pk=supervisor.municipality_id).exists():
            ctx.problem(f"{path}.username", f"'{item['username']}' werkt niet bij een lid van {ctx.region.name}.")
            continue
        existing = (
            SupervisorAppointment.objects.unrestricted("regiobestand: bestaande aanwijzing terugvinden")
            .filter(region=ctx.region, supervisor=supervisor, decision_reference=item["decision_reference"].strip())
            .first()
        )
        try:
            if existing is None:
                services.appoint_supervisor(
                    user=actor,
                    region=ctx.region,
                    supervisor=supervisor,
                    kind=item["kind"],
                    decision_date=decision_date,
                    decision_reference=item["decision_reference"],
                    municipalities=municipalities,
                    active_from=active_from,
                    active_until=active_until,
                )
                ctx.counts["created"] += 1
            elif existing.active_until != active_until and active_until is not None:
                services.end_appointment(user=actor, appointment=existing, active_until=active_until)
                ctx.counts["updated"] += 1
            else:
                ctx.counts["unchanged"] += 1
        except ValidationError as exc:
            for message in exc.messages:
                ctx.problem(path, message)
        except PermissionDenied as exc:
            ctx.problem(path, str(exc))
    ctx.raise_if_problems()


def load_fte_capacity_at(ctx: LoadContext, items: list[dict], where: str) -> None:
    for i, item in enumerate(items):
        path = f"{where}[{i}]"
        municipality = ctx.municipality(item["municipality"], f"{path}.municipality")
        fte = ctx.decimal(item["fte"], f"{path}.fte")
        if municipality is None or fte is None:
            continue
        if fte < 0:
            ctx.problem(f"{path}.fte", "het aantal fte kan niet negatief zijn.")
            continue
        ctx.upsert(
            SupervisionCapacity,
            {"region": ctx.region, "municipality": municipality, "year": item["year"]},
            {"fte": fte, "source": item.get("source", "")},
            path,
        )


def register() -> None:
    register_section(
        Section(
            "toezicht",
            TOEZICHT_SCHEMA,
            load_toezicht,
            order=60,  # after the agreements and their mandates (order 40-50): appointments rest on them
            models=("toezicht.SupervisionCapacity", "toezicht.ProductiveHours", "toezicht.SupervisorAppointment"),
        )
    )
    register_section(
        Section(
            "fte_capacity",
            FTE_CAPACITY_SCHEMA,
            load_fte_capacity,
            order=40,
            models=("toezicht.SupervisionCapacity",),
        )
    )

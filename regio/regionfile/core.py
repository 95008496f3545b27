"""The core sections of a region file: region, municipalities, members, people (issue #3)."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from regio.bounds import check_year
from regio.models import Membership, Municipality, PopulationFigure, Region, User, periods_overlap
from regio.regionfile.loader import DATE_PATTERN
from regio.regionfile.registry import LoadContext, Section, register_section
from regio.roles import MUNICIPAL_ROLES, ensure_role_groups

CBS = {"type": "string", "pattern": r"^GM\d{4}$", "description": "GM gevolgd door vier cijfers, bijv. GM1883"}
DATE = {"type": "string", "pattern": DATE_PATTERN, "description": "datum als JJJJ-MM-DD"}

REGION_SCHEMA = {
    "type": "object",
    "required": ["code", "name"],
    "additionalProperties": False,
    "properties": {
        "code": {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$", "description": "kleine letters en -"},
        "name": {"type": "string", "minLength": 1},
    },
}
MUNICIPALITIES_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["code", "name"],
        "additionalProperties": False,
        "properties": {
            "code": CBS,
            "name": {"type": "string", "minLength": 1},
            "active_from": DATE,
            "active_until": DATE,
            "successor": CBS,
            "population": {
                "type": "object",
                "description": "jaar: inwoners op 1 januari",
                "propertyNames": {"pattern": r"^\d{4}$"},
                "additionalProperties": {"type": "integer", "minimum": 0},
            },
            "population_source": {"type": "string"},
        },
    },
}
MEMBERS_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["municipality", "from"],
        "additionalProperties": False,
        "properties": {
            "municipality": CBS,
            "from": DATE,
            "until": DATE,
            "coordinating": {"type": "boolean"},
        },
    },
}
PEOPLE_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["username", "name", "email", "municipality", "roles"],
        "additionalProperties": False,
        "properties": {
            "username": {
                "type": "string",
                "pattern": r"^[a-z0-9._-]+$",
                "description": "kleine letters, cijfers, . _ -",
            },
            "name": {"type": "string", "minLength": 1},
            "email": {"type": "string", "pattern": r"^[^@\s]+@[^@\s]+\.[^@\s]+$", "description": "een e-mailadres"},
            "municipality": CBS,
            "roles": {"type": "array", "minItems": 1, "items": {"enum": MUNICIPAL_ROLES}},
            "supervises": {"type": "array", "items": CBS},
        },
    },
}


def load_region(ctx: LoadContext, value: dict) -> None:
    ctx.region = ctx.upsert(Region, {"code": value["code"]}, {"name": value["name"]}, "region")


def load_municipalities(ctx: LoadContext, items: list[dict]) -> None:
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        path = f"municipalities[{i}]"
        if item["code"] in seen:
            ctx.problem(
                f"{path}.code",
                f"gemeente '{item['code']}' staat dubbel in het bestand (ook bij [{seen[item['code']]}]).",
            )
        seen.setdefault(item["code"], i)
    ctx.raise_if_problems()
    # First the municipalities themselves, then successors (which may be listed later in the file).
    for i, item in enumerate(items):
        path = f"municipalities[{i}]"
        values = {
            "name": item["name"],
            "active_from": ctx.date(item.get("active_from"), f"{path}.active_from"),
            "active_until": ctx.date(item.get("active_until"), f"{path}.active_until"),
        }
        obj = ctx.upsert(Municipality, {"code": item["code"]}, values, path)
        ctx.cache.setdefault("municipalities", {})[item["code"]] = obj
    ctx.raise_if_problems()
    for i, item in enumerate(items):
        path = f"municipalities[{i}]"
        municipality = ctx.cache["municipalities"][item["code"]]
        if "successor" in item:
            successor = ctx.municipality(item["successor"], f"{path}.successor")
            if successor is not None:
                ctx.upsert(Municipality, {"code": item["code"]}, {"successor": successor}, path)
        source = item.get("population_source", "CBS")
        for year, inhabitants in sorted(item.get("population", {}).items()):
            ctx.upsert(
                PopulationFigure,
                {"municipality": municipality, "reference_date": ctx.date(f"{year}-01-01", f"{path}.population")},
                {"inhabitants": inhabitants, "source": source},
                f"{path}.population.{year}",
            )


def load_members(ctx: LoadContext, items: list[dict]) -> None:
    parsed = []
    for i, item in enumerate(items):
        path = f"members[{i}]"
        municipality = ctx.municipality(item["municipality"], f"{path}.municipality")
        start = ctx.date(item["from"], f"{path}.from")
        end = ctx.date(item.get("until"), f"{path}.until")
        if start and end and end < start:
            ctx.problem(f"{path}.until", "het einde van het lidmaatschap ligt voor het begin.")
        parsed.append((i, municipality, start, end, bool(item.get("coordinating", False))))
    ctx.raise_if_problems()
    for a in range(len(parsed)):
        for b in range(a):
            i, mun_i, from_i, until_i, coord_i = parsed[a]
            j, mun_j, from_j, until_j, coord_j = parsed[b]
            if not periods_overlap(from_i, until_i, from_j, until_j):
                continue
            if mun_i == mun_j:
                ctx.problem(
                    f"members[{i}]",
                    f"lidmaatschap van {mun_i.code} overlapt met members[{j}]: één gemeente is niet twee keer "
                    "tegelijk lid.",
                )
            elif coord_i and coord_j:
                ctx.problem(
                    f"members[{i}].coordinating",
                    f"in deze periode coördineert ook {mun_j.code} (members[{j}]): "
                    "één coördinerende gemeente tegelijk.",
                )
    ctx.raise_if_problems()
    for i, municipality, start, end, coordinating in parsed:
        ctx.upsert(
            Membership,
            {"region": ctx.region, "municipality": municipality, "valid_from": start},
            {"valid_until": end, "coordinating": coordinating},
            f"members[{i}]",
        )


def load_people(ctx: LoadContext, items: list[dict]) -> None:
    from guardian.shortcuts import assign_perm, get_perms

    ensure_role_groups()
    groups = {g.name: g for g in Group.objects.filter(name__in=MUNICIPAL_ROLES)}
    usernames: dict[str, int] = {}
    for i, item in enumerate(items):
        path = f"people[{i}]"
        if item["username"] in usernames:
            ctx.problem(f"{path}.username", f"'{item['username']}' staat dubbel in het bestand.")
        usernames.setdefault(item["username"], i)
        municipality = ctx.municipality(item["municipality"], f"{path}.municipality")
        if municipality is None:
            continue
        values = {"full_name": item["name"], "email": item["email"], "municipality": municipality}
        if not User.objects.filter(username=item["username"]).exists():
            # A new person sets a password through "wachtwoord vergeten"; the demo loader sets the demo password.
            values["password"] = make_password(None)
        user = ctx.upsert(User, {"username": item["username"]}, values, path)
        if user is None:
            continue
        wanted = {groups[r] for r in item["roles"]}
        # Only the municipal roles: a region file never takes the platform role away (nor gives it).
        current = set(user.groups.filter(name__in=MUNICIPAL_ROLES))
        if wanted != current:
            user._change_reason = ctx.change_reason  # the roles' history record says where it came from
            user.groups.remove(*(current - wanted))
            user.groups.add(*(wanted - current))
            ctx.counts["updated"] += 1
        for k, code in enumerate(item.get("supervises", [])):
            target = ctx.municipality(code, f"{path}.supervises[{k}]")
            if target is not None and "supervise_municipality" not in get_perms(user, target):
                assign_perm("regio.supervise_municipality", user, target)
                ctx.counts["updated"] += 1


def check_municipalities(ctx: LoadContext, items: list[dict]) -> None:
    """Population years are keys, not values: the loader's date walk does not see them (issue 10)."""
    for i, item in enumerate(items):
        for year in item.get("population", {}):
            try:
                check_year(year, label="Het jaar van het inwonertal")
            except ValidationError as exc:
                for message in exc.messages:
                    ctx.problem(f"municipalities[{i}].population.{year}", message)


def register() -> None:
    register_section(Section("region", REGION_SCHEMA, load_region, order=0, required=True, models=("regio.Region",)))
    register_section(
        Section(
            "municipalities",
            MUNICIPALITIES_SCHEMA,
            load_municipalities,
            order=10,
            check=check_municipalities,
            models=("regio.Municipality", "regio.PopulationFigure"),
        )
    )
    register_section(Section("members", MEMBERS_SCHEMA, load_members, order=20, models=("regio.Membership",)))
    register_section(Section("people", PEOPLE_SCHEMA, load_people, order=30, models=("regio.User",)))

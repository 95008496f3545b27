"""Load a region file: parse within limits, validate against the combined JSON Schema, check plausible values and
the importing user's scope, then load every section in one transaction."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from jsonschema import Draft202012Validator

from regio.bounds import check_date, check_year
from regio.jobs import database_lost
from regio.regionfile.registry import LoadContext, Problem, RegionFileError, sections
from regio.roles import MUNICIPAL_ROLES, PLATFORM_ONLY_ROLES
from regio.tenancy import TenancyError, is_system, scope_of, system_actor

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


def full_schema() -> dict:
    """The JSON Schema of a whole region file: the core keys plus every registered section."""
    properties = {s.key: s.schema for s in sections()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://regio-wmo.nl/schemas/region-file.json",
        "title": "Regio Wmo regiobestand",
        "description": "Eén samenwerkingsverband in één bestand. Zie docs/region-file.md.",
        "type": "object",
        "required": [s.key for s in sections() if s.required],
        "additionalProperties": False,
        "properties": properties,
    }


def _path(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_MESSAGES = {
    "required": "verplicht veld ontbreekt",
    "additionalProperties": "onbekend veld",
    "type": "verkeerd soort waarde",
    "pattern": "heeft niet de juiste vorm",
    "enum": "is geen toegestane waarde",
    "minimum": "is te klein",
    "exclusiveMinimum": "moet groter zijn",
    "minItems": "mag niet leeg zijn",
    "minLength": "mag niet leeg zijn",
}


def _describe(error) -> tuple[str, str]:
    path = _path(error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        return (_path([*error.absolute_path, missing]) if missing else path), "verplicht veld ontbreekt"
    if error.validator == "additionalProperties":
        extra = error.message.split("'")[1] if "'" in error.message else ""
        return (_path([*error.absolute_path, extra]) if extra else path), "onbekend veld"
    hint = error.schema.get("description") if isinstance(error.schema, dict) else None
    base = _MESSAGES.get(error.validator, "ongeldige waarde")
    value = error.instance if not isinstance(error.instance, dict | list) else None
    text = f"'{value}' {base}" if value is not None else base
    if error.validator == "pattern" and hint:
        text += f" ({hint})"
    elif error.validator == "type":
        text += f" (verwacht: {error.validator_value})"
    elif error.validator == "enum":
        text += f" (kies uit: {', '.join(map(str, error.validator_value))})"
    return path or "(bestand)", text


# --- parsing with hard limits (issue 10, finding 1) ----------------------------------------------------------------
#
# A 370-byte YAML file with nested aliases ("billion laughs") grew the server to 24 GB. YAML anchors and aliases are
# refused outright (a region file never needs them), and the file's size, nesting depth and number of values are
# capped before anything is built from it. JSON files get the same limits.

DEFAULT_MAX_BYTES = 1024 * 1024
DEFAULT_MAX_DEPTH = 32
DEFAULT_MAX_NODES = 20_000  # the largest demo file has 548; PyYAML slows superlinearly beyond this


def max_bytes() -> int:
    return int(getattr(settings, "REGION_FILE_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_depth() -> int:
    return int(getattr(settings, "REGION_FILE_MAX_DEPTH", DEFAULT_MAX_DEPTH))


def max_nodes() -> int:
    return int(getattr(settings, "REGION_FILE_MAX_NODES", DEFAULT_MAX_NODES))


def size_text(limit: int) -> str:
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MB"
    if limit >= 1024:
        return f"{limit // 1024} kB"
    return f"{limit} bytes"


class _Refused(Exception):
    def __init__(self, where: str, message: str):
        self.where = where
        self.message = message
        super().__init__(message)


def _where(mark) -> str:
    return f"regel {mark.line + 1}, kolom {mark.column + 1}" if mark is not None else ""


ALIASES_REFUSED = "ankers en aliassen zijn niet toegestaan (& en *): schrijf elke waarde voluit"


class RegionFileYamlLoader(yaml.SafeLoader):
    """PyYAML's safe loader without anchors, aliases and implicit dates, with a cap on depth and number of values.

    Dates stay text ("2026-02-31" is then a message at its path, not a crash while parsing); the JSON Schema and
    the plausibility checks read them.
    """

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream, *, depth_limit: int, node_limit: int):
        super().__init__(stream)
        self.depth_limit = depth_limit
        self.node_limit = node_limit
        self.depth = 0
        self.nodes = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(_where(event.start_mark), ALIASES_REFUSED)
        self.nodes += 1
        if self.nodes > self.node_limit:
            raise _Refused(_where(event.start_mark), f"het bestand bevat meer dan {self.node_limit} waarden")
        self.depth += 1
        if self.depth > self.depth_limit:
            raise _Refused(_where(event.start_mark), f"het bestand is dieper genest dan {self.depth_limit} niveaus")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _measure(data, depth_limit: int, node_limit: int) -> None:
    """Depth and number of values of parsed JSON, without recursion."""
    nodes = 0
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if nodes > node_limit:
            raise _Refused("", f"het bestand bevat meer dan {node_limit} waarden")
        if depth > depth_limit:
            raise _Refused("", f"het bestand is dieper genest dan {depth_limit} niveaus")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def _parse_json(text: str, depth_limit: int, node_limit: int):
    try:
        data = json.loads(text)
    except RecursionError:
        raise _Refused("", f"het bestand is dieper genest dan {depth_limit} niveaus") from None
    except ValueError as exc:
        where = f"regel {exc.lineno}, kolom {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        message = exc.msg if isinstance(exc, json.JSONDecodeError) else "ongeldige waarde"
        raise _Refused(where, f"geen geldige JSON: {message}") from None
    _measure(data, depth_limit, node_limit)
    return data


def _parse_yaml(text: str, depth_limit: int, node_limit: int):
    loader = RegionFileYamlLoader(text, depth_limit=depth_limit, node_limit=node_limit)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "ongeldige YAML"
        raise _Refused(_where(mark), f"geen geldige YAML: {problem}") from None
    finally:
        loader.dispose()


def parse(text: str, filename: str) -> dict:
    """The file as plain data (dicts, lists, strings, numbers), or a RegionFileError; never more than the limits."""
    limit = max_bytes()
    if len(text) > limit or len(text.encode("utf-8")) > limit:
        raise RegionFileError([Problem(filename, "", f"het bestand is groter dan {size_text(limit)}")])
    try:
        if filename.lower().endswith(".json"):
            data = _parse_json(text, max_depth(), max_nodes())
        else:
            data = _parse_yaml(text, max_depth(), max_nodes())
    except _Refused as exc:
        raise RegionFileError([Problem(filename, exc.where, exc.message)]) from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # e.g. an integer of thousands of digits, or an explicitly tagged impossible value
        raise RegionFileError([Problem(filename, "", f"ongeldige waarde in het bestand: {exc}")]) from None
    if not isinstance(data, dict):
        raise RegionFileError([Problem(filename, "", "het bestand moet een YAML-mapping zijn (sleutel: waarde)")])
    # Year keys become strings, so that the JSON Schema sees what a JSON file would hold.
    try:
        return json.loads(json.dumps(data, default=str))
    except (ValueError, TypeError, RecursionError) as exc:
        raise RegionFileError([Problem(filename, "", f"ongeldige waarde in het bestand: {exc}")]) from None


def validate(data: dict, filename: str) -> None:
    validator = Draft202012Validator(full_schema())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path, message = _describe(error)
        problems.append(Problem(filename, path, message))
    if problems:
        raise RegionFileError(problems)


# --- plausible values, checked before anything is written (issue 10, findings 4 and 7) ---------------------------

CBS_PATTERN = r"^GM\d{4}$"
_DATE_RE = re.compile(DATE_PATTERN)


def walk(schema, value, parts: tuple = ()):
    """Every value of the file with the part of the JSON Schema that describes it: (path parts, schema, value).

    Object keys checked by ``propertyNames`` are yielded too, with the key as the value.
    """
    if not isinstance(schema, dict):
        return
    yield parts, schema, value
    for keyword in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(keyword, []):
            yield from walk(sub, value, parts)
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        names = schema.get("propertyNames")
        for key, item in value.items():
            if isinstance(names, dict):
                yield (*parts, key), names, key
            sub = properties.get(key, extra if isinstance(extra, dict) else None)
            if sub is not None:
                yield from walk(sub, item, (*parts, key))
    elif isinstance(value, list):
        items = schema.get("items")
        if isinstance(items, dict):
            for i, item in enumerate(value):
                yield from walk(items, item, (*parts, i))


def _messages(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def check_values(data: dict, filename: str) -> tuple[list[Problem], list[tuple[str, str]]]:
    """Dates, years and numbers of every section against ``regio.bounds``; returns the problems and every CBS code
    the file refers to (with its path), for the administrator's scope check."""
    problems: dict[tuple[str, str], Problem] = {}
    references: dict[str, str] = {}

    def problem(path: str, message: str) -> None:
        problems.setdefault((path, message), Problem(filename, path, message))

    for parts, schema, value in walk(full_schema(), data):
        path = _path(parts) or "(bestand)"
        if isinstance(value, float) and not math.isfinite(value):
            problem(path, f"'{value}' is geen eindig getal.")
        if not isinstance(value, str) and not (isinstance(value, int) and not isinstance(value, bool)):
            continue
        pattern = schema.get("pattern")
        if pattern == DATE_PATTERN and isinstance(value, str) and _DATE_RE.match(value):
            try:
                check_date(date.fromisoformat(value))
            except ValueError:
                problem(path, f"'{value}' is geen geldige datum (gebruik JJJJ-MM-DD).")
            except ValidationError as exc:
                for message in _messages(exc):
                    problem(path, message)
        elif pattern == CBS_PATTERN and isinstance(value, str):
            references.setdefault(path, value)
        elif parts and isinstance(parts[-1], str) and parts[-1].endswith("year") and isinstance(value, int):
            # every "year", "first_year", "population_year": within the plausible years of regio.bounds
            try:
                check_year(value)
            except ValidationError as exc:
                for message in _messages(exc):
                    problem(path, message)
    ctx = LoadContext(filename=filename, data=data)
    for section in sections():
        if section.check is not None and section.key in data:
            section.check(ctx, data[section.key])
    for p in ctx.problems:
        problems.setdefault((p.path, p.message), p)
    return list(problems.values()), list(references.items())


# --- who may import what (issue 10, finding 2) ---------------------------------------------------------------------


def _person_changes(user, person: dict) -> list[str]:
    """What a ``people`` entry would change on an existing account, in words."""
    from guardian.shortcuts import get_objects_for_user

    changes = []
    if user.full_name != person["name"]:
        changes.append("de naam")
    if user.email != person["email"]:
        changes.append("het e-mailadres")
    if (user.municipality.code if user.municipality_id else None) != person["municipality"]:
        changes.append("de gemeente")
    if set(user.roles) & set(MUNICIPAL_ROLES) != set(person["roles"]):
        changes.append("de rollen")
    if person.get("supervises"):
        granted = set(
            get_objects_for_user(
                user, "regio.supervise_municipality", accept_global_perms=False, with_superuser=False
            ).values_list("code", flat=True)
        )
        if set(person["supervises"]) - granted:
            changes.append("het toezicht")
    return changes


def authorize(data: dict, filename: str, user, references: list[tuple[str, str]]) -> list[Problem]:
    """The problems that keep this user from importing this file; none for the platform administrator and the system.

    A municipality's functional administrator imports only files of a region its municipality coordinates today;
    every municipality the file names must be (or have been) a member of such a region, or the successor of one;
    it creates or changes only people of its own municipality, and never a platform administrator's account (the
    schema keeps the platform role itself out of region files). A file that touches anything else is refused whole,
    naming what (SPEC §1; issue 10, finding 2).
    """
    from regio.models import Municipality, Region, User

    if is_system(user):
        return []
    scope = scope_of(user)
    if scope.is_platform_admin:
        return []
    if not scope.is_functional_admin:
        message = "alleen een functioneel beheerder of de platformbeheerder leest regiobestanden in."
        return [Problem(filename, "", message)]
    problems = []
    own = Municipality.objects.unrestricted().get(pk=scope.municipality_id)
    code = data["region"]["code"]
    region = Region.objects.unrestricted().filter(code=code).first()
    if region is None:
        problems.append(
            Problem(
                filename,
                "region.code",
                f"regio '{code}' bestaat nog niet: een nieuwe regio legt de platformbeheerder aan.",
            )
        )
    elif region.pk not in scope.administered_region_ids:
        problems.append(
            Problem(
                filename,
                "region.code",
                f"regio '{code}' ({region.name}) wordt niet door {own.name} gecoördineerd: u leest alleen "
                "regiobestanden in van de regio's die uw gemeente coördineert.",
            )
        )
    known = {m.code: m for m in Municipality.objects.unrestricted().filter(code__in={c for _, c in references})}
    for path, ref in references:
        municipality = known.get(ref)
        if municipality is None:
            problems.append(
                Problem(
                    filename,
                    path,
                    f"gemeente '{ref}' bestaat nog niet: een nieuwe gemeente legt de platformbeheerder aan.",
                )
            )
        elif municipality.pk not in scope.administered_municipality_ids:
            problems.append(
                Problem(
                    filename,
                    path,
                    f"{municipality.name} ({ref}) hoort niet bij de regio's die {own.name} coördineert.",
                )
            )
    people = data.get("people", [])
    existing = {
        u.username: u
        for u in User.objects.filter(username__in=[p["username"] for p in people]).select_related("municipality")
    }
    for i, person in enumerate(people):
        path = f"people[{i}]"
        username = person["username"]
        account = existing.get(username)
        if account is None:
            if person["municipality"] != own.code:
                problems.append(
                    Problem(
                        filename,
                        f"{path}.municipality",
                        f"'{username}' zou een nieuw account worden bij {person['municipality']}: u beheert alleen "
                        f"de mensen van uw eigen gemeente ({own.name}).",
                    )
                )
        else:
            changes = _person_changes(account, person)
            if changes and account.municipality_id != own.pk:
                where = account.municipality.name if account.municipality_id else "de installatie"
                problems.append(
                    Problem(
                        filename,
                        path,
                        f"'{username}' is een account van {where}: u beheert alleen de mensen van uw eigen gemeente "
                        f"({own.name}); het bestand wijzigt {', '.join(changes)}.",
                    )
                )
            elif changes and person["municipality"] != own.code:
                problems.append(
                    Problem(
                        filename,
                        f"{path}.municipality",
                        f"'{username}' kan niet naar een andere gemeente: u beheert alleen de mensen van uw eigen "
                        f"gemeente ({own.name}).",
                    )
                )
            elif changes and PLATFORM_ONLY_ROLES & set(account.roles):
                problems.append(
                    Problem(
                        filename,
                        path,
                        f"'{username}' is platformbeheerder: alleen een platformbeheerder wijzigt dat account.",
                    )
                )
    return problems


@dataclass
class ImportResult:
    filename: str
    region_code: str
    counts: Counter

    @property
    def changed(self) -> int:
        return self.counts["created"] + self.counts["updated"]

    def summary(self) -> str:
        return (
            f"{self.filename}: regio {self.region_code}: {self.counts['created']} nieuw, "
            f"{self.counts['updated']} gewijzigd, {self.counts['unchanged']} ongewijzigd"
        )


def _actor_for(user, filename: str):
    """The actor the section loaders pass to services: the system, on behalf of the importing person.

    ``authorize`` has already decided what this person may import; the services' own coordinator check would
    refuse a functional administrator who is not also coordinating staff, so they get an explicit system actor
    that names who imported the file (never "no user").
    """
    if is_system(user):
        return user
    return system_actor(f"regiobestand {filename}, ingelezen door {user.get_username()}")


def import_text(text: str, filename: str, *, user) -> ImportResult:
    """Import one region file as ``user`` (a person, or ``system_actor(...)`` for commands). All or nothing: the
    file is parsed within limits, validated, its values and the user's right to import it are checked before
    anything is written; any problem while loading rolls the whole file back."""
    if user is None:
        raise TenancyError("import_text() zonder gebruiker: geef de gebruiker of een systeemactor mee")
    data = parse(text, filename)
    validate(data, filename)
    problems, references = check_values(data, filename)
    problems = authorize(data, filename, user, references) + problems
    if problems:
        raise RegionFileError(problems)
    ctx = LoadContext(
        filename=filename,
        data=data,
        change_reason=f"regiobestand {filename}",
        user=user,
        actor=_actor_for(user, filename),
    )
    # A dropped connection rolls the whole file back; the importer reads that in words (regio/jobs.py).
    with database_lost(lambda message: RegionFileError([Problem(filename, "", message)])), transaction.atomic():
        for section in sections():
            if section.key in data:
                section.load(ctx, data[section.key])
                ctx.raise_if_problems()
    return ImportResult(filename=filename, region_code=data["region"]["code"], counts=ctx.counts)


def import_file(path: str | Path, *, user) -> ImportResult:
    path = Path(path)
    try:
        if path.stat().st_size > max_bytes():
            raise RegionFileError([Problem(str(path), "", f"het bestand is groter dan {size_text(max_bytes())}")])
        with path.open("rb") as handle:
            raw = handle.read(max_bytes() + 1)
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegionFileError([Problem(str(path), "", f"kan het bestand niet lezen: {exc}")]) from exc
    return import_text(text, path.name, user=user)

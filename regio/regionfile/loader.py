"""Load a region file: parse, validate against the combined JSON Schema, then load every section in one transaction."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction
from jsonschema import Draft202012Validator

from regio.regionfile.registry import LoadContext, Problem, RegionFileError, sections

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


def parse(text: str, filename: str) -> dict:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"regel {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "ongeldige YAML"
        raise RegionFileError([Problem(filename, where, f"geen geldige YAML: {problem}")]) from exc
    if not isinstance(data, dict):
        raise RegionFileError([Problem(filename, "", "het bestand moet een YAML-mapping zijn (sleutel: waarde)")])
    # Dates become ISO strings and year keys strings, so that the JSON Schema sees what a JSON file would hold.
    return json.loads(json.dumps(data, default=str))


def validate(data: dict, filename: str) -> None:
    validator = Draft202012Validator(full_schema())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path, message = _describe(error)
        problems.append(Problem(filename, path, message))
    if problems:
        raise RegionFileError(problems)


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


def import_text(text: str, filename: str) -> ImportResult:
    """Import one region file. All or nothing: any problem rolls the whole file back."""
    data = parse(text, filename)
    validate(data, filename)
    ctx = LoadContext(filename=filename, data=data, change_reason=f"regiobestand {filename}")
    with transaction.atomic():
        for section in sections():
            if section.key in data:
                section.load(ctx, data[section.key])
                ctx.raise_if_problems()
    return ImportResult(filename=filename, region_code=data["region"]["code"], counts=ctx.counts)


def import_file(path: str | Path) -> ImportResult:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegionFileError([Problem(str(path), "", f"kan het bestand niet lezen: {exc}")]) from exc
    return import_text(text, path.name)

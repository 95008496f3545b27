"""The section registry and the context that section loaders work with."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a region file: where (file and path inside it) and what, in plain Dutch."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message}"


class RegionFileError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Section:
    """A top-level key of the region file, owned by one app.

    ``schema`` is the JSON Schema of the key's value; ``load(ctx, value)`` creates or updates the records and reports
    semantic problems with ``ctx.fail`` / ``ctx.problem``; ``order`` decides the loading order (core sections first).
    """

    key: str
    schema: dict
    load: Callable[[LoadContext, Any], None]
    order: int = 100
    required: bool = False
    description: str = ""
    # ``check(ctx, value)`` reports problems that need no database writes (plausible percentages, years as keys);
    # it runs for every section before any section loads, so a refused file writes nothing (issue 10).
    check: Callable[[LoadContext, Any], None] | None = None
    # Labels of the models this section configures ("app.Model"): the platform administrator reads their history.
    models: tuple[str, ...] = ()


_SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> None:
    existing = _SECTIONS.get(section.key)
    if existing is not None and existing.load is not section.load:
        raise ValueError(f"Sectie {section.key!r} is al geregistreerd")
    _SECTIONS[section.key] = section


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


@dataclass
class LoadContext:
    """What a section loader needs: the file name for messages, the region, lookups and a change-aware upsert."""

    filename: str
    data: dict
    region: Any = None
    # The person (or system actor) importing the file, and the actor the loaders pass to services.
    user: Any = None
    actor: Any = None
    change_reason: str = ""
    problems: list[Problem] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    cache: dict = field(default_factory=dict)

    # -- problems -----------------------------------------------------------------------------------------------
    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.filename, path, message))

    def fail(self, path: str, message: str):
        self.problem(path, message)
        raise RegionFileError(self.problems)

    def raise_if_problems(self) -> None:
        if self.problems:
            raise RegionFileError(self.problems)

    # -- value parsing -------------------------------------------------------------------------------------------
    def date(self, value: Any, path: str) -> date | None:
        if value in (None, ""):
            return None
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.problem(path, f"'{value}' is geen geldige datum (gebruik JJJJ-MM-DD).")
            return None

    def decimal(self, value: Any, path: str) -> Decimal | None:
        try:
            return Decimal(str(value))
        except (InvalidOperation, ValueError):
            self.problem(path, f"'{value}' is geen getal.")
            return None

    def municipality(self, code: str, path: str):
        """The municipality with this CBS code, from this file or already in the database."""
        from regio.models import Municipality

        found = self.cache.setdefault("municipalities", {})
        if code not in found:
            found[code] = Municipality.objects.unrestricted().filter(code=code).first()
        if found[code] is None:
            self.problem(path, f"onbekende gemeente '{code}': voeg haar toe onder 'municipalities'.")
        return found[code]

    # -- writing -------------------------------------------------------------------------------------------------
    def upsert(self, model: type[models.Model], lookup: dict, values: dict, path: str):
        """Create or update one record, saving only what changed (so a second import changes nothing).

        Model validation runs first; its messages are reported at ``path``.
        """
        manager = model._default_manager
        queryset = manager.unrestricted() if hasattr(manager, "unrestricted") else manager.all()
        obj = queryset.filter(**lookup).first()
        created = obj is None
        if created:
            obj = model(**lookup, **values)
        else:
            changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
            if not changed:
                self.counts["unchanged"] += 1
                return obj
            for key, value in changed.items():
                setattr(obj, key, value)
        try:
            obj.full_clean()
        except ValidationError as exc:
            for fieldname, messages in exc.message_dict.items():
                where = path if fieldname == "__all__" else f"{path}.{fieldname}"
                for message in messages:
                    self.problem(where, message)
            return None
        obj._change_reason = self.change_reason
        obj.save()
        self.counts["created" if created else "updated"] += 1
        return obj

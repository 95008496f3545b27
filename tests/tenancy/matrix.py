"""The cross-tenant matrix (STYLE.md rule 13): every route is a case here or on the public list.

Each app adds its cases in ``tests/tenancy/cases_<app>.py`` as ``CASES = [Case(...), ...]``. A case names a route
(its URL name), builds an object of region A with the ``World`` fixture and returns the URL kwargs, and says which
text identifies that object. The matrix then proves, for every case:

* an anonymous request is refused (pages: redirect to login; API: 401/403);
* a user of region A that may see it gets 200 and the text (the positive control: the case can fail);
* a user of region B gets 404 on a detail, or a list without the text;
* writes aimed at it by a user of region B are refused (403/404/405) and change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Case:
    route: str
    build: Callable  # (world) -> dict of URL kwargs; creates region A's data
    marker: Callable  # (world, kwargs) -> text that only region A's object shows
    kind: str = "detail"  # "detail": outsider gets 404; "list": outsider gets 200 without the marker
    insider: tuple[str, str] = ("a2", "ambtenaar")  # who may see it (municipality, role)
    outsider: tuple[str, str] = ("b1", "coordinator")  # who may not
    writes: tuple[str, ...] = ()  # methods to try as the outsider
    write_payload: dict = field(default_factory=dict)
    snapshot: Callable | None = None  # (world, kwargs) -> value that a refused write must leave unchanged
    query: str = ""  # query string to add (e.g. "?year=2025")

    @property
    def api(self) -> bool:
        return self.route.startswith("api:")


def all_routes() -> dict[str, str]:
    """Every URL pattern of the project: {route id: pattern}. The id is the URL name (with namespace)."""
    found: dict[str, str] = {}

    def walk(resolver, prefix: str, namespace: str):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                pattern = prefix + str(entry.pattern)
                key = f"{namespace}{entry.name}" if entry.name else pattern
                found.setdefault(key, pattern)

    walk(get_resolver(), "", "")
    return found

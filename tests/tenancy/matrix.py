"""The cross-tenant matrix (STYLE.md rule 13): every HTTP method of every route is a case here or an exemption.

Each app adds its cases in ``tests/tenancy/cases_<app>.py`` as ``CASES = [Case(...), ...]``. A case names a route
(its URL name), builds an object of region A with the ``World`` fixture and returns the URL kwargs, and says which
text identifies that object. The matrix then proves, for every case:

* an anonymous request is refused (pages: redirect to login; API: 401/403);
* a user of region A that may see it gets 200 and the text (the positive control: the case can fail);
* a user of region B (and any extra ``outsiders``, e.g. another member of region A) gets 404 on a detail, or a list
  without the text;
* every write method the route accepts (``writes``) is tried by the outsider, and by a user of region A who may see
  but not act (``viewer``): refused (403/404) and nothing changed in the database (a fingerprint of every table,
  plus the case's own ``snapshot``);
* a write method the route accepts but no case tries is an exemption with its reason (``exempt``).

The methods of a route come from the view itself (issue 10, finding 9): DRF's endpoint enumerator for the API, the
handlers of the class-based view for pages.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def text_of(response) -> str:
    """What a response says: a rendered PDF's text as poppler's pdftotext reads it (a marker in a PDF made by
    WeasyPrint is not in its bytes), else the body as text."""
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if response.get("Content-Type", "").startswith("application/pdf") and shutil.which("pdftotext"):
        read = subprocess.run(["pdftotext", "-layout", "-", "-"], input=body, capture_output=True, check=False)
        if read.returncode == 0:
            return read.stdout.decode()
    return body.decode(errors="replace")


@dataclass(frozen=True)
class Case:
    route: str
    build: Callable  # (world) -> dict of URL kwargs; creates region A's data
    marker: Callable  # (world, kwargs) -> text that only region A's object shows
    kind: str = "detail"  # "detail": outsider gets 404; "list": outsider gets 200 without the marker; "role": 403
    insider: tuple[str, str] = ("a2", "ambtenaar")  # who may see it (municipality, role)
    outsider: tuple[str, str] = ("b1", "coordinator")  # who may not
    writes: tuple[str, ...] = ()  # write methods the route accepts, tried as the outsider and the viewer
    write_payload: dict | Callable = field(default_factory=dict)  # or (world, kwargs) -> dict
    snapshot: Callable | None = None  # (world, kwargs) -> value that a refused write must leave unchanged
    query: str = ""  # query string to add (e.g. "?year=2025")
    # Write methods the route accepts that this case does not try, each with the reason.
    exempt: dict[str, str] = field(default_factory=dict)
    # More users that must not see it: ("a3", "ambtenaar") proves member <-> member isolation within region A.
    outsiders: tuple[tuple[str, str], ...] = ()
    # A user of region A who may see it but not act: its writes answer 403 before any input is validated.
    # "auto": the insider, unless the insider is coordinating staff or an administrator (who may act).
    viewer: tuple[str, str] | None | str = "auto"

    @property
    def api(self) -> bool:
        return self.route.startswith("api:")

    @property
    def refused_viewer(self) -> tuple[str, str] | None:
        if self.viewer == "auto":
            return None if self.insider[1] in ("coordinator", "beheerder") else self.insider
        return self.viewer


def all_routes() -> dict[str, str]:
    """Every URL pattern of the project: {route id: pattern}. The id is the URL name (with namespace)."""
    return {name: patterns[0] for name, (patterns, _methods) in route_table().items()}


def route_methods() -> dict[str, frozenset[str] | None]:
    """Every route with the HTTP methods its view accepts (HEAD/OPTIONS left out); None where they cannot be known
    (a plain function view: such a route must be on the public list)."""
    return {name: methods for name, (_patterns, methods) in route_table().items()}


def methods_of(callback) -> frozenset[str] | None:
    if hasattr(callback, "cls"):  # DRF: APIView.as_view() and ViewSet.as_view({...})
        from rest_framework.schemas.generators import EndpointEnumerator

        return frozenset(EndpointEnumerator().get_allowed_methods(callback))
    view_class = getattr(callback, "view_class", None)
    if view_class is None:
        return None
    return frozenset(
        m.upper() for m in view_class.http_method_names if m not in ("head", "options") and hasattr(view_class, m)
    )


def route_table() -> dict[str, tuple[list[str], frozenset[str] | None]]:
    found: dict[str, tuple[list[str], frozenset[str] | None]] = {}

    def walk(resolver, prefix: str, namespace: str):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                pattern = prefix + str(entry.pattern)
                key = f"{namespace}{entry.name}" if entry.name else pattern
                methods = methods_of(entry.callback)
                if key in found:
                    patterns, known = found[key]
                    patterns.append(pattern)
                    methods = None if known is None or methods is None else known | methods
                    found[key] = (patterns, methods)
                else:
                    found[key] = ([pattern], methods)

    walk(get_resolver(), "", "")
    return found


# Tables a refused request may legitimately write: the session of the logged-in test client, login throttling, and
# the access log (regio.AccessLog records reads too). Every other table must be the same after a refused write.
MAY_CHANGE = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}
MAY_CHANGE_MODELS = {"regio.AccessLog"}


def _tables() -> list[str]:
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and meta.label not in MAY_CHANGE_MODELS and meta.db_table not in MAY_CHANGE:
            tables.add(meta.db_table)
    return sorted(tables)


def db_fingerprint() -> dict[str, str]:
    """A digest of every row of every table: what a refused write must leave exactly as it was (one query)."""
    tables = _tables()
    qn = connection.ops.quote_name
    if connection.vendor == "postgresql":
        sql = " UNION ALL ".join(
            f"SELECT '{t}', md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM {qn(t)} x"
            for t in tables
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return dict(cursor.fetchall())
    out = {}
    with connection.cursor() as cursor:
        for t in tables:
            cursor.execute(f"SELECT * FROM {qn(t)}")
            out[t] = repr(sorted(map(repr, cursor.fetchall())))
    return out


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))

"""No 500 on any input (issue 10, "What to build"; STYLE.md rule 17).

Walks every API operation of the generated OpenAPI schema (drf-spectacular's generator, in-process) and every page of
the cross-tenant matrix (``tests/tenancy``: every route is a case there or public) with hostile values: huge numbers,
negatives, exponents, NaN, far and impossible dates, wrong types, 10.000-character strings, NUL bytes. It acts as a
user of the coordinating municipality of region A holding every role, so that writes get past the permission checks
and reach the parsers. Any 5xx fails, naming the route, the method and the payload.

The walk samples rather than multiplies: every field gets a few hostile values in turn (the others keep the form's
own values), and every hostile value is tried once in all fields at once.
"""

from __future__ import annotations

import importlib
import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from regio.roles import Role
from tests.tenancy.matrix import Case, all_routes
from tests.tenancy.public import PUBLIC_OBJECT_ROUTES, PUBLIC_ROUTES
from tests.tenancy.test_matrix import CASES

LONG = "x" * 10_000
HOSTILE = ["9" * 40, "-1e30", "NaN", "31-12-9999", "0001-01-01", "2026-02-31", LONG, "", "a\x00b", "١٢٣"]
HOSTILE_JSON = [
    10**40,
    -(10**12),
    1e30,
    "1e30",
    "NaN",
    "9999-12-31",
    "0001-01-01",
    "2026-02-31",
    LONG,
    [],
    {"a": 1},
    True,
    None,
    "a\x00b",
]
HOSTILE_FILE = b"datum;bedrag;omschrijving\n9999-12-31;1e30;NaN\n2026-02-31;-99999999999999999999;x\n"
# Per field the values that fit what it takes, so that a date field meets far dates and a number field exponents.
DATES = ["9999-12-31", "31-12-9999", "0001-01-01", "31-02-2026"]
NUMBERS = ["9" * 40, "-99999999999", "1e30", "NaN", "1.234.567,891"]
TEXTS = [LONG, "1e30", "9999-12-31"]
DATE_NAME = re.compile(r"date|datum|dag|day|^on$|_on$|from|until|^to$|valid|peil|ingang|opzegging|deadline|due", re.I)
JSON_DATES = ["9999-12-31", "0001-01-01", "2026-02-31", "10000-01-01", 10**40, {"a": 1}]
JSON_NUMBERS = [10**40, -(10**12), 1e30, "1e30", "-1e30", "NaN", "Infinity", "1.234,56", [], True]
JSON_TEXTS = [LONG, 10**40, ["x"], None]
QUERY_NAMES = ("jaar", "year", "pagina", "page", "regio", "region", "on", "amount", "gemeente", "status", "download")


def five_xx(response) -> bool:
    return response.status_code >= 500


def why(response) -> str:
    """The status and, for a server error, the exception the view raised (the test client keeps it)."""
    exc = (getattr(response, "exc_info", None) or (None, None))[1]
    return f"{response.status_code}" + (f" {type(exc).__name__}: {str(exc)[:160]}" if exc else "")


class Forms(HTMLParser):
    """The forms of a page: method, action, and their fields with the values the page filled in."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"method": (a.get("method") or "get").lower(), "action": a.get("action") or "", "fields": {}}
            )
            return
        if not self.forms or not a.get("name"):
            if tag == "option" and self._select is not None and self._select[1] is None:
                self._select[1] = a.get("value", "")
            return
        fields = self.forms[-1]["fields"]
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                if name not in fields:
                    fields[name] = ("submit", a.get("value", ""))
            elif kind == "file":
                fields[name] = ("file", "")
            elif kind in ("checkbox", "radio"):
                fields.setdefault(name, (kind, a.get("value", "on")))
            else:
                fields[name] = (kind, a.get("value", ""))
        elif tag == "select":
            self._select = [name, None]
        elif tag == "textarea":
            self._textarea = name
            fields[name] = ("textarea", "")

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            name, first = self._select
            self.forms[-1]["fields"][name] = ("select", first or "")
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] = ("textarea", data.strip())


def page_forms(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return [f for f in parser.forms if f["fields"]]


def hostile_for(name: str, kind: str, value: str) -> list[str]:
    if kind in ("checkbox", "radio", "select", "hidden"):
        return [LONG, "1e30"]
    if kind == "date" or DATE_NAME.search(name) or re.fullmatch(r"\d{2}-\d{2}-\d{4}|\d{4}-\d{2}-\d{2}", value or ""):
        return DATES
    if kind == "textarea":
        return TEXTS
    return NUMBERS + [LONG]


def variants(fields: dict) -> list[tuple[str, dict]]:
    """(description, payload) pairs: each hostile value in all fields, then the hostile values that fit each field."""
    base = {name: value for name, (kind, value) in fields.items() if kind != "file"}
    editable = [name for name, (kind, _v) in fields.items() if kind not in ("file", "submit")]
    out = [(f"alle velden = {value[:20]!r}", {**base, **dict.fromkeys(editable, value)}) for value in HOSTILE]
    for name in editable:
        kind, value = fields[name]
        for bad in hostile_for(name, kind, value):
            out.append((f"{name} = {bad[:20]!r}", {**base, name: bad}))
    return out


def files_of(fields: dict) -> dict:
    return {
        name: SimpleUploadedFile("vijandig.csv", HOSTILE_FILE, content_type="text/csv")
        for name, (kind, _v) in fields.items()
        if kind == "file"
    }


def acting_client(world, api: bool = False):
    """The coordinating municipality of region A, holding every role: writes reach the parsers."""
    from tests.factories import UserFactory

    if "walker" not in world.users:
        world.users["walker"] = UserFactory(username="a1-alle-rollen", municipality=world.a1, roles=list(Role.values))
    client = APIClient(raise_request_exception=False) if api else Client(raise_request_exception=False)
    client.force_login(world.users["walker"])
    return client


def walk_page(client, url: str, failures: list[str]) -> None:
    for value in ("9" * 40, "-1e30", "31-12-9999", LONG, "a\x00b"):
        query = urlencode(dict.fromkeys(QUERY_NAMES, value))
        response = client.get(f"{url.split('?')[0]}?{query}")
        if five_xx(response):
            failures.append(f"GET {url} ?{query[:120]} -> {why(response)}")
    response = client.get(url)
    if five_xx(response):
        failures.append(f"GET {url} -> {why(response)}")
        return
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return
    skip = {reverse("logout"), reverse("set_language")}  # every page has them; walked once, at the end, below
    for form in page_forms(response.content.decode()):
        target = form["action"] or url
        if urlsplit(target).netloc or urlsplit(target).path in skip:
            continue
        for description, payload in variants(form["fields"]):
            if form["method"] == "post":
                response = client.post(target, {**payload, **files_of(form["fields"])})
            else:
                response = client.get(target.split("?")[0], payload)
            if five_xx(response):
                failures.append(f"{form['method'].upper()} {target} [{description}] -> {why(response)}")


# --- API: the operations of the generated schema ----------------------------------------------------------------

_SCHEMA: dict = {}


def schema() -> dict:
    if not _SCHEMA:
        from drf_spectacular.generators import SchemaGenerator

        _SCHEMA.update(SchemaGenerator().get_schema(request=None, public=True))
    return _SCHEMA


def path_regex(path: str) -> re.Pattern:
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")


def shape(pattern: str) -> str:
    """A route pattern or a schema path with every parameter as ``{}``: to match one against the other."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("(?P<", i):  # a regex group, possibly with groups inside: skip to its closing paren
            depth = 0
            while True:
                depth += {"(": 1, ")": -1}.get(pattern[i], 0)
                i += 1
                if depth == 0:
                    break
            out.append("{}")
        else:
            out.append(pattern[i])
            i += 1
    text = "".join(out).replace("^", "").replace("$", "")
    return "/" + re.sub(r"<[^>]+>|\{[^}]+\}", "{}", text).lstrip("/")


def resolve(ref_or_schema: dict) -> dict:
    ref = ref_or_schema.get("$ref")
    if not ref:
        return ref_or_schema
    node = schema()
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


def body_properties(operation: dict) -> dict:
    content = (operation.get("requestBody") or {}).get("content") or {}
    media = content.get("application/json") or next(iter(content.values()), None)
    if not media:
        return {}
    body = resolve(media.get("schema") or {})
    properties = dict(body.get("properties") or {})
    for part in body.get("allOf") or []:
        properties.update(resolve(part).get("properties") or {})
    return properties


def plausible(prop: dict):
    prop = resolve(prop)
    if "enum" in prop and prop["enum"]:
        return prop["enum"][0]
    kind, fmt = prop.get("type"), prop.get("format")
    if fmt == "date":
        return "2025-06-30"
    if fmt == "date-time":
        return "2025-06-30T12:00:00Z"
    if fmt == "decimal" or kind == "number":
        return "100.00"
    return {"integer": 1, "boolean": True, "array": [], "object": {}}.get(kind, "test")


def json_hostile_for(prop: dict) -> list:
    prop = resolve(prop)
    kind, fmt = prop.get("type"), prop.get("format")
    if fmt in ("date", "date-time"):
        return JSON_DATES
    if fmt == "decimal" or kind in ("number", "integer"):
        return JSON_NUMBERS
    return JSON_TEXTS


def api_variants(operation: dict) -> list[tuple[str, dict]]:
    properties = {k: v for k, v in body_properties(operation).items() if not resolve(v).get("readOnly")}
    base = {name: plausible(prop) for name, prop in properties.items()}
    out = [(f"alle velden = {str(v)[:20]!r}", dict.fromkeys(properties, v)) for v in HOSTILE_JSON] if base else []
    for name, prop in properties.items():
        for value in json_hostile_for(prop):
            out.append((f"{name} = {str(value)[:20]!r}", {**base, name: value}))
    return out or [("leeg", {})]


def query_variants(operation: dict) -> list[dict]:
    params = [p for p in operation.get("parameters") or [] if p.get("in") == "query"]
    if not params:
        return []
    out = [{p["name"]: v for p in params} for v in HOSTILE]
    for p in params:
        schema_of = p.get("schema") or {}
        kind = "date" if schema_of.get("format") == "date" or DATE_NAME.search(p["name"]) else "text"
        out += [{p["name"]: v} for v in hostile_for(p["name"], kind, "")]
    return out


def walk_operations(client, url: str, failures: list[str]) -> int:
    """Every operation of the schema path that ``url`` is an instance of; DELETE last. Returns how many matched."""
    matched = 0
    for path, item in schema()["paths"].items():
        if not path_regex(path).match(url):
            continue
        methods = sorted((m for m in item if m in ("get", "post", "put", "patch", "delete")), key="delete".__eq__)
        for method in methods:
            matched += 1
            operation = item[method]
            call = getattr(client, method)
            for query in query_variants(operation):
                response = call(f"{url}?{urlencode(query)}")
                if five_xx(response):
                    failures.append(f"{method.upper()} {url}?{urlencode(query)[:160]} -> {why(response)}")
            if method in ("get", "delete"):
                response = call(url)
                if five_xx(response):
                    failures.append(f"{method.upper()} {url} -> {why(response)}")
                continue
            for description, payload in api_variants(operation):
                response = call(url, payload, format="json")
                if five_xx(response):
                    failures.append(f"{method.upper()} {url} [{description}] -> {why(response)}")
            raw = client.generic(method.upper(), url, '{"amount": NaN, "date": "9999-12-31"', "application/json")
            if five_xx(response := raw):
                failures.append(f"{method.upper()} {url} [kapotte JSON] -> {why(response)}")
    return matched


def report(failures: list[str]) -> str:
    return "Serverfouten (5xx) op vijandige invoer:\n" + "\n".join(failures[:60])


# --- The tests ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.route)
def test_no_500_on_hostile_input_for_every_route_of_the_matrix(case: Case, world):
    """Pages: the page's own query parameters and forms; API: every operation of the schema path of the route."""
    kwargs = case.build(world)
    url = reverse(case.route, kwargs=kwargs or None)
    failures: list[str] = []
    if case.api:
        matched = walk_operations(acting_client(world, api=True), url, failures)
        assert matched, f"{case.route} ({url}) staat niet in het OpenAPI-schema"
    else:
        walk_page(acting_client(world), url + case.query, failures)
    assert not failures, report(failures)


@pytest.mark.parametrize("name", sorted(PUBLIC_OBJECT_ROUTES))
def test_no_500_on_hostile_input_for_public_object_routes(name, world, settings):
    """A public route with path parameters (no matrix case): its object built by the named builder, walked without
    a login as the public uses it."""
    builder, overrides = PUBLIC_OBJECT_ROUTES[name]
    module, _sep, function = builder.partition(":")
    for setting, value in overrides.items():
        setattr(settings, setting, value)
    url = reverse(name, kwargs=getattr(importlib.import_module(module), function)(world))
    failures: list[str] = []
    assert walk_operations(APIClient(raise_request_exception=False), url, failures), f"{url} niet in het schema"
    assert not failures, report(failures)


def test_no_500_on_hostile_input_for_public_routes_and_parameterless_operations(world):
    failures: list[str] = []
    routes = all_routes()
    client = acting_client(world)
    for name in PUBLIC_ROUTES:
        pattern = routes.get(name, "")
        if name.startswith("api:") or "<" in pattern or name in ("logout", "set_language"):
            continue
        walk_page(client, reverse(name), failures)
    case_shapes = {shape(routes[c.route]) for c in CASES if c.api and c.route in routes}
    api = acting_client(world, api=True)
    for path in schema()["paths"]:
        if "{" not in path and shape(path) not in case_shapes:
            walk_operations(api, path, failures)
    for name in ("set_language", "logout"):
        for description, payload in variants({"language": ("select", "en"), "next": ("hidden", "/")}):
            response = client.post(reverse(name), payload)
            if five_xx(response):
                failures.append(f"POST {reverse(name)} [{description}] -> {why(response)}")
    assert not failures, report(failures)


def test_every_api_operation_is_walked():
    """An operation with path parameters is walked through its matrix case; one without a case would be skipped."""
    routes = all_routes()
    case_shapes = {shape(routes[c.route]) for c in CASES if c.api and c.route in routes}
    case_shapes |= {shape(routes[name]) for name in PUBLIC_OBJECT_ROUTES if name in routes}
    unwalked = [path for path in schema()["paths"] if "{" in path and shape(path) not in case_shapes]
    assert not unwalked, f"API-paden zonder matrixgeval (dus niet vijandig getest): {unwalked}"

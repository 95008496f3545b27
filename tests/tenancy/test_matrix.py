"""The cross-tenant matrix: every HTTP method of every route is covered here or declared public (STYLE.md rule 13).

Issue 10, finding 9: a route used to count as covered by its name alone, and write cases were optional. Now the
methods come from the views themselves; a write method no case tries needs an exemption with its reason, and every
refused write proves that the database did not change.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.urls import reverse

import tests.tenancy as tenancy_pkg
from tests.tenancy.matrix import SAFE_METHODS, Case, changed_tables, db_fingerprint, route_methods, text_of
from tests.tenancy.public import EXEMPT_PREFIXES, PUBLIC_ROUTES


def load_cases() -> list[Case]:
    cases: list[Case] = []
    for module in pkgutil.iter_modules(tenancy_pkg.__path__):
        if module.name.startswith("cases_"):
            cases.extend(importlib.import_module(f"tests.tenancy.{module.name}").CASES)
    return cases


CASES = load_cases()
ROUTES = route_methods()


def case_id(case: Case) -> str:
    return case.route


def _exempt(name: str) -> bool:
    from tests.tenancy.matrix import all_routes

    pattern = all_routes().get(name, "")
    return name in PUBLIC_ROUTES or any(pattern.startswith(p) for p in EXEMPT_PREFIXES)


def coverage_problems(cases: list[Case], routes: dict) -> list[str]:
    """Every method of every route: a case (reads: any case of the route; writes: a case that tries it) or an
    exemption with a reason; a function view whose methods cannot be known must be public."""
    problems = []
    by_route: dict[str, list[Case]] = {}
    for case in cases:
        by_route.setdefault(case.route, []).append(case)
    for name, methods in sorted(routes.items()):
        if _exempt(name):
            continue
        if methods is None:
            problems.append(f"{name}: functieview, methoden onbekend (maak er een klasse van of zet hem op de lijst)")
            continue
        mine = by_route.get(name, [])
        if not mine:
            problems.append(f"{name}: geen matrixgeval ({', '.join(sorted(methods))})")
            continue
        tried = {m for c in mine for m in c.writes} | {m for c in mine for m in c.exempt}
        for method in sorted(methods - SAFE_METHODS - tried):
            problems.append(f"{name} {method}: geen schrijfgeval en geen vrijstelling met reden")
    return problems


def stale_problems(cases: list[Case], routes: dict) -> list[str]:
    problems = []
    for case in cases:
        if case.route not in routes:
            problems.append(f"{case.route}: route bestaat niet meer")
            continue
        methods = routes[case.route] or frozenset()
        for method in sorted(set(case.writes) | set(case.exempt)):
            if method not in methods:
                problems.append(f"{case.route} {method}: de route accepteert deze methode niet")
        for method, reason in case.exempt.items():
            if not str(reason).strip():
                problems.append(f"{case.route} {method}: vrijstelling zonder reden")
        if "GET" not in methods:
            problems.append(f"{case.route}: geen GET, de leestests kunnen niet; maak een vrijstelling")
    return problems


def test_every_route_method_is_covered_or_public():
    """A new route, or a new write method of a route, without a matrix case or an exemption fails the suite."""
    problems = coverage_problems(CASES, ROUTES)
    assert not problems, "Routes/methoden zonder tenancy-test of reden:\n" + "\n".join(problems)


def test_every_case_and_public_entry_still_exists():
    problems = stale_problems(CASES, ROUTES)
    problems += [f"public:{name}: route bestaat niet meer" for name in PUBLIC_ROUTES if name not in ROUTES]
    assert not problems, "Matrixregels die niet (meer) kloppen:\n" + "\n".join(problems)


def test_the_coverage_check_can_fail():
    """Finding 9: counting a route by name is not enough; an untried write method is caught, and so is a case that
    tries a method the route does not accept."""
    name = "costsharing-reckoning"
    assert "POST" in ROUTES[name]
    read_only = [Case(name, lambda w: {}, lambda w, kw: "")]
    assert coverage_problems(read_only, {name: ROUTES[name]}) == [
        f"{name} POST: geen schrijfgeval en geen vrijstelling met reden"
    ]
    wrong = [Case(name, lambda w: {}, lambda w, kw: "", writes=("POST", "DELETE"))]
    assert stale_problems(wrong, {name: ROUTES[name]}) == [f"{name} DELETE: de route accepteert deze methode niet"]
    assert ROUTES["api:region-detail"] == frozenset({"GET"})  # DRF's enumerator: a read-only viewset


def _url(case: Case, kwargs: dict) -> str:
    return reverse(case.route, kwargs=kwargs or None) + case.query


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_anonymous_is_refused(case: Case, world):
    kwargs = case.build(world)
    client = world.client(None, api=case.api)
    response = client.get(_url(case, kwargs))
    if case.api:
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 302 and "/account/inloggen/" in response["Location"]
    assert case.marker(world, kwargs) not in text_of(response)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_insider_sees_it(case: Case, world):
    kwargs = case.build(world)
    response = world.client(*case.insider, api=case.api).get(_url(case, kwargs))
    assert response.status_code == 200, response.content[:500]
    assert case.marker(world, kwargs) in text_of(response)


OUTSIDERS = [(case, who) for case in CASES for who in (case.outsider, *case.outsiders)]


@pytest.mark.parametrize(("case", "who"), OUTSIDERS, ids=[f"{c.route}-{'-'.join(w)}" for c, w in OUTSIDERS])
def test_outsider_sees_nothing(case: Case, who, world):
    kwargs = case.build(world)
    response = world.client(*who, api=case.api).get(_url(case, kwargs))
    expected = {"detail": 404, "list": 200, "role": 403}[case.kind]
    assert response.status_code == expected
    assert case.marker(world, kwargs) not in text_of(response)


WRITES = [
    (case, method, role, who)
    for case in CASES
    for method in case.writes
    for role, who in (
        *(("outsider", o) for o in (case.outsider, *case.outsiders)),
        ("viewer", case.refused_viewer),
    )
    if who is not None
]


@pytest.mark.parametrize(
    ("case", "method", "role", "who"), WRITES, ids=[f"{c.route}-{m}-{r}-{w[0]}" for c, m, r, w in WRITES]
)
def test_refused_writes_change_nothing(case: Case, method: str, role: str, who, world):
    """The outsider (another tenant) gets 404 on a detail, else 403; a user of region A who may see it but not act
    gets 403 even with empty, invalid input (permission before validation, finding 8). Nothing changes."""
    kwargs = case.build(world)
    client = world.client(*who, api=case.api)  # log in before the fingerprint: login itself writes last_login
    url = _url(case, kwargs)
    before, own_before = db_fingerprint(), case.snapshot(world, kwargs) if case.snapshot else None
    payload = case.write_payload(world, kwargs) if callable(case.write_payload) else case.write_payload
    payload = payload if role == "outsider" else {}
    call = getattr(client, method.lower())
    response = call(url, payload, format="json") if case.api else call(url, payload)
    if role == "viewer":
        expected = {403}
    elif case.kind == "detail":
        expected = {404}
    else:
        # A list or create page: the target is in the payload, and one the user may not reach is no choice (400).
        expected = {400, 403, 404}
    assert response.status_code in expected, f"{method} als {who}: {response.status_code} {response.content[:300]}"
    assert case.marker(world, kwargs) not in text_of(response)
    assert changed_tables(before, db_fingerprint()) == []
    if case.snapshot:
        assert case.snapshot(world, kwargs) == own_before

"""The cross-tenant matrix: every route of the project is covered here or declared public (STYLE.md rule 13)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.urls import reverse

import tests.tenancy as tenancy_pkg
from tests.tenancy.matrix import Case, all_routes
from tests.tenancy.public import EXEMPT_PREFIXES, PUBLIC_ROUTES


def load_cases() -> list[Case]:
    cases: list[Case] = []
    for module in pkgutil.iter_modules(tenancy_pkg.__path__):
        if module.name.startswith("cases_"):
            cases.extend(importlib.import_module(f"tests.tenancy.{module.name}").CASES)
    return cases


CASES = load_cases()


def case_id(case: Case) -> str:
    return case.route


def test_every_route_is_covered_or_public():
    """A new route without a matrix case (or a public-list entry with a reason) fails the suite."""
    covered = {c.route for c in CASES}
    missing = []
    for name, pattern in all_routes().items():
        if name in PUBLIC_ROUTES or any(pattern.startswith(p) for p in EXEMPT_PREFIXES):
            continue
        if name not in covered:
            missing.append(f"{name}  ({pattern})")
    assert not missing, "Routes zonder tenancy-test of publieke reden:\n" + "\n".join(sorted(missing))


def test_every_case_and_public_entry_still_exists():
    routes = all_routes()
    stale = [case_id(c) for c in CASES if c.route not in routes]
    stale += [f"public:{name}" for name in PUBLIC_ROUTES if name not in routes]
    assert not stale, f"Matrix- of publieke regels voor routes die niet meer bestaan: {stale}"


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
    assert case.marker(world, kwargs) not in response.content.decode()


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_insider_sees_it(case: Case, world):
    kwargs = case.build(world)
    response = world.client(*case.insider, api=case.api).get(_url(case, kwargs))
    assert response.status_code == 200, response.content[:500]
    assert case.marker(world, kwargs) in response.content.decode()


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_outsider_sees_nothing(case: Case, world):
    kwargs = case.build(world)
    response = world.client(*case.outsider, api=case.api).get(_url(case, kwargs))
    expected = {"detail": 404, "list": 200, "role": 403}[case.kind]
    assert response.status_code == expected
    assert case.marker(world, kwargs) not in response.content.decode()


@pytest.mark.parametrize("case", [c for c in CASES if c.writes], ids=case_id)
def test_outsider_writes_change_nothing(case: Case, world):
    kwargs = case.build(world)
    before = case.snapshot(world, kwargs) if case.snapshot else None
    client = world.client(*case.outsider, api=case.api)
    for method in case.writes:
        call = getattr(client, method.lower())
        if case.api:
            response = call(_url(case, kwargs), case.write_payload, format="json")
        else:
            response = call(_url(case, kwargs), case.write_payload)
        assert response.status_code in (403, 404, 405), f"{method}: {response.status_code}"
        assert case.marker(world, kwargs) not in response.content.decode()
    if case.snapshot:
        assert case.snapshot(world, kwargs) == before

"""Hostile input on the casework's forms and API as the supervisor who may write (the house walker holds every role
but no supervision grant, so its writes stop at 403 before any parser): no 500 anywhere, nothing half-saved."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.regio.test_hostile_input import report, walk_operations, walk_page
from tests.tenancy.cases_toezicht_casework import _disclosure, _investigation, _request

PAGES = [
    ("toezicht-investigations", None),
    ("toezicht-investigation-detail", _investigation),
    ("toezicht-requests", None),
    ("toezicht-request-detail", _request),
    ("toezicht-disclosures", None),
    ("toezicht-worklist", None),
]


@pytest.mark.parametrize(("route", "build"), PAGES, ids=[p[0] for p in PAGES])
def test_no_500_on_the_casework_forms_as_the_supervisor(route, build, world):
    kwargs = build(world) if build else (_investigation(world) and {})
    client = Client(raise_request_exception=False)
    client.force_login(world.user("a1", "toezichthouder"))
    failures: list[str] = []
    walk_page(client, reverse(route, kwargs=kwargs or None), failures)
    assert not failures, report(failures)


@pytest.mark.parametrize(
    ("path", "build"),
    [
        ("/api/v1/toezicht/investigations/", _investigation),
        ("/api/v1/toezicht/information-requests/", _request),
        ("/api/v1/toezicht/disclosures/", _disclosure),
    ],
)
def test_no_500_on_the_casework_api_as_the_supervisor(path, build, world):
    build(world)
    client = APIClient(raise_request_exception=False)
    client.force_login(world.user("a1", "toezichthouder"))
    failures: list[str] = []
    assert walk_operations(client, path, failures)
    assert not failures, report(failures)

"""Shared fixtures: a two-region world for tenancy tests, clients per user, and the PostgreSQL/Redis guards."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from regio.roles import Role
from tests.factories import MembershipFactory, MunicipalityFactory, RegionFactory, UserFactory

REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"


def pytest_collection_modifyitems(config, items):
    if getattr(settings, "USING_POSTGRES", False):
        return
    skip = pytest.mark.skip(reason="geen PostgreSQL bereikbaar: de suite draait op SQLite (zie README)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    return f"database: {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('HOST') or ''} {db['NAME']}"


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class World:
    """Two regions that share nothing.

    Region A (``a``): municipality ``a1`` coordinates, ``a2`` and ``a3`` are ordinary members (think Sittard-Geleen,
    Beek and Landgraaf): a2 and a3 prove member <-> member isolation within one region. Region B (``b``): municipality
    ``b1`` coordinates (think Oss) and has its own functional administrator (``world.user("b1", "beheerder")``), next
    to region A's (``world.user("a1", "beheerder")``): administrator <-> administrator isolation (issue 10,
    finding 9). Users per municipality and role: ``world.user("a2", "ambtenaar")``.
    """

    a: object
    b: object
    a1: object
    a2: object
    b1: object
    a3: object = None
    users: dict = field(default_factory=dict)

    def user(self, municipality: str, role: str = Role.CIVIL_SERVANT):
        key = (municipality, role)
        if key not in self.users:
            m = getattr(self, municipality)
            self.users[key] = UserFactory(username=f"{municipality}-{role}", municipality=m, roles=[role])
        return self.users[key]

    def client(self, municipality: str | None, role: str = Role.CIVIL_SERVANT, api: bool = False):
        client = APIClient() if api else __import__("django.test", fromlist=["Client"]).Client()
        if municipality is not None:
            client.force_login(self.user(municipality, role))
        return client


@pytest.fixture
def world(db):
    a = RegionFactory(code="regio-a", name="Regio A")
    b = RegionFactory(code="regio-b", name="Regio B")
    a1 = MunicipalityFactory(code="GM1883", name="Sittard-Geleen")
    a2 = MunicipalityFactory(code="GM0888", name="Beek")
    b1 = MunicipalityFactory(code="GM0828", name="Oss")
    a3 = MunicipalityFactory(code="GM0882", name="Landgraaf")
    MembershipFactory(region=a, municipality=a1, coordinating=True, valid_from=date(2015, 1, 1))
    MembershipFactory(region=a, municipality=a2, valid_from=date(2015, 1, 1))
    MembershipFactory(region=a, municipality=a3, valid_from=date(2015, 1, 1))
    MembershipFactory(region=b, municipality=b1, coordinating=True, valid_from=date(2020, 1, 1))
    return World(a=a, b=b, a1=a1, a2=a2, b1=b1, a3=a3)


@pytest.fixture
def api_client():
    return APIClient()


_unverified_force_login = Client.force_login


def unverified_login(client, user, backend=None):
    """Only the password step: the session of a user who has not (yet) passed the second factor."""
    _unverified_force_login(client, user, backend)


def verified_login(client, user, backend=None):
    """Log in as a user who passed the second step (issue 17): a user whose role needs two-factor authentication gets
    a real, confirmed TOTP device (unless it has one) and the session is marked verified with it, as the code page
    does; the middleware and token rules stay on."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from regio.login import twofactor

    _unverified_force_login(client, user, backend)
    if twofactor.requires_two_factor(user, use_scope=False) or twofactor.has_device(user):
        device = twofactor.devices(user).first() or TOTPDevice.objects.create(
            user=user, name="Testapparaat", confirmed=True
        )
        session = client.session
        session[twofactor.SESSION_KEY] = device.persistent_id
        session.save()


@pytest.fixture(autouse=True)
def _verified_logins(monkeypatch):
    """Every test client's ``force_login`` (ours, pytest-django's ``admin_client``) logs in verified."""
    monkeypatch.setattr(Client, "force_login", verified_login)


@pytest.fixture(autouse=True)
def _reset_celery_join_flag():
    """Eager tasks from concurrent threads race on Celery's process-wide join flag; start every test with it clear."""
    yield
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)


# The schema-fuzzing run's tally (tests/regio/test_schema_fuzzing.py), printed at the end of every run that has it.
# The test puts it in its report's user properties, which pytest-xdist carries from a worker to the main process;
# these hooks live in this top conftest because the main process of an xdist run loads only this one.
FUZZ_TALLY = "schema_fuzz_tally"
FUZZ_TALLIES: list[str] = []


def pytest_runtest_logreport(report):
    if report.when == "call":
        FUZZ_TALLIES.extend(value for name, value in report.user_properties if name == FUZZ_TALLY)


def pytest_terminal_summary(terminalreporter):
    for line in FUZZ_TALLIES:
        terminalreporter.write_line(line)

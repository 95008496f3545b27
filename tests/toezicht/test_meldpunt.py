"""Issue 14, the public Meldpunt toezicht Wmo: no login, a reference as receipt, no BSN, a honeypot, a limit per
address (429), and the signal lands untriaged with the supervisors of that municipality."""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse
from guardian.shortcuts import assign_perm

from tests.toezicht.builders import fresh
from toezicht.models import Signal, SupervisorAppointment


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def supervisor(world):
    user = world.user("a1", "toezichthouder")
    assign_perm("regio.supervise_municipality", user, world.a2)
    appointment = SupervisorAppointment.objects.create(
        region=world.a,
        supervisor=user,
        kind="quality",
        appointing_municipality=world.a1,
        decision_date=date(2025, 3, 1),
        decision_reference="B&W 2025/1",
        active_from=date(2025, 4, 1),
    )
    appointment.municipalities.set([world.a2])
    return fresh(user)


REPORT = {
    "municipality": "GM0888",
    "kind": "quality",
    "funding": "in_kind",
    "description": "Mijn moeder krijgt geen zorg",
}


def test_anyone_reports_and_gets_an_unguessable_reference(world, supervisor, client):
    page = client.get(reverse("toezicht-meldpunt"))
    assert page.status_code == 200 and "Beek" in page.content.decode() and "Landgraaf" not in page.content.decode()
    response = client.post(reverse("toezicht-meldpunt"), REPORT)
    assert response.status_code == 200
    signal = Signal.objects.unrestricted().get()
    assert signal.reference in response.content.decode() and len(signal.reference) >= 19
    assert (signal.source, signal.triage, signal.municipality) == ("meldpunt", "untriaged", world.a2)
    assert Signal.objects.visible_to(supervisor).get() == signal
    assert not Signal.objects.visible_to(world.user("a2", "ambtenaar")).exists()
    client.post(reverse("toezicht-meldpunt"), REPORT)
    assert len(set(Signal.objects.unrestricted().values_list("reference", flat=True))) == 2


def test_a_bsn_in_the_text_is_refused_in_dutch_and_nothing_stored(world, supervisor, client):
    response = client.post(reverse("toezicht-meldpunt"), {**REPORT, "description": "BSN 111222333 krijgt geen zorg"})
    assert response.status_code == 400
    assert "burgerservicenummer (BSN)" in response.content.decode()
    assert not Signal.objects.unrestricted().exists()


def test_a_municipality_without_supervisors_is_no_choice(world, supervisor, client):
    response = client.post(reverse("toezicht-meldpunt"), {**REPORT, "municipality": "GM0828"})
    assert response.status_code == 400
    assert not Signal.objects.unrestricted().exists()


def test_the_honeypot_thanks_a_robot_and_stores_nothing(world, supervisor, client):
    response = client.post(reverse("toezicht-meldpunt"), {**REPORT, "website": "http://spam.example"})
    assert response.status_code == 200 and "kenmerk" in response.content.decode()
    assert not Signal.objects.unrestricted().exists()


def test_a_flood_from_one_address_gets_429(world, supervisor, client, settings):
    settings.TOEZICHT_MELDPUNT_RATE = "2/h"
    assert client.post(reverse("toezicht-meldpunt"), REPORT).status_code == 200
    assert client.post(reverse("toezicht-meldpunt"), {}).status_code == 400  # bad input counts too
    response = client.post(reverse("toezicht-meldpunt"), REPORT)
    assert response.status_code == 429 and "te veel meldingen" in response.content.decode()
    api = world.client(None, api=True)
    assert api.post("/api/v1/toezicht/meldpunt/", REPORT, format="json").status_code == 429
    other = world.client(None, api=True)
    other.defaults["REMOTE_ADDR"] = "10.0.0.2"
    assert other.post("/api/v1/toezicht/meldpunt/", REPORT, format="json").status_code == 201
    assert Signal.objects.unrestricted().count() == 2


def test_api_meldpunt_without_login(world, supervisor):
    api = world.client(None, api=True)
    response = api.post("/api/v1/toezicht/meldpunt/", REPORT, format="json")
    assert response.status_code == 201
    assert Signal.objects.unrestricted().get().reference == response.json()["reference"]
    bad = api.post("/api/v1/toezicht/meldpunt/", {"municipality": "GM0888", "kind": "x", "description": "111222333"})
    assert bad.status_code == 400
    assert set(bad.json()) >= {"kind", "description"}
    huge = api.post("/api/v1/toezicht/meldpunt/", {**REPORT, "description": "x" * 6000}, format="json")
    assert huge.status_code == 400
    assert Signal.objects.unrestricted().count() == 1

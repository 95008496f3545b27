"""Issue 14, casework is confidential: a signal is only for the supervisors assigned to its municipality, and every
read of its detail is in the access log (SPEC §8)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from guardian.shortcuts import assign_perm

from regio.models import AccessLog
from regio.privacy import refuse_bsn
from tests.toezicht.builders import fresh
from toezicht.models import Signal
from toezicht.services import record_signal, triage_signal


@pytest.fixture
def supervisor(world):
    user = world.user("a1", "toezichthouder")
    assign_perm("regio.supervise_municipality", user, world.a2)
    return fresh(user)


@pytest.fixture
def signal(world, supervisor):
    return record_signal(
        user=supervisor,
        municipality=world.a2,
        received_on=date(2025, 5, 1),
        source="ggd",
        kind="both",
        funding="pgb",
        provider_name="Zorg BV",
        description="Calamiteitenmelding",
    )


def test_only_the_assigned_supervisor_sees_a_signal(world, signal):
    assert Signal.objects.visible_to(world.user("a1", "toezichthouder")).get() == signal
    for who in [("a1", "coordinator"), ("a2", "ambtenaar"), ("a2", "wethouder"), ("a1", "beheerder")]:
        assert not Signal.objects.visible_to(world.user(*who)).exists(), who
    unassigned = world.user("a3", "toezichthouder")
    assert not Signal.objects.visible_to(unassigned).exists()


def test_a_supervisor_records_signals_only_for_assigned_municipalities(world, supervisor):
    with pytest.raises(PermissionDenied):
        record_signal(
            user=supervisor,
            municipality=world.a1,
            received_on=date(2025, 5, 1),
            source="own",
            kind="quality",
            description="x",
        )


def test_every_read_of_the_detail_is_logged(world, signal):
    client = world.client("a1", "toezichthouder")
    response = client.get(reverse("toezicht-signal-detail", args=[signal.reference]))
    assert response.status_code == 200 and "Calamiteitenmelding" in response.content.decode()
    api = world.client("a1", "toezichthouder", api=True)
    assert api.get(f"/api/v1/toezicht/signals/{signal.reference}/").json()["provider_name"] == "Zorg BV"
    logged = AccessLog.objects.unrestricted().filter(object_type="toezicht.Signal", object_id=str(signal.pk))
    assert logged.count() == 2
    assert set(logged.values_list("user__username", flat=True)) == {"a1-toezichthouder"}


def test_refused_reads_are_404_and_write_nothing(world, signal):
    for who in [("a1", "coordinator"), ("a2", "ambtenaar"), ("a1", "beheerder")]:
        response = world.client(*who).get(reverse("toezicht-signal-detail", args=[signal.reference]))
        assert response.status_code == 404, who
    assert not AccessLog.objects.unrestricted().filter(object_type="toezicht.Signal").exists()


def test_triage_needs_reasons_and_records_who(world, supervisor, signal):
    with pytest.raises(ValidationError):
        triage_signal(user=supervisor, signal=signal, decision="investigate", reasons=" ")
    with pytest.raises(PermissionDenied):
        triage_signal(user=world.user("a1", "coordinator"), signal=signal, decision="no_action", reasons="x")
    signal = triage_signal(user=supervisor, signal=signal, decision="investigate", reasons="Ernstige signalen")
    assert (signal.triage, signal.triaged_by) == ("investigate", supervisor)


def test_triage_on_the_page_refuses_a_bsn_in_the_reasons(world, signal):
    client = world.client("a1", "toezichthouder")
    url = reverse("toezicht-signal-detail", args=[signal.reference])
    response = client.post(url, {"decision": "monitor", "reasons": "client 111222333"})
    assert response.status_code == 400 and "burgerservicenummer" in response.content.decode()
    assert Signal.objects.unrestricted().get().triage == "untriaged"


@pytest.mark.parametrize("text", ["111222333", "BSN 111 222 333.", "nr 111.222.333", "x111-222-333x"])
def test_refuse_bsn_refuses_a_number_passing_the_eleven_test(text):
    with pytest.raises(ValidationError) as exc:
        refuse_bsn(text)
    assert "burgerservicenummer" in exc.value.messages[0]


@pytest.mark.parametrize("text", ["123456789", "1112223330", "tel 0612345678", "", None, "000000000"])
def test_refuse_bsn_lets_other_numbers_pass(text):
    refuse_bsn(text)


def test_api_records_a_signal_only_for_an_assigned_municipality(world, supervisor):
    api = world.client("a1", "toezichthouder", api=True)
    payload = {"municipality": "GM0888", "received_on": "2025-05-01", "source": "college", "kind": "lawfulness"}
    response = api.post(
        "/api/v1/toezicht/signals/", {**payload, "description": "Vraag van het college"}, format="json"
    )
    assert response.status_code == 201 and response.json()["reference"].startswith("TZ-")
    other = api.post(
        "/api/v1/toezicht/signals/", {**payload, "municipality": "GM1883", "description": "x"}, format="json"
    )
    assert other.status_code == 400
    bsn = api.post("/api/v1/toezicht/signals/", {**payload, "description": "bsn 111222333"}, format="json")
    assert bsn.status_code == 400 and "burgerservicenummer" in str(bsn.json())
    assert world.client("a2", "ambtenaar", api=True).get("/api/v1/toezicht/signals/").json()["results"] == []

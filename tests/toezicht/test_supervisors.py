"""Issue 14, register of appointed supervisors (art. 6.1 lid 1 Wmo 2015; WM-DVO annex 4)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from regio.tenancy import scope_of, system_actor
from tests.toezicht.builders import fresh, supervision_mandate
from toezicht.models import SupervisorAppointment
from toezicht.services import appoint_supervisor, end_appointment, sync_grants
from toezicht.tasks import sync_supervisor_grants


def _appoint(world, *, user=None, municipalities=None, **extra):
    values = {
        "user": user or world.user("a1", "coordinator"),
        "region": world.a,
        "supervisor": world.user("a1", "toezichthouder"),
        "kind": "quality",
        "decision_date": date(2025, 3, 1),
        "decision_reference": "B&W 2025/123",
        "municipalities": municipalities or [world.a1, world.a2],
        "active_from": date(2025, 4, 1),
    }
    values.update(extra)
    return appoint_supervisor(**values)


def test_appointment_rests_on_the_mandate_and_grants_the_municipalities(world):
    mandate = supervision_mandate(world)
    appointment = _appoint(world)
    assert list(appointment.mandates.all()) == [mandate]
    assert appointment.appointing_municipality == world.a1
    supervisor = fresh(world.user("a1", "toezichthouder"))
    assert scope_of(supervisor).supervised_municipality_ids == {world.a1.pk, world.a2.pk}


def test_no_appointment_for_a_member_without_a_supervision_mandate(world):
    supervision_mandate(world, powers=("purchasing",))
    with pytest.raises(ValidationError) as exc:
        _appoint(world)
    assert "municipalities" in exc.value.message_dict
    assert not SupervisorAppointment.objects.unrestricted().exists()
    assert scope_of(fresh(world.user("a1", "toezichthouder"))).supervised_municipality_ids == frozenset()


def test_the_coordinating_municipality_needs_no_mandate_for_itself(world):
    appointment = _appoint(world, municipalities=[world.a1])
    assert list(appointment.mandates.all()) == []


@pytest.mark.parametrize("who", [("a2", "ambtenaar"), ("a1", "wethouder"), ("b1", "coordinator")])
def test_only_the_coordinating_staff_appoint(world, who):
    supervision_mandate(world)
    with pytest.raises(PermissionDenied):
        _appoint(world, user=world.user(*who))
    assert not SupervisorAppointment.objects.unrestricted().exists()


def test_only_a_person_with_the_supervisor_role_is_appointed(world):
    with pytest.raises(ValidationError):
        _appoint(world, supervisor=world.user("a1", "ambtenaar"), municipalities=[world.a1])


def test_a_non_member_is_not_assigned(world):
    with pytest.raises(ValidationError):
        _appoint(world, municipalities=[world.b1])


def test_ending_the_appointment_withdraws_the_grants(world):
    supervision_mandate(world)
    appointment = _appoint(world)
    end_appointment(
        user=world.user("a1", "coordinator"), appointment=appointment, active_until=timezone.localdate() - timedelta(1)
    )
    assert scope_of(fresh(world.user("a1", "toezichthouder"))).supervised_municipality_ids == frozenset()


def test_visible_to_supervisor_and_colleges_concerned_not_to_others(world):
    supervision_mandate(world)
    appointment = _appoint(world)
    for who, sees in [
        (("a1", "toezichthouder"), True),
        (("a1", "coordinator"), True),
        (("a2", "ambtenaar"), True),
        (("a3", "ambtenaar"), False),
        (("b1", "coordinator"), False),
    ]:
        visible = SupervisorAppointment.objects.visible_to(world.user(*who)).filter(pk=appointment.pk).exists()
        assert visible is sees, who


def test_page_appoints_with_a_dutch_error_for_a_missing_mandate(world):
    client = world.client("a1", "coordinator")
    supervisor = world.user("a1", "toezichthouder")
    payload = {
        "supervisor": str(supervisor.pk),
        "kind": "lawfulness",
        "decision_date": "01-03-2025",
        "decision_reference": "B&W 2025/124",
        "municipalities": ["GM1883", "GM0888"],
        "active_from": "01-04-2025",
    }
    response = client.post(reverse("toezicht-supervisors"), payload)
    assert response.status_code == 400
    assert "mandaat" in response.content.decode()
    supervision_mandate(world)
    response = client.post(reverse("toezicht-supervisors"), payload)
    assert response.status_code == 302
    assert SupervisorAppointment.objects.unrestricted().get().kind == "lawfulness"
    page = client.get(reverse("toezicht-supervisors")).content.decode()
    assert "B&amp;W 2025/124" in page and "Beek" in page


def test_an_appointment_starting_later_opens_the_casework_on_its_first_day(world):
    """Grants follow the active period: the daily job grants on the first day (and withdraws after the last)."""
    supervision_mandate(world)
    tomorrow = timezone.localdate() + timedelta(days=1)
    _appoint(world, active_from=tomorrow)
    supervisor = world.user("a1", "toezichthouder")
    assert scope_of(fresh(supervisor)).supervised_municipality_ids == frozenset()
    sync_supervisor_grants.delay()
    assert scope_of(fresh(supervisor)).supervised_municipality_ids == frozenset()
    sync_grants(user=system_actor("test"), supervisor=supervisor, on=tomorrow)
    assert scope_of(fresh(supervisor)).supervised_municipality_ids == {world.a1.pk, world.a2.pk}
    with pytest.raises(PermissionDenied):
        sync_grants(user=world.user("a1", "coordinator"), supervisor=supervisor)


def test_api_appoints_and_answers_bad_input_in_dutch(world):
    supervision_mandate(world)
    api = world.client("a1", "coordinator", api=True)
    payload = {
        "region": "regio-a",
        "supervisor": "a1-toezichthouder",
        "kind": "lawfulness",
        "decision_date": "2025-03-01",
        "decision_reference": "B&W 2025/9",
        "municipalities": ["GM1883", "GM0888"],
        "active_from": "2025-04-01",
    }
    world.user("a1", "toezichthouder")
    bad = api.post("/api/v1/toezicht/supervisors/", {**payload, "municipalities": ["GM0828"]}, format="json")
    assert bad.status_code == 400 and "municipalities" in bad.json()
    far = api.post("/api/v1/toezicht/supervisors/", {**payload, "active_from": "9999-01-01"}, format="json")
    assert far.status_code == 400
    response = api.post("/api/v1/toezicht/supervisors/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["municipalities"] == ["GM1883", "GM0888"] or set(response.json()["municipalities"]) == {
        "GM1883",
        "GM0888",
    }
    assert len(response.json()["mandates"]) == 1

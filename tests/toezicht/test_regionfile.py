"""Issue 14 part B: the region-file section ``toezicht`` (WM-DVO annex 4): capacity, productive hours and the
appointments, whose grants open the casework. A second import changes nothing; bad entries are refused whole."""

from decimal import Decimal

import pytest
import yaml

from regio.regionfile import RegionFileError
from regio.regionfile.loader import import_text
from regio.tenancy import scope_of, system_actor
from tests.toezicht.builders import fresh, supervision_mandate
from toezicht.models import ProductiveHours, SupervisionCapacity, SupervisorAppointment


def _file(world, supervisors, **extra):
    return yaml.safe_dump(
        {
            "region": {"code": "regio-a", "name": "Regio A"},
            "toezicht": {
                "capacity": [{"year": 2025, "municipality": world.a2.code, "fte": "0.35"}],
                "productive_hours": [{"year": 2025, "hours": 1400}],
                "supervisors": supervisors,
                **extra,
            },
        }
    )


def _appointment(username, municipalities):
    return {
        "username": username,
        "kind": "quality",
        "decision_date": "2025-03-01",
        "decision_reference": "B&W a1 2025/1",
        "municipalities": municipalities,
        "active_from": "2025-04-01",
    }


def test_appointments_from_the_region_file_grant_the_casework_and_load_twice_unchanged(world):
    supervision_mandate(world)
    supervisor = world.user("a1", "toezichthouder")
    text = _file(world, [_appointment(supervisor.username, [world.a1.code, world.a2.code])])
    result = import_text(text, "toezicht.yaml", user=system_actor("test"))
    assert result.counts["created"] >= 3
    appointment = SupervisorAppointment.objects.unrestricted().get()
    assert appointment.mandates.count() == 1  # a2's mandate to a1 (WM-SO 4.12)
    assert scope_of(fresh(supervisor)).supervised_municipality_ids == {world.a1.pk, world.a2.pk}
    assert ProductiveHours.objects.unrestricted().get().hours == 1400
    assert SupervisionCapacity.objects.unrestricted().get().fte == Decimal("0.35")
    again = import_text(text, "toezicht.yaml", user=system_actor("test"))
    assert again.counts["created"] == 0 and again.counts["updated"] == 0
    assert SupervisorAppointment.objects.unrestricted().count() == 1


def test_without_a_mandate_the_whole_file_is_refused(world):
    supervisor = world.user("a1", "toezichthouder")
    text = _file(world, [_appointment(supervisor.username, [world.a2.code])])
    with pytest.raises(RegionFileError):
        import_text(text, "toezicht.yaml", user=system_actor("test"))
    assert not SupervisorAppointment.objects.unrestricted().exists()
    assert not SupervisionCapacity.objects.unrestricted().exists()  # all or nothing


def test_a_person_of_another_region_or_unknown_is_refused(world):
    supervision_mandate(world)
    for username in (world.user("b1", "toezichthouder").username, "niemand"):
        with pytest.raises(RegionFileError) as exc:
            import_text(_file(world, [_appointment(username, [world.a1.code])]), "t.yaml", user=system_actor("t"))
        assert "toezicht.supervisors[0].username" in str(exc.value.problems)
    assert not SupervisorAppointment.objects.unrestricted().exists()


def test_bad_hours_are_refused(world):
    with pytest.raises(RegionFileError):
        import_text(_file(world, [], productive_hours=[{"year": 2025, "hours": -3}]), "t.yaml", user=system_actor("t"))
    assert not ProductiveHours.objects.unrestricted().exists()

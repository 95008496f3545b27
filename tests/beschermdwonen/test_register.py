"""The pseudonymous register of beschermd wonen (issue 13, SPEC §7): who may see and change what, the woonplaats
periods, the BSN turned into a pseudonym at the door, every read of a file in the access log, the retention job."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from beschermdwonen import selectors, services
from beschermdwonen.models import Client, Residence
from regio.models import AccessLog
from regio.tenancy import system_actor

BSN = "111222333"


@pytest.fixture
def team(world):
    return world.user("a1", "bw")


def _register(world, team, municipality=None, **kw):
    return services.register_client(
        user=team, region=world.a, municipality=municipality or world.a2, valid_from=date(2024, 1, 1), **kw
    )


def test_the_access_team_registers_a_pseudonymous_client(world, team):
    client = _register(world, team, birth_year=1970)
    assert client.reference.startswith("BW-")
    assert [(r.municipality, r.valid_from, r.valid_to) for r in client.residences.all()] == [
        (world.a2, date(2024, 1, 1), None)
    ]


@pytest.mark.parametrize("who", [("a2", "bw"), ("a1", "coordinator"), ("a2", "wethouder"), ("b1", "bw")])
def test_nobody_but_the_access_team_registers_and_nothing_is_saved(world, who):
    with pytest.raises((PermissionDenied, ValidationError)):
        _register(world, world.user(*who))
    assert not Client.objects.unrestricted().exists()
    assert not Residence.objects.unrestricted().exists()


def test_a_bsn_becomes_its_pseudonym_at_the_door_and_is_stored_nowhere(world, team):
    client = _register(world, team, bsn="111.222.333")
    assert client.reference.startswith("P-")
    stored = [str(v) for v in Client.objects.unrestricted().values_list("reference", "birth_year").get()]
    stored += [str(v) for row in Client.history.values_list() for v in row]
    assert all(BSN not in v for v in stored)
    # The same person again is recognised by the pseudonym, and the message does not repeat the number.
    with pytest.raises(ValidationError) as exc:
        _register(world, team, bsn=BSN)
    assert "al in het register" in str(exc.value) and BSN not in str(exc.value)


def test_a_reference_that_is_a_bsn_is_refused(world, team):
    with pytest.raises(ValidationError, match="burgerservicenummer"):
        _register(world, team, reference="111 222 333")


def test_moves_make_periods_that_do_not_overlap(world, team):
    client = _register(world, team)
    services.record_move(user=team, client=client, municipality=world.a3, valid_from=date(2025, 3, 1))
    periods = [(r.municipality, r.valid_from, r.valid_to) for r in client.residences.order_by("valid_from")]
    assert periods == [(world.a2, date(2024, 1, 1), date(2025, 2, 28)), (world.a3, date(2025, 3, 1), None)]
    with pytest.raises(ValidationError, match="na het begin van de laatste woonplaats"):
        services.record_move(user=team, client=client, municipality=world.a2, valid_from=date(2025, 3, 1))
    with pytest.raises(ValidationError, match="geen lid"):
        services.record_move(user=team, client=client, municipality=world.b1, valid_from=date(2025, 6, 1))
    with pytest.raises(PermissionDenied):
        services.record_move(
            user=world.user("a3", "bw"), client=client, municipality=world.a2, valid_from=date(2025, 6, 1)
        )


def test_member_staff_reads_only_its_own_residents(world, team):
    in_a2 = _register(world, team, reference="BW-A2")
    in_a3 = _register(world, team, reference="BW-A3", municipality=world.a3)
    assert set(selectors.clients_for(world.user("a2", "bw"))) == {in_a2}
    assert set(selectors.clients_for(world.user("a3", "bw"))) == {in_a3}
    assert set(selectors.clients_for(team)) == {in_a2, in_a3}
    assert not selectors.clients_for(world.user("a2", "wethouder")).exists()
    assert not selectors.clients_for(world.user("a1", "beheerder")).exists()
    # After the move both see the file (woonplaatsbeginsel over time), each with its own period of residence only.
    services.record_move(user=team, client=in_a2, municipality=world.a3, valid_from=date(2025, 1, 1))
    for who, town in (("a2", world.a2), ("a3", world.a3)):
        moved = selectors.clients_for(world.user(who, "bw")).get(pk=in_a2.pk)
        assert [r.municipality for r in moved.residences.all()] == [town]


def test_portfolio_holders_see_counts_only(world, team):
    _register(world, team, reference="BW-A2")
    _register(world, team, reference="BW-A3", municipality=world.a3)
    _register(world, team, reference="BW-A3B", municipality=world.a3)
    response = world.client("a2", "wethouder").get(reverse("bw-counts"))
    assert response.status_code == 200
    assert "BW-A2" not in response.content.decode()
    counts = selectors.client_counts(region=world.a, on=date(2025, 1, 1))
    assert counts == {world.a2: 1, world.a3: 2}
    assert selectors.client_counts(region=world.a, on=date(2023, 12, 31)) == {}


def test_every_read_of_a_client_file_is_logged_page_and_api(world, team):
    client = _register(world, team)
    reader = world.client("a2", "bw")
    assert reader.get(reverse("bw-client-detail", args=[client.reference])).status_code == 200
    api = world.client("a2", "bw", api=True)
    assert api.get(reverse("api:bw-client-detail", args=[client.reference])).status_code == 200
    logs = list(AccessLog.objects.unrestricted().order_by("at").values_list("user__username", "object_id", "path"))
    assert [(u, o) for u, o, _p in logs] == [("a2-bw", str(client.pk))] * 2
    # A refused read is not a read (404), and the list is not a file.
    world.client("a3", "bw").get(reverse("bw-client-detail", args=[client.reference]))
    reader.get(reverse("bw-client-list"))
    assert AccessLog.objects.unrestricted().count() == 2


def test_the_page_refuses_a_bsn_typed_as_reference(world, team):
    browser = world.client("a1", "bw")
    data = {"reference": "111.222.333", "municipality": "GM0888", "valid_from": "01-01-2025"}
    response = browser.post(reverse("bw-client-create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "burgerservicenummer" in page
    assert not Client.objects.unrestricted().exists()
    response = browser.post(reverse("bw-client-create"), {**data, "reference": "", "birth_year": "1980"})
    assert response.status_code == 302
    assert Client.objects.unrestricted().get().birth_year == 1980


def test_the_api_registers_with_a_bsn_and_answers_bad_input_in_dutch(world, team):
    api = world.client("a1", "bw", api=True)
    url = reverse("api:bw-client-list")
    good = {"region": "regio-a", "municipality": "GM0888", "valid_from": "2025-01-01", "bsn": BSN}
    response = api.post(url, good, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["reference"].startswith("P-") and BSN not in response.content.decode()
    # Stored nowhere: no column of any beschermd-wonen table (their audit history included) or of the access log.
    from django.apps import apps

    digits = "".join(ch for ch in BSN if ch.isdigit())
    models = [*apps.get_app_config("beschermdwonen").get_models(), AccessLog]
    for model in models:
        for row in model._base_manager.values():
            assert not any(digits in str(value) or BSN in str(value) for value in row.values()), model
    for bad, field in [
        ({**good, "bsn": "123456789"}, "bsn"),
        ({**good, "bsn": "", "reference": "111-222-333"}, "reference"),
        ({**good, "valid_from": "9999-01-01"}, "valid_from"),
        ({**good, "municipality": "GM0828"}, "municipality"),
        ({**good, "birth_year": 1e30}, "birth_year"),
    ]:
        response = api.post(url, bad, format="json")
        assert response.status_code == 400, (bad, response.content)
        assert field in response.json()
        assert "123456789" not in response.content.decode()
    assert Client.objects.unrestricted().count() == 1


def test_the_client_list_query_count_does_not_grow(world, team, django_assert_max_num_queries):
    for i in range(12):
        _register(world, team, reference=f"BW-{i:03}")
    browser = world.client("a1", "bw")
    browser.get(reverse("bw-client-list"))
    with django_assert_max_num_queries(12):
        assert browser.get(reverse("bw-client-list")).status_code == 200


def test_retention_reduces_closed_files_once(world, team, settings):
    settings.BW_RETENTION_YEARS = 2
    old = _register(world, team, reference="BW-OLD", birth_year=1950)
    recent = _register(world, team, reference="BW-RECENT", birth_year=1960)
    services.close_client(user=team, client=old, closed_on=date(2024, 6, 30))
    services.close_client(user=team, client=recent, closed_on=date(2025, 6, 30))
    actor = system_actor("test bewaartermijn")
    assert services.reduce_expired_files(user=actor, today=date(2026, 7, 1)) == [old.pk]
    assert services.reduce_expired_files(user=actor, today=date(2026, 7, 1)) == []  # idempotent
    old.refresh_from_db()
    assert old.birth_year is None and old.reduced_on == date(2026, 7, 1)
    assert not old.history.exclude(birth_year=None).exists()
    assert list(old.residences.values_list("municipality", "valid_to")) == [(world.a2.pk, date(2024, 6, 30))]
    recent.refresh_from_db()
    assert recent.birth_year == 1960
    with pytest.raises(ValidationError, match="bewaartermijn"):
        services.reduce_client(user=actor, client=recent, today=date(2026, 7, 1))


def test_the_retention_task_acts_as_the_system_actor(world, team, settings):
    settings.BW_RETENTION_YEARS = 0
    client = _register(world, team, birth_year=1950)
    services.close_client(user=team, client=client, closed_on=date(2025, 1, 1))
    from regio.tasks import run_retention  # the one daily retention job (regio/retention.py)

    assert run_retention.delay().get()["bw_client_files"] == 1
    assert run_retention.delay().get()["bw_client_files"] == 0


def test_a_closed_file_takes_no_move(world, team):
    client = _register(world, team)
    services.close_client(user=team, client=client, closed_on=date(2025, 1, 31))
    with pytest.raises(ValidationError, match="gesloten"):
        services.record_move(user=team, client=client, municipality=world.a3, valid_from=date(2025, 3, 1))
    assert client.residences.get().valid_to == date(2025, 1, 31)

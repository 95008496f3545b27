"""Indications of beschermd wonen (issue 13; WM-DVO annex 2 §1-2, annex 3 §1-3): running on a date is a query, and
existing/new is answered under both rules of annex 3 (§1 by the indication, §2-3 by the care start date)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from beschermdwonen import selectors, services
from beschermdwonen.models import Indication, IndicationProduct, RegionSetting


@pytest.fixture
def team(world):
    return world.user("a1", "bw")


def _client(world, team, municipality=None, reference=None):
    return services.register_client(
        user=team,
        region=world.a,
        municipality=municipality or world.a2,
        valid_from=date(2022, 1, 1),
        reference=reference or "",
    )


def _indication(client, *, start, end=None, decided=None, responsible, decided_by):
    return Indication.objects.create(
        client=client,
        product=IndicationProduct.ARRANGEMENT,
        decided_on=decided or start,
        care_start=start,
        ends_on=end,
        decided_by=decided_by,
        responsible_municipality=responsible,
    )


def test_running_indications_on_a_date_are_a_query(world, team, django_assert_num_queries):
    a2, a3 = _client(world, team), _client(world, team, municipality=world.a3)
    running = _indication(a2, start=date(2023, 1, 1), responsible=world.a2, decided_by=world.a1)
    _indication(a2, start=date(2022, 1, 1), end=date(2022, 12, 31), responsible=world.a2, decided_by=world.a1)
    ends_today = _indication(
        a3, start=date(2024, 1, 1), end=date(2024, 6, 30), responsible=world.a3, decided_by=world.a1
    )
    _indication(a3, start=date(2024, 7, 1), responsible=world.a3, decided_by=world.a1)  # not yet started
    on = date(2024, 6, 30)
    assert set(selectors.running_indications(region=world.a, on=on)) == {running, ends_today}
    assert list(selectors.running_indications(municipality=world.a3, on=on)) == [ends_today]
    assert not selectors.running_indications(region=world.b, on=on).exists()
    with django_assert_num_queries(1):
        counts = selectors.running_indication_counts(region=world.a, on=on)
    assert counts == {world.a2.pk: 1, world.a3.pk: 1}


def test_existing_or_new_under_both_rules_of_annex_3(world, team):
    client = _client(world, team)
    # Decided before the objective model started, care started on or after it: existing by §1, new by §2-3.
    ind = _indication(
        client, decided=date(2023, 12, 15), start=date(2024, 1, 1), responsible=world.a2, decided_by=world.a1
    )
    assert ind.classification(None) == {"by_indication": True, "by_start": True, "differ": False}
    assert ind.classification(date(2024, 1, 1)) == {"by_indication": True, "by_start": False, "differ": True}
    assert ind.classification(date(2023, 1, 1)) == {"by_indication": False, "by_start": False, "differ": False}


def test_the_region_setting_may_be_empty(world):
    assert selectors.objective_model_start(world.a) is None
    RegionSetting.objects.create(region=world.a, objective_model_start=date(2024, 1, 1))
    assert selectors.objective_model_start(world.a) == date(2024, 1, 1)
    assert selectors.objective_model_start(world.b) is None


def test_member_staff_sees_only_indications_of_its_residents(world, team):
    in_a2, in_a3 = _client(world, team), _client(world, team, municipality=world.a3)
    mine = _indication(in_a2, start=date(2023, 1, 1), responsible=world.a2, decided_by=world.a1)
    _indication(in_a3, start=date(2023, 1, 1), responsible=world.a3, decided_by=world.a1)
    assert list(selectors.indications_for(world.user("a2", "bw"))) == [mine]
    assert selectors.indications_for(team).count() == 2
    assert not selectors.indications_for(world.user("a2", "wethouder")).exists()
    assert not selectors.indications_for(world.user("b1", "bw")).exists()


def test_the_arrangement_is_decided_by_the_coordinating_municipality(world, team):
    client = _client(world, team)
    ind = services.record_indication(
        user=team,
        client=client,
        product=IndicationProduct.ARRANGEMENT,
        decided_on=date(2024, 2, 1),
        care_start=date(2024, 3, 1),
        delivery="pgb",
    )
    # Annex 2 §1: the coordinating municipality decides; the client lives in a2 (woonplaatsbeginsel, annex 3 §3).
    assert (ind.decided_by, ind.responsible_municipality, ind.delivery) == (world.a1, world.a2, "pgb")
    with pytest.raises(ValidationError, match="coördinerende|Sittard-Geleen"):
        services.record_indication(
            user=team,
            client=client,
            product=IndicationProduct.ARRANGEMENT,
            decided_on=date(2024, 2, 1),
            care_start=date(2024, 3, 1),
            decided_by=world.a2,
        )


def test_begeleiding_is_decided_by_the_member_itself(world, team):
    client = _client(world, team)
    ind = services.record_indication(
        user=team,
        client=client,
        product=IndicationProduct.BEGELEIDING,
        decided_on=date(2024, 2, 1),
        care_start=date(2024, 3, 1),
    )
    assert ind.decided_by == world.a2  # annex 2 §2: "die zelfstandig een besluit neemt"
    services.end_indication(user=team, indication=ind, ends_on=date(2024, 12, 31))
    services.report_own_contribution(user=team, indication=ind, reported_on=date(2024, 2, 15))
    ind.refresh_from_db()
    assert (ind.ends_on, ind.own_contribution_reported_on) == (date(2024, 12, 31), date(2024, 2, 15))
    assert not selectors.running_indications(region=world.a, on=date(2025, 1, 1)).exists()


@pytest.mark.parametrize(
    "kw, field",
    [
        ({"product": "kamer"}, "product"),
        ({"ends_on": date(2024, 1, 1)}, "ends_on"),
        ({"decided_on": date(2999, 1, 1)}, "decided_on"),
        ({"care_start": date(1800, 1, 1)}, "care_start"),
        ({"own_contribution_reported_on": date(2024, 1, 1)}, "own_contribution_reported_on"),
        ({"delivery": "contant"}, "delivery"),
    ],
)
def test_bad_indications_are_refused_and_nothing_is_saved(world, team, kw, field):
    client = _client(world, team)
    values = {
        "product": IndicationProduct.BEGELEIDING,
        "decided_on": date(2024, 2, 1),
        "care_start": date(2024, 3, 1),
    } | kw
    with pytest.raises(ValidationError) as exc:
        services.record_indication(user=team, client=client, **values)
    assert field in exc.value.message_dict
    assert not Indication.objects.unrestricted().exists()


@pytest.mark.parametrize("who", [("a2", "bw"), ("a1", "coordinator"), ("a2", "wethouder"), ("b1", "bw")])
def test_only_the_access_team_records_indications(world, team, who):
    client = _client(world, team)
    with pytest.raises(PermissionDenied):
        services.record_indication(
            user=world.user(*who),
            client=client,
            product=IndicationProduct.BEGELEIDING,
            decided_on=date(2024, 2, 1),
            care_start=date(2024, 3, 1),
        )
    assert not Indication.objects.unrestricted().exists()


def test_the_indications_api(world, team):
    client = _client(world, team, reference="BW-API1")
    api = world.client("a1", "bw", api=True)
    url = "/api/v1/beschermd-wonen/indications/"
    made = api.post(
        url,
        {"client": "BW-API1", "product": "arrangement", "decided_on": "2023-12-15", "care_start": "2024-01-08"},
        format="json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["decided_by"] == "GM1883" and made.json()["responsible_municipality"] == "GM0888"
    assert made.json()["existing_by_indication"] is True and made.json()["existing_by_start"] is True
    bad = api.post(url, {"client": "BW-API1", "product": "kamer", "decided_on": "2999-01-01"}, format="json")
    assert bad.status_code == 400 and {"product", "decided_on", "care_start"} <= set(bad.json())
    assert Indication.objects.unrestricted().filter(client=client).count() == 1
    RegionSetting.objects.create(region=world.a, objective_model_start=date(2024, 1, 1))
    beek = world.client("a2", "bw", api=True)
    rows = beek.get(url + "?on=2024-06-01").json()["results"]
    assert [(r["client"], r["existing_by_indication"], r["existing_by_start"]) for r in rows] == [
        ("BW-API1", True, False)
    ]
    assert beek.get(url + "?on=2023-06-01").json()["results"] == []
    assert beek.get(url + "?on=9999-99-99").status_code == 400
    assert world.client("a3", "bw", api=True).get(url).json()["results"] == []
    assert beek.post(url, {}, format="json").status_code == 403

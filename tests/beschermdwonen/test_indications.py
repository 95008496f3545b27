"""Indications of beschermd wonen (issue 13; WM-DVO annex 2 §1-2, annex 3 §1-3): running on a date is a query, and
existing/new is answered under both rules of annex 3 (§1 by the indication, §2-3 by the care start date)."""

from datetime import date

import pytest

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

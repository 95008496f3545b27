"""Financing of existing clients (WM-DVO annex 3 §2) and the Maastricht budget (annex 3 §1, §7)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from beschermdwonen import costimport, financing
from beschermdwonen.models import BudgetTrack, MaastrichtBudget
from tests.beschermdwonen.money_builders import BWM

D = Decimal


def test_spec_7_example_annex_3_2_historical_and_objective_parts():
    """SPEC §7 / annex 3 §2: costs 1.2 M / 300 k / 200 k, budget 1.5 M."""
    lines = financing.split_existing(
        budget=D("1500000.00"),
        costs=[("GM1883", D("1200000.00")), ("GM0971", D("300000.00")), ("GM0888", D("200000.00"))],
    )
    assert [line.historical for line in lines] == [D("1058823.53"), D("264705.88"), D("176470.59")]
    assert [line.objective for line in lines] == [D("141176.47"), D("35294.12"), D("23529.41")]
    assert sum(line.historical for line in lines) == D("1500000.00")
    assert all(line.historical + line.objective == line.client_costs for line in lines)


def test_no_costs_no_split():
    lines = financing.split_existing(budget=D("100.00"), costs=[("a", D("0.00")), ("b", D("0.00"))])
    assert [line.historical for line in lines] == [D("0.00"), D("0.00")]


def _csv(rows):
    head = "client;gemeente;product;begindatum;einddatum;bedrag\n"
    return (head + "".join(f"{r};{m};BW01;01-01-2025;31-12-2025;{a}\n" for r, m, a in rows)).encode()


@pytest.fixture
def wm(db):
    return BWM()


def test_financing_from_imported_costs_and_the_budget(wm, django_assert_max_num_queries):
    content = _csv(
        [
            ("C-1", "GM1883", "700.000,00"),
            ("C-2", "GM1883", "500.000,00"),
            ("C-3", "GM0971", "300.000,00"),
            ("C-4", "GM0888", "200.000,00"),
        ]
    )
    costimport.import_costs(user=wm.team, region=wm.region, municipality=wm.sg, filename="wmo.csv", content=content)
    financing.record_budget(
        user=wm.team,
        region=wm.region,
        year=2025,
        track=BudgetTrack.EXISTING,
        amount=D("1500000.00"),
        source="meicirculaire 2025",
    )
    with django_assert_max_num_queries(6):
        result = financing.financing(user=wm.beek_civil, region=wm.region, year=2025)
    by_code = {line.municipality.code: line for line in result.lines}
    assert by_code["GM1883"].historical == D("1058823.53")
    assert by_code["GM0888"].objective == D("23529.41")
    assert result.budget_amount == D("1500000.00")


def test_a_new_circular_makes_a_new_version_and_the_financing_follows(wm):
    first = financing.record_budget(
        user=wm.team,
        region=wm.region,
        year=2025,
        track=BudgetTrack.EXISTING,
        amount=D("1500000.00"),
        source="mei 2025",
    )
    same = financing.record_budget(
        user=wm.team,
        region=wm.region,
        year=2025,
        track=BudgetTrack.EXISTING,
        amount=D("1500000.00"),
        source="mei 2025",
    )
    assert same.pk == first.pk
    second = financing.record_budget(
        user=wm.team,
        region=wm.region,
        year=2025,
        track=BudgetTrack.EXISTING,
        amount=D("1400000.00"),
        source="september 2025",
    )
    assert second.version == 2
    assert financing.current_budget(region=wm.region, year=2025).amount == D("1400000.00")
    assert MaastrichtBudget.objects.unrestricted().filter(region=wm.region).count() == 2


def test_only_the_access_team_records_the_budget(wm):
    for user in (wm.stein_bw, wm.beek_civil):
        with pytest.raises(PermissionDenied):
            financing.record_budget(
                user=user, region=wm.region, year=2025, track=BudgetTrack.EXISTING, amount=D("1.00"), source="x"
            )
    assert not MaastrichtBudget.objects.unrestricted().exists()


def test_financing_api(wm, client):
    content = _csv([("C-1", "GM1883", "1200000.00"), ("C-3", "GM0971", "300000.00"), ("C-4", "GM0888", "200000.00")])
    costimport.import_costs(user=wm.team, region=wm.region, municipality=wm.sg, filename="wmo.csv", content=content)
    financing.record_budget(
        user=wm.team,
        region=wm.region,
        year=2025,
        track=BudgetTrack.EXISTING,
        amount=D("1500000.00"),
        source="mei 2025",
    )
    client.force_login(wm.beek_civil)
    answer = client.get("/api/v1/beschermd-wonen/financing/", {"region": "westelijke-mijnstreek", "year": "2025"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["year"] == 2025 and body["budget"] == "1500000.00"
    assert body["lines"][0] == {
        "municipality": "GM0888",
        "client_costs": "200000.00",
        "historical": "176470.59",
        "objective": "23529.41",
    }
    assert client.get("/api/v1/beschermd-wonen/financing/", {"region": "westelijke-mijnstreek"}).status_code == 400


def test_new_clients_are_paid_by_their_own_municipality(wm):
    """Annex 3 §2-3: once the objective model started, a client whose care started on or after it is new."""
    from datetime import date

    from beschermdwonen.models import Indication

    new = wm.client("C-NEW", wm.stein)
    Indication.objects.create(
        client=new,
        product="arrangement",
        decided_on=date(2025, 2, 1),
        care_start=date(2025, 2, 1),
        decided_by=wm.sg,
        responsible_municipality=wm.stein,
    )
    wm.start_objective_model(date(2025, 1, 1))
    content = _csv([("C-1", "GM1883", "1000.00"), ("C-NEW", "GM0971", "400.00")])
    costimport.import_costs(user=wm.team, region=wm.region, municipality=wm.sg, filename="wmo.csv", content=content)
    result = financing.financing(user=wm.team, region=wm.region, year=2025)
    assert {m.code: a for m, a in result.new_clients}["GM0971"] == D("400.00")
    assert {line.municipality.code: line.client_costs for line in result.lines}["GM0971"] == D("0.00")

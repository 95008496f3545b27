"""The Maastricht budget for new clients (WM-DVO annex 3 §1, track 1: "Voor nieuwe cliënten vanaf 1-1-2022 tot en met
de ingang van het objectieve verdeelmodel ontvangt de gemeente Sittard-Geleen een ... budget van de huidige
centrumgemeente Maastricht") against what it financed: the realised costs of the clients whose first care start is on
or after 1-1-2022 and before the objective model's start, per member, on the financing page and in the API."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from rest_framework.test import APIClient

from beschermdwonen import financing
from beschermdwonen.models import BudgetTrack, CostImport, Indication, RealisedCost
from beschermdwonen.new_track import new_track
from tests.beschermdwonen.money_builders import BWM

URL = "?regio=westelijke-mijnstreek&jaar=2025"


@pytest.fixture
def wm(db):
    wm = BWM()
    imported = CostImport.objects.create(
        region=wm.region, municipality=wm.sg, file_format="table", filename="wmo.csv", digest="a" * 64
    )
    for reference, town, start, amount in (
        ("K-OUD", wm.sg, date(2020, 3, 1), "500000.00"),  # before the track: existing clients' budget
        ("K-2022", wm.stein, date(2022, 6, 1), "120000.00"),
        ("K-2023", wm.beek, date(2023, 2, 1), "90000.50"),
        ("K-2024", wm.stein, date(2024, 5, 1), "150000.00"),
    ):
        client = wm.client(reference, town)
        Indication.objects.create(
            client=client,
            product="arrangement",
            decided_on=start,
            care_start=start,
            decided_by=wm.sg,
            responsible_municipality=town,
        )
        RealisedCost.objects.create(
            region=wm.region,
            municipality=town,
            client_key=reference,
            year=2025,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
            product="BW-ARR",
            amount=Decimal(amount),
            cost_import=imported,
            line_key=reference,
        )
    for amount, source in (("300000.00", "meicirculaire 2025"), ("310000.00", "septembercirculaire 2025")):
        financing.record_budget(
            user=wm.team, region=wm.region, year=2025, track=BudgetTrack.NEW, amount=Decimal(amount), source=source
        )
    return wm


def _track(wm):
    return new_track(financing=financing.financing(user=wm.team, region=wm.region, year=2025))


def test_spent_against_the_latest_circular_while_the_model_has_not_started(wm, django_assert_num_queries):
    result = financing.financing(user=wm.team, region=wm.region, year=2025)
    with django_assert_num_queries(2):
        track = new_track(financing=result)
    assert track.budget.source == "septembercirculaire 2025" and track.budget_amount == Decimal("310000.00")
    assert {m.code: a for m, a in track.spent} == {
        "GM1883": Decimal("0.00"),
        "GM0971": Decimal("270000.00"),
        "GM0888": Decimal("90000.50"),
    }
    assert track.total_spent == Decimal("360000.50") and track.rest == Decimal("-50000.50")


def test_the_track_ends_at_the_objective_model_start(wm):
    wm.start_objective_model(date(2024, 1, 1))  # K-2024 is a new client of annex 3 §3: Stein pays it itself
    track = _track(wm)
    assert track.total_spent == Decimal("210000.50") and track.rest == Decimal("99999.50")


def test_the_financing_page_and_the_api_show_spent_against_budget(wm):
    page = HttpClient()
    page.force_login(wm.beek_civil)
    text = page.get("/beschermd-wonen/financiering/" + URL).content.decode()
    assert "Budget nieuwe cliënten" in text and "€ 310.000,00" in text
    assert "€ 360.000,50" in text and "Tekort" in text and "€ -50.000,50" in text
    api = APIClient()
    api.force_authenticate(wm.beek_civil)
    answer = api.get("/api/v1/beschermd-wonen/financing/?region=westelijke-mijnstreek&year=2025")
    assert answer.status_code == 200
    block = answer.json()["new_clients_budget"]
    assert block["budget"] == "310000.00" and block["budget_version"] == 2
    assert block["spent"] == "360000.50" and block["rest"] == "-50000.50"
    assert {"municipality": "GM0971", "spent": "270000.00"} in block["lines"]

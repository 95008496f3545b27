"""The split endpoint of the API contract (issue #5): GET /api/v1/allocation-keys/{code}/split/."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from costsharing import services


@pytest.fixture
def bno_key(bno):
    services.generate_population_version(
        user=bno.coordinator, key=bno.key, reference_year=2018, valid_from=date(2020, 1, 1)
    )
    return bno


def client_for(user):
    client = APIClient()
    client.force_login(user)
    return client


def test_split_endpoint_reproduces_spec_6_1(bno_key, django_assert_max_num_queries):
    client = client_for(bno_key.coordinator)
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/allocation-keys/bno-inwoners/split/?amount=100000.00&on=2020-06-01")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["key"] == "bno-inwoners" and data["amount"] == "100000.00"
    assert data["version"]["valid_from"] == "2020-01-01" and data["version"]["basis"] == "population"
    parts = {p["name"]: p for p in data["parts"]}
    assert parts["Oss"] == {"municipality": "GM0828", "name": "Oss", "weight": "90951", "amount": "32757.31"}
    assert {n: p["amount"] for n, p in parts.items()} == {
        "Bernheze": "11003.02",
        "Boekel": "3782.45",
        "Boxmeer": "10391.82",
        "Cuijk": "8972.06",
        "Grave": "4472.88",
        "Landerd": "5522.04",
        "Mill en Sint Hubert": "3900.94",
        "Oss": "32757.31",
        "Sint Anthonis": "4169.62",
        "Uden": "15027.86",
    }


@pytest.mark.parametrize(
    "query, field",
    [
        ("?amount=abc&on=2020-06-01", "amount"),
        ("?amount=1.001&on=2020-06-01", "amount"),
        ("?amount=NaN&on=2020-06-01", "amount"),
        ("?on=2020-06-01", "amount"),
        ("?amount=100.00&on=2020-13-45", "on"),
        ("?amount=100.00&on=gisteren", "on"),
        ("?amount=100.00&on=2019-01-01", "detail"),
    ],
)
def test_split_bad_input_is_400_with_a_dutch_message(bno_key, query, field):
    response = client_for(bno_key.coordinator).get("/api/v1/allocation-keys/bno-inwoners/split/" + query)
    assert response.status_code == 400
    assert field in response.json()


def test_split_other_regions_key_is_404(bno_key, wm):
    response = client_for(wm.beek_user).get("/api/v1/allocation-keys/bno-inwoners/split/?amount=1.00")
    assert response.status_code == 404


def test_key_list_and_detail(bno_key, django_assert_max_num_queries):
    client = client_for(bno_key.coordinator)
    with django_assert_max_num_queries(10):
        data = client.get("/api/v1/allocation-keys/").json()
    assert [k["code"] for k in data["results"]] == ["bno-inwoners"]
    detail = client.get("/api/v1/allocation-keys/bno-inwoners/").json()
    assert len(detail["versions"][0]["shares"]) == 10

"""The API contract of issue #4 (names and shapes are acceptance checks)."""

import pytest
from rest_framework.test import APIClient

from regio.models import User


def client_for(username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(username=username))
    return client


@pytest.fixture
def wm(seeds):
    return client_for("stein-ambtenaar")


@pytest.fixture
def bno(seeds):
    return client_for("oss-ambtenaar")


def test_exit_date_wm_so_2029_04_01(wm):
    response = wm.get("/api/v1/agreements/WM-SO-2025/exit-date/?notice_received=2027-06-01")
    assert response.status_code == 200
    body = response.json()
    assert body["agreement"] == "WM-SO-2025"
    assert body["notice_received"] == "2027-06-01"
    assert body["earliest_exit"] == "2029-04-01"
    assert "WM-SO 16.1" in body["explanation"]


@pytest.mark.parametrize(("received", "expected"), [("2021-01-01", "2022-01-01"), ("2021-03-15", "2023-01-01")])
def test_exit_date_bno(bno, received, expected):
    body = bno.get(f"/api/v1/agreements/BNO-2020/exit-date/?notice_received={received}").json()
    assert body["earliest_exit"] == expected


@pytest.mark.parametrize(
    "query", ["", "?notice_received=", "?notice_received=01-06-2027", "?notice_received=2027-02-30"]
)
def test_exit_date_bad_date_is_400_in_dutch(wm, query):
    response = wm.get(f"/api/v1/agreements/WM-SO-2025/exit-date/{query}")
    assert response.status_code == 400
    message = response.json()["notice_received"][0]
    assert "JJJJ-MM-DD" in message or "tussen 1900 en 2200" in message


def test_exit_date_before_the_agreement_existed_is_refused(wm):
    """Issue 17: the calculator answered an exit date for a notice before WM-2015 existed (01-01-1900 is now
    refused by the date bounds; 01-01-2010 is plausible but before the agreement)."""
    response = wm.get("/api/v1/agreements/WM-2015/exit-date/?notice_received=2010-01-01")
    assert response.status_code == 400
    assert "pas in werking per" in response.json()["notice_received"][0]


def test_exit_date_of_another_region_is_404(wm):
    assert wm.get("/api/v1/agreements/BNO-2020/exit-date/?notice_received=2021-01-01").status_code == 404


def test_agreement_list_and_detail_are_tenant_filtered(wm, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        body = wm.get("/api/v1/agreements/").json()
    codes = {a["code"] for a in body["results"]}
    assert codes == {"WM-SO-2025", "WM-DVO-2025", "WM-2015"}
    detail = wm.get("/api/v1/agreements/WM-SO-2025/").json()
    assert detail["coordinator"] == "GM1883"
    assert detail["effective_from"] == "2025-04-01" and detail["effective_until"] is None
    assert detail["exit"]["first_possible_end"] == "2029-04-01"
    assert detail["exit"]["min_notice_months"] == 12
    assert detail["exit"]["default_notice_days"] == 30
    assert {p["municipality"] for p in detail["parties"]} == {"GM1883", "GM0971", "GM0888"}
    response = wm.get("/api/v1/agreements/BNO-2020/")
    # Dutch, and the same words as for what does not exist at all (issue 17: "No Agreement matches the given query.").
    assert response.status_code == 404 and response.json() == {"detail": "Niet gevonden."}
    assert wm.get("/api/v1/agreements/BESTAAT-NIET/").json() == {"detail": "Niet gevonden."}
    assert wm.get("/api/v1/agreements/WM-DVO-2025/").json()["elaborates"] == "WM-SO-2025"


def test_weighted_vote_acceptance(bno):
    response = bno.post(
        "/api/v1/regions/brabant-noordoost-oost/weighted-vote/",
        {"year": 2018, "in_favour": ["GM0828", "GM0856", "GM1721", "GM0756"]},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["adopted"] is True
    assert body["population_share"] == "0.6918"
    assert body["in_favour_count"] == 4
    body = bno.post(
        "/api/v1/regions/brabant-noordoost-oost/weighted-vote/",
        {"year": 2018, "in_favour": ["GM0828", "GM0856", "GM1721"]},
        format="json",
    ).json()
    assert (body["adopted"], body["population_share"], body["in_favour_count"]) == (False, "0.5879", 3)


def test_weighted_vote_errors(bno, wm):
    url = "/api/v1/regions/brabant-noordoost-oost/weighted-vote/"
    response = bno.post(url, {"year": 2018, "in_favour": ["GM0828", "GM9999"]}, format="json")
    assert response.status_code == 400 and "GM9999" in response.json()["in_favour"][0]
    response = bno.post(url, {"year": 2018, "in_favour": ["GM1883"]}, format="json")
    assert response.status_code == 400 and "GM1883" in response.json()["in_favour"][0]
    response = bno.post(url, {"in_favour": ["GM0828"]}, format="json")
    assert response.status_code == 400 and "jaar" in response.json()["year"][0]
    response = bno.post(url, {"year": "twintig", "in_favour": "GM0828"}, format="json")
    assert response.status_code == 400
    # A region outside the user's tenancy answers 404.
    assert wm.post(url, {"year": 2018, "in_favour": ["GM0828"]}, format="json").status_code == 404
    listing = bno.get(url + "?year=2018").json()
    assert len(listing["voters"]) == 10 and sum(v["inhabitants"] for v in listing["voters"]) == 277651


def test_mandates_and_deadlines(wm, bno):
    mandates = wm.get("/api/v1/mandates/?agreement=WM-SO-2025").json()["results"]
    assert {m["mandating"] for m in mandates} == {"GM0971", "GM0888"}
    assert all(m["mandated"] == "GM1883" for m in mandates)
    assert all(m["agreement"] != "BNO-2020" for m in wm.get("/api/v1/mandates/").json()["results"])
    deadlines = wm.get("/api/v1/deadlines/").json()
    assert deadlines and all(set(d) >= {"key", "title", "due", "overdue", "article"} for d in deadlines)
    assert all("BNO" not in d["title"] for d in deadlines)


def test_anonymous_gets_dutch_401(seeds):
    response = APIClient().get("/api/v1/agreements/")
    assert response.status_code in (401, 403)


def test_list_pages_and_endpoints_do_not_grow_with_the_data(seeds, django_assert_max_num_queries):
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username="oss-coordinator"))
    for url in ("/overeenkomsten/", "/mandaten/", "/overleg/?jaar=2025", "/termijnen/"):
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200
    api = client_for("oss-coordinator")
    for url in ("/api/v1/agreements/", "/api/v1/mandates/", "/api/v1/deadlines/"):
        with django_assert_max_num_queries(20):
            assert api.get(url).status_code == 200

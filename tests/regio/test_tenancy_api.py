"""What a civil servant sees through the API (SPEC §1, issue #3)."""

import pytest
from rest_framework.test import APIClient

from regio.models import User
from regio.tenancy import scope_of

WM = {"GM1883", "GM0971", "GM0888", "GM0962"}


def client_for(username):
    client = APIClient()
    client.force_authenticate(User.objects.get(username=username))
    return client


def codes(response):
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


def test_beek_civil_servant_sees_the_westelijke_mijnstreek_and_nothing_else(
    demo_regions, django_assert_max_num_queries
):
    client = client_for("beek-ambtenaar")
    with django_assert_max_num_queries(12):
        assert codes(client.get("/api/v1/municipalities/")) == WM
    assert codes(client.get("/api/v1/regions/")) == {"westelijke-mijnstreek"}
    region = client.get("/api/v1/regions/westelijke-mijnstreek/").json()
    assert region["coordinator"] == "GM1883"
    members = {(m["municipality"], m["valid_until"]) for m in region["members"]}
    assert ("GM0962", "2016-12-31") in members and ("GM0888", None) in members


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/regions/brabant-noordoost-oost/",
        "/api/v1/regions/maastricht-heuvelland/",
        "/api/v1/municipalities/GM0828/",
        "/api/v1/municipalities/GM0935/",
        "/api/v1/municipalities/GM1954/",  # Beekdaelen: Schinnen's successor, never a member
        "/api/v1/regions/bestaat-niet/",
    ],
)
def test_other_regions_answer_404(demo_regions, url):
    response = client_for("beek-ambtenaar").get(url)
    assert response.status_code == 404
    assert "Oss" not in response.content.decode() and "Maastricht" not in response.content.decode()


def test_maastricht_sees_only_maastricht_heuvelland(demo_regions):
    client = client_for("maastricht-ambtenaar")
    assert codes(client.get("/api/v1/regions/")) == {"maastricht-heuvelland"}
    assert codes(client.get("/api/v1/municipalities/")) == {"GM0935", "GM1903", "GM1729", "GM0938", "GM0981", "GM0994"}


def test_oss_sees_the_merged_municipalities_of_its_region(demo_regions):
    found = codes(client_for("oss-ambtenaar").get("/api/v1/municipalities/?page_size=50"))
    assert {"GM0828", "GM1982", "GM1991", "GM0756"} <= found
    assert not found & WM


def test_filter_by_region_stays_inside_tenancy(demo_regions):
    client = client_for("beek-ambtenaar")
    assert codes(client.get("/api/v1/municipalities/?region=brabant-noordoost-oost")) == set()
    assert codes(client.get("/api/v1/municipalities/?region=westelijke-mijnstreek")) == WM


def test_coordinating_staff_scope_follows_the_coordinating_membership(demo_regions):
    coordinator = User.objects.get(username="sittard-geleen-coordinator")
    stein_coordinator = User.objects.get(username="stein-coordinator")
    assert scope_of(coordinator).coordinated_region_ids
    # Stein holds the role but does not coordinate: it coordinates nothing.
    assert not scope_of(stein_coordinator).coordinated_region_ids


def test_supervisor_grants_come_from_guardian(demo_regions):
    from regio.models import Municipality

    supervisor = User.objects.get(username="sittard-geleen-toezichthouder")
    supervised = Municipality.objects.unrestricted().filter(pk__in=scope_of(supervisor).supervised_municipality_ids)
    assert set(supervised.values_list("code", flat=True)) == {"GM1883", "GM0971", "GM0888"}


def test_anonymous_api_requests_are_refused_in_dutch(db):
    response = APIClient().get("/api/v1/municipalities/")
    assert response.status_code in (401, 403)
    assert "niet ingelogd" in response.json()["detail"]


def test_token_authentication(demo_regions):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=User.objects.get(username="beek-ambtenaar"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert codes(client.get("/api/v1/regions/")) == {"westelijke-mijnstreek"}
    client.credentials(HTTP_AUTHORIZATION="Token ongeldig")
    assert client.get("/api/v1/regions/").status_code in (401, 403)

"""The supervision FTE split (WM-DVO annex 4): Beek 0.35, Stein 0.55, Sittard-Geleen 2 FTE."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from costsharing import services as costsharing_services
from tests.costsharing.builders import WM
from toezicht.models import SupervisionCapacity
from toezicht.services import fte_split, set_capacity


@pytest.fixture
def wm(db):
    return WM()


def test_wm_dvo_annex_4_shares_to_four_decimals(wm):
    shares = {row.municipality.name: row.share for row in fte_split(region=wm.region, year=2025)}
    assert shares == {"Beek": Decimal("0.1207"), "Stein": Decimal("0.1897"), "Sittard-Geleen": Decimal("0.6897")}


def test_shares_are_exact_inside(wm):
    rows = {row.municipality.name: row for row in fte_split(region=wm.region, year=2025)}
    assert sum(r.exact for r in rows.values()) == 1
    assert rows["Beek"].exact.numerator * 290 == rows["Beek"].exact.denominator * 35


def test_the_fte_key_reads_the_capacity_one_source_of_truth(wm):
    """Supervision costs are split by the capacity of toezicht, not by a copy."""
    parts = costsharing_services.split(amount=Decimal("2900.00"), version=wm.fte_version, year=2025)
    assert {p.municipality.name: p.amount for p in parts} == {
        "Beek": Decimal("350.00"),
        "Stein": Decimal("550.00"),
        "Sittard-Geleen": Decimal("2000.00"),
    }
    set_capacity(user=wm.coordinator, region=wm.region, municipality=wm.beek, year=2025, fte=Decimal("0.45"))
    parts = costsharing_services.split(amount=Decimal("3000.00"), version=wm.fte_version, year=2025)
    assert {p.municipality.name: p.amount for p in parts}["Beek"] == Decimal("450.00")


def test_capacity_changes_keep_history(wm):
    capacity = set_capacity(
        user=wm.coordinator, region=wm.region, municipality=wm.beek, year=2025, fte=Decimal("0.40")
    )
    assert capacity.history.count() == 2
    assert [h.fte for h in capacity.history.order_by("history_date")] == [Decimal("0.3500"), Decimal("0.4000")]


def test_only_the_coordinating_municipality_enters_capacity(wm):
    with pytest.raises(PermissionDenied):
        set_capacity(user=wm.stein_coordinator, region=wm.region, municipality=wm.stein, year=2025, fte=Decimal(9))
    with pytest.raises(PermissionDenied):
        set_capacity(user=wm.beek_user, region=wm.region, municipality=wm.beek, year=2025, fte=Decimal(9))
    assert SupervisionCapacity.objects.unrestricted().get(municipality=wm.stein).fte == Decimal("0.55")


def test_api_fte_split(wm, django_assert_max_num_queries):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(wm.beek_user)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/toezicht/fte-split/?region=westelijke-mijnstreek&year=2025")
    assert response.status_code == 200
    assert response.json() == [
        {"municipality": "GM0888", "name": "Beek", "fte": "0.35", "share": "0.1207"},
        {"municipality": "GM1883", "name": "Sittard-Geleen", "fte": "2", "share": "0.6897"},
        {"municipality": "GM0971", "name": "Stein", "fte": "0.55", "share": "0.1897"},
    ]


@pytest.mark.parametrize(
    "query, field",
    [
        ("?region=westelijke-mijnstreek&year=abc", "year"),
        ("?region=westelijke-mijnstreek", "year"),
        ("?year=2025", "region"),
    ],
)
def test_api_bad_input_is_400_in_dutch(wm, query, field):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(wm.beek_user)
    response = client.get("/api/v1/toezicht/fte-split/" + query)
    assert response.status_code == 400
    assert field in response.json()


def test_page_enters_capacity(wm, client):
    client.force_login(wm.coordinator)
    response = client.post(
        "/toezicht/fte-verdeling/?regio=westelijke-mijnstreek&jaar=2026",
        {"municipality": "GM0888", "fte": "0,35", "source": "DVO bijlage 4"},
    )
    assert response.status_code == 302
    assert SupervisionCapacity.objects.unrestricted().get(municipality=wm.beek, year=2026).fte == Decimal("0.35")
    page = client.get("/toezicht/fte-verdeling/?regio=westelijke-mijnstreek&jaar=2025").content.decode()
    assert "0,1207" in page and "<script>" not in page


def test_page_member_cannot_enter(wm, client):
    client.force_login(wm.beek_user)
    response = client.post(
        "/toezicht/fte-verdeling/?regio=westelijke-mijnstreek&jaar=2026", {"municipality": "GM0888", "fte": "5"}
    )
    assert response.status_code in (302, 403)
    assert not SupervisionCapacity.objects.unrestricted().filter(year=2026).exists()


def test_page_opens_on_the_latest_year_with_a_split(wm, client):
    """Issue 17: the page opened on an empty current year while the split was recorded for the year before."""
    from django.utils import timezone

    this_year = timezone.localdate().year
    SupervisionCapacity.objects.unrestricted().filter(region=wm.region, year__gte=this_year).delete()
    latest = SupervisionCapacity.objects.unrestricted().filter(region=wm.region).order_by("-year").first().year
    client.force_login(wm.beek_user)
    page = client.get("/toezicht/fte-verdeling/?regio=westelijke-mijnstreek").content.decode()
    assert f'value="{latest}"' in page and "0,1207" in page

"""Pages of cost sharing without the matrix: the coordinator's actions and what members may not do."""

from datetime import date
from decimal import Decimal

from costsharing.models import ActualCostLine, KeyVersion


def test_key_page_split_preview_and_population_and_merger(bno, client):
    client.force_login(bno.coordinator)
    response = client.post(
        f"/kostenverdeling/sleutels/{bno.key.pk}/",
        {"action": "population", "reference_year": "2018", "valid_from": "01-01-2020"},
    )
    assert response.status_code == 302
    page = client.get(f"/kostenverdeling/sleutels/{bno.key.pk}/?amount=100000,00&on=01-06-2020").content.decode()
    assert "€ 32.757,31" in page and "<caption" in page and "<script>" not in page
    response = client.post(
        f"/kostenverdeling/sleutels/{bno.key.pk}/",
        {
            "action": "merge",
            "on": "01-01-2022",
            "mergers": "GM1982 = GM0756, GM1684, GM0786, GM0815, GM1702\nGM1991 = GM1685, GM0856",
        },
    )
    assert response.status_code == 302
    version = KeyVersion.objects.unrestricted().get(key=bno.key, valid_from=date(2022, 1, 1))
    assert "Maashorst" in version.note


def test_key_page_refuses_a_member(wm, client):
    client.force_login(wm.beek_user)
    response = client.post(
        f"/kostenverdeling/sleutels/{wm.key.pk}/", {"action": "population", "reference_year": "2025"}
    )
    assert response.status_code == 403


def test_budget_page_manual_line_and_import_errors(wm, client):
    client.force_login(wm.coordinator)
    url = "/kostenverdeling/regio/westelijke-mijnstreek/2025/"
    response = client.post(
        url,
        {"action": "add", "date": "01-05-2025", "category": "legal", "description": "Advies", "amount": "1234,56"},
    )
    assert response.status_code == 302
    assert ActualCostLine.objects.unrestricted().get().amount == Decimal("1234.56")
    # A line dated in another year is refused on this year's page, not "added" and then shown nowhere (issue 17).
    stray = client.post(
        url, {"action": "add", "date": "01-05-1999", "category": "legal", "description": "Oud", "amount": "10,00"}
    )
    assert stray.status_code == 200 and "Deze pagina gaat over 2025" in stray.content.decode()
    assert ActualCostLine.objects.unrestricted().count() == 1
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("g.csv", b"datum;kostensoort;omschrijving;bedrag\n01-01-2025;legal;x;abc\n")
    page = client.post(url, {"action": "import", "file": bad}).content.decode()
    assert "rij 2: &#x27;abc&#x27; is geen bedrag" in page
    assert ActualCostLine.objects.unrestricted().count() == 1
    html = client.get(url).content.decode()
    assert "€ 1.234,56" in html and 'scope="col"' in html


def test_budget_page_member_sees_but_cannot_act(wm, client):
    client.force_login(wm.beek_user)
    url = "/kostenverdeling/regio/westelijke-mijnstreek/2025/"
    assert "Inlezen" not in client.get(url).content.decode()
    assert (
        client.post(
            url, {"action": "add", "date": "01-05-2025", "category": "legal", "description": "x", "amount": "1"}
        ).status_code
        == 403
    )
    assert not ActualCostLine.objects.unrestricted().exists()


def test_trend_page_for_a_portfolio_holder(wm, client):
    from costsharing.models import Reckoning, ReckoningLine
    from regio.roles import Role
    from tests.factories import UserFactory

    for year, share in ((2024, "1000.00"), (2025, "1200.00")):
        reckoning = Reckoning.objects.create(region=wm.region, year=year, run_state="done")
        ReckoningLine.objects.create(
            reckoning=reckoning,
            municipality=wm.beek,
            share=Decimal(share),
            advances=Decimal("1100.00"),
            difference=Decimal(share) - Decimal("1100.00"),
        )
    holder = UserFactory(username="beek-wethouder", municipality=wm.beek, roles=[Role.PORTFOLIO_HOLDER])
    client.force_login(holder)
    html = client.get("/kostenverdeling/trend/").content.decode()
    assert "€ 1.000,00" in html and "€ 1.200,00" in html and "€ -100,00" in html.replace("−", "-")
    assert "Kostentrend" in client.get("/").content.decode()
    # The chart reads a JSON data block; no inline executable script (CSP), the table is the text alternative.
    assert '<script id="trend-data" type="application/json">' in html and "<script>" not in html
    assert "costsharing/trend-chart.js" in html


def test_list_pages_do_not_grow_queries_with_rows(wm, client, django_assert_max_num_queries):
    """STYLE.md rule 12: query counts on list pages, not seconds."""
    from costsharing.models import AllocationKey, Basis, Reckoning, ReckoningLine

    client.force_login(wm.coordinator)
    for i in range(15):
        key = AllocationKey.objects.create(region=wm.region, code=f"extra-{i}", name=f"Extra {i}")
        KeyVersion.objects.create(key=key, basis=Basis.FTE, valid_from=date(2025, 1, 1))
        reckoning = Reckoning.objects.create(region=wm.region, year=2000 + i, run_state="done")
        ReckoningLine.objects.create(
            reckoning=reckoning,
            municipality=wm.beek,
            share=Decimal("1.00"),
            advances=Decimal("0.00"),
            difference=Decimal("1.00"),
        )
    for _ in range(30):
        ActualCostLine.objects.create(
            region=wm.region,
            year=2025,
            date=date(2025, 3, 1),
            category="legal",
            description="x",
            amount=Decimal("1.00"),
        )
    with django_assert_max_num_queries(20):
        assert client.get("/kostenverdeling/").status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get("/kostenverdeling/regio/westelijke-mijnstreek/2025/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/kostenverdeling/trend/").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get("/api/v1/reckonings/").status_code == 200


def test_key_page_typed_version_refuses_99_99_and_accepts_100(wm, client):
    client.force_login(wm.coordinator)
    url = f"/kostenverdeling/sleutels/{wm.key.pk}/"
    page = client.post(
        url,
        {
            "action": "typed",
            "basis": "fixed",
            "valid_from": "01-01-2026",
            "weights": "GM1883 = 69\nGM0971 = 19\nGM0888 = 11,99",
        },
    ).content.decode()
    assert "0,01 procentpunt te weinig" in page
    response = client.post(
        url,
        {
            "action": "typed",
            "basis": "fixed",
            "valid_from": "01-01-2026",
            "weights": "GM1883 = 69\nGM0971 = 19\nGM0888 = 12",
        },
    )
    assert response.status_code == 200  # overlaps the open 2025 version: refused with the period named
    assert "overlapt met de versie van 01-01-2025" in response.content.decode()
    wm.version.valid_until = date(2025, 12, 31)
    wm.version.save()
    response = client.post(
        url,
        {
            "action": "typed",
            "basis": "fixed",
            "valid_from": "01-01-2026",
            "weights": "GM1883 = 69\nGM0971 = 19\nGM0888 = 12",
        },
    )
    assert response.status_code == 302
    assert KeyVersion.objects.unrestricted().filter(key=wm.key, valid_from=date(2026, 1, 1)).exists()

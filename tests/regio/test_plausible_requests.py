"""Issue 10, finding 7 (dates and years) and the demo's error pages: a Dutch message, never a 500 or a debug page."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from regio.bounds import parse_year
from regio.roles import Role


@pytest.fixture
def coordinator(world):
    return world.user("a1", Role.COORDINATOR)


def test_finding_7_fte_split_page_with_jaar_99999_answers_a_dutch_400(world, coordinator, client):
    client.force_login(coordinator)
    response = client.get("/toezicht/fte-verdeling/?regio=regio-a&jaar=99999")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Het jaar 99999 ligt buiten de toegestane jaren" in html
    assert "Traceback" not in html


@pytest.mark.parametrize("year", ["99999", "-1", "abc", "1e3", "9" * 40])
def test_finding_7_every_year_parameter_of_the_api_answers_400_with_the_field(world, coordinator, year):
    api = APIClient()
    api.force_login(coordinator)
    for url in (
        f"/api/v1/toezicht/fte-split/?region=regio-a&year={year}",
        f"/api/v1/regions/regio-a/tariffs/?year={year}",
        f"/api/v1/regions/regio-a/weighted-vote/?year={year}",
        f"/api/v1/reckonings/?year={year}",
    ):
        response = api.get(url)
        assert response.status_code == 400, url
        assert response.json()["year"], url


@pytest.mark.parametrize(
    "url",
    [
        "/overleg/?jaar=99999",
        "/facturen/?jaar=99999",
        "/facturen/?jaar=²",
        "/kostenverdeling/regio/regio-a/tarieven/?jaar=99999",
    ],
)
def test_finding_7_every_jaar_parameter_of_the_pages_answers_a_dutch_400(world, coordinator, client, url):
    client.force_login(coordinator)
    response = client.get(url)
    assert response.status_code == 400, url
    html = response.content.decode()
    assert "ligt buiten de toegestane jaren" in html or "moet een jaartal zijn" in html


def test_finding_7_statutory_interest_to_9999_12_31_is_a_400_on_the_field(world, coordinator):
    api = APIClient()
    api.force_login(coordinator)
    response = api.post(
        "/api/v1/interest/statutory/",
        {"principal": "1000.00", "from": "2025-01-01", "to": "9999-12-31"},
        format="json",
    )
    assert response.status_code == 400
    assert "ligt te ver in de toekomst" in response.json()["to"][0]


def test_parse_year_is_the_one_reader_and_names_the_window():
    assert parse_year("2025") == 2025
    assert parse_year("", default=2024) == 2024
    with pytest.raises(Exception) as caught:
        parse_year("99999", field="year")
    assert "year" in caught.value.message_dict


def test_a_nul_byte_in_a_parameter_is_a_dutch_400_not_a_database_error(world, coordinator, client):
    client.force_login(coordinator)
    page = client.get("/toezicht/fte-verdeling/?regio=a%00b")
    assert page.status_code == 400
    assert "ongeldig teken" in page.content.decode()
    api = APIClient()
    api.force_login(coordinator)
    response = api.get("/api/v1/reckonings/?region=a%00b")
    assert response.status_code == 400
    assert "ongeldig teken" in response.json()["detail"]


def _settings_in_a_fresh_process(env: dict) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
    code = "import regio.settings as s; print(s.DEBUG, s.WHITENOISE_USE_FINDERS)"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_the_demo_runs_without_debug_unless_asked_and_still_serves_static_files():
    """Issue 10: the embedded demo showed Django's debug page (settings, stack) to anyone who hit an error."""
    assert _settings_in_a_fresh_process({}) == "False True"
    assert _settings_in_a_fresh_process({"DEBUG": "true"}) == "True True"


def test_an_error_page_is_the_dutch_one_with_debug_off(client, settings):
    settings.DEBUG = False
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_static_files_are_served_with_debug_off(client):
    """WhiteNoise serves from the finders in the demo (no collectstatic), so `make run` looks right with DEBUG off."""
    from whitenoise.middleware import WhiteNoiseMiddleware

    assert django_settings.DEBUG is False
    middleware = WhiteNoiseMiddleware(lambda request: None)
    assert middleware.use_finders is True
    assert any(url.endswith("/static/regio/site.css") for url in middleware.files) or middleware.find_file(
        "/static/regio/site.css"
    )


@pytest.mark.parametrize(
    "url", ["/overeenkomsten/", "/mandaten/", "/regios/", "/gemeenten/", "/kostenverdeling/berichten/"]
)
@pytest.mark.parametrize("page", ["abc", "99999999999999999999", "-1", "1e30"])
def test_every_list_page_pages_and_survives_any_page_number(world, coordinator, client, url, page):
    client.force_login(coordinator)
    response = client.get(f"{url}?pagina={page}")
    assert response.status_code == 200, url
    page_obj = response.context.get("page_obj", response.context.get("page"))  # an empty Page is falsy
    assert page_obj is not None and page_obj.paginator.per_page == 50, url

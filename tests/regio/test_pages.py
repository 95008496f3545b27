"""The UI shell: Dutch first, English through i18n, error pages in the layout, home per role."""

import pytest
from django.test import Client, override_settings

from regio.models import User


def test_login_page_in_dutch(db):
    html = Client().get("/account/inloggen/").content.decode()
    assert '<html lang="nl"' in html
    assert "Inloggen" in html and "Gebruikersnaam" in html and "Direct naar de inhoud" in html
    assert 'href="#main"' in html and 'id="main"' in html


def test_login_page_in_english(db):
    client = Client()
    response = client.post("/taal/", {"language": "en", "next": "/account/inloggen/"})
    assert response.status_code == 302
    html = client.get("/account/inloggen/").content.decode()
    assert '<html lang="en"' in html
    assert "Log in" in html and "Username" in html and "Skip to content" in html


def test_wrong_password_in_dutch(db):
    html = Client().post("/account/inloggen/", {"username": "niemand", "password": "fout"}).content.decode()
    assert "Gebruikersnaam of wachtwoord klopt niet" in html
    assert "Er ging iets mis" in html  # the error summary at the top


def test_404_in_dutch_in_the_layout(db):
    response = Client().get("/bestaat/niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Pagina niet gevonden" in html and "utrecht-page-header" in html and "Traceback" not in html


@override_settings(DEBUG=False)
def test_500_in_dutch_without_a_stack_trace(db):
    from regio.views import server_error

    response = server_error(None)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Er ging iets mis bij ons" in html and "Traceback" not in html


@pytest.mark.parametrize(
    ("view", "status", "text"),
    [("bad_request", 400, "Het verzoek klopt niet"), ("permission_denied", 403, "Geen toegang")],
)
def test_400_and_403_in_dutch(rf, db, view, status, text):
    from django.contrib.auth.models import AnonymousUser

    from regio import views

    request = rf.get("/")
    request.user = AnonymousUser()
    response = getattr(views, view)(request, Exception())
    assert response.status_code == status and text in response.content.decode()


def test_pages_require_login(db):
    response = Client().get("/regios/")
    assert response.status_code == 302 and response["Location"].startswith("/account/inloggen/")


def test_home_per_role(demo_regions):
    client = Client()
    client.force_login(User.objects.get(username="sittard-geleen-coordinator"))
    html = client.get("/").content.decode()
    assert "Regio's die u coördineert" in html and "Westelijke Mijnstreek" in html
    assert "Wat aandacht vraagt" in html
    client.force_login(User.objects.get(username="beheerder"))
    html = client.get("/").content.decode()
    assert "Regiobestand inlezen" in html and 'href="/beheer/historie/"' in html
    client.force_login(User.objects.get(username="beek-wethouder"))
    html = client.get("/").content.decode()
    assert "coördineert" not in html and "/beheer/" not in html


def test_functional_admin_pages_are_role_bound(demo_regions):
    client = Client()
    client.force_login(User.objects.get(username="beek-ambtenaar"))
    assert client.get("/beheer/regiobestand/").status_code == 403
    assert client.get("/beheer/historie/").status_code == 403


def test_region_file_upload_shows_the_same_messages(demo_regions):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import UserFactory

    client = Client()
    # A new region is the platform administrator's to create (issue 10, finding 2).
    client.force_login(UserFactory(username="platform", municipality=None, roles=["platformbeheerder"]))
    bad = b"region: {code: x, name: X}\nmembers:\n  - {municipality: GM0999, from: 2025-01-01}\n"
    response = client.post("/beheer/regiobestand/", {"file": SimpleUploadedFile("x.yaml", bad)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "niet ingelezen" in html and "members[0].municipality" in html and "onbekende gemeente" in html
    response = client.post("/beheer/regiobestand/", {"file": SimpleUploadedFile("x.txt", b"a")})
    assert "Kies een YAML- of JSON-bestand" in response.content.decode()
    good = b"region: {code: nieuw, name: Nieuwe regio}\nmembers:\n  - {municipality: GM0888, from: 2026-01-01}\n"
    response = client.post("/beheer/regiobestand/", {"file": SimpleUploadedFile("n.yaml", good)}, follow=True)
    assert "regio nieuw: " in response.content.decode()


def test_pages_have_constant_query_counts(demo_regions, django_assert_max_num_queries):
    client = Client()
    client.force_login(User.objects.get(username="oss-ambtenaar"))
    # The home page asks each registered deadline source once (agreements, governance, invoicing, inkoop, toezicht):
    # one query per source, however many rows; the other pages stay within 15.
    for url, most in [
        ("/", 22),
        ("/regios/", 15),
        ("/gemeenten/", 15),
        ("/regios/brabant-noordoost-oost/", 15),
        ("/gemeenten/GM0828/", 15),
    ]:
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200


def test_csp_header_forbids_inline_script(db):
    response = Client().get("/account/inloggen/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_dutch_even_for_an_english_browser(db):
    html = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/account/inloggen/").content.decode()
    assert '<html lang="nl"' in html and "Inloggen" in html

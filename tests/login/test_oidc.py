"""OpenID Connect per municipality (issue 17) against a real provider (oidc-provider-mock, a Flask/authlib OpenID
provider from PyPI) running in a thread on 127.0.0.1 with a random port: the whole code flow with state, nonce and
PKCE through the Django test client, the provider checking the client's secret."""

from __future__ import annotations

import threading
from urllib.parse import parse_qs, urlsplit

import oidc_provider_mock
import pytest
import requests
import werkzeug.serving
from django.core.cache import cache
from django.test import Client

from regio.login.models import ExternalIdentity, IdentityProvider, SecurityEvent
from regio.login.oidc import decrypt_secret, encrypt_secret
from regio.models import User
from regio.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CALLBACK = "http://testserver/account/inlogdienst-terug/"
PEOPLE = [
    oidc_provider_mock.User(
        sub="anna", claims={"email": "anna@a1.example", "name": "Anna", "groups": ["bw"], "amr": ["pwd", "mfa"]}
    ),
    oidc_provider_mock.User(sub="bert", claims={"email": "bert@a1.example", "groups": ["ambtenaren"]}),
    oidc_provider_mock.User(sub="piet", claims={"email": "piet@a1.example", "groups": ["operator"]}),
]


@pytest.fixture(scope="module")
def provider_server():
    import os

    previous = os.environ.get("AUTHLIB_INSECURE_TRANSPORT")
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # plain http on loopback, for the test only
    app = oidc_provider_mock.app(require_client_registration=True, require_nonce=True, user_claims=PEOPLE)
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    issuer = f"http://127.0.0.1:{server.server_port}"
    registered = requests.post(
        f"{issuer}/oauth2/clients",
        json={"redirect_uris": [CALLBACK], "token_endpoint_auth_method": "client_secret_post"},
        timeout=10,
    ).json()
    yield issuer, registered["client_id"], registered["client_secret"]
    server.shutdown()
    thread.join(2)
    if previous is None:
        os.environ.pop("AUTHLIB_INSECURE_TRANSPORT", None)


@pytest.fixture
def idp(world, provider_server):
    cache.clear()  # no discovery document of an earlier test's provider
    issuer, client_id, secret = provider_server

    def make(municipality, **options):
        options.setdefault("role_mapping", {"bw": Role.PROTECTED_HOUSING, "ambtenaren": Role.CIVIL_SERVANT})
        return IdentityProvider.objects.create(
            municipality=municipality,
            issuer=issuer,
            client_id=client_id,
            client_secret_encrypted=encrypt_secret(options.pop("secret", secret)),
            role_claim="groups",
            **options,
        )

    return make


def oidc_login(client: Client, code: str, sub: str):
    """Start at our site, choose the person at the provider, come back with the code: the answer of the callback."""
    start = client.get(f"/account/inlogdienst/{code}/")
    assert start.status_code == 302
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0]
    chosen = requests.post(start["Location"], data={"sub": sub}, allow_redirects=False, timeout=10)
    assert chosen.status_code == 302, chosen.text
    back = urlsplit(chosen.headers["Location"])
    assert back.path == "/account/inlogdienst-terug/" and parse_qs(back.query)["state"] == query["state"]
    return client.get(f"{back.path}?{back.query}")


def test_code_flow_creates_the_person_in_that_municipality_with_the_mapped_role(world, idp):
    idp(world.a1, enforces_mfa=True, mfa_values="mfa")
    client = Client()
    assert "Inloggen via Sittard-Geleen" in client.get("/account/inloggen/").content.decode()
    response = oidc_login(client, "GM1883", "anna")
    assert response.status_code == 302 and response["Location"] == "/"
    anna = User.objects.get(external_identity__subject="anna")
    assert anna.municipality == world.a1 and anna.roles == [Role.PROTECTED_HOUSING] and not anna.has_usable_password()
    # The provider vouched for multi-factor authentication (amr "mfa") and the municipality trusts it: verified.
    assert client.get("/beschermd-wonen/clienten/").status_code == 200
    assert SecurityEvent.objects.filter(user=anna, kind=SecurityEvent.Kind.OIDC_LOGIN).count() == 1
    assert not SecurityEvent.objects.filter(user=anna, kind=SecurityEvent.Kind.LOGIN).exists()
    # The second login finds the same person by (provider, sub).
    oidc_login(Client(), "GM1883", "anna")
    assert User.objects.filter(email="anna@a1.example").count() == 1


def test_without_trusted_mfa_a_required_role_still_sets_up_our_second_factor(world, idp):
    idp(world.a1, enforces_mfa=False)
    client = Client()
    oidc_login(client, "GM1883", "anna")
    assert client.get("/beschermd-wonen/clienten/")["Location"].startswith("/account/tweestaps/instellen/")


def test_a_login_at_one_municipality_never_yields_a_person_or_role_in_another(world, idp):
    """Municipality B has a person with the same e-mail address and name; A's provider logs in only A's people,
    and B's provider (the same identity provider software, the same sub) makes a person of B, apart."""
    b_person = UserFactory(username="anna", email="anna@a1.example", municipality=world.b1, roles=[Role.COORDINATOR])
    idp(world.a1)
    idp(world.b1, role_mapping={"bw": Role.CIVIL_SERVANT})
    oidc_login(Client(), "GM1883", "anna")
    oidc_login(Client(), "GM0828", "anna")
    a_anna = ExternalIdentity.objects.get(provider__municipality=world.a1, subject="anna").user
    b_anna = ExternalIdentity.objects.get(provider__municipality=world.b1, subject="anna").user
    assert a_anna.municipality == world.a1 and a_anna.roles == [Role.PROTECTED_HOUSING]
    assert b_anna == b_person and b_anna.roles == [Role.CIVIL_SERVANT]  # matched by address within B only
    assert a_anna.pk != b_person.pk


def test_no_mapped_role_or_a_platform_role_is_refused(world, idp):
    idp(world.a1, role_mapping={"operator": Role.PLATFORM_ADMIN})
    client = Client()
    response = oidc_login(client, "GM1883", "piet")
    assert response["Location"] == "/account/inloggen/"
    assert not User.objects.filter(email="piet@a1.example").exists()
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.OIDC_REFUSED).exists()
    with pytest.raises(Exception, match="Onbekende rol"):
        IdentityProvider.objects.get(municipality=world.a1).clean()


def test_a_wrong_client_secret_logs_nobody_in(world, idp):
    idp(world.a1, secret="niet-het-goede-secret")
    response = oidc_login(Client(), "GM1883", "bert")
    assert response.status_code == 302 and response["Location"] == "/account/inloggen/"
    assert not User.objects.filter(email="bert@a1.example").exists()


def test_required_provider_refuses_password_login_in_dutch(world, idp):
    idp(world.a1, required=True)
    a1_person = world.user("a1", Role.CIVIL_SERVANT)
    a2_person = world.user("a2", Role.CIVIL_SERVANT)
    refused = Client().post(
        "/account/inloggen/", {"username": a1_person.username, "password": "correct-horse-battery"}
    )
    assert refused.status_code == 200 and "alleen inloggen via haar eigen inlogdienst" in refused.content.decode()
    allowed = Client().post(
        "/account/inloggen/", {"username": a2_person.username, "password": "correct-horse-battery"}
    )
    assert allowed.status_code == 302
    assert SecurityEvent.objects.filter(user=a1_person, kind=SecurityEvent.Kind.PASSWORD_REFUSED).exists()


def test_client_secret_is_stored_encrypted_and_never_shown(world, idp, admin_client):
    provider = idp(world.a1, secret="zeer-geheim-secret-123")
    assert "zeer-geheim" not in provider.client_secret_encrypted
    assert decrypt_secret(provider.client_secret_encrypted) == "zeer-geheim-secret-123"
    page = admin_client.get(f"/django-admin/regio/identityprovider/{provider.pk}/change/")
    assert page.status_code == 200 and "zeer-geheim" not in page.content.decode()
    history = provider.history.values()
    assert all("client_secret_encrypted" not in row for row in history)


def test_an_unreachable_provider_is_said_in_dutch(world):
    IdentityProvider.objects.create(municipality=world.a2, issuer="http://127.0.0.1:9", client_id="x")
    cache.clear()
    client = Client()
    response = client.get("/account/inlogdienst/GM0888/", follow=True)
    assert response.status_code == 200 and "nu niet bereikbaar" in response.content.decode()
    assert client.get("/account/inlogdienst/GM9999/").status_code == 404


def test_functional_administrator_configures_only_its_own_municipality(world):
    IdentityProvider.objects.create(municipality=world.a1, issuer="https://idp.a1.example", client_id="a1-client")
    b_admin = Client()
    b_admin.force_login(world.user("b1", Role.FUNCTIONAL_ADMIN))
    page = b_admin.get("/beheer/inlogdienst/")
    assert page.status_code == 200 and "a1-client" not in page.content.decode()
    saved = b_admin.post(
        "/beheer/inlogdienst/",
        {
            "enabled": "on",
            "issuer": "https://idp.oss.example",
            "client_id": "oss-client",
            "client_secret": "oss-geheim-12345",
            "scopes": "openid email",
            "role_claim": "groups",
            "role_mapping": '{"wmo": "ambtenaar"}',
            "mfa_values": "mfa",
            # a municipality in the payload is ignored: the administrator's own is used
            "municipality": str(world.a1.pk),
        },
    )
    assert saved.status_code == 302
    oss = IdentityProvider.objects.get(municipality=world.b1)
    assert oss.client_id == "oss-client" and decrypt_secret(oss.client_secret_encrypted) == "oss-geheim-12345"
    assert IdentityProvider.objects.get(municipality=world.a1).client_id == "a1-client"
    again = b_admin.get("/beheer/inlogdienst/").content.decode()
    assert "oss-client" in again and "oss-geheim" not in again
    refused = b_admin.post(
        "/beheer/inlogdienst/",
        {"issuer": "niet-een-url", "client_id": "x", "role_mapping": '{"x": "platformbeheerder"}', "scopes": "openid"},
    )
    assert refused.status_code == 400 and "Onbekende rol" in refused.content.decode()
    assert IdentityProvider.objects.get(municipality=world.b1).client_id == "oss-client"

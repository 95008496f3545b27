"""Two-factor authentication (issue 17): who must use it, the setup, the code and recovery-code steps, removal, and
that no page, export or API call (session or token) is reachable before it."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from regio.login import twofactor
from regio.login.models import SecurityEvent
from regio.roles import Role
from tests.conftest import unverified_login
from tests.login.helpers import code_of

pytestmark = pytest.mark.django_db
Kind = SecurityEvent.Kind
GUARDED = ["/", "/beschermd-wonen/clienten/", "/toezicht/verslagen/1/pdf/", "/beheer/mensen/"]


def events(user):
    """The user's security log after the password step (logged too: ``Kind.LOGIN``)."""
    log = SecurityEvent.objects.filter(user=user).exclude(kind=Kind.LOGIN)
    return list(log.order_by("at", "pk").values_list("kind", flat=True))


@pytest.mark.parametrize(
    "role",
    [Role.PROTECTED_HOUSING, Role.SUPERVISOR, Role.SUPERVISION_MANAGER, Role.FUNCTIONAL_ADMIN],
)
def test_required_role_without_device_is_led_to_setup_everywhere(world, role):
    user = world.user("a1", role)
    client = Client()
    unverified_login(client, user)
    for path in GUARDED:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/account/tweestaps/instellen/"), path
    post = client.post("/beheer/mensen/a1-ambtenaar/", {"full_name": "x"})
    assert post.status_code == 302 and post["Location"] == "/account/tweestaps/instellen/"
    api = client.get("/api/v1/beschermd-wonen/clients/")
    assert api.status_code == 403 and "tweestapsverificatie" in api.json()["detail"]


def test_platform_admin_without_device_is_refused_too(world):
    from tests.factories import UserFactory

    admin = UserFactory(username="platform", municipality=None, roles=[Role.PLATFORM_ADMIN])
    client = Client()
    unverified_login(client, admin)
    assert client.get("/beheer/mensen/")["Location"].startswith("/account/tweestaps/instellen/")


def test_token_of_a_required_role_without_device_is_refused(world):
    user = world.user("a1", Role.PROTECTED_HOUSING)
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    refused = client.get("/api/v1/beschermd-wonen/clients/")
    assert refused.status_code == 403 and "tweestapsverificatie" in refused.json()["detail"]
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    assert client.get("/api/v1/beschermd-wonen/clients/").status_code == 200


def test_setup_confirms_with_a_code_shows_recovery_codes_and_opens_the_site(world):
    user = world.user("a1", Role.SUPERVISOR)
    client = Client()
    unverified_login(client, user)
    page = client.get("/account/tweestaps/instellen/")
    assert page.status_code == 200 and "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post("/account/tweestaps/instellen/", {"token": code_of(device)})
    assert done.status_code == 200
    assert len(done.context["codes"]) == twofactor.RECOVERY_CODES
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/").status_code == 200
    assert events(user) == [Kind.DEVICE_ADDED, Kind.RECOVERY_CREATED]
    # A wrong first code links nothing (a second setup, now from a verified session).
    client.get("/account/tweestaps/instellen/")
    pending = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post("/account/tweestaps/instellen/", {"token": f"{(int(code_of(pending)) + 1) % 1000000:06d}"})
    assert wrong.status_code == 400 and not TOTPDevice.objects.get(pk=pending.pk).confirmed
    assert events(user)[-1] == Kind.VERIFY_FAILED


def test_password_login_then_code(world):
    user = world.user("a2", Role.PROTECTED_HOUSING)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client()
    login = client.post("/account/inloggen/", {"username": user.username, "password": "correct-horse-battery"})
    assert login.status_code == 302
    guarded = client.get("/beschermd-wonen/clienten/")
    assert guarded["Location"] == "/account/tweestaps/?next=%2Fbeschermd-wonen%2Fclienten%2F"
    # With only the password, nobody adds an authenticator of their own.
    assert client.get("/account/tweestaps/instellen/")["Location"] == "/account/tweestaps/"
    assert client.post("/account/tweestaps/", {"token": "12345"}).status_code == 400  # not six digits
    old_key = client.session.session_key
    ok = client.post("/account/tweestaps/", {"token": code_of(device), "next": "/beschermd-wonen/clienten/"})
    assert ok.status_code == 302 and ok["Location"] == "/beschermd-wonen/clienten/"
    assert client.session.session_key != old_key  # a new session key after the second step
    assert SecurityEvent.objects.filter(user=user, kind=Kind.LOGIN).count() == 1
    assert client.get("/beschermd-wonen/clienten/").status_code == 200
    assert Kind.VERIFIED in events(user)


def test_a_code_is_accepted_once_and_wrong_codes_are_throttled(world):
    user = world.user("a1", Role.FUNCTIONAL_ADMIN)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    code = code_of(device)
    first = Client()
    unverified_login(first, user)
    assert first.post("/account/tweestaps/", {"token": code}).status_code == 302
    second = Client()
    unverified_login(second, user)
    assert second.post("/account/tweestaps/", {"token": code}).status_code == 400  # replay refused
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert second.post("/account/tweestaps/", {"token": code_of(device, offset=1)}).status_code == 400  # throttled
    assert Kind.VERIFY_FAILED in events(user)


def test_recovery_code_works_once(world):
    user = world.user("a1", Role.SUPERVISION_MANAGER)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    codes = twofactor.new_recovery_codes(request=None, user=user)
    client = Client()
    unverified_login(client, user)
    assert client.post("/account/tweestaps/herstelcode/", {"code": codes[0].upper()}).status_code == 302
    assert client.get("/").status_code == 200
    again = Client()
    unverified_login(again, user)
    assert again.post("/account/tweestaps/herstelcode/", {"code": codes[0]}).status_code == 400
    assert twofactor.recovery_codes_left(user) == twofactor.RECOVERY_CODES - 1
    assert Kind.RECOVERY_USED in events(user)


def test_removing_the_last_device_leads_a_required_user_to_setup(world):
    user = world.user("b1", Role.PROTECTED_HOUSING)
    client = Client()
    client.force_login(user)  # verified, with a real device
    device = twofactor.devices(user).get()
    other = world.user("a1", Role.PROTECTED_HOUSING)
    client_other = Client()
    client_other.force_login(other)
    # Someone else's device: 404, nothing removed.
    assert client_other.post(f"/account/tweestaps/verwijderen/{device.pk}/").status_code == 404
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    removed = client.post(f"/account/tweestaps/verwijderen/{device.pk}/")
    assert removed["Location"] == "/account/tweestaps/instellen/"
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert client.get("/")["Location"].startswith("/account/tweestaps/instellen/")
    assert events(user) == [Kind.DEVICE_REMOVED]


def test_optional_for_others_but_asked_once_enabled(world):
    user = world.user("a2", Role.CIVIL_SERVANT)
    client = Client()
    unverified_login(client, user)
    assert client.get("/").status_code == 200
    assert client.get("/account/tweestaps/beheren/").status_code == 200
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    later = Client()
    unverified_login(later, user)
    assert later.get("/")["Location"].startswith("/account/tweestaps/")


def test_verified_session_costs_no_query(world, django_assert_num_queries):
    """The check answers from the session: the middleware adds no query to a verified request."""
    from django.test import RequestFactory

    from regio.login.middleware import TwoFactorMiddleware

    user = world.user("a1", Role.PROTECTED_HOUSING)
    client = Client()
    client.force_login(user)
    request = RequestFactory().get("/")
    request.user = user
    request.session = client.session
    request.session.get(twofactor.SESSION_KEY)  # the session itself is loaded anyway, by Django's middleware
    with django_assert_num_queries(0):
        assert TwoFactorMiddleware(lambda r: "page")(request) == "page"


def test_demo_secret_refused_by_the_deploy_check(settings):
    from regio.login.checks import check_demo_totp_secret

    settings.DEMO_TOTP_SECRET = "REGIOWMODEMOTOTPGEHEIMVOORDEMOXX"
    assert [e.id for e in check_demo_totp_secret()] == ["regio.E020"]
    settings.DEMO_TOTP_SECRET = ""
    assert check_demo_totp_secret() == []

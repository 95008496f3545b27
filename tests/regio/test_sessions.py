"""Session lifetime (issue 17; regio/sessions.py): idle timeout, absolute lifetime, logout everywhere, security.txt."""

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from regio.sessions import STARTED, _seen_key, now_ms

pytestmark = pytest.mark.django_db


def logged_in(world, code="a2", role="ambtenaar") -> Client:
    client = world.client(code, role)
    assert client.get("/").status_code == 200  # the first request stamps the session
    return client


def age(client, started=None, last_seen=None) -> None:
    """Make the session as if it started and was last used that many seconds ago."""
    session = client.session
    if started is not None:
        session[STARTED] = now_ms() - started * 1000
        session.save()
    if last_seen is not None:
        cache.set(_seen_key(session.session_key), now_ms() - last_seen * 1000, timeout=None)


def test_a_forgotten_session_counts_as_idle(world):
    """The cache keeps when a session was last used; a session it does not know (idle past the timeout and expired
    from the cache, or the cache emptied) is ended: the safe side."""
    client = logged_in(world)
    cache.delete(_seen_key(client.session.session_key))
    assert client.get("/").status_code == 302


def test_using_the_session_does_not_write_the_database(world):
    """The idle clock lives in the cache, so a page's queries do not depend on how long ago the last one was."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = logged_in(world)
    age(client, last_seen=10 * 60)
    with CaptureQueriesContext(connection) as first:
        client.get("/")
    age(client, last_seen=1)
    with CaptureQueriesContext(connection) as second:
        client.get("/")
    assert len(first.captured_queries) == len(second.captured_queries)
    assert not any("django_session" in q["sql"] and "UPDATE" in q["sql"] for q in first.captured_queries)


@override_settings(SESSION_IDLE_MINUTES=30)
def test_an_idle_session_ends_with_the_reason(world):
    client = logged_in(world)
    age(client, last_seen=29 * 60)
    assert client.get("/").status_code == 200  # 29 minutes idle: still in
    age(client, last_seen=31 * 60)
    response = client.get("/facturen/")
    assert response.status_code == 302 and response["Location"].startswith("/account/inloggen/?next=/facturen/")
    page = client.get(response["Location"]).content.decode()
    assert "na 30 minuten zonder activiteit" in page
    assert client.get("/").status_code == 302  # really logged out


@override_settings(SESSION_MAX_HOURS=8)
def test_a_busy_session_still_ends_after_its_lifetime_and_the_api_answers_401(world):
    client = logged_in(world)
    age(client, started=7 * 3600, last_seen=10)
    assert client.get("/api/v1/regions/").status_code == 200
    age(client, started=8 * 3600 + 5, last_seen=10)
    response = client.get("/api/v1/regions/")
    assert response.status_code == 401 and "hoogstens 8 uur" in response.json()["detail"]


def test_log_out_everywhere_ends_every_session_of_that_person_only(world):
    laptop, phone = logged_in(world), logged_in(world)
    other = logged_in(world, "a3")
    age(laptop, started=5)
    age(phone, started=5)
    assert phone.post("/account/overal-uitloggen/").status_code == 302
    assert laptop.get("/").status_code == 302 and phone.get("/").status_code == 302
    assert other.get("/").status_code == 200  # another person's session is untouched
    again = logged_in(world)  # a new login after the moment works
    assert again.get("/").status_code == 200


def test_log_out_everywhere_is_post_only():
    assert Client().get("/account/overal-uitloggen/").status_code == 405


def test_security_txt():
    response = Client().get("/.well-known/security.txt")
    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert body.startswith("Contact: mailto:") and "\nExpires: " in body and "Preferred-Languages: nl, en" in body

"""WCAG 2.1 AA (Dutch law for government sites): every page of the matrix, checked with axe-core in Chromium.

The pages come from the cross-tenant matrix (tests/tenancy/cases_*.py), so a new page is checked as soon as it has
its tenancy case. Each is rendered with our CSS as the user who may see it; axe-core (from
npm, node_modules/axe-core) reports violations of WCAG 2.0/2.1 A and AA. Debian's chromium is used (no browser
download is possible here); without it the test is skipped, except in CI, where that is a failure.
"""

from __future__ import annotations

import mimetypes
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connections
from django.test import Client
from django.urls import reverse

from tests.tenancy.test_matrix import CASES

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


@contextmanager
def playwright_session():
    """Playwright's sync API with the ORM beside it, leaving no database connection open.

    The sync API runs an asyncio event loop in this thread (in a greenlet of its own) for as long as it is open; the
    ORM may still be used here (tests only: ``DJANGO_ALLOW_ASYNC_UNSAFE``). While that loop runs, Django keeps its
    connections apart from the ones of this thread without a loop (asgiref's thread-critical ``Local`` is
    per-context when a loop is running), so every query in the tests opens a second connection to the test
    database. It is closed here, before the loop stops: afterwards nothing can reach it, and the test database could
    not be dropped at the end of the run ("is being accessed by other users"; issue 11).
    """
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            try:
                yield playwright
            finally:
                connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


PAGE_CASES = [c for c in CASES if not c.api]
PUBLIC_PAGES = ["/account/inloggen/", "/account/wachtwoord-vergeten/", "/bestaat-niet/", "/ontwikkeltafel/"]
# The pages of the second step, as a required-role user sees them (issue 17).
TWO_FACTOR_PAGES = [
    "/account/tweestaps/instellen/",
    "/account/tweestaps/beheren/",
    "/account/tweestaps/",
    "/account/tweestaps/herstelcode/",
]
# (/beheer/inlogdienst/ is a matrix case: checked by test_page_has_no_wcag_violations.)
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BASE = "http://testserver"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() or not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium ({CHROMIUM}) of axe-core ({AXE}) ontbreekt in CI")
        pytest.skip("geen Chromium of axe-core: installeer Debian's chromium en draai make install")

    with playwright_session() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            yield chromium
        finally:
            chromium.close()


def violations(browser, url: str, client: Client) -> list[str]:
    """Render ``url`` with the Django test client (inside the test's transaction), show it in Chromium, run axe.

    Chromium asks http://testserver/...: the page itself is the test client's response, static files come from the
    staticfiles finders, anything else (an htmx poll) answers 204. No live server or committed data is needed.
    """
    response = client.get(url)
    if not response.get("Content-Type", "").startswith("text/html") or b"<html" not in response.content[:500]:
        return []  # a download, a feed or an htmx fragment: not a page of its own

    def answer(route):
        path = route.request.url.removeprefix(BASE)
        if path == url:
            return route.fulfill(
                status=response.status_code, content_type=response["Content-Type"], body=response.content
            )
        if path.startswith(settings.STATIC_URL):
            found = finders.find(path.removeprefix(settings.STATIC_URL).split("?")[0])
            if found:
                return route.fulfill(path=found, content_type=mimetypes.guess_type(found)[0] or "text/plain")
        return route.fulfill(status=204, body="")

    context = browser.new_context(bypass_csp=True, locale="nl-NL")
    context.route(f"{BASE}/**", answer)
    page = context.new_page()
    try:
        page.goto(BASE + url)
        page.add_script_tag(path=str(AXE))
        found = page.evaluate(
            "async (rules) => (await axe.run(document, {runOnly: rules})).violations"
            ".map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)",
            RULES,
        )
    finally:
        context.close()
    return found


@pytest.mark.parametrize("case", PAGE_CASES, ids=lambda c: c.route)
def test_page_has_no_wcag_violations(case, world, browser):
    kwargs = case.build(world)
    url = reverse(case.route, kwargs=kwargs or None) + case.query
    found = violations(browser, url, world.client(*case.insider))
    assert not found, f"{url}:\n" + "\n".join(found)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_page_has_no_wcag_violations(url, browser, db):
    found = violations(browser, url, Client())
    assert not found, f"{url}:\n" + "\n".join(found)


@pytest.mark.parametrize("url", TWO_FACTOR_PAGES)
def test_two_factor_page_has_no_wcag_violations(url, world, browser):
    """Each page as the user who meets it: setup without a device, the code pages after the password only (with a
    device), the overview verified."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import unverified_login

    user = world.user("a1", "bw")
    client = Client()
    if url.endswith("beheren/"):
        client.force_login(user)
    else:
        if not url.endswith("instellen/"):
            TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        unverified_login(client, user)
    assert client.get(url).status_code == 200
    found = violations(browser, url, client)
    assert not found, f"{url}:\n" + "\n".join(found)

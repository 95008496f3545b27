"""Browser journeys (issue 18): people click through the product in Debian's Chromium, driven by Playwright.

The browser is real and so is the server: pytest-django's live server (the product's WSGI application in a thread,
static files included) on loopback. The journeys' data are committed (``transactional_db``) so that the server's
own database connection sees them. The journeys log in through the login
form, follow links and menus and download files as a person would; the keyboard journeys never touch the mouse.
Screenshots of the pages they pass go to ``docs/screenshots/`` (the README shows them, so they never go stale).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from regio.roles import Role
from tests.a11y.test_axe import browser  # noqa: F401  (the module's Chromium, launched once)
from tests.invoicing.helpers import issued

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory
SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"


class Journey:
    """One person's browser: a Chromium page on the live server."""

    def __init__(self, browser, base: str):  # noqa: F811
        self.base = base
        self.context = browser.new_context(
            locale="nl-NL", accept_downloads=True, viewport={"width": 1280, "height": 900}
        )
        self.page = self.context.new_page()

    def goto(self, path: str):
        return self.page.goto(self.base + path)

    def log_in(self, username: str):
        self.goto("/account/inloggen/")
        self.page.get_by_label("Gebruikersnaam").fill(username)
        self.page.get_by_label("Wachtwoord").fill(PASSWORD)
        self.page.get_by_role("button", name="Inloggen").click()
        self.page.wait_for_url(f"{self.base}/")

    def log_in_by_keyboard(self, username: str):
        self.goto("/account/inloggen/")
        self.tab_to(lambda: self.page.evaluate("document.activeElement.name") == "username")
        self.page.keyboard.type(username)
        self.page.keyboard.press("Tab")
        self.page.keyboard.type(PASSWORD)
        self.page.keyboard.press("Enter")
        self.page.wait_for_url(f"{self.base}/")

    def tab_to(self, arrived, limit: int = 80):
        """Press Tab until ``arrived()`` says focus is where the person wants it (a keyboard user's way around)."""
        for _ in range(limit):
            if arrived():
                return
            self.page.keyboard.press("Tab")
        raise AssertionError("met Tab niet bereikt")

    def follow(self):
        """Enter on the focused link, and wait for the page it opens."""
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def focused_text(self) -> str:
        return self.page.evaluate("(document.activeElement.textContent || '').trim()")

    def screenshot(self, name: str):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)

    def close(self):
        self.context.close()


@pytest.fixture
def journey(browser, live_server):  # noqa: F811
    opened = []

    def start():
        opened.append(Journey(browser, live_server.url))
        return opened[-1]

    yield start
    for one in opened:
        one.close()


@pytest.fixture
def invoices(transactional_db, world):
    """An issued invoice to Beek (a2) and one to Landgraaf (a3), committed, their PDFs rendered on commit."""
    beek = issued(world, on=date(2025, 12, 10))
    other = issued(world, recipient=world.a3, subject="Bijdrage Wmo 2026 Landgraaf", on=date(2025, 12, 10))
    return beek, other


def test_a_member_downloads_its_invoice_pdf_and_cannot_open_anothers(world, invoices, journey):
    beek_invoice, other_invoice = invoices
    world.user("a2", Role.CIVIL_SERVANT)
    person = journey()
    person.log_in("a2-ambtenaar")
    person.page.get_by_role("link", name="Facturen", exact=True).first.click()
    person.page.get_by_role("link", name=beek_invoice.number).click()
    person.screenshot("factuur-gemeente")
    with person.page.expect_download() as download:
        person.page.get_by_role("link", name="Factuur als PDF").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    assert download.value.suggested_filename == f"invoice-{beek_invoice.number}.pdf"
    # The other member's invoice and its PDF: not found, as if they did not exist.
    for path in (f"/facturen/{other_invoice.pk}/", f"/facturen/{other_invoice.pk}/pdf/"):
        response = person.goto(path)
        assert response.status == 404
        assert "Bijdrage Wmo 2026 Landgraaf" not in person.page.content()


def test_a_portfolio_holder_opens_the_dashboard_and_downloads_its_pdf(world, invoices, journey):
    world.user("a2", Role.PORTFOLIO_HOLDER)
    person = journey()
    person.log_in("a2-wethouder")
    person.page.get_by_role("link", name="Dashboard", exact=True).first.click()
    person.page.get_by_role("heading", name="Dashboard: Portefeuillehouder").wait_for()
    assert person.page.get_by_text("Facturen die wij nog moeten betalen").first.is_visible()
    person.screenshot("dashboard-wethouder")
    with person.page.expect_download() as download:
        person.page.get_by_role("link", name="Dit dashboard als PDF").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")


def test_keyboard_only_the_portfolio_holder_reaches_the_dashboard_pdf(world, invoices, journey):
    world.user("a2", Role.PORTFOLIO_HOLDER)
    person = journey()
    person.log_in_by_keyboard("a2-wethouder")
    person.tab_to(lambda: person.focused_text() == "Dashboard")
    person.follow()
    person.page.get_by_role("heading", name="Dashboard: Portefeuillehouder").wait_for()
    person.tab_to(lambda: person.focused_text().startswith("Dit dashboard als PDF"))
    with person.page.expect_download() as download:
        person.page.keyboard.press("Enter")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")


def test_keyboard_only_a_member_reaches_its_invoice_pdf(world, invoices, journey):
    beek_invoice, _other = invoices
    world.user("a2", Role.CIVIL_SERVANT)
    person = journey()
    person.log_in_by_keyboard("a2-ambtenaar")
    person.tab_to(lambda: person.focused_text() == "Facturen")
    person.follow()
    person.tab_to(lambda: person.focused_text() == beek_invoice.number)
    person.follow()
    person.tab_to(lambda: person.focused_text() == "Factuur als PDF")
    with person.page.expect_download() as download:
        person.page.keyboard.press("Enter")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

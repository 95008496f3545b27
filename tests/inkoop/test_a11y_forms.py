"""The purchasing pages as the coordinating staff see them, with their forms (the matrix's a11y walk shows them to a
member's civil servant, who gets no forms): axe-clean, WCAG 2.1 AA (tests/a11y)."""

from __future__ import annotations

import pytest

from inkoop import services
from tests.a11y.test_axe import browser, violations  # noqa: F401  (the fixture)
from tests.inkoop.builders import contract, provider


@pytest.mark.django_db
def test_coordinator_pages_with_forms_have_no_wcag_violations(world, browser):  # noqa: F811
    row = contract(world, reference="A-RC-A11Y")
    services.open_consent_round(user=world.user("a1", "coordinator"), contract=row)
    client = world.client("a1", "coordinator")
    pages = [
        "/inkoop/aanbieders/",
        f"/inkoop/aanbieders/{provider(world).pk}/",
        "/inkoop/contracten/",
        f"/inkoop/contracten/{row.pk}/",
    ]
    found = {url: violations(browser, url, client) for url in pages}
    assert not any(found.values()), found

"""Fixtures of the agreements tests: the seed agreements as the demo region files define them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from agreements.models import Agreement
from regio.regionfile.loader import import_file
from regio.tenancy import system_actor

DEMO = Path(settings.BASE_DIR) / "demo"


def load_seed_regions():
    for pattern in ("10-*.yaml", "20-agreements-*.yaml"):
        for path in sorted(DEMO.glob(pattern)):
            import_file(path, user=system_actor("test"))


@pytest.fixture
def seeds(db):
    """The three demo regions with the five seed agreements, their mandates and the 2025 WM meetings."""
    load_seed_regions()
    return {a.code: a for a in Agreement.objects.unrestricted()}

from pathlib import Path

import pytest
from django.conf import settings

from regio.regionfile.loader import import_file
from regio.tenancy import system_actor

DEMO = Path(settings.BASE_DIR) / "demo"


@pytest.fixture
def demo_regions(db):
    """The three seed regions with their people, from the demo region files (no other sections needed)."""
    for path in sorted(DEMO.glob("10-*.yaml")):
        import_file(path, user=system_actor("test"))

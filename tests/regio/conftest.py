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


# The schema-fuzzing run's tally (tests/regio/test_schema_fuzzing.py), printed at the end of every run that has it.
# The test puts it in its report's user properties, which pytest-xdist carries from a worker to the main process.
FUZZ_TALLY = "schema_fuzz_tally"
FUZZ_TALLIES: list[str] = []


def pytest_runtest_logreport(report):
    if report.when == "call":
        FUZZ_TALLIES.extend(value for name, value in report.user_properties if name == FUZZ_TALLY)


def pytest_terminal_summary(terminalreporter):
    for line in FUZZ_TALLIES:
        terminalreporter.write_line(line)

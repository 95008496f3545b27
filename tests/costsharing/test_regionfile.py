"""Region-file sections and the demo (issue #5): a second load changes nothing; bad keys are refused."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from costsharing import services
from costsharing.models import AllocationKey, KeyVersion, NormYear, Notice, Reckoning
from regio.models import Region
from regio.regionfile import RegionFileError
from regio.regionfile.loader import import_file, import_text
from regio.tenancy import system_actor
from toezicht.services import fte_split

DEMO = Path(settings.BASE_DIR) / "demo"


def load_demo():
    results = []
    for path in sorted(DEMO.glob("*.yaml")):
        results.append(import_file(path, user=system_actor("test")))
    return results


@pytest.mark.django_db(transaction=False)
def test_demo_loads_and_second_load_changes_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    with django_capture_on_commit_callbacks(execute=True):
        again = load_demo()
    for result in again:
        assert result.counts["created"] == 0 and result.counts["updated"] == 0, result.summary()
    wm = Region.objects.get(code="westelijke-mijnstreek")
    assert {r.municipality.name: r.share for r in fte_split(region=wm, year=2025)} == {
        "Beek": Decimal("0.1207"),
        "Stein": Decimal("0.1897"),
        "Sittard-Geleen": Decimal("0.6897"),
    }
    tariffs = services.tariffs(region=wm, year=2024)
    assert sorted(p for _a, _c, p in tariffs.activities) == [Decimal("545.33"), Decimal("672.62"), Decimal("731.87")]
    assert NormYear.objects.unrestricted().current().filter(region=wm, year=2025, origin="indexed").exists()
    assert Notice.objects.unrestricted().filter(region=wm).count() >= 3
    bno = Region.objects.get(code="brabant-noordoost-oost")
    key = AllocationKey.objects.unrestricted().get(region=bno, code="bno-inwoners")
    parts = services.split(amount=Decimal("100000.00"), version=services.version_on(key=key, on=date(2020, 6, 1)))
    assert {p.municipality.name: p.amount for p in parts}["Oss"] == Decimal("32757.31")
    merged = services.version_on(key=key, on=date(2022, 1, 1))
    assert {m.name for m, _w in services.weights_of(version=merged)} == {
        "Bernheze",
        "Boekel",
        "Oss",
        "Land van Cuijk",
        "Maashorst",
    }
    # The demo's 2025 reckoning runs to the end.
    with django_capture_on_commit_callbacks(execute=True):
        services.request_reckoning(user=system_actor("test"), region=wm, year=2025)
    reckoning = Reckoning.objects.unrestricted().get(region=wm, year=2025)
    assert reckoning.run_state == "done", reckoning.error
    assert reckoning.lines.count() == 3


BAD_KEY = """
region: {code: westelijke-mijnstreek, name: Westelijke Mijnstreek}
allocation_keys:
  - code: wm-kosten
    name: Sleutel
    versions:
      - {valid_from: 2025-01-01, basis: fixed, shares: {GM1883: 69, GM0971: 19, GM0888: 11.99}}
"""


def test_bad_key_in_a_region_file_is_refused_with_the_difference(wm):
    with pytest.raises(RegionFileError) as exc:
        import_text(BAD_KEY.replace("wm-kosten", "wm-nieuw"), "wm.yaml", user=system_actor("test"))
    assert any("0,01 procentpunt te weinig" in str(p) for p in exc.value.problems)
    assert not KeyVersion.objects.unrestricted().filter(key__code="wm-nieuw").exists()


def test_schema_rejects_an_unknown_basis(wm):
    with pytest.raises(RegionFileError) as exc:
        import_text(BAD_KEY.replace("basis: fixed", "basis: gevoel"), "wm.yaml", user=system_actor("test"))
    assert any("basis" in p.path for p in exc.value.problems)

"""The region-file sections ``providers`` and ``contracts`` with the demo files (issue 16), then the demo step: a
second import and a second run change nothing; a budget above the frame refuses the file and writes nothing; the
demo shows a signed contract near its notice deadline and one refused for lack of Beek's consent."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from inkoop.demo import NEAR_NOTICE, load_purchasing_demo
from inkoop.models import ContractStatus, FrameworkContract, MemberConsent, Provider
from inkoop.selectors import ALERT_DAYS
from regio.regionfile.loader import import_file, import_text
from regio.regionfile.registry import RegionFileError
from regio.tenancy import system_actor

DEMO = Path(settings.BASE_DIR) / "demo"
pytestmark = pytest.mark.django_db


def _load():
    for pattern in (
        "10-westelijke-mijnstreek.yaml",
        "20-agreements-westelijke-mijnstreek.yaml",
        "60-inkoop-westelijke-mijnstreek.yaml",
    ):
        for path in sorted(DEMO.glob(pattern)):
            result = import_file(path, user=system_actor("test"))
    return result


def test_demo_files_load_and_a_second_import_changes_nothing():
    _load()
    assert Provider.objects.unrestricted().count() == 12
    assert FrameworkContract.objects.unrestricted().filter(status=ContractStatus.DRAFT).count() == 4
    again = import_file(DEMO / "60-inkoop-westelijke-mijnstreek.yaml", user=system_actor("test"))
    assert again.counts["created"] == 0 and again.counts["updated"] == 0


def test_budgets_above_the_frame_refuse_the_file_and_write_nothing():
    _load()
    text = (
        (DEMO / "60-inkoop-westelijke-mijnstreek.yaml")
        .read_text()
        .replace('frames: {2025: "4500000.00"', 'frames: {2025: "1000000.00"')
    )
    with pytest.raises(RegionFileError) as exc:
        import_text(text, "inkoop.yaml", user=system_actor("test"))
    assert "boven het financieel kader" in str(exc.value)


def test_demo_step_signs_refuses_and_is_idempotent():
    _load()
    load_purchasing_demo()
    contracts = {c.reference: c for c in FrameworkContract.objects.unrestricted()}
    assert contracts["WM-RC-2025-01"].status == ContractStatus.SIGNED
    assert contracts["WM-RC-2026-04"].status == ContractStatus.REFUSED
    assert "Beek heeft geen akkoord gegeven" in contracts["WM-RC-2026-04"].refusal_reason
    today = timezone.localdate()
    assert today < contracts[NEAR_NOTICE].notice_deadline <= today + timedelta(days=ALERT_DAYS)
    signed = MemberConsent.objects.unrestricted().filter(contract__status=ContractStatus.SIGNED)
    assert signed.count() == 6 and not signed.filter(mandate=None).exists()
    before = sorted(FrameworkContract.objects.unrestricted().values_list("reference", "status", "ends_on"))
    assert "al gedaan" in load_purchasing_demo()
    assert sorted(FrameworkContract.objects.unrestricted().values_list("reference", "status", "ends_on")) == before


def test_bno_4_subsidy_relation_from_the_region_file():
    from decimal import Decimal

    from inkoop.models import SubsidyRelation

    _load()
    subsidy = SubsidyRelation.objects.unrestricted().get()
    assert (subsidy.provider.name, subsidy.year, subsidy.amount) == (
        "Zorgboerderij De Kollenberg",
        2026,
        Decimal("45000.00"),
    )

"""Retention (issue 17; docs/retention.md): one daily job runs every registered reducer as the system actor, bounded,
idempotent and logged; per kind, what the money and the annual reports need stays."""

from __future__ import annotations

import logging
import os
from datetime import date, datetime, timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from regio.models import AccessLog
from regio.retention import REDUCED, cutoff, reducers, run_retention
from regio.tasks import run_retention as retention_task
from toezicht.models import Investigation, InvestigationDocument, PowerUse, Signal
from toezicht.selectors import signal_figures

TODAY = date(2026, 12, 5)
DOCUMENT = {"title": "Verslag", "original_name": "verslag-jansen.pdf", "content_type": "application/pdf", "size": 4}


def test_every_kind_of_personal_data_has_a_reducer_with_its_setting():
    kinds = {r.key: r.setting for r in reducers()}
    assert kinds == {
        "bw_client_files": "BW_RETENTION_YEARS",
        "toezicht_case_files": "TOEZICHT_RETENTION_YEARS",
        "meldpunt_reports": "TOEZICHT_MELDPUNT_RETENTION_YEARS",
        "access_log": "ACCESS_LOG_RETENTION_YEARS",
    }
    assert all(isinstance(getattr(settings, s), int) for s in kinds.values())
    assert settings.CELERY_BEAT_SCHEDULE["regio-retention"]["task"] == "regio.retention.run"
    assert not any(e["task"].startswith("beschermdwonen.") for e in settings.CELERY_BEAT_SCHEDULE.values())


def test_cutoff_counts_whole_years_and_survives_29_february():
    assert cutoff(date(2026, 12, 5), 10) == date(2016, 12, 5)
    assert cutoff(date(2028, 2, 29), 1) == date(2027, 2, 28)


def _signal(world, n, received_on, **extra):
    values = {
        "reference": f"SG-T-{n}",
        "municipality": world.a2,
        "received_on": received_on,
        "source": "meldpunt",
        "kind": "quality",
        "description": f"Mijn moeder krijgt geen zorg ({n})",
        "contact": f"melder{n}@example.nl",
        "triage": "no_action",
        "triage_reasons": "Geen Wmo",
    }
    return Signal.objects.create(**{**values, **extra})


def _investigation(world, n, closed_on, status="closed"):
    return Investigation.objects.create(
        reference=f"OZ-T-{n}",
        municipality=world.a2,
        title=f"Onderzoek {n}",
        kind="quality",
        approach="reactive",
        started_on=closed_on - timedelta(days=60),
        closed_on=closed_on if status == "closed" else None,
        status=status,
        findings="De cliënt vertelde over zijn schulden",
        conclusion="Overtreding",
        outcome="violation",
    )


def test_toezicht_case_files_keep_the_counts_and_lose_the_person(world, settings, django_capture_on_commit_callbacks):
    settings.TOEZICHT_RETENTION_YEARS = 10
    old = _investigation(world, 1, closed_on=date(2016, 6, 30))
    recent = _investigation(world, 2, closed_on=date(2020, 6, 30))
    running = _investigation(world, 3, closed_on=date(2015, 1, 1), status="investigating")
    upload = SimpleUploadedFile("verslag", b"%PDF")
    document = InvestigationDocument.objects.create(investigation=old, file=upload, **DOCUMENT)
    stored = document.file.path
    PowerUse.objects.create(investigation=old, power="5:16", used_on=date(2016, 5, 1), justification="Dossier J.")
    linked = _signal(world, 1, date(2016, 4, 1), investigation=old, triage="investigate")
    before = signal_figures(municipality=world.a2, year=2016)

    with django_capture_on_commit_callbacks(execute=True):
        done = run_retention(today=TODAY)

    assert done["toezicht_case_files"] == 1
    old.refresh_from_db()
    assert (old.findings, old.conclusion, old.outcome, old.approach) == (REDUCED, "", "violation", "reactive")
    assert not old.history.exclude(findings=REDUCED).exists()
    assert not InvestigationDocument.objects.unrestricted("test").exists()
    assert not InvestigationDocument.history.exclude(file="").exists()

    assert not os.path.exists(stored)
    assert PowerUse.objects.unrestricted("test").get().justification == ""
    linked.refresh_from_db()
    assert (linked.description, linked.contact) == (REDUCED, "")
    assert signal_figures(municipality=world.a2, year=2016) == before  # the annual report's counts
    for untouched in (recent, running):
        untouched.refresh_from_db()
        assert untouched.findings.startswith("De cliënt")
    assert run_retention(today=TODAY)["toezicht_case_files"] == 0  # idempotent


def test_meldpunt_reports_without_an_investigation_are_reduced_after_their_period(world, settings):
    settings.TOEZICHT_MELDPUNT_RETENTION_YEARS = 2
    old = _signal(world, 1, date(2024, 12, 5))
    new = _signal(world, 2, date(2024, 12, 6))
    untriaged = _signal(world, 3, date(2020, 1, 1), triage="untriaged")
    assert run_retention(today=TODAY)["meldpunt_reports"] == 1
    old.refresh_from_db()
    assert (old.description, old.contact, old.triage_reasons, old.triage) == (REDUCED, "", "", "no_action")
    assert not old.history.exclude(description=REDUCED).exists()
    for kept in (new, untriaged):
        kept.refresh_from_db()
        assert kept.contact
    assert run_retention(today=TODAY)["meldpunt_reports"] == 0


def test_the_access_log_goes_after_its_period_in_bounded_batches(world, settings, caplog):
    settings.ACCESS_LOG_RETENTION_YEARS = 5
    old_moment = timezone.make_aware(datetime(2021, 12, 5, 12, 0))
    for _ in range(3):
        entry = AccessLog.objects.create(object_type="toezicht.Signal", object_id="1", municipality=world.a2)
        AccessLog.objects.filter(pk=entry.pk).update(at=old_moment)
    kept = AccessLog.objects.create(object_type="toezicht.Signal", object_id="2", municipality=world.a2)
    with caplog.at_level(logging.INFO, logger="regio.retention"):
        assert run_retention(today=TODAY, limit=2)["access_log"] == 2
    assert "bewaartermijn access_log (5 jaar): 2 beperkt" in caplog.text
    assert run_retention(today=TODAY, limit=2)["access_log"] == 1
    assert run_retention(today=TODAY, limit=2)["access_log"] == 0
    assert list(AccessLog.objects.unrestricted("test").values_list("pk", flat=True)) == [kept.pk]


def test_the_daily_task_runs_every_kind(world):
    assert set(retention_task.delay().get()) == {r.key for r in reducers()}


@pytest.mark.django_db
def test_a_run_with_nothing_due_touches_nothing(django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert set(run_retention(today=TODAY).values()) == {0}

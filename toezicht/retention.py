"""Toezicht's reducers for the daily retention job (regio/retention.py; docs/retention.md).

What the annual report (WM-DVO annex 4; ``toezicht.selectors``) and the cost split need of a case file are counts by
municipality, year, source, kind, triage, approach and outcome, the hours and the interventions with the college's
decision: those fields stay. What goes, also from the audit history, is what is about persons: the findings and the
conclusion of a closed investigation, its documents (files and rows), the description and the reporter's contact of
its signals, and the reasons of a power used.

* ``toezicht_case_files``: investigations closed ``TOEZICHT_RETENTION_YEARS`` ago (default 10) and their signals.
* ``meldpunt_reports``: signals (Meldpunt reports and the other sources) that led to no investigation, triaged, and
  received ``TOEZICHT_MELDPUNT_RETENTION_YEARS`` ago (default 2).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction

from regio.retention import REDUCED, Reducer, cutoff
from regio.tenancy import CHANGE
from toezicht.models import (
    Investigation,
    InvestigationDocument,
    InvestigationStatus,
    PowerUse,
    Signal,
    Triage,
)

SIGNAL_TEXTS = {"description": REDUCED, "contact": "", "triage_reasons": ""}
CASE_TEXTS = {"findings": REDUCED, "conclusion": ""}


def _reduce_signals(ids: list[int]) -> None:
    Signal.objects.unrestricted("signals the reducer selected through restrict()").filter(pk__in=ids).update(
        **SIGNAL_TEXTS
    )
    Signal.history.filter(id__in=ids).update(**SIGNAL_TEXTS)


def reduce_case_files(*, user, today: date, limit: int) -> list[int]:
    """Closed investigations past their retention period, at most ``limit``; a reduced one is not selected again."""
    last_day = cutoff(today, settings.TOEZICHT_RETENTION_YEARS)
    ids = list(
        Investigation.objects.restrict(user, CHANGE)
        .filter(status=InvestigationStatus.CLOSED, closed_on__lte=last_day)
        .exclude(findings=REDUCED)
        .order_by("closed_on", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        with transaction.atomic():
            investigation = Investigation.objects.restrict(user, CHANGE).select_for_update().get(pk=pk)
            if investigation.findings == REDUCED:
                continue  # reduced meanwhile by another run
            Investigation.objects.restrict(user, CHANGE).filter(pk=pk).update(**CASE_TEXTS)
            Investigation.history.filter(id=pk).update(**CASE_TEXTS)
            documents = InvestigationDocument.objects.restrict(user, CHANGE).filter(investigation_id=pk)
            for document in documents:
                name, storage = document.file.name, document.file.storage
                transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
            document_ids = list(documents.values_list("pk", flat=True))
            documents.delete()
            InvestigationDocument.history.filter(id__in=document_ids).update(file="", original_name="")
            PowerUse.objects.restrict(user, CHANGE).filter(investigation_id=pk).update(justification="")
            PowerUse.history.filter(investigation_id=pk).update(justification="")
            _reduce_signals(
                list(Signal.objects.restrict(user, CHANGE).filter(investigation_id=pk).values_list("pk", flat=True))
            )
    return ids


def reduce_reports(*, user, today: date, limit: int) -> list[int]:
    """Signals without an investigation, triaged, received before the period: description and contact go."""
    last_day = cutoff(today, settings.TOEZICHT_MELDPUNT_RETENTION_YEARS)
    ids = list(
        Signal.objects.restrict(user, CHANGE)
        .filter(investigation__isnull=True, received_on__lte=last_day)
        .exclude(triage=Triage.UNTRIAGED)
        .exclude(description=REDUCED)
        .order_by("received_on", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if ids:
        with transaction.atomic():
            _reduce_signals(ids)
    return ids


CASE_FILES = Reducer(
    "toezicht_case_files", "dossiers toezicht", "TOEZICHT_RETENTION_YEARS", reduce_case_files, order=20
)
MELDPUNT_REPORTS = Reducer(
    "meldpunt_reports",
    "meldingen en signalen zonder onderzoek",
    "TOEZICHT_MELDPUNT_RETENTION_YEARS",
    reduce_reports,
    order=30,
)

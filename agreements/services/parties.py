"""Parties and ending an agreement: the current parties, ending an agreement with its mandates and elaborations, the
workflow event. Articles: WM-SO 15.3, WM-DVO 8.4.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from agreements.models import (
    Agreement,
    Mandate,
    Party,
    WorkflowEvent,
)
from agreements.services._common import _check, _cite, d
from regio.bounds import check_date
from regio.models import Municipality
from regio.tenancy import person, system_actor

# --- ending an agreement ----------------------------------------------------------------------------------------


def _event(agreement, on, action, article="", user=None, **subject) -> WorkflowEvent:
    event = WorkflowEvent(agreement=agreement, on=on, action=action, article=article, by=person(user), **subject)
    event.save()
    return event


@transaction.atomic
def end_agreement(*, user, agreement: Agreement, last_day: date, reason: str, article: str = "") -> Agreement:
    """End an agreement after ``last_day``: its mandates end with it (WM-SO 15.3) and every agreement that elaborates
    it (a DVO over its SO) ends by law too (WM-DVO 8.4). Each change is in the audit history with its reason."""
    agreement = Agreement.objects.unrestricted().select_for_update().get(pk=agreement.pk)
    _check(user, agreement)
    if last_day < agreement.effective_from:
        raise ValidationError({"last_day": "De einddatum ligt voor de ingangsdatum van de overeenkomst."})
    if agreement.effective_until is None or agreement.effective_until > last_day:
        agreement.effective_until = last_day
        agreement.end_reason = reason
        agreement._change_reason = f"beëindigd per {d(last_day + timedelta(days=1))}: {reason}"
        agreement.save()
        _event(agreement, last_day, f"Overeenkomst eindigt na {d(last_day)}: {reason}", article, user)
    for mandate in Mandate.objects.unrestricted().select_for_update().filter(agreement=agreement):
        if mandate.valid_until is None or mandate.valid_until > last_day:
            # WM-SO 15.3: the (sub)mandate holds at most for the duration of the agreement.
            mandate.valid_until = max(last_day, mandate.valid_from)
            mandate.end_reason = f"overeenkomst {agreement.code} beëindigd (WM-SO 15.3)"
            mandate._change_reason = mandate.end_reason
            mandate.save()
    for child in Agreement.objects.unrestricted().filter(elaborates=agreement):
        end_agreement(
            user=system_actor(f"van rechtswege met {agreement.code} beëindigd (WM-DVO 8.4)"),
            agreement=child,
            last_day=last_day,
            reason=f"van rechtswege met {agreement.code} beëindigd",
            article=_cite(child, "ends_with") if child.exit_citations.get("ends_with") else "WM-DVO 8.4",
        )
    return agreement


# --- parties ----------------------------------------------------------------------------------------------------


def _within_agreement(agreement: Agreement, day: date, label: str) -> None:
    """A date of an act under an agreement lies within the plausible window and the agreement's own dates (issue 10:
    plausible ranges for every date, "and the agreement's own dates")."""
    check_date(day, earliest=agreement.effective_from, latest=agreement.effective_until, label=label)


def current_parties(*, agreement: Agreement, on: date) -> list[Party]:
    """The municipalities that are party on ``on`` (providers do not consent to accession or amendments)."""
    parties = (
        Party.objects.unrestricted()
        .filter(agreement=agreement, municipality__isnull=False)
        .select_related("municipality", "agreement")
    )
    return [p for p in parties if p.is_party_on(on)]


def _require_party(agreement: Agreement, municipality: Municipality, on: date) -> None:
    if municipality.pk not in {p.municipality_id for p in current_parties(agreement=agreement, on=on)}:
        raise ValidationError(f"{municipality.name} is op {d(on)} geen partij bij {agreement.code}.")

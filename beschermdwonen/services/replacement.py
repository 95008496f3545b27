"""Replacement in an untenable situation (herplaatsing onhoudbare situaties, WM-DVO annex 2 §3)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from beschermdwonen.models import Client, Replacement
from beschermdwonen.services.common import field_date, field_text
from beschermdwonen.services.register import NOT_ACCESS_TEAM
from regio.tenancy import ADD, CHANGE, can, person

__all__ = ["close_replacement", "plan_case_meeting", "record_handover", "report_untenable"]


def report_untenable(
    *, user, client: Client, reported_on: date, reason: str, responsible_provider: str
) -> Replacement:
    """The access team opens a replacement: the provider stays responsible "tot het moment dat dit overleg heeft
    plaatsgevonden en een oplossing is gevonden" (WM-DVO annex 2 §3), so it is named from the start."""
    field_date(reported_on, "reported_on", "De datum", not_in_future=True)
    reason = field_text(reason, "reason", "De situatie")
    responsible_provider = field_text(
        responsible_provider, "responsible_provider", "De aanbieder die verantwoordelijk blijft", max_length=200
    )
    with transaction.atomic():
        client = Client.objects.unrestricted("locked, then checked with can()").select_for_update().get(pk=client.pk)
        if not can(user, CHANGE, client):
            raise PermissionDenied(NOT_ACCESS_TEAM)
        replacement = Replacement.objects.create(
            client=client,
            reported_on=reported_on,
            reason=reason,
            responsible_provider=responsible_provider,
            created_by=person(user),
        )
        if not can(user, ADD, replacement):
            raise PermissionDenied(NOT_ACCESS_TEAM)
    return replacement


def _locked(user, replacement: Replacement) -> Replacement:
    replacement = (
        Replacement.objects.unrestricted("locked, then checked with can()").select_for_update().get(pk=replacement.pk)
    )
    if not can(user, CHANGE, replacement):
        raise PermissionDenied(NOT_ACCESS_TEAM)
    if replacement.closed_on is not None:
        raise ValidationError("Deze herplaatsing is afgesloten.")
    return replacement


def plan_case_meeting(*, user, replacement: Replacement, meeting_on: date, invited_providers: str) -> Replacement:
    """The case meeting with "een selectie van aanbieders" (WM-DVO annex 2 §3)."""
    invited_providers = field_text(
        invited_providers, "invited_providers", "De uitgenodigde aanbieders", max_length=2000
    )
    with transaction.atomic():
        replacement = _locked(user, replacement)
        field_date(meeting_on, "meeting_on", "De datum van het casusoverleg", earliest=replacement.reported_on)
        replacement.meeting_on = meeting_on
        replacement.invited_providers = invited_providers
        replacement.save(update_fields=["meeting_on", "invited_providers"])
    return replacement


def record_handover(*, user, replacement: Replacement, receiving_provider: str, handover_on: date) -> Replacement:
    """The alternative found and the warm hand-over ("dient er een warme overdracht plaats te vinden", annex 2 §3)."""
    receiving_provider = field_text(
        receiving_provider, "receiving_provider", "De ontvangende aanbieder", max_length=200
    )
    with transaction.atomic():
        replacement = _locked(user, replacement)
        field_date(handover_on, "handover_on", "De datum van de warme overdracht", earliest=replacement.reported_on)
        if receiving_provider == replacement.responsible_provider:
            raise ValidationError({"receiving_provider": "De ontvangende aanbieder is een andere aanbieder."})
        replacement.receiving_provider = receiving_provider
        replacement.handover_on = handover_on
        replacement.save(update_fields=["receiving_provider", "handover_on"])
    return replacement


def close_replacement(*, user, replacement: Replacement, closed_on: date) -> Replacement:
    """Close a replacement: only with the receiving provider and the warm hand-over date (annex 2 §3: the client is
    never left without a provider)."""
    with transaction.atomic():
        replacement = _locked(user, replacement)
        if not replacement.receiving_provider or replacement.handover_on is None:
            raise ValidationError("Sluit pas af na de warme overdracht: vul de ontvangende aanbieder en de datum in.")
        field_date(closed_on, "closed_on", "De datum", not_in_future=True, earliest=replacement.handover_on)
        replacement.closed_on = closed_on
        replacement.save(update_fields=["closed_on"])
    return replacement

"""Advice requests, the advice and the member's own decision; disagreements (WM-DVO annex 2 §2 and §4)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from beschermdwonen.models import (
    AdviceRequest,
    Client,
    Disagreement,
    DisagreementStep,
    MemberDecision,
    access_team_region_ids,
)
from beschermdwonen.services.common import field_date, field_text
from beschermdwonen.services.register import NOT_ACCESS_TEAM, _check_member
from regio.roles import Role
from regio.tenancy import ADD, CHANGE, can, is_system, person, scope_of

__all__ = [
    "NOT_REQUESTER",
    "add_disagreement_step",
    "close_disagreement",
    "give_advice",
    "is_team_for",
    "open_disagreement",
    "record_member_decision",
    "request_advice",
]

NOT_REQUESTER = "Alleen beschermd wonen van de gemeente die de adviesvraag stuurde neemt het besluit."
BB_LEVELS = ("", "basis", "intensief")


def is_team_for(user, region) -> bool:
    """Whether the user is the region's access team (the system actor acts as it)."""
    if is_system(user):
        return True
    scope = scope_of(user)
    if scope.read_only or not scope.has_role(Role.PROTECTED_HOUSING):
        return False
    return access_team_region_ids(scope).filter(region_id=region.pk).exists()


def _is_requester(user, advice: AdviceRequest) -> bool:
    if is_system(user):
        return True
    scope = scope_of(user)
    return (
        not scope.read_only
        and scope.has_role(Role.PROTECTED_HOUSING)
        and scope.municipality_id == advice.requested_by_id
    )


def request_advice(
    *,
    user,
    region,
    requested_on: date,
    case_reference: str,
    question: str,
    situation: str,
    current_support: str = "",
    requested_by=None,
) -> AdviceRequest:
    """A member (Stein, Beek) asks the access team for advice through the intake format (WM-DVO annex 2 §4: "een
    format met informatie ... vanuit een adviesvraag"). The member is the user's own municipality (the system actor
    names it); it must be a member of the region, not its coordinator."""
    field_date(requested_on, "requested_on", "De datum van de adviesvraag", not_in_future=True)
    case_reference = field_text(case_reference, "case_reference", "Het kenmerk", max_length=40)
    question = field_text(question, "question", "De adviesvraag")
    situation = field_text(situation, "situation", "De situatie en hulpvraag")
    current_support = field_text(current_support, "current_support", "De huidige ondersteuning", required=False)
    if not is_system(user):
        scope = scope_of(user)
        if scope.read_only or not scope.has_role(Role.PROTECTED_HOUSING) or scope.municipality_id is None:
            raise PermissionDenied("Alleen medewerkers beschermd wonen van een gemeente vragen advies.")
        from regio.models import Municipality

        requested_by = Municipality.objects.unrestricted("the user's own municipality").get(pk=scope.municipality_id)
    if requested_by is None:
        raise ValidationError({"requested_by": "Zeg welke gemeente de adviesvraag stuurt."})
    with transaction.atomic():
        _check_member(region=region, municipality=requested_by, on=requested_on)
        if region.coordinator_on(requested_on) == requested_by:
            raise ValidationError("De coördinerende gemeente stelt zelf de indicaties vast en vraagt geen advies.")
        advice = AdviceRequest.objects.create(
            region=region,
            requested_by=requested_by,
            requested_on=requested_on,
            case_reference=case_reference,
            question=question,
            situation=situation,
            current_support=current_support,
            created_by=person(user),
        )
        if not can(user, ADD, advice):
            raise PermissionDenied("Alleen medewerkers beschermd wonen van een gemeente vragen advies.")
    return advice


def _lock(advice: AdviceRequest) -> AdviceRequest:
    return (
        AdviceRequest.objects.unrestricted("locked, then checked with can()")
        .select_for_update()
        .select_related("region")
        .get(pk=advice.pk)
    )


def give_advice(
    *,
    user,
    advice: AdviceRequest,
    advised_on: date,
    begeleiding: bool,
    bb: str,
    text: str,
    client: Client | None = None,
) -> AdviceRequest:
    """The access team sends its advice (WM-DVO annex 2 §2: "minimaal begeleiding en bereikbaarheid en
    beschikbaarheid"; §4: "per casus een advies over het product Beschikbaarheid en Bereikbaarheid"), delivered with
    the conversation report (§4). It may link the client of the register the case concerns."""
    if bb not in BB_LEVELS:
        raise ValidationError({"advice_bb": "Kies geen, basis of intensief."})
    text = field_text(text, "advice_text", "De inhoud van het advies", max_length=8000)
    with transaction.atomic():
        advice = _lock(advice)
        if not can(user, CHANGE, advice) or not is_team_for(user, advice.region):
            raise PermissionDenied(NOT_ACCESS_TEAM)
        field_date(
            advised_on, "advised_on", "De datum van het advies", not_in_future=True, earliest=advice.requested_on
        )
        if advice.decided_on is not None:
            raise ValidationError("De gemeente heeft al besloten: het advies ligt vast.")
        if client is not None and client.region_id != advice.region_id:
            raise ValidationError({"client": "Deze cliënt staat niet in het register van deze regio."})
        advice.advised_on = advised_on
        advice.advice_begeleiding = bool(begeleiding)
        advice.advice_bb = bb
        advice.advice_text = text
        if client is not None:
            advice.client = client
        advice.save()
    return advice


def record_member_decision(
    *, user, advice: AdviceRequest, decision: str, decided_on: date, note: str = ""
) -> AdviceRequest:
    """The member that asked records its own decision: "die zelfstandig een besluit neemt (evt. op basis van het
    advies)" (WM-DVO annex 2 §2), "het is aan de afzonderlijke gemeente om een eigen besluit te nemen" (§4)."""
    if decision not in MemberDecision.values:
        raise ValidationError({"decision": "Kies gevolgd, deels gevolgd of niet gevolgd."})
    note = field_text(note, "decision_note", "De toelichting", required=False)
    with transaction.atomic():
        advice = _lock(advice)
        if not can(user, CHANGE, advice) or not _is_requester(user, advice):
            raise PermissionDenied(NOT_REQUESTER)
        if advice.advised_on is None:
            raise ValidationError("Er is nog geen advies: de gemeente besluit na het advies.")
        field_date(
            decided_on, "decided_on", "De datum van het besluit", not_in_future=True, earliest=advice.advised_on
        )
        if decision != MemberDecision.FOLLOWED and not note:
            raise ValidationError({"decision_note": "Zeg waarom het advies niet (helemaal) is gevolgd."})
        advice.decision = decision
        advice.decided_on = decided_on
        advice.decision_note = note
        advice.save(update_fields=["decision", "decided_on", "decision_note"])
    return advice


def open_disagreement(
    *, user, client: Client, opened_on: date, subject: str, advice: AdviceRequest | None = None
) -> Disagreement:
    """Record a case the members disagree on; it follows the agreed procedure (WM-DVO annex 2 §4: "Voor casussen waar
    de Gemeenten het niet over eens zijn, wordt een vastgestelde procedure gevolgd")."""
    field_date(opened_on, "opened_on", "De datum", not_in_future=True)
    subject = field_text(subject, "subject", "Waarover het geschil gaat")
    with transaction.atomic():
        client = Client.objects.unrestricted("locked, then checked with can()").select_for_update().get(pk=client.pk)
        if not can(user, CHANGE, client):
            raise PermissionDenied(NOT_ACCESS_TEAM)
        if advice is not None and advice.region_id != client.region_id:
            raise ValidationError({"advice_request": "Deze adviesvraag hoort bij een andere regio."})
        disagreement = Disagreement.objects.create(
            client=client, advice_request=advice, opened_on=opened_on, subject=subject
        )
        if not can(user, ADD, disagreement):
            raise PermissionDenied(NOT_ACCESS_TEAM)
    return disagreement


def _lock_disagreement(user, disagreement: Disagreement) -> Disagreement:
    disagreement = (
        Disagreement.objects.unrestricted("locked, then checked with can()")
        .select_for_update()
        .get(pk=disagreement.pk)
    )
    if not can(user, CHANGE, disagreement):
        raise PermissionDenied(NOT_ACCESS_TEAM)
    if disagreement.closed_on is not None:
        raise ValidationError("Dit geschil is afgesloten.")
    return disagreement


def add_disagreement_step(
    *, user, disagreement: Disagreement, taken_on: date, step: str, note: str = ""
) -> DisagreementStep:
    """One step of the agreed procedure (its date, what happened)."""
    step = field_text(step, "step", "De stap", max_length=150)
    note = field_text(note, "note", "De toelichting", required=False)
    with transaction.atomic():
        disagreement = _lock_disagreement(user, disagreement)
        field_date(taken_on, "taken_on", "De datum", not_in_future=True, earliest=disagreement.opened_on)
        return DisagreementStep.objects.create(disagreement=disagreement, taken_on=taken_on, step=step, note=note)


def close_disagreement(*, user, disagreement: Disagreement, closed_on: date, outcome: str) -> Disagreement:
    """Close with the outcome of the procedure: no outcome, no closing."""
    outcome = field_text(outcome, "outcome", "De uitkomst")
    with transaction.atomic():
        disagreement = _lock_disagreement(user, disagreement)
        field_date(closed_on, "closed_on", "De datum", not_in_future=True, earliest=disagreement.opened_on)
        disagreement.closed_on = closed_on
        disagreement.outcome = outcome
        disagreement.save(update_fields=["closed_on", "outcome"])
    return disagreement

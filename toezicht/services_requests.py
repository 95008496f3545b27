"""Rules of a college's information requests and of disclosures to a college (WM-DVO annex 4; art. 5.2.4 Wmo 2015).
Keyword-only, acting user first (STYLE.md rule 1)."""

from __future__ import annotations

import secrets
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from regio.deadlines import Deadline
from regio.models import Municipality, log_access
from regio.privacy import refuse_bsn
from regio.roles import Role
from regio.tenancy import CHANGE, VIEW, is_system, person, require, scope_of
from toezicht.models import Disclosure, DisclosureBasis, InformationRequest, Investigation, answer_due
from toezicht.services_investigations import checked_date

STRANGERS = "Alleen de toezichthouders van deze gemeente behandelen dit verzoek."


def _reference(prefix: str, year: int) -> str:
    return f"{prefix}-{year}-{secrets.token_hex(4).upper()}"


def _require_supervisor_of(user, municipality) -> None:
    if is_system(user):
        return
    scope = scope_of(user)
    if (
        not scope.has_role(Role.SUPERVISOR)
        or scope.read_only
        or municipality.pk not in scope.supervised_municipality_ids
    ):
        raise PermissionDenied(STRANGERS)


def _clean(value: str, *, name: str, limit: int, required: bool, problems: dict) -> str:
    value = (value or "").strip()
    if required and not value:
        problems[name] = "Vul dit veld in."
    elif len(value) > limit:
        problems[name] = f"Ten hoogste {limit} tekens."
    else:
        try:
            refuse_bsn(value)
        except ValidationError as exc:
            problems[name] = exc.messages[0]
    return value


def record_information_request(
    *,
    user,
    municipality: Municipality,
    received_on: date,
    subject: str,
    question: str,
    requested_by: str = "",
    investigation: Investigation | None = None,
) -> InformationRequest:
    """A supervisor of ``municipality`` records its college's request for information; the answer is due within
    14 days of receipt (WM-DVO annex 4, "Beleidskader en uitvoering": "binnen maximaal 14 dagen")."""
    _require_supervisor_of(user, municipality)
    problems: dict = {}
    subject = _clean(subject, name="subject", limit=200, required=True, problems=problems)
    question = _clean(question, name="question", limit=5000, required=True, problems=problems)
    requested_by = _clean(requested_by, name="requested_by", limit=200, required=False, problems=problems)
    if problems:
        raise ValidationError(problems)
    checked_date(received_on, name="received_on", not_in_future=True, label="De datum van ontvangst")
    if investigation is not None:
        require(user, VIEW, investigation, STRANGERS)
        if not investigation.municipalities.filter(pk=municipality.pk).exists():
            raise ValidationError({"investigation": "Dit onderzoek betreft deze gemeente niet."})
    return InformationRequest.objects.create(
        reference=_reference("IV", received_on.year),
        municipality=municipality,
        received_on=received_on,
        due_on=answer_due(received_on),
        subject=subject,
        question=question,
        requested_by=requested_by,
        investigation=investigation,
        recorded_by=person(user),
    )


def answer_information_request(
    *, user, request_record: InformationRequest, answered_on: date, summary: str
) -> InformationRequest:
    """Record that the request was answered (and how, in short). Answered once; a late answer stays late."""
    problems: dict = {}
    summary = _clean(summary, name="summary", limit=5000, required=True, problems=problems)
    if problems:
        raise ValidationError(problems)
    checked_date(answered_on, name="answered_on", not_in_future=True, label="De datum van het antwoord")
    with transaction.atomic():
        locked = (
            InformationRequest.objects.unrestricted("vergrendelen; rechten hieronder getoetst")
            .select_for_update()
            .get(pk=request_record.pk)
        )
        require(user, CHANGE, locked, STRANGERS)
        if locked.answered_on is not None:
            raise ValidationError({"answered_on": "Dit verzoek is al beantwoord."})
        if answered_on < locked.received_on:
            raise ValidationError({"answered_on": "Het antwoord ligt voor de ontvangst van het verzoek."})
        locked.answered_on = answered_on
        locked.answer_summary = summary
        locked.answered_by = person(user)
        locked.save(update_fields=["answered_on", "answer_summary", "answered_by"])
    return locked


def read_information_request(*, user, request_record: InformationRequest, request=None) -> InformationRequest:
    """A request is part of the case file: every read is in the access log."""
    require(user, VIEW, request_record)
    log_access(user=person(user), obj=request_record, municipality=request_record.municipality, request=request)
    return request_record


def requests_for(*, user):
    """The requests the user may see, by due date (open ones first)."""
    return (
        InformationRequest.objects.visible_to(user)
        .select_related("municipality")
        .order_by("answered_on", "due_on", "pk")
    )


def overdue_requests(*, user, today: date | None = None):
    today = today or timezone.localdate()
    return requests_for(user=user).filter(answered_on__isnull=True, due_on__lt=today)


# --- Disclosure (art. 5.2.4 Wmo 2015) ---------------------------------------------------------------------------


def record_disclosure(
    *,
    user,
    municipality: Municipality,
    recipient: str,
    legal_basis: str,
    data_disclosed: str,
    purpose: str,
    disclosed_on: date,
    request_record: InformationRequest | None = None,
    investigation: Investigation | None = None,
    request=None,
) -> Disclosure:
    """A supervisor records a disclosure of case data to the college of ``municipality`` (art. 5.2.4 Wmo 2015: on
    request, or on their own initiative). The only way case data leave the supervisors: the record says what, to
    whom, on which request and on which basis; it is frozen and in the access log (``action="disclose"``)."""
    _require_supervisor_of(user, municipality)
    problems: dict = {}
    recipient = _clean(recipient, name="recipient", limit=200, required=True, problems=problems)
    data_disclosed = _clean(data_disclosed, name="data_disclosed", limit=5000, required=True, problems=problems)
    purpose = _clean(purpose, name="purpose", limit=500, required=True, problems=problems)
    if legal_basis not in DisclosureBasis.values:
        problems["legal_basis"] = "Kies de grondslag: op verzoek of uit eigen beweging (art. 5.2.4 Wmo 2015)."
    elif legal_basis == DisclosureBasis.ON_REQUEST and request_record is None:
        problems["request"] = "Noem het informatieverzoek waarop u verstrekt."
    if problems:
        raise ValidationError(problems)
    checked_date(disclosed_on, name="disclosed_on", not_in_future=True, label="De datum van verstrekking")
    with transaction.atomic():
        if request_record is not None:
            request_record = (
                InformationRequest.objects.restrict(user, CHANGE)
                .select_for_update()
                .filter(pk=request_record.pk)
                .first()
            )
            if request_record is None:
                raise PermissionDenied(STRANGERS)
            if request_record.municipality_id != municipality.pk:
                raise ValidationError({"request": "Het verzoek kwam van een ander college."})
            if disclosed_on < request_record.received_on:
                raise ValidationError({"disclosed_on": "De verstrekking ligt voor het verzoek."})
        if investigation is not None:
            require(user, VIEW, investigation, STRANGERS)
            if not investigation.municipalities.filter(pk=municipality.pk).exists():
                raise ValidationError({"investigation": "Dit onderzoek betreft deze gemeente niet."})
        disclosure = Disclosure.objects.create(
            reference=_reference("VS", disclosed_on.year),
            municipality=municipality,
            recipient=recipient,
            request=request_record,
            investigation=investigation,
            legal_basis=legal_basis,
            data_disclosed=data_disclosed,
            purpose=purpose,
            disclosed_on=disclosed_on,
            disclosed_by=person(user),
        )
        log_access(user=person(user), obj=disclosure, action="disclose", municipality=municipality, request=request)
    return disclosure


def read_disclosure(*, user, disclosure: Disclosure, request=None) -> Disclosure:
    """Reading what was disclosed is reading the case file: logged."""
    require(user, VIEW, disclosure)
    log_access(user=person(user), obj=disclosure, municipality=disclosure.municipality, request=request)
    return disclosure


def disclosures_for(*, user):
    return (
        Disclosure.objects.visible_to(user).select_related("municipality", "request").order_by("-disclosed_on", "-pk")
    )


# --- The deadline service (regio.deadlines): the 14-day answer term -----------------------------------------------


def request_deadlines(scope, start: date, end: date):
    """Open information requests of the municipalities the user supervises: the reminder job e-mails them ahead of
    the due date and the deadlines page shows them overdue after it (annex 4: within 14 days). Supervisors only: the
    deadline's title names no case data but the request's reference."""
    if not scope.has_role(Role.SUPERVISOR) or not scope.supervised_municipality_ids:
        return
    rows = (
        InformationRequest.objects.unrestricted("termijnen van de gemeenten waarvoor de gebruiker is aangewezen")
        .filter(Q(municipality__in=scope.supervised_municipality_ids), answered_on__isnull=True)
        .filter(due_on__gte=start, due_on__lte=end)
        .select_related("municipality")
    )
    for row in rows:
        yield Deadline(
            key=f"toezicht:request:{row.pk}",
            title=f"Informatieverzoek {row.reference} van het college van {row.municipality.name} beantwoorden",
            due=row.due_on,
            source="toezicht",
            article="WM-DVO bijlage 4",
            url=reverse("toezicht-request-detail", args=[row.reference]),
            municipality_id=row.municipality_id,
        )

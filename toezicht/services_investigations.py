"""Rules of investigations (onderzoeken) by the Wmo supervisors (WM-DVO annex 4; SPEC §8). Keyword-only, acting
user first (STYLE.md rule 1). Only the supervisors assigned to the case file's municipality write; every read of a
case file goes through ``read_investigation`` (access log)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from regio.bounds import check_date
from regio.models import Municipality, User, log_access
from regio.privacy import refuse_bsn
from regio.roles import Role
from regio.tenancy import CHANGE, VIEW, is_system, person, require, scope_of
from toezicht.models import (
    Approach,
    CollegeDecision,
    Intervention,
    InterventionKind,
    Investigation,
    InvestigationDocument,
    InvestigationFunding,
    InvestigationProvider,
    InvestigationStatus,
    InvestigationStatusChange,
    Outcome,
    Power,
    PowerUse,
    Signal,
    SignalKind,
)

STRANGERS = "Alleen de toezichthouders van deze gemeente werken aan dit onderzoek."


def new_investigation_reference(year: int) -> str:
    """``OZ-<year>-`` and 8 random characters: unique, and tells nobody how many investigations there are."""
    return f"OZ-{year}-{secrets.token_hex(4).upper()}"


def _require_supervisor_of(user, municipality) -> None:
    """The acting user is a supervisor assigned to ``municipality`` (the guardian grant), not read-only."""
    if is_system(user):
        return
    scope = scope_of(user)
    if (
        not scope.has_role(Role.SUPERVISOR)
        or scope.read_only
        or municipality.pk not in scope.supervised_municipality_ids
    ):
        raise PermissionDenied(STRANGERS)


def checked_date(value, *, name: str, label: str, not_in_future: bool = False):
    """``regio.bounds.check_date`` with the field named, so the API answers 400 with the message at the field."""
    try:
        return check_date(value, not_in_future=not_in_future, label=label)
    except ValidationError as exc:
        raise ValidationError({name: exc.messages}) from None


def _text(value: str, *, name: str, limit: int, required: bool = False, problems: dict) -> str:
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


def _lock(investigation: Investigation, user) -> Investigation:
    """Lock the investigation row and re-check, inside the transaction, that the user may change it."""
    locked = (
        Investigation.objects.unrestricted("vergrendelen; rechten hieronder getoetst")
        .select_for_update()
        .get(pk=investigation.pk)
    )
    require(user, CHANGE, locked, STRANGERS)
    return locked


def _supervisors_of(municipality, supervisors) -> list:
    """Every supervisor named must be assigned to the case file's municipality (else they could not read it)."""
    chosen = []
    for supervisor in supervisors:
        scope = scope_of(supervisor)
        if not scope.has_role(Role.SUPERVISOR) or municipality.pk not in scope.supervised_municipality_ids:
            raise ValidationError({"supervisors": f"{supervisor} is niet aangewezen voor {municipality.name}."})
        chosen.append(supervisor)
    return chosen


def open_investigation(
    *,
    user,
    municipality: Municipality,
    title: str,
    kind: str,
    approach: str,
    started_on: date,
    funding: str = InvestigationFunding.UNKNOWN,
    theme: str = "",
    planned_end_on: date | None = None,
    municipalities=(),
    supervisors=(),
    providers=(),
    signal: Signal | None = None,
) -> Investigation:
    """A supervisor of ``municipality`` opens an investigation (WM-DVO annex 4: proactive, preventive, reactive,
    risk-based/thematic or structural supervision). The other municipalities concerned must belong to a region the
    case file's municipality is a member of; ``providers`` are ``(name, kvk, subcontractor)``; a reactive
    investigation may start from a signal of the same municipality, which is then linked to it."""
    _require_supervisor_of(user, municipality)
    problems: dict = {}
    title = _text(title, name="title", limit=200, required=True, problems=problems)
    theme = _text(theme, name="theme", limit=200, problems=problems)
    if kind not in SignalKind.values:
        problems["kind"] = "Kies kwaliteit, rechtmatigheid of beide."
    if approach not in Approach.values:
        problems["approach"] = "Kies een vorm van toezicht."
    if funding not in InvestigationFunding.values:
        problems["funding"] = "Kies zorg in natura, pgb, beide of onbekend."
    checked_date(started_on, name="started_on", not_in_future=True, label="De startdatum")
    if planned_end_on is not None:
        checked_date(planned_end_on, name="planned_end_on", label="De geplande einddatum")
        if planned_end_on < started_on:
            problems["planned_end_on"] = "De geplande einddatum ligt voor de startdatum."
    provider_rows = []
    for name, kvk, subcontractor in providers:
        name = _text(name, name="providers", limit=200, problems=problems)
        kvk = (kvk or "").strip()
        if kvk and not (kvk.isdigit() and len(kvk) == 8):
            problems["providers"] = "Een KvK-nummer heeft 8 cijfers."
        if name:
            provider_rows.append((name, kvk, bool(subcontractor)))
    peers = set(scope_of(user).peer_municipality_ids) if not is_system(user) else None
    concerned = {municipality.pk: municipality}
    for other in municipalities:
        if peers is not None and other.pk not in peers:
            problems["municipalities"] = f"{other.name} hoort niet bij uw regio."
        concerned[other.pk] = other
    if problems:
        raise ValidationError(problems)
    team = _supervisors_of(municipality, supervisors)
    if person(user) is not None and person(user) not in team:
        team.insert(0, user)
    with transaction.atomic():
        Municipality.objects.unrestricted("vergrendelen; rechten hierboven getoetst").select_for_update().get(
            pk=municipality.pk
        )
        _require_supervisor_of(user, municipality)
        investigation = Investigation(
            reference=new_investigation_reference(started_on.year),
            municipality=municipality,
            title=title,
            kind=kind,
            approach=approach,
            funding=funding,
            theme=theme,
            started_on=started_on,
            planned_end_on=planned_end_on,
            created_by=person(user),
        )
        investigation.save()
        investigation.municipalities.set(concerned.values())
        investigation.supervisors.set(team)
        InvestigationProvider.objects.bulk_create(
            InvestigationProvider(investigation=investigation, name=n, kvk=k, subcontractor=s)
            for n, k, s in provider_rows
        )
        InvestigationStatusChange.objects.create(
            investigation=investigation, from_status="", to_status=InvestigationStatus.INTAKE, changed_by=person(user)
        )
        if signal is not None:
            _link(user=user, signal=signal, investigation=investigation)
    return investigation


def _link(*, user, signal: Signal, investigation: Investigation) -> Signal:
    signal = (
        Signal.objects.unrestricted("vergrendelen; rechten hieronder getoetst").select_for_update().get(pk=signal.pk)
    )
    require(user, CHANGE, signal, "Alleen de toezichthouders van deze gemeente koppelen dit signaal.")
    if signal.municipality_id != investigation.municipality_id:
        raise ValidationError({"signal": "Het signaal hoort bij een andere gemeente dan het onderzoek."})
    if signal.investigation_id not in (None, investigation.pk):
        raise ValidationError({"signal": "Het signaal is al aan een ander onderzoek gekoppeld."})
    signal.investigation = investigation
    signal.save(update_fields=["investigation"])
    return signal


def link_signal(*, user, signal: Signal, investigation: Investigation) -> Signal:
    """Link a signal to the investigation that follows it up (WM-DVO annex 4: reactive supervision)."""
    with transaction.atomic():
        investigation = _lock(investigation, user)
        return _link(user=user, signal=signal, investigation=investigation)


def transition(
    *, user, investigation: Investigation, to_status: str, note: str = "", on: date | None = None
) -> Investigation:
    """Move an investigation along its lifecycle (``TRANSITIONS``; STYLE.md rule 3). Advising the college needs at
    least one recommended intervention; closing needs a conclusion and an outcome and sets the end date (``on``,
    default today; not in the future, not before the start)."""
    problems: dict = {}
    note = _text(note, name="note", limit=500, problems=problems)
    if problems:
        raise ValidationError(problems)
    on = on or timezone.localdate()
    checked_date(on, name="on", not_in_future=True, label="De datum")
    with transaction.atomic():
        investigation = _lock(investigation, user)
        if to_status not in investigation.next_statuses():
            raise ValidationError(
                {"to_status": f"Van '{investigation.get_status_display()}' kan het onderzoek daar niet heen."}
            )
        if to_status == InvestigationStatus.ADVISED and not investigation.interventions.exists():
            raise ValidationError({"to_status": "Leg eerst het advies aan het college vast (een interventie)."})
        if to_status == InvestigationStatus.CLOSED:
            if not investigation.outcome:
                raise ValidationError({"to_status": "Leg eerst de uitkomst vast."})
            if investigation.outcome != Outcome.DISCONTINUED and not investigation.conclusion:
                raise ValidationError({"to_status": "Leg eerst de conclusie vast."})
            if on < investigation.started_on:
                raise ValidationError({"to_status": "De einddatum ligt voor de startdatum."})
            investigation.closed_on = on
        InvestigationStatusChange.objects.create(
            investigation=investigation,
            from_status=investigation.status,
            to_status=to_status,
            changed_by=person(user),
            note=note,
        )
        investigation.status = to_status
        investigation.save(update_fields=["status", "closed_on"])
    return investigation


def record_findings(
    *, user, investigation: Investigation, findings: str, conclusion: str, outcome: str
) -> Investigation:
    """The supervisors record their findings, conclusion and outcome (annex 4: "het zich vormen van een oordeel").
    A closed investigation does not change."""
    problems: dict = {}
    findings = _text(findings, name="findings", limit=20000, problems=problems)
    conclusion = _text(conclusion, name="conclusion", limit=10000, problems=problems)
    if outcome not in Outcome.values:
        problems["outcome"] = "Kies een uitkomst uit de lijst."
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        investigation = _lock(investigation, user)
        if investigation.is_closed:
            raise ValidationError("Een afgesloten onderzoek verandert niet.")
        investigation.findings, investigation.conclusion, investigation.outcome = findings, conclusion, outcome
        investigation.save(update_fields=["findings", "conclusion", "outcome"])
    return investigation


def record_power_use(
    *, user, investigation: Investigation, power: str, used_on: date, justification: str = ""
) -> PowerUse:
    """Record a power used in the investigation (Awb 5:15-5:19; annex 4 c), with why it was necessary and
    proportionate (Awb 5:13; annex 4 f)."""
    problems: dict = {}
    justification = _text(justification, name="justification", limit=2000, problems=problems)
    if power not in Power.values:
        problems["power"] = "Kies een bevoegdheid uit artikel 5:15 tot en met 5:19 Awb."
    if problems:
        raise ValidationError(problems)
    checked_date(used_on, name="used_on", not_in_future=True, label="De datum")
    with transaction.atomic():
        investigation = _lock(investigation, user)
        if investigation.is_closed:
            raise ValidationError("Een afgesloten onderzoek verandert niet.")
        if used_on < investigation.started_on:
            raise ValidationError({"used_on": "De datum ligt voor de start van het onderzoek."})
        return PowerUse.objects.create(
            investigation=investigation,
            power=power,
            used_on=used_on,
            used_by=person(user),
            justification=justification,
        )


def recommend_intervention(
    *, user, investigation: Investigation, college: Municipality, kind: str, recommendation: str, recommended_on: date
) -> Intervention:
    """The supervisors advise a college to intervene (instruction, recovery, order subject to a penalty,
    administrative enforcement: annex 4 e); the college decides. Only colleges concerned by the investigation."""
    problems: dict = {}
    recommendation = _text(recommendation, name="recommendation", limit=5000, required=True, problems=problems)
    if kind not in InterventionKind.values:
        problems["kind"] = "Kies een interventie uit de lijst."
    if problems:
        raise ValidationError(problems)
    checked_date(recommended_on, name="recommended_on", not_in_future=True, label="De datum van het advies")
    with transaction.atomic():
        investigation = _lock(investigation, user)
        if investigation.is_closed:
            raise ValidationError("Een afgesloten onderzoek verandert niet.")
        if not investigation.municipalities.filter(pk=college.pk).exists():
            raise ValidationError({"college": f"{college.name} is niet betrokken bij dit onderzoek."})
        return Intervention.objects.create(
            investigation=investigation,
            college=college,
            kind=kind,
            recommendation=recommendation,
            recommended_on=max(recommended_on, investigation.started_on),
        )


def record_college_decision(
    *,
    user,
    intervention: Intervention,
    decision: str,
    decided_on: date,
    decision_reference: str = "",
    notes: str = "",
) -> Intervention:
    """The supervisors record the college's decision on their advice (the college decides, Awb 5:20 e / annex 4 e).
    A decision, once taken, is not changed here: a new advice is a new intervention."""
    problems: dict = {}
    decision_reference = _text(decision_reference, name="decision_reference", limit=200, problems=problems)
    notes = _text(notes, name="notes", limit=5000, problems=problems)
    if decision not in CollegeDecision.values or decision == CollegeDecision.PENDING:
        problems["decision"] = "Kies het besluit van het college."
    if problems:
        raise ValidationError(problems)
    checked_date(decided_on, name="decided_on", not_in_future=True, label="De datum van het besluit")
    with transaction.atomic():
        _lock(intervention.investigation, user)
        intervention = (
            Intervention.objects.unrestricted("vergrendelen; onderzoek hierboven getoetst")
            .select_for_update()
            .get(pk=intervention.pk)
        )
        if intervention.decision != CollegeDecision.PENDING:
            raise ValidationError({"decision": "Het college heeft hier al over besloten."})
        if decided_on < intervention.recommended_on:
            raise ValidationError({"decided_on": "Het besluit ligt voor het advies."})
        intervention.decision = decision
        intervention.decided_on = decided_on
        intervention.decision_reference = decision_reference
        intervention.decision_notes = notes
        intervention.save(update_fields=["decision", "decided_on", "decision_reference", "decision_notes"])
    return intervention


# --- Documents (bounded uploads) --------------------------------------------------------------------------------

# Accepted documents by their first bytes (the name and the browser's content type prove nothing).
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"PK\x03\x04", "application/zip", ".zip"),  # ODF and OOXML documents are zip containers
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)


def max_document_bytes() -> int:
    return int(settings.TOEZICHT_DOCUMENT_MAX_MB) * 1024 * 1024


def add_document(*, user, investigation: Investigation, title: str, upload) -> InvestigationDocument:
    """Add a document to a case file: PDF, an office document (ODF/OOXML), PNG or JPEG, at most
    ``TOEZICHT_DOCUMENT_MAX_MB``; stored under a random name in private media with its SHA-256."""
    problems: dict = {}
    title = _text(title, name="title", limit=200, required=True, problems=problems)
    if upload is None:
        problems["file"] = "Kies een bestand."
    elif upload.size > max_document_bytes():
        problems["file"] = f"Het bestand is te groot: ten hoogste {settings.TOEZICHT_DOCUMENT_MAX_MB} MB."
    elif upload.size == 0:
        problems["file"] = "Het bestand is leeg."
    if problems:
        raise ValidationError(problems)
    upload.seek(0)
    head = upload.read(16)
    found = next(((ctype, ext) for magic, ctype, ext in SIGNATURES if head.startswith(magic)), None)
    if found is None:
        raise ValidationError({"file": "Alleen PDF, ODF- of Office-documenten, PNG of JPEG."})
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    original = (getattr(upload, "name", "") or "document")[-255:]
    with transaction.atomic():
        investigation = _lock(investigation, user)
        document = InvestigationDocument(
            investigation=investigation,
            title=title,
            original_name=original,
            content_type=found[0],
            size=upload.size,
            sha256=digest.hexdigest(),
            uploaded_by=person(user),
        )
        document.file.save(f"document{found[1]}", upload, save=False)
        document.save()
    return document


# --- Reading a case file (every read logged, SPEC §8) ----------------------------------------------------------


def read_investigation(*, user, investigation: Investigation, request=None, action: str = "view") -> Investigation:
    """Every read of an investigation (its page, its API detail, a document, an export) is in the access log."""
    require(user, VIEW, investigation)
    log_access(
        user=person(user), obj=investigation, action=action, municipality=investigation.municipality, request=request
    )
    return investigation


def investigations_for(*, user):
    """The investigations the user may see (supervisors and their team manager), newest first."""
    return (
        Investigation.objects.visible_to(user)
        .select_related("municipality")
        .prefetch_related("municipalities")
        .order_by("-started_on", "-pk")
    )


def supervisors_of(*, user, municipality) -> list:
    """The people who may be named as supervisors of a case file of ``municipality`` (pages' choice lists)."""
    return [
        u
        for u in User.visible_people(user).filter(groups__name=Role.SUPERVISOR).order_by("full_name", "username")
        if municipality.pk in scope_of(u).supervised_municipality_ids
    ]

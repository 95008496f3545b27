"""Matrix cases of governance (issue #15): disputes (visible to the parties of their agreement only: a3 is a member
of region A but no party), information requests, progress reports, publications, transfers, privacy agreements and a
meeting with its attendance."""

from datetime import date

from agreements import services
from agreements.models import (
    Agreement,
    Dispute,
    InformationRequest,
    Meeting,
    MeetingAttendance,
    ProcessingAgreement,
    ProcessingParty,
    ProgressReport,
    Publication,
    RightsTransfer,
    TransferConsent,
)
from regio.tenancy import system_actor
from tests.tenancy.cases_agreements import CODE, _agreement, _agreement_kwargs
from tests.tenancy.matrix import Case

SYSTEM = system_actor("test")
SUBJECT = "Geschil afrekening regio A"
REASONS = "De afrekening verdeelt de kosten niet volgens de sleutel van de overeenkomst."
PROCESSING = "Verwerkersovereenkomst regio A"
MEETING = "Bestuurlijk overleg regio A"
NOT_PARTY = (("a3", "ambtenaar"),)


def _meeting(world) -> Meeting:
    meeting, _ = Meeting.objects.get_or_create(
        region=world.a, kind="bestuurlijk", date=date(2026, 4, 16), defaults={"title": MEETING}
    )
    return meeting


def _dispute(world) -> Dispute:
    _meeting(world)
    return services.report_dispute(
        user=SYSTEM,
        agreement=_agreement(world),
        raised_by=world.a2,
        reported_on=date(2026, 3, 2),
        subject=SUBJECT,
        reasons=REASONS,
    )


def _dispute_kwargs(world):
    return {"pk": _dispute(world).pk}


def _dispute_list(world):
    _dispute(world)
    return {}


def _unresolved_dispute(world):
    dispute = _dispute(world)
    services.decide_dispute(
        user=SYSTEM, dispute=dispute, decided_on=date(2026, 4, 16), resolved=False, decision="Geen oplossing"
    )
    return {"pk": dispute.pk}


def _dispute_snapshot(world, kwargs):
    return list(Dispute.objects.unrestricted().values_list("pk", "status", "decided_on", "legal_costs_booked_on"))


def _information(world):
    request = services.request_information(
        user=SYSTEM,
        agreement=_agreement(world),
        requested_by=world.a1,
        addressed_to=world.a2,
        subject="Cliëntaantallen regio A",
        requested_on=date(2026, 1, 5),
        due_on=date(2026, 2, 5),
    )
    return {"pk": request.pk}


def _information_snapshot(world, kwargs):
    return list(InformationRequest.objects.unrestricted().values_list("pk", "answered_on"))


def _report(world):
    report = services.plan_progress_report(
        user=SYSTEM, agreement=_agreement(world), title="Voortgang inkoop regio A", due_on=date(2026, 6, 1)
    )
    return {"pk": report.pk}


def _report_snapshot(world, kwargs):
    return list(ProgressReport.objects.unrestricted().values_list("pk", "sent_on"))


def _scheme(world) -> Agreement:
    scheme, _ = Agreement.objects.get_or_create(
        code="A-CR-2025",
        defaults={
            "kind": "centrumregeling",
            "title": "Centrumregeling regio A",
            "region": world.a,
            "coordinator": world.a1,
            "effective_from": date(2025, 1, 1),
        },
    )
    return scheme


def _publication(world):
    publication = services.plan_publication(
        user=SYSTEM, agreement=_scheme(world), title="Bekendmaking regeling regio A", due_on=date(2026, 1, 31)
    )
    return {"pk": publication.pk}


def _publication_snapshot(world, kwargs):
    return list(Publication.objects.unrestricted().values_list("pk", "published_on", "reference"))


def _transfer(world):
    transfer = services.request_transfer(
        user=SYSTEM,
        agreement=_agreement(world),
        municipality=world.a2,
        transferee="Stichting regio A",
        description="Contractbeheer",
        requested_on=date(2026, 1, 5),
    )
    return {"pk": transfer.pk}


def _transfer_snapshot(world, kwargs):
    return (
        list(RightsTransfer.objects.unrestricted().values_list("pk", "status")),
        TransferConsent.objects.unrestricted().count(),
    )


def _processing(world) -> ProcessingAgreement:
    processing, made = ProcessingAgreement.objects.get_or_create(
        code="A-VWO-2025",
        defaults={
            "region": world.a,
            "title": PROCESSING,
            "kind": "verwerkersovereenkomst",
            "domain": "algemeen",
            "agreement": _agreement(world),
            "article": "A-SO 11.1",
            "effective_from": date(2025, 4, 1),
        },
    )
    if made:
        ProcessingParty.objects.create(processing_agreement=processing, municipality=world.a1, role="verwerker")
        ProcessingParty.objects.create(
            processing_agreement=processing, municipality=world.a2, role="verwerkingsverantwoordelijke"
        )
    return processing


def _processing_list(world):
    _processing(world)
    return {}


def _processing_detail(world):
    return {"code": _processing(world).code}


def _meeting_kwargs(world):
    return {"pk": _meeting(world).pk}


def _attendance_snapshot(world, kwargs):
    return MeetingAttendance.objects.unrestricted().count()


def _dispute_payload(world, kwargs):
    return {
        "agreement": CODE,
        "raised_by": "GM0888",
        "reported_on": "2026-03-02",
        "subject": "Overgenomen",
        "reasons": REASONS,
    }


def _create(route: str, payload: dict, snapshot, build=_agreement_kwargs, marker="Samenwerking regio A") -> Case:
    """A page that starts a workflow on an agreement: only the coordinating staff; others' data refused."""
    return Case(
        route,
        build,
        lambda w, kw: marker,
        insider=("a1", "coordinator"),
        writes=("POST",),
        write_payload=payload,
        snapshot=snapshot,
    )


CASES = [
    # pages
    Case("agreement-governance", _agreement_kwargs, lambda w, kw: "Samenwerking regio A"),
    _create(
        "dispute-create",
        {"reported_on": "2026-03-02", "subject": "Overgenomen", "reasons": REASONS},
        _dispute_snapshot,
    ),
    Case("dispute-list", _dispute_list, lambda w, kw: SUBJECT, kind="list", outsiders=NOT_PARTY),
    Case(
        "dispute-detail",
        _dispute_kwargs,
        lambda w, kw: SUBJECT,
        outsiders=NOT_PARTY,
        writes=("POST",),
        write_payload={
            "step": "besluit",
            "besluit-decided_on": "16-04-2026",
            "besluit-resolved": "ja",
            "besluit-decision": "Overgenomen",
            "besluit-legal_costs_split": "geen",
        },
        snapshot=_dispute_snapshot,
    ),
    _create(
        "information-request-create",
        {"subject": "Overgenomen", "requested_on": "2026-01-05", "due_on": "2026-02-05"},
        _information_snapshot,
    ),
    Case(
        "information-request-detail",
        _information,
        lambda w, kw: "Cliëntaantallen regio A",
        insider=("a3", "ambtenaar"),  # a member that is not addressed: sees it, may not answer it
        writes=("POST",),
        write_payload={"step": "levering", "levering-answered_on": "01-02-2026", "levering-answer": "Overgenomen"},
        snapshot=_information_snapshot,
    ),
    _create("progress-report-create", {"title": "Overgenomen", "due_on": "2026-06-01"}, _report_snapshot),
    Case(
        "progress-report-detail",
        _report,
        lambda w, kw: "Voortgang inkoop regio A",
        writes=("POST",),
        write_payload={"step": "verzenden", "verzenden-sent_on": "01-02-2026"},
        snapshot=_report_snapshot,
    ),
    _create(
        "publication-create",
        {"title": "Overgenomen", "due_on": "2026-06-01"},
        _publication_snapshot,
        build=lambda w: {"code": _scheme(w).code},
        marker="Centrumregeling regio A",
    ),
    Case(
        "publication-detail",
        _publication,
        lambda w, kw: "Bekendmaking regeling regio A",
        writes=("POST",),
        write_payload={
            "step": "bekendmaking",
            "bekendmaking-published_on": "20-01-2026",
            "bekendmaking-medium": "gemeenteblad",
            "bekendmaking-reference": "Overgenomen",
        },
        snapshot=_publication_snapshot,
    ),
    _create(
        "transfer-create",
        {"transferee": "Overgenomen", "description": "x", "requested_on": "2026-01-05"},
        _transfer_snapshot,
    ),
    Case(
        "transfer-detail",
        _transfer,
        lambda w, kw: "Stichting regio A",
        writes=("POST",),
        write_payload={"step": "overdracht", "overdracht-transferred_on": "01-02-2026"},
        snapshot=_transfer_snapshot,
    ),
    Case("processing-agreement-list", _processing_list, lambda w, kw: PROCESSING, kind="list"),
    Case(
        "meeting-detail",
        _meeting_kwargs,
        lambda w, kw: MEETING,
        writes=("POST",),
        write_payload={"step": "aanwezig", "aanwezig-name": "Overgenomen"},
        snapshot=_attendance_snapshot,
    ),
    # API
    Case(
        "api:dispute-list",
        _dispute_list,
        lambda w, kw: SUBJECT,
        kind="list",
        outsiders=NOT_PARTY,
        writes=("POST",),
        write_payload=_dispute_payload,
        snapshot=_dispute_snapshot,
    ),
    Case("api:dispute-detail", _dispute_kwargs, lambda w, kw: SUBJECT, outsiders=NOT_PARTY),
    Case(
        "api:dispute-decision",
        _dispute_kwargs,
        lambda w, kw: SUBJECT,
        outsiders=NOT_PARTY,
        writes=("POST",),
        write_payload={"decided_on": "2026-04-16", "resolved": True, "decision": "Overgenomen"},
        snapshot=_dispute_snapshot,
    ),
    Case(
        "api:dispute-escalation",
        _unresolved_dispute,
        lambda w, kw: SUBJECT,
        outsiders=NOT_PARTY,
        writes=("POST",),
        write_payload={"route": "rechter", "started_on": "2026-05-01"},
        snapshot=_dispute_snapshot,
    ),
    Case("api:processing-agreement-list", _processing_list, lambda w, kw: PROCESSING, kind="list"),
    Case("api:processing-agreement-detail", _processing_detail, lambda w, kw: PROCESSING),
]

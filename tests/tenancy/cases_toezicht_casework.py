"""Matrix cases of the confidential casework of toezicht (issue 14, part A): investigations, their documents and
export, information requests, disclosures, the worklist.

Per role (SPEC §8; issue 14 "Confidentiality"): region A's supervisor assigned to a2 (a1-toezichthouder with the
grant) sees and writes; a1's team manager (the appointing municipality) reads but never writes or exports; nobody
else sees a record: not region A's coordinating staff, a2's own civil servants or portfolio holder, the
administrator, beschermd-wonen staff, a supervisor not assigned to a2, nor region B's team manager.
"""

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from guardian.shortcuts import assign_perm

from regio.tenancy import forget_scope
from tests.tenancy.matrix import Case
from toezicht.models import (
    Disclosure,
    InformationRequest,
    Investigation,
    InvestigationDocument,
    InvestigationStatusChange,
    Signal,
    SupervisorAppointment,
)

SUPERVISOR = ("a1", "toezichthouder")
MANAGER = ("a1", "teammanager_toezicht")
NOT_CASEWORK = (
    ("a1", "coordinator"),
    ("a2", "ambtenaar"),
    ("a2", "wethouder"),
    ("a1", "wethouder"),
    ("a1", "beheerder"),
    ("a1", "bw"),
    ("a3", "toezichthouder"),
    ("b1", "teammanager_toezicht"),
    ("a2", "teammanager_toezicht"),
)
TITLE = "Onderzoek matrix zorg thuis"
QUESTION = "Vraag van het college over aanbieder Matrix"
DISCLOSED = "Verstrekte gegevens over aanbieder Matrix"


def _team(world):
    """a1 appoints its supervisor for a2 (the grant opens a2's case files); a1's team manager reads them."""
    supervisor = world.user(*SUPERVISOR)
    assign_perm("regio.supervise_municipality", supervisor, world.a2)
    forget_scope(supervisor)
    appointment = SupervisorAppointment.objects.create(
        region=world.a,
        supervisor=supervisor,
        kind="quality",
        appointing_municipality=world.a1,
        decision_date=date(2025, 3, 1),
        decision_reference="TZ-MATRIX",
        active_from=date(2025, 4, 1),
    )
    appointment.municipalities.set([world.a2])
    return supervisor


def _investigation(world):
    supervisor = _team(world)
    investigation = Investigation.objects.create(
        reference="OZ-2025-MATRIX1",
        municipality=world.a2,
        title=TITLE,
        kind="quality",
        approach="reactive",
        started_on=date(2025, 5, 1),
        findings="Bevindingen matrix",
    )
    investigation.municipalities.set([world.a2])
    investigation.supervisors.set([supervisor])
    InvestigationStatusChange.objects.create(investigation=investigation, to_status="intake")
    return {"reference": investigation.reference}


def _investigation_list(world):
    _investigation(world)
    return {}


def _document(world):
    kwargs = _investigation(world)
    investigation = Investigation.objects.unrestricted("testopbouw").get(reference=kwargs["reference"])
    document = InvestigationDocument(
        investigation=investigation,
        title="Rapport",
        original_name="rapport.pdf",
        content_type="application/pdf",
        size=20,
        sha256="0" * 64,
    )
    document.file.save("rapport.pdf", ContentFile(b"%PDF-1.4 matrixrapport"), save=False)
    document.save()
    return {"reference": investigation.reference, "pk": document.pk}


def _investigations(world, kwargs):
    return list(
        Investigation.objects.unrestricted("testcontrole").values_list("pk", "status", "findings", "outcome")
    ) + list(InvestigationDocument.objects.unrestricted("testcontrole").values_list("pk"))


def _request(world):
    _team(world)
    received = timezone.localdate() - timedelta(days=20)
    record = InformationRequest.objects.create(
        reference="IV-2025-MATRIX1",
        municipality=world.a2,
        received_on=received,
        due_on=received + timedelta(days=14),
        subject="Matrixverzoek",
        question=QUESTION,
    )
    return {"reference": record.reference}


def _request_list(world):
    _request(world)
    return {}


def _requests(world, kwargs):
    return list(InformationRequest.objects.unrestricted("testcontrole").values_list("pk", "answered_on"))


def _disclosure(world):
    _request(world)
    record = InformationRequest.objects.unrestricted("testopbouw").get(reference="IV-2025-MATRIX1")
    disclosure = Disclosure.objects.create(
        reference="VS-2025-MATRIX1",
        municipality=world.a2,
        recipient="Wethouder Beek",
        request=record,
        legal_basis="on_request",
        data_disclosed=DISCLOSED,
        purpose="Handhaving",
        disclosed_on=timezone.localdate(),
    )
    return {"reference": disclosure.reference}


def _disclosure_list(world):
    _disclosure(world)
    return {}


def _disclosures(world, kwargs):
    return list(Disclosure.objects.unrestricted("testcontrole").values_list("pk"))


def _signal(world):
    _team(world)
    Signal.objects.create(
        reference="TZ-matrix-manager",
        municipality=world.a2,
        received_on=date(2025, 5, 1),
        source="meldpunt",
        kind="quality",
        description="Signaal dat de teammanager leest",
    )
    return {"reference": "TZ-matrix-manager"}


def _signal_list(world):
    _signal(world)
    return {}


def _signals(world, kwargs):
    return list(Signal.objects.unrestricted("testcontrole").values_list("pk", "triage", "triage_reasons"))


INVESTIGATION_IN = {
    "municipality": "GM0888",
    "title": "Nieuw onderzoek",
    "kind": "quality",
    "approach": "proactive",
    "funding": "unknown",
    "started_on": "2025-06-01",
}
REQUEST_IN = {"municipality": "GM0888", "received_on": "2025-06-01", "subject": "X", "question": "Vraag"}
DISCLOSURE_IN = {
    "municipality": "GM0888",
    "recipient": "College",
    "legal_basis": "own_initiative",
    "data_disclosed": "Gegevens",
    "purpose": "Handhaving",
    "disclosed_on": "2025-06-01",
}


def _page(payload: dict) -> dict:
    """The same payload in the page forms' Dutch date notation."""
    out = {}
    for key, value in payload.items():
        if isinstance(value, str) and len(value) == 10 and value[4] == "-":
            y, m, d = value.split("-")
            value = f"{d}-{m}-{y}"
        out[key] = value
    return out


CASES = [
    # --- signals (issue 14's existing casework): the team manager reads, never triages -----------------------------
    Case(
        "toezicht-signal-detail",
        _signal,
        lambda w, kw: "Signaal dat de teammanager leest",
        insider=MANAGER,
        outsiders=NOT_CASEWORK,
        writes=("POST",),
        write_payload={"decision": "no_action", "reasons": "Geen grond"},
        snapshot=_signals,
    ),
    Case(
        "api:toezicht-signal-list",
        _signal_list,
        lambda w, kw: "TZ-matrix-manager",
        kind="list",
        insider=MANAGER,
        outsiders=NOT_CASEWORK,
    ),
    # --- the worklist: a list page; strangers see that they have no case files ---------------------------------
    Case(
        "toezicht-worklist",
        _investigation_list,
        lambda w, kw: TITLE,
        kind="list",
        insider=SUPERVISOR,
        outsiders=NOT_CASEWORK,
    ),
    Case(
        "toezicht-worklist",
        _investigation_list,
        lambda w, kw: TITLE,
        kind="list",
        insider=MANAGER,
        outsiders=NOT_CASEWORK,
    ),
    # --- investigations ---------------------------------------------------------------------------------------
    Case(
        "toezicht-investigations",
        _investigation_list,
        lambda w, kw: TITLE,
        kind="list",
        insider=SUPERVISOR,
        viewer=MANAGER,
        outsiders=NOT_CASEWORK,
        writes=("POST",),
        write_payload=_page(INVESTIGATION_IN),
        snapshot=_investigations,
    ),
    Case(
        "toezicht-investigation-detail",
        _investigation,
        lambda w, kw: TITLE,
        insider=SUPERVISOR,
        viewer=MANAGER,
        outsiders=NOT_CASEWORK,
        writes=("POST",),
        write_payload={"action": "findings", "findings": "Gewijzigd", "conclusion": "", "outcome": "violation"},
        snapshot=_investigations,
    ),
    Case(
        "toezicht-investigation-detail",
        _investigation,
        lambda w, kw: TITLE,
        insider=MANAGER,
        viewer=None,
        outsiders=NOT_CASEWORK,
    ),
    Case(
        "toezicht-investigation-document",
        _document,
        lambda w, kw: "matrixrapport",
        insider=SUPERVISOR,
        outsiders=NOT_CASEWORK,
    ),
    Case(
        "toezicht-investigation-document",
        _document,
        lambda w, kw: "matrixrapport",
        insider=MANAGER,
        outsiders=NOT_CASEWORK,
    ),
    # The export only for the assigned supervisors: the team manager is refused (below, test_casework_roles).
    Case(
        "toezicht-investigation-export",
        _investigation,
        lambda w, kw: "dossier.json",
        insider=SUPERVISOR,
        outsiders=NOT_CASEWORK,
        query="?manifest=1",
    ),
    Case(
        "api:toezicht-investigation-list",
        _investigation_list,
        lambda w, kw: TITLE,
        kind="list",
        insider=SUPERVISOR,
        viewer=MANAGER,
        outsiders=NOT_CASEWORK,
        writes=("POST",),
        write_payload=INVESTIGATION_IN,
        snapshot=_investigations,
    ),
    Case(
        "api:toezicht-investigation-list",
        _investigation_list,
        lambda w, kw: TITLE,
        kind="list",
        insider=MANAGER,
        outsiders=NOT_CASEWORK,
    ),
    Case(
        "api:toezicht-investigation-detail",
        _investigation,
        lambda w, kw: "Bevindingen matrix",
        insider=SUPERVISOR,
        outsiders=NOT_CASEWORK,
    ),
    Case(
        "api:toezicht-investigation-detail",
        _investigation,
        lambda w, kw: "Bevindingen matrix",
        insider=MANAGER,
        outsiders=NOT_CASEWORK,
    ),
    Case(
        "api:toezicht-investigation-export",
        _investigation,
        lambda w, kw: "dossier.json",
        insider=SUPERVISOR,
        outsiders=NOT_CASEWORK,
        query="?manifest=1",
    ),
    # --- information requests -----------------------------------------------------------------------------------
    Case(
        "toezicht-requests",
        _request_list,
        lambda w, kw: "IV-2025-MATRIX1",
        kind="list",
        insider=SUPERVISOR,
        viewer=MANAGER,
        outsiders=NOT_CASEWORK,
        writes=("POST",),
        write_payload=_page(REQUEST_IN),
        snapshot=_requests,
    ),
    Case(
        "toezicht-request-detail",
        _request,
        lambda w, kw: QUESTION,
        insider=SUPERVISOR,
        viewer=MANAGER,
        outsiders=NOT_CASEWORK,
        writes=("POST",),
        write_payload={"answered_on": "01-06-2025", "summary": "Beantwoord"},
        snapshot=_requests,
    ),
    Case(
        "toezicht-request-detail",
        _request,
        lambda w, kw: QUESTION,
        insider=MANAGER,
        viewer=None,
        outsiders=NOT_CASEWORK,
    ),
    Case(
        "api:toezicht-information-request-list",
        _request_list,
        lambda w, kw: "IV-2025-MATRIX1",
        kind="list",
        insider=SUPERVISOR,
        viewer=MANAGER,
        outsiders=NOT_CASEWORK,
        writes=("POST",),
        write_payload=REQUEST_IN,
        snapshot=_requests,
    ),
    Case(
        "api:toezicht-information-request-detail",
        _request,
        lambda w, kw: QUESTION,
        insider=SUPERVISOR,
        outsiders=NOT_CASEWORK,
    ),
    Case(
        "api:toezicht-information-request-detail",
        _request,
        lambda w, kw: QUESTION,
        insider=MANAGER,
        outsiders=NOT_CASEWORK,
    ),
    # --- disclosures (art. 5.2.4 Wmo 2015) ----------------------------------------------------------------------
    Case(
        "toezicht-disclosures",
        _disclosure_list,
        lambda w, kw: "VS-2025-MATRIX1",
        kind="list",
        insider=SUPERVISOR,
        viewer=MANAGER,
        outsiders=NOT_CASEWORK,
        writes=("POST",),
        write_payload=_page(DISCLOSURE_IN),
        snapshot=_disclosures,
    ),
    Case(
        "toezicht-disclosure-detail", _disclosure, lambda w, kw: DISCLOSED, insider=SUPERVISOR, outsiders=NOT_CASEWORK
    ),
    Case("toezicht-disclosure-detail", _disclosure, lambda w, kw: DISCLOSED, insider=MANAGER, outsiders=NOT_CASEWORK),
    Case(
        "api:toezicht-disclosure-list",
        _disclosure_list,
        lambda w, kw: "VS-2025-MATRIX1",
        kind="list",
        insider=SUPERVISOR,
        viewer=MANAGER,
        outsiders=NOT_CASEWORK,
        writes=("POST",),
        write_payload=DISCLOSURE_IN,
        snapshot=_disclosures,
    ),
    Case(
        "api:toezicht-disclosure-detail",
        _disclosure,
        lambda w, kw: DISCLOSED,
        insider=SUPERVISOR,
        outsiders=NOT_CASEWORK,
    ),
]

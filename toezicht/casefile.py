"""Export of a case file in an open format (issue 14; WM-SO 6.1 e names the PGAX as another supervision system).

A zip with ``dossier.json`` (the investigation with its providers, powers used, interventions and the college's
decisions, status history, linked signals, information requests and disclosures, and the list of documents with their
SHA-256) and the documents themselves under ``documenten/``. Only the supervisors assigned to the case file's
municipality may export (not their team manager, not anyone else); every export is in the access log.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date, datetime

from django.core.exceptions import PermissionDenied

from regio.models import log_access
from regio.roles import Role
from regio.tenancy import VIEW, is_system, person, require, scope_of
from toezicht.models import Investigation

FORMAT = "regio-wmo/toezicht-dossier/1"
# Fixed member times: exporting the same case file twice gives the same bytes (useful for archiving checks).
ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def _iso(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def case_file_data(investigation: Investigation) -> dict:
    """The case file as plain data (dates as ISO 8601, codes as stored, labels alongside)."""
    inv = investigation
    return {
        "format": FORMAT,
        "reference": inv.reference,
        "municipality": {"code": inv.municipality.code, "name": inv.municipality.name},
        "municipalities": [{"code": m.code, "name": m.name} for m in inv.municipalities.order_by("code")],
        "title": inv.title,
        "kind": inv.kind,
        "approach": inv.approach,
        "approach_label": str(inv.get_approach_display()),
        "funding": inv.funding,
        "theme": inv.theme,
        "supervisors": sorted(str(u) for u in inv.supervisors.all()),
        "started_on": _iso(inv.started_on),
        "planned_end_on": _iso(inv.planned_end_on),
        "closed_on": _iso(inv.closed_on),
        "status": inv.status,
        "findings": inv.findings,
        "conclusion": inv.conclusion,
        "outcome": inv.outcome,
        "providers": [
            {"name": p.name, "kvk": p.kvk, "subcontractor": p.subcontractor} for p in inv.providers.order_by("pk")
        ],
        "powers_used": [
            {
                "power": p.power,
                "article": f"Awb {p.power}",
                "used_on": _iso(p.used_on),
                "justification": p.justification,
            }
            for p in inv.powers_used.order_by("used_on", "pk")
        ],
        "interventions": [
            {
                "college": i.college.code,
                "kind": i.kind,
                "recommendation": i.recommendation,
                "recommended_on": _iso(i.recommended_on),
                "decision": i.decision,
                "decided_on": _iso(i.decided_on),
                "decision_reference": i.decision_reference,
                "decision_notes": i.decision_notes,
            }
            for i in inv.interventions.select_related("college").order_by("recommended_on", "pk")
        ],
        "status_history": [
            {"from": c.from_status, "to": c.to_status, "at": _iso(c.changed_at), "note": c.note}
            for c in inv.status_changes.order_by("changed_at", "pk")
        ],
        "signals": [
            {
                "reference": s.reference,
                "received_on": _iso(s.received_on),
                "source": s.source,
                "kind": s.kind,
                "funding": s.funding,
                "provider_name": s.provider_name,
                "description": s.description,
                "triage": s.triage,
                "triage_reasons": s.triage_reasons,
            }
            for s in inv.signals.order_by("received_on", "pk")
        ],
        "information_requests": [
            {
                "reference": r.reference,
                "college": r.municipality.code,
                "received_on": _iso(r.received_on),
                "due_on": _iso(r.due_on),
                "answered_on": _iso(r.answered_on),
                "subject": r.subject,
                "question": r.question,
                "answer_summary": r.answer_summary,
            }
            for r in inv.information_requests.select_related("municipality").order_by("received_on", "pk")
        ],
        "disclosures": [
            {
                "reference": d.reference,
                "college": d.municipality.code,
                "recipient": d.recipient,
                "legal_basis": d.legal_basis,
                "article": "art. 5.2.4 Wmo 2015",
                "request": d.request.reference if d.request_id else None,
                "data_disclosed": d.data_disclosed,
                "purpose": d.purpose,
                "disclosed_on": _iso(d.disclosed_on),
            }
            for d in inv.disclosures.select_related("municipality", "request").order_by("disclosed_on", "pk")
        ],
        "documents": [
            {
                "title": doc.title,
                "file": f"documenten/{index:03d}-{doc.file.name.rsplit('/', 1)[-1]}",
                "original_name": doc.original_name,
                "content_type": doc.content_type,
                "size": doc.size,
                "sha256": doc.sha256,
            }
            for index, doc in enumerate(inv.documents.order_by("pk"), start=1)
        ],
    }


def may_export(user, investigation: Investigation) -> bool:
    """Only the supervisors assigned to the case file's municipality (issue 14: "only for the assigned
    supervisors"); the team manager reads but does not take the file out."""
    if is_system(user):
        return True
    scope = scope_of(user)
    return scope.has_role(Role.SUPERVISOR) and investigation.municipality_id in scope.supervised_municipality_ids


def export_case_file(*, user, investigation: Investigation, request=None) -> bytes:
    """The case file as a zip (JSON + documents), logged as ``export`` in the access log."""
    require(user, VIEW, investigation)
    if not may_export(user, investigation):
        raise PermissionDenied("Alleen de aangewezen toezichthouders exporteren een dossier.")
    data = case_file_data(investigation)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("dossier.json", date_time=ZIP_TIME)
        archive.writestr(info, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
        for entry, doc in zip(data["documents"], investigation.documents.order_by("pk"), strict=True):
            with doc.file.open("rb") as handle:
                archive.writestr(zipfile.ZipInfo(entry["file"], date_time=ZIP_TIME), handle.read())
    log_access(
        user=person(user), obj=investigation, action="export", municipality=investigation.municipality, request=request
    )
    return buffer.getvalue()


def manifest(payload: bytes) -> dict:
    """What an export holds: each member with its size and SHA-256 (to check an archived copy; ``?manifest=1``)."""
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        members = [
            {"name": info.filename, "size": info.file_size, "sha256": hashlib.sha256(archive.read(info)).hexdigest()}
            for info in archive.infolist()
        ]
    return {"format": FORMAT, "sha256": hashlib.sha256(payload).hexdigest(), "members": members}

"""Issue 14 part A: investigations, information requests, disclosures, the case-file export and the worklist.

Region A stands in for the Westelijke Mijnstreek: a1 (Sittard-Geleen) appoints the supervisor for a2 (Beek); a1's
team manager reads a2's case files; everyone else sees none (the matrix proves it per route; these tests prove the
rules behind it).
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from agreements.tasks import send_deadline_reminders
from regio.deadlines import deadlines_for
from regio.models import AccessLog
from regio.tenancy import forget_scope, system_actor
from toezicht import casefile
from toezicht import services_investigations as inv
from toezicht import services_requests as req
from toezicht.models import (
    Disclosure,
    InformationRequest,
    Investigation,
    InvestigationStatusChange,
    Signal,
    SupervisorAppointment,
)


@pytest.fixture
def team(world):
    supervisor = world.user("a1", "toezichthouder")
    supervisor.email = "toezicht@a1.example"
    supervisor.save()
    assign_perm("regio.supervise_municipality", supervisor, world.a2)
    forget_scope(supervisor)
    appointment = SupervisorAppointment.objects.create(
        region=world.a,
        supervisor=supervisor,
        kind="quality",
        appointing_municipality=world.a1,
        decision_date=date(2025, 3, 1),
        decision_reference="TZ-TEST",
        active_from=date(2025, 1, 1),
    )
    appointment.municipalities.set([world.a2])
    return {"supervisor": supervisor, "manager": world.user("a1", "teammanager_toezicht")}


def _open(world, team, **extra):
    values = {
        "user": team["supervisor"],
        "municipality": world.a2,
        "title": "Onderzoek thuiszorg",
        "kind": "quality",
        "approach": "reactive",
        "started_on": date(2025, 5, 1),
    }
    return inv.open_investigation(**{**values, **extra})


def test_a_supervisor_opens_an_investigation_from_a_signal(world, team):
    signal = Signal.objects.create(
        reference="TZ-s1",
        municipality=world.a2,
        received_on=date(2025, 4, 28),
        source="meldpunt",
        kind="quality",
        description="Melding",
    )
    investigation = _open(world, team, signal=signal, providers=[("Thuiszorg X", "12345678", False)])
    signal.refresh_from_db()
    assert signal.investigation == investigation
    assert investigation.status == "intake"
    assert list(investigation.supervisors.all()) == [team["supervisor"]]
    assert investigation.providers.get().kvk == "12345678"
    assert investigation.status_changes.get().to_status == "intake"


@pytest.mark.parametrize(
    "who", [("a1", "teammanager_toezicht"), ("a1", "coordinator"), ("a2", "ambtenaar"), ("a3", "toezichthouder")]
)
def test_only_the_assigned_supervisor_opens_one(world, team, who):
    with pytest.raises(PermissionDenied):
        _open(world, team, user=world.user(*who))
    assert not Investigation.objects.unrestricted("test").exists()


def test_the_lifecycle_is_explicit(world, team):
    """STYLE.md rule 3: intake → investigating → reporting → advised → closed; no jumps, closed stays closed."""
    user = team["supervisor"]
    investigation = _open(world, team)
    with pytest.raises(ValidationError):
        inv.transition(user=user, investigation=investigation, to_status="advised")
    inv.transition(user=user, investigation=investigation, to_status="investigating")
    inv.record_power_use(user=user, investigation=investigation, power="5:16", used_on=date(2025, 5, 2))
    inv.transition(user=user, investigation=investigation, to_status="reporting")
    with pytest.raises(ValidationError, match="advies"):
        inv.transition(user=user, investigation=investigation, to_status="advised")
    advice = inv.recommend_intervention(
        user=user,
        investigation=investigation,
        college=world.a2,
        kind="penalty_order",
        recommendation="Last onder dwangsom",
        recommended_on=date(2025, 6, 1),
    )
    with pytest.raises(ValidationError):  # a college not concerned
        inv.recommend_intervention(
            user=user,
            investigation=investigation,
            college=world.a3,
            kind="instruction",
            recommendation="x",
            recommended_on=date(2025, 6, 1),
        )
    inv.transition(user=user, investigation=investigation, to_status="advised")
    inv.record_college_decision(user=user, intervention=advice, decision="adopted", decided_on=date(2025, 6, 10))
    with pytest.raises(ValidationError):
        inv.record_college_decision(user=user, intervention=advice, decision="rejected", decided_on=date(2025, 6, 11))
    with pytest.raises(ValidationError, match="uitkomst"):
        inv.transition(user=user, investigation=investigation, to_status="closed")
    inv.record_findings(user=user, investigation=investigation, findings="F", conclusion="C", outcome="violation")
    inv.transition(user=user, investigation=investigation, to_status="closed", on=date(2025, 7, 1))
    investigation.refresh_from_db()
    assert investigation.closed_on == date(2025, 7, 1)
    with pytest.raises(ValidationError):
        inv.record_findings(user=user, investigation=investigation, findings="X", conclusion="Y", outcome="compliant")
    history = list(InvestigationStatusChange.objects.unrestricted("test").values_list("to_status", flat=True))
    assert history == ["intake", "investigating", "reporting", "advised", "closed"]


def test_the_team_manager_reads_but_does_not_write(world, team):
    investigation = _open(world, team)
    manager = team["manager"]
    assert Investigation.objects.visible_to(manager).get() == investigation
    with pytest.raises(PermissionDenied):
        inv.record_findings(user=manager, investigation=investigation, findings="x", conclusion="", outcome="")
    with pytest.raises(PermissionDenied):
        casefile.export_case_file(user=manager, investigation=investigation)


def test_documents_are_bounded_and_checked(world, team):
    investigation = _open(world, team)
    user = team["supervisor"]
    with override_settings(TOEZICHT_DOCUMENT_MAX_MB=1):
        big = SimpleUploadedFile("groot.pdf", b"%PDF-" + b"x" * (1024 * 1024))
        with pytest.raises(ValidationError, match="te groot"):
            inv.add_document(user=user, investigation=investigation, title="Groot", upload=big)
    fake = SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError, match="Alleen PDF"):
        inv.add_document(user=user, investigation=investigation, title="Nep", upload=fake)
    document = inv.add_document(
        user=user,
        investigation=investigation,
        title="Rapport",
        upload=SimpleUploadedFile("rapport.pdf", b"%PDF-1.4 rapport"),
    )
    assert document.size == 16 and len(document.sha256) == 64 and document.content_type == "application/pdf"


def test_wm_dvo_annex4_information_request_answered_within_14_days(world, team):
    """WM-DVO annex 4: "dan verstrekken de toezichthouders deze binnen maximaal 14 dagen"."""
    user = team["supervisor"]
    record = req.record_information_request(
        user=user, municipality=world.a2, received_on=date(2025, 10, 6), subject="Stand", question="Hoe staat het?"
    )
    assert record.due_on == date(2025, 10, 20)
    assert record.is_overdue(date(2025, 10, 21)) and not record.is_overdue(date(2025, 10, 20))
    req.answer_information_request(user=user, request_record=record, answered_on=date(2025, 10, 15), summary="Ja")
    record.refresh_from_db()
    assert record.answer_days == 9 and not record.is_overdue(date(2026, 1, 1))
    with pytest.raises(ValidationError):
        req.answer_information_request(user=user, request_record=record, answered_on=date(2025, 10, 16), summary="x")


def test_the_deadline_service_reminds_the_supervisor_only(world, team, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    record = req.record_information_request(
        user=team["supervisor"],
        municipality=world.a2,
        received_on=today - timedelta(days=3),
        subject="S",
        question="Q",
    )
    supervisor = team["supervisor"]
    found = [d for d in deadlines_for(supervisor) if d.key == f"toezicht:request:{record.pk}"]
    assert found and found[0].due == record.due_on and not found[0].overdue
    assert not [d for d in deadlines_for(world.user("a2", "ambtenaar")) if d.source == "toezicht"]
    assert not [d for d in deadlines_for(team["manager"]) if d.source == "toezicht"]
    world.user("a2", "ambtenaar").__class__.objects.filter(pk=world.user("a2", "ambtenaar").pk).update(
        email="ambtenaar@a2.example"
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_deadline_reminders()
    assert [m.to for m in mail.outbox if record.reference in m.subject] == [["toezicht@a1.example"]]


def test_overdue_requests_are_flagged(world, team):
    today = timezone.localdate()
    late = req.record_information_request(
        user=team["supervisor"],
        municipality=world.a2,
        received_on=today - timedelta(days=15),
        subject="Laat",
        question="Q",
    )
    assert list(req.overdue_requests(user=team["supervisor"])) == [late]
    assert [d.overdue for d in deadlines_for(team["supervisor"]) if d.key == f"toezicht:request:{late.pk}"] == [True]


def test_a_disclosure_is_recorded_frozen_and_logged(world, team):
    """Art. 5.2.4 Wmo 2015: the only way case data leave the supervisors."""
    user = team["supervisor"]
    with pytest.raises(ValidationError, match="informatieverzoek"):
        req.record_disclosure(
            user=user,
            municipality=world.a2,
            recipient="Wethouder",
            legal_basis="on_request",
            data_disclosed="Gegevens",
            purpose="Taak",
            disclosed_on=date(2025, 10, 15),
        )
    with pytest.raises(ValidationError):  # no BSN in what is recorded
        req.record_disclosure(
            user=user,
            municipality=world.a2,
            recipient="Wethouder",
            legal_basis="own_initiative",
            data_disclosed="BSN 111222333",
            purpose="Taak",
            disclosed_on=date(2025, 10, 15),
        )
    with pytest.raises(PermissionDenied):
        req.record_disclosure(
            user=team["manager"],
            municipality=world.a2,
            recipient="Wethouder",
            legal_basis="own_initiative",
            data_disclosed="Gegevens",
            purpose="Taak",
            disclosed_on=date(2025, 10, 15),
        )
    disclosure = req.record_disclosure(
        user=user,
        municipality=world.a2,
        recipient="Wethouder",
        legal_basis="own_initiative",
        data_disclosed="Gegevens",
        purpose="Taak",
        disclosed_on=date(2025, 10, 15),
    )
    assert (
        AccessLog.objects.unrestricted("test")
        .filter(action="disclose", object_type="toezicht.Disclosure", object_id=str(disclosure.pk), user=user)
        .exists()
    )
    disclosure.recipient = "Iemand anders"
    with pytest.raises(ValueError):
        disclosure.save()
    with pytest.raises(ValueError):
        disclosure.delete()
    with pytest.raises(ValueError):
        Disclosure.objects.unrestricted("test").update(recipient="x")
    with pytest.raises(ValueError):
        Disclosure.objects.unrestricted("test").delete()
    assert Disclosure.objects.unrestricted("test").get().recipient == "Wethouder"


def test_the_export_is_open_json_with_the_documents_and_logged(world, team, client):
    investigation = _open(world, team, providers=[("Thuiszorg X", "", False)])
    inv.add_document(
        user=team["supervisor"],
        investigation=investigation,
        title="Rapport",
        upload=SimpleUploadedFile("rapport.pdf", b"%PDF-1.4 rapport"),
    )
    client.force_login(team["supervisor"])
    url = reverse("toezicht-investigation-export", args=[investigation.reference])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("dossier.json"))
    assert data["reference"] == investigation.reference and data["providers"][0]["name"] == "Thuiszorg X"
    assert archive.read(data["documents"][0]["file"]) == b"%PDF-1.4 rapport"
    assert client.get(url).content == response.content  # the same file twice
    assert AccessLog.objects.unrestricted("test").filter(action="export", user=team["supervisor"]).count() == 2
    client.force_login(team["manager"])
    assert client.get(url).status_code == 403
    client.force_login(world.user("a2", "ambtenaar"))
    assert client.get(url).status_code == 404


def test_every_read_of_a_case_file_is_logged(world, team, client):
    investigation = _open(world, team)
    record = req.record_information_request(
        user=team["supervisor"], municipality=world.a2, received_on=date(2025, 6, 1), subject="S", question="Q"
    )
    client.force_login(team["manager"])
    assert client.get(reverse("toezicht-investigation-detail", args=[investigation.reference])).status_code == 200
    assert client.get(reverse("toezicht-request-detail", args=[record.reference])).status_code == 200
    logged = set(
        AccessLog.objects.unrestricted("test").filter(user=team["manager"]).values_list("object_type", "action")
    )
    assert logged == {("toezicht.Investigation", "view"), ("toezicht.InformationRequest", "view")}


def test_worklist_shows_signals_investigations_requests_and_hours(world, team, client):
    Signal.objects.create(
        reference="TZ-nieuw",
        municipality=world.a2,
        received_on=date(2025, 4, 28),
        source="ikz",
        kind="quality",
        description="Nieuw",
    )
    _open(world, team)
    req.record_information_request(
        user=team["supervisor"],
        municipality=world.a2,
        received_on=timezone.localdate() - timedelta(days=20),
        subject="S",
        question="Q",
    )
    client.force_login(team["supervisor"])
    page = client.get(reverse("toezicht-worklist")).content.decode()
    assert "TZ-nieuw" in page and "Onderzoek thuiszorg" in page and "Te laat" in page
    client.force_login(world.user("a1", "coordinator"))
    page = client.get(reverse("toezicht-worklist")).content.decode()
    assert "TZ-nieuw" not in page and "Onderzoek thuiszorg" not in page


def test_pages_create_through_the_forms(world, team, client):
    client.force_login(team["supervisor"])
    response = client.post(
        reverse("toezicht-investigations"),
        {
            "municipality": "GM0888",
            "title": "Via formulier",
            "kind": "quality",
            "approach": "structural",
            "funding": "pgb",
            "started_on": "01-05-2025",
            "providers": "Zorg B; 12345678; onderaannemer",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    investigation = Investigation.objects.unrestricted("test").get(title="Via formulier")
    assert investigation.providers.get().subcontractor
    detail = reverse("toezicht-investigation-detail", args=[investigation.reference])
    response = client.post(detail, {"action": "power", "power": "5:18", "used_on": "9999-12-31"})
    assert response.status_code == 400 and "Er ging iets mis" in response.content.decode()
    response = client.post(detail, {"action": "power", "power": "5:18", "used_on": "02-05-2025"})
    assert response.status_code == 302
    response = client.post(detail, {"action": "transition", "to_status": "investigating", "note": ""})
    assert response.status_code == 302
    investigation.refresh_from_db()
    assert investigation.status == "investigating" and investigation.powers_used.count() == 1


def test_api_lists_are_confidential_and_bounded(world, team, django_assert_max_num_queries):
    for n in range(5):
        _open(world, team, title=f"Onderzoek {n}")
        req.record_information_request(
            user=team["supervisor"],
            municipality=world.a2,
            received_on=date(2025, 6, 1),
            subject=f"S{n}",
            question="Q",
        )
    supervisor = world.client("a1", "toezichthouder", api=True)
    with django_assert_max_num_queries(12):
        response = supervisor.get("/api/v1/toezicht/investigations/")
    assert response.status_code == 200 and response.json()["count"] == 5
    with django_assert_max_num_queries(12):
        response = supervisor.get("/api/v1/toezicht/information-requests/")
    assert response.json()["count"] == 5
    civil_servant = world.client("a2", "ambtenaar", api=True)
    for path in ("investigations", "information-requests", "disclosures"):
        assert civil_servant.get(f"/api/v1/toezicht/{path}/").json()["count"] == 0
    bad = supervisor.post(
        "/api/v1/toezicht/information-requests/",
        {"municipality": "GM0888", "received_on": "9999-12-31", "subject": "S", "question": "Q"},
        format="json",
    )
    assert bad.status_code == 400 and "received_on" in bad.json()
    assert InformationRequest.objects.unrestricted("test").count() == 5


def test_an_export_by_the_system_actor_is_logged_too(world, team):
    investigation = _open(world, team)
    payload = casefile.export_case_file(user=system_actor("archivering"), investigation=investigation)
    assert zipfile.ZipFile(io.BytesIO(payload)).namelist() == ["dossier.json"]
    assert AccessLog.objects.unrestricted("test").filter(action="export").count() == 1

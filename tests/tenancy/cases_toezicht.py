"""Matrix cases of toezicht (issue #5: the supervision FTE split, WM-DVO annex 4)."""

from datetime import date
from decimal import Decimal

from django.utils import timezone
from guardian.shortcuts import assign_perm

from regio.tenancy import forget_scope
from tests.tenancy.matrix import Case
from toezicht.models import HoursEntry, Signal, SupervisionCapacity, SupervisorAppointment


def _capacity(world):
    SupervisionCapacity.objects.create(region=world.a, municipality=world.a1, year=2025, fte=Decimal("2"))
    SupervisionCapacity.objects.create(region=world.a, municipality=world.a2, year=2025, fte=Decimal("0.35"))
    return {}


def _snapshot(world, kwargs):
    return list(SupervisionCapacity.objects.unrestricted().values_list("pk", "fte"))


CASES = [
    Case(
        "api:fte-split-list",
        _capacity,
        lambda w, kw: "0.1489",  # 0.35 / 2.35
        query="?region=regio-a&year=2025",
    ),
    Case(
        "toezicht-fte-split",
        _capacity,
        lambda w, kw: "0,1489",
        query="?regio=regio-a&jaar=2025",
        writes=("POST",),
        write_payload={"fte": "9"},
        snapshot=_snapshot,
    ),
]


# --- Issue 14: appointed supervisors, hours against capacity, confidential signals --------------------------------

REFERENCE = "AB-TZ-2025-A"
SIGNAL_TEXT = "Signaal over zorg in regio A"


def _supervisor(world):
    """Region A's supervisor, employed by a1 and assigned to a2 (the grant that opens a2's casework)."""
    user = world.user("a1", "toezichthouder")
    assign_perm("regio.supervise_municipality", user, world.a2)
    forget_scope(user)
    return user


def _appointment(world):
    appointment = SupervisorAppointment.objects.create(
        region=world.a,
        supervisor=_supervisor(world),
        kind="quality",
        appointing_municipality=world.a1,
        decision_date=date(2025, 3, 1),
        decision_reference=REFERENCE,
        active_from=date(2025, 4, 1),
    )
    appointment.municipalities.set([world.a1, world.a2])
    return {"pk": appointment.pk}


def _appointment_list(world):
    _appointment(world)
    return {}


def _appointments(world, kwargs):
    return list(SupervisorAppointment.objects.unrestricted().values_list("pk", "decision_reference"))


def _hours(world, year=2025):
    supervisor = _supervisor(world)
    SupervisionCapacity.objects.get_or_create(
        region=world.a, municipality=world.a2, year=year, defaults={"fte": Decimal("0.35")}
    )
    HoursEntry.objects.create(
        supervisor=supervisor, municipality=world.a2, week=date(year, 3, 3), hours=Decimal("12.5")
    )
    return {}


def _hours_this_year(world):
    return _hours(world, year=timezone.localdate().year)


def _hours_snapshot(world, kwargs):
    return list(HoursEntry.objects.unrestricted().values_list("pk", "hours"))


def _signal(world):
    _supervisor(world)
    signal = Signal.objects.create(
        reference="TZ-matrix-signaal-a2",
        municipality=world.a2,
        received_on=date(2025, 5, 1),
        source="ikz",
        kind="quality",
        description=SIGNAL_TEXT,
    )
    return {"reference": signal.reference}


def _signal_list(world):
    _signal(world)
    return {}


def _signals(world, kwargs):
    return list(Signal.objects.unrestricted().values_list("pk", "triage", "triage_reasons"))


SUPERVISOR = ("a1", "toezichthouder")
# Confidential casework (SPEC §8): nobody but the assigned supervisor, also not region A's coordinating staff, the
# municipality's own civil servants, the administrator, or a supervisor not assigned to a2.
NOT_CASEWORK = (("a1", "coordinator"), ("a2", "ambtenaar"), ("a1", "beheerder"), ("a3", "toezichthouder"))

CASES += [
    Case(
        "api:toezicht-supervisor-list",
        _appointment_list,
        lambda w, kw: REFERENCE,
        kind="list",
        outsiders=(("a3", "ambtenaar"),),
        writes=("POST",),
        write_payload=lambda w, kw: {
            "region": "regio-a",
            "supervisor": "a1-toezichthouder",
            "kind": "quality",
            "decision_date": "2025-03-01",
            "decision_reference": "X",
            "municipalities": ["GM0888"],
            "active_from": "2025-04-01",
        },
        snapshot=_appointments,
    ),
    Case("api:toezicht-supervisor-detail", _appointment, lambda w, kw: REFERENCE, outsiders=(("a3", "ambtenaar"),)),
    Case(
        "toezicht-supervisors",
        _appointment_list,
        lambda w, kw: REFERENCE,
        kind="list",
        outsiders=(("a3", "ambtenaar"),),
        writes=("POST",),
        write_payload=lambda w, kw: {
            "supervisor": str(w.user("a1", "toezichthouder").pk),
            "kind": "quality",
            "decision_date": "01-03-2025",
            "decision_reference": "X",
            "municipalities": ["GM0888"],
            "active_from": "01-04-2025",
        },
        snapshot=_appointments,
    ),
    Case(
        "toezicht-hours",
        _hours_this_year,
        lambda w, kw: "12,5",
        kind="list",
        writes=("POST",),
        write_payload={"municipality": "GM0888", "week": "03-03-2025", "hours": "40"},
        snapshot=_hours_snapshot,
    ),
    Case("api:toezicht-capacity-list", _hours, lambda w, kw: '"12.50"', query="?region=regio-a&year=2025"),
    Case(
        "api:toezicht-hours-list",
        _hours,
        lambda w, kw: '"12.50"',
        kind="list",
        insider=SUPERVISOR,
        viewer=("a2", "ambtenaar"),
        outsiders=(("a3", "toezichthouder"),),
        writes=("POST",),
        write_payload={"municipality": "GM0888", "week": "2025-03-03", "hours": "40"},
        snapshot=_hours_snapshot,
    ),
    Case(
        "api:toezicht-signal-list",
        _signal_list,
        lambda w, kw: SIGNAL_TEXT,
        kind="list",
        insider=SUPERVISOR,
        viewer=("a2", "ambtenaar"),
        outsiders=NOT_CASEWORK,
        writes=("POST",),
        write_payload={
            "municipality": "GM0888",
            "received_on": "2025-05-01",
            "source": "ikz",
            "kind": "quality",
            "description": "Nieuw signaal",
        },
        snapshot=_signals,
    ),
    Case("api:toezicht-signal-detail", _signal, lambda w, kw: SIGNAL_TEXT, insider=SUPERVISOR, outsiders=NOT_CASEWORK),
    Case(
        "toezicht-signals",
        _signal_list,
        lambda w, kw: "TZ-matrix-signaal-a2",  # the list shows references, not the text
        kind="list",
        insider=SUPERVISOR,
        viewer=("a2", "ambtenaar"),
        outsiders=NOT_CASEWORK,
        writes=("POST",),
        write_payload={
            "municipality": "GM0888",
            "received_on": "01-05-2025",
            "source": "ikz",
            "kind": "quality",
            "funding": "unknown",
            "description": "Nieuw signaal",
        },
        snapshot=_signals,
    ),
    Case(
        "toezicht-signal-detail",
        _signal,
        lambda w, kw: SIGNAL_TEXT,
        insider=SUPERVISOR,
        viewer=None,
        outsiders=NOT_CASEWORK,
        writes=("POST",),
        write_payload={"decision": "no_action", "reasons": "Geen grond"},
        snapshot=_signals,
    ),
]


# --- Issue 14 part B: plans, annual reports, joint evaluations, the college's view ---------------------------------

PLAN_TITLE = "Jaarplan toezicht regio A 2026"
REPORT_MARKER = "MATRIXJAARVERSLAG-A2"


def _plan(world):
    from toezicht.models import PlanComment, SupervisionPlan

    plan = SupervisionPlan.objects.create(region=world.a, kind="annual", year=2026, title=PLAN_TITLE)
    PlanComment.objects.create(plan=plan, author=world.user("a2", "ambtenaar"), municipality=world.a2, text="Goed")
    return {"pk": plan.pk}


def _plan_list(world):
    _plan(world)
    return {}


def _plans(world, kwargs):
    from toezicht.models import PlanComment, SupervisionPlan

    return (
        list(SupervisionPlan.objects.unrestricted().values_list("pk", "title", "priorities")),
        PlanComment.objects.unrestricted().count(),
    )


def _report(world):
    from toezicht.models import AnnualReport

    report = AnnualReport.objects.create(
        region=world.a,
        municipality=world.a2,
        year=2025,
        figures={"year": 2025, "marker": REPORT_MARKER},
        content_hash="0" * 64,
        pdf=f"%PDF-1.4 {REPORT_MARKER}".encode(),
        generated_at=timezone.now(),
    )
    return {"pk": report.pk}


def _report_list(world):
    _report(world)
    return {}


def _reports(world, kwargs):
    from toezicht.models import AnnualReport, JointEvaluation

    return (
        list(AnnualReport.objects.unrestricted().values_list("pk", "content_hash")),
        list(JointEvaluation.objects.unrestricted().values_list("pk", "conclusions")),
    )


def _evaluation(world):
    from toezicht.models import JointEvaluation

    evaluation = JointEvaluation.objects.create(
        region=world.a, year=2025, held_on=date(2026, 2, 12), conclusions="Conclusies evaluatie regio A"
    )
    return {"pk": evaluation.pk}


def _evaluation_list(world):
    _evaluation(world)
    return {}


# A municipality's annual report: its own people and the coordinating staff; not another member, not beschermd
# wonen, not a supervisor of another municipality.
NOT_THIS_COLLEGE = (("a3", "ambtenaar"), ("a2", "bw"), ("a3", "toezichthouder"), ("a3", "wethouder"))

CASES += [
    Case(
        "toezicht-plans",
        _plan_list,
        lambda w, kw: PLAN_TITLE,
        kind="list",
        writes=("POST",),
        write_payload={"kind": "annual", "year": "2026", "title": "Overgenomen"},
        snapshot=_plans,
    ),
    Case(
        "toezicht-plan-detail",
        _plan,
        lambda w, kw: PLAN_TITLE,
        writes=("POST",),
        write_payload={"action": "plan", "kind": "annual", "year": "2026", "title": "Overgenomen"},
        snapshot=_plans,
    ),
    Case(
        "toezicht-reports",
        _report_list,
        lambda w, kw: "Jaarverslag 2025 Beek",
        kind="list",
        insider=("a2", "wethouder"),
        viewer=("a2", "ambtenaar"),
        outsiders=NOT_THIS_COLLEGE,
        writes=("POST",),
        write_payload={"municipality": "GM0888", "year": "2025"},
        snapshot=_reports,
    ),
    Case("toezicht-report-pdf", _report, lambda w, kw: REPORT_MARKER, outsiders=NOT_THIS_COLLEGE),
    Case("api:toezicht-plan-list", _plan_list, lambda w, kw: PLAN_TITLE, kind="list"),
    Case("api:toezicht-plan-detail", _plan, lambda w, kw: PLAN_TITLE),
    Case(
        "api:toezicht-annual-report-list",
        _report_list,
        lambda w, kw: REPORT_MARKER,
        kind="list",
        outsiders=NOT_THIS_COLLEGE,
    ),
    Case("api:toezicht-annual-report-detail", _report, lambda w, kw: REPORT_MARKER, outsiders=NOT_THIS_COLLEGE),
    Case("api:toezicht-annual-report-pdf", _report, lambda w, kw: REPORT_MARKER, outsiders=NOT_THIS_COLLEGE),
    Case(
        "api:toezicht-joint-evaluation-list",
        _evaluation_list,
        lambda w, kw: "Conclusies evaluatie regio A",
        kind="list",
    ),
    Case("api:toezicht-joint-evaluation-detail", _evaluation, lambda w, kw: "Conclusies evaluatie regio A"),
]

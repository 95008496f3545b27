"""Demo step of toezicht (issue 14): the Westelijke Mijnstreek's appointed supervisor, some hours and a couple of
signals (one from the public Meldpunt). Idempotent: once the appointment exists, the step reports and stops.

Demo data, invented: the decision's date and reference, the hours and the signals. The mandates are the region
file's (WM-SO 4.12: Stein and Beek mandate the college of Sittard-Geleen, including supervision).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

REGION = "westelijke-mijnstreek"
SUPERVISOR = "sittard-geleen-toezichthouder"
COORDINATOR_CODE = "GM1883"
MEMBERS = ("GM1883", "GM0971", "GM0888")
HOURS_PER_WEEK = {"GM1883": Decimal("45"), "GM0971": Decimal("13"), "GM0888": Decimal("9.5")}  # demo


def load_supervision_demo() -> str:
    from django.core.exceptions import PermissionDenied, ValidationError

    from regio.models import Municipality, Region, User
    from regio.tenancy import forget_scope, system_actor
    from toezicht import services
    from toezicht.models import SupervisorAppointment

    region = Region.objects.unrestricted("demo").filter(code=REGION).first()
    supervisor = User.objects.filter(username=SUPERVISOR).first()
    if region is None or supervisor is None:
        return f"overgeslagen (regio {REGION} of gebruiker {SUPERVISOR} ontbreekt)"
    if SupervisorAppointment.objects.unrestricted("demo").filter(supervisor=supervisor).exists():
        return "toezichthouder al aangewezen"
    actor = system_actor("demo toezicht Wmo")
    members = {m.code: m for m in Municipality.objects.unrestricted("demo").filter(code__in=MEMBERS)}
    try:
        appointment = services.appoint_supervisor(
            user=actor,
            region=region,
            supervisor=supervisor,
            kind="quality",
            decision_date=date(2025, 3, 25),
            decision_reference="B&W Sittard-Geleen 2025/0412 (demo)",
            municipalities=[members[c] for c in MEMBERS if c in members],
            active_from=date(2025, 4, 1),
        )
    except (ValidationError, PermissionDenied) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return f"niet aangewezen: {reason}"
    forget_scope(supervisor)
    monday = date(2025, 9, 1)
    weeks = 0
    for week in range(8):
        for code, hours in HOURS_PER_WEEK.items():
            services.register_hours(
                user=supervisor, municipality=members[code], week=monday + timedelta(weeks=week), hours=hours
            )
        weeks += 1
    signals = [
        services.record_signal(
            user=supervisor,
            municipality=members["GM0888"],
            received_on=date(2025, 9, 15),
            source="ggd",
            kind="quality",
            funding="in_kind",
            provider_name="Thuiszorg Mijnstreek (demo)",
            description="Calamiteitenmelding GGD: cliënt na een val twee dagen niet bezocht (demo).",
        ),
        services.record_signal(
            user=supervisor,
            municipality=members["GM0971"],
            received_on=date(2025, 10, 2),
            source="ikz",
            kind="lawfulness",
            funding="pgb",
            provider_name="Zorgbureau Maasdal (demo)",
            description="Signaal landelijk IKZ: gedeclareerde uren hoger dan de geleverde begeleiding (demo).",
        ),
        services.record_signal(
            user=actor,
            municipality=members["GM1883"],
            received_on=date(2025, 10, 20),
            source="meldpunt",
            kind="both",
            funding="unknown",
            provider_name="Dagbesteding De Kumpel (demo)",
            description="Melding via het Meldpunt: wisselende begeleiders en facturen voor gemiste dagen (demo).",
        ),
    ]
    services.triage_signal(
        user=supervisor,
        signal=signals[0],
        decision="investigate",
        reasons="Ernstige calamiteit; onderzoek naar de planning van de aanbieder (demo).",
    )
    return (
        f"{appointment.supervisor} aangewezen voor {appointment.municipalities.count()} gemeenten, "
        f"{weeks} weken uren, {len(signals)} signalen"
    )

"""Demo step of toezicht, part B (issue 14): a year of supervision in the Westelijke Mijnstreek put to paper. More
signals over 2025 in all three municipalities, hours of the two supervisors appointed in the region file, the policy
frame, execution plan and annual plan 2026 (with a civil servant's comment), the 2025 annual report of each
municipality (PDF) and the joint evaluation of 2025.

Runs after the casework step, so the reports count its investigations and requests. Idempotent: once the 2025
reports exist, the step reports and stops. Everything here is invented demo data, except the structure it follows
(WM-DVO intro 6 and annex 4; WM-SO 3.2 c).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

REGION = "westelijke-mijnstreek"
MEMBERS = {"GM1883": "Sittard-Geleen", "GM0971": "Stein", "GM0888": "Beek"}
LEAD = "sittard-geleen-toezichthouder"
LAWFULNESS = "sittard-geleen-toezichthouder-rechtmatigheid"
QUALITY = "sittard-geleen-toezichthouder-kwaliteit"
# Weekly hours per supervisor and municipality, April-December 2025 (demo; the appointments start 1 April).
WEEKLY = {
    LAWFULNESS: {"GM1883": Decimal("30"), "GM0971": Decimal("5"), "GM0888": Decimal("3")},
    QUALITY: {"GM0971": Decimal("9"), "GM0888": Decimal("6")},
}
# (who, municipality, received, source, kind, funding, provider, text, triage or "") — demo.
SIGNALS = [
    (
        LAWFULNESS,
        "GM1883",
        date(2025, 4, 14),
        "college",
        "lawfulness",
        "pgb",
        "Zorgbureau Maasdal (demo)",
        "Vraag van het college: pgb-declaraties zonder zorgovereenkomst (demo).",
        "investigate",
    ),
    (
        QUALITY,
        "GM0971",
        date(2025, 5, 6),
        "provider",
        "quality",
        "in_kind",
        "Thuiszorg Mijnstreek (demo)",
        "Aanbieder meldt zelf personeelstekort in de avonddienst (demo).",
        "monitor",
    ),
    (
        LAWFULNESS,
        "GM0888",
        date(2025, 5, 27),
        "ikz",
        "lawfulness",
        "in_kind",
        "Huishoudelijke Hulp Zuid (demo)",
        "IKZ-signaal: declaraties voor cliënten die verhuisd zijn (demo).",
        "investigate",
    ),
    (
        LEAD,
        "GM1883",
        date(2025, 6, 18),
        "own",
        "quality",
        "in_kind",
        "Dagbesteding De Kumpel (demo)",
        "Eigen waarneming bij een bezoek: groepen groter dan afgesproken (demo).",
        "monitor",
    ),
    (
        QUALITY,
        "GM0888",
        date(2025, 7, 3),
        "ggd",
        "quality",
        "in_kind",
        "Begeleiding Aan de Maas (demo)",
        "Calamiteitenmelding GGD: medicatiefout bij begeleid wonen (demo).",
        "investigate",
    ),
    (
        LAWFULNESS,
        "GM0971",
        date(2025, 8, 12),
        "ikz",
        "both",
        "pgb",
        "",
        "IKZ-signaal: budgethouder betaalt een familielid voor uren die niet gewerkt zijn (demo).",
        "no_action",
    ),
    (
        LEAD,
        "GM1883",
        date(2025, 11, 4),
        "college",
        "quality",
        "in_kind",
        "Thuiszorg Mijnstreek (demo)",
        "Klachten van cliënten via het Wmo-loket over wisselende hulpen (demo).",
        "",
    ),
    (
        QUALITY,
        "GM0971",
        date(2025, 12, 2),
        "provider",
        "quality",
        "in_kind",
        "Zorgcoöperatie Stein (demo)",
        "Onderaannemer gestart zonder melding aan de gemeente (demo).",
        "",
    ),
]
PLANS = [
    {
        "kind": "policy_frame",
        "year": 2025,
        "title": "Beleidskader Wmo-toezicht kwaliteit en rechtmatigheid 2025",
        "summary": "Vijf uitgangspunten: toezicht in samenhang (kwaliteit en rechtmatigheid), risicogestuurd, "
        "samen met aanbieders en inwoners, transparant over bevindingen, en lerend. Vastgesteld door de drie "
        "colleges (DVO bijlage 4).",
        "priorities": "Toezicht op kwaliteit en rechtmatigheid in samenhang\nRisicogestuurd werken",
        "themes": "Zorg in natura\nPersoonsgebonden budget",
        "adopted_on": date(2025, 3, 11),
    },
    {
        "kind": "execution",
        "year": 2025,
        "title": "Uitvoeringsplan toezicht Wmo 2025-2026",
        "summary": "Uitwerking van het beleidskader: werkwijze bij signalen, screening van toetreders, "
        "samenwerking met de GGD en het IKZ, rapportage aan de colleges.",
        "priorities": "Meldpunt toezicht ingericht\nScreening toetredende aanbieders en onderaannemers",
        "themes": "Reactief toezicht\nPreventief toezicht",
        "planned_investigations": "Screening van iedere toetreder (preventief)",
        "adopted_on": date(2025, 6, 3),
    },
    {
        "kind": "annual",
        "year": 2026,
        "title": "Jaarplan toezicht Wmo 2026",
        "summary": "Wat de toezichthouders in 2026 doen met 2,9 fte voor drie gemeenten (DVO bijlage 4).",
        "priorities": "Steekproef pgb bij begeleiding (structureel)\nThema dagbesteding: groepsgrootte en "
        "personeel\nAfhandeling signalen binnen vier weken",
        "themes": "Dagbesteding\nPersoonsgebonden budget\nOnderaanneming",
        "planned_investigations": "Steekproef 40 pgb-dossiers begeleiding (structureel)\nThemaonderzoek "
        "dagbesteding bij vijf aanbieders (risicogebaseerd)\nScreening toetreders (preventief)",
        "adopted_on": date(2026, 1, 20),
    },
]


def load_plans_and_reports_demo() -> str:
    from django.core.exceptions import PermissionDenied, ValidationError

    from regio.models import Municipality, Region, User
    from regio.tenancy import forget_scope, system_actor
    from toezicht import services, services_plans, services_reports
    from toezicht.models import AnnualReport, SupervisionPlan

    region = Region.objects.unrestricted("demo").filter(code=REGION).first()
    people = {u.username: u for u in User.objects.filter(username__in=[LEAD, LAWFULNESS, QUALITY])}
    if region is None or len(people) < 3:
        return f"overgeslagen (regio {REGION} of een toezichthouder ontbreekt)"
    if AnnualReport.objects.unrestricted("demo").filter(region=region, year=2025).exists():
        return "plannen en jaarverslagen 2025 al aanwezig"
    for person in people.values():
        forget_scope(person)
    members = {m.code: m for m in Municipality.objects.unrestricted("demo").filter(code__in=MEMBERS)}
    lead = people[LEAD]
    try:
        for who, code, received, source, kind, funding, provider, text, triage in SIGNALS:
            signal = services.record_signal(
                user=people[who],
                municipality=members[code],
                received_on=received,
                source=source,
                kind=kind,
                funding=funding,
                provider_name=provider,
                description=text,
            )
            if triage:
                services.triage_signal(
                    user=people[who], signal=signal, decision=triage, reasons="Beoordeeld in het teamoverleg (demo)."
                )
        weeks = 0
        monday = date(2025, 3, 31)
        while monday <= date(2025, 12, 22):
            for who, hours in WEEKLY.items():
                for code, value in hours.items():
                    services.register_hours(user=people[who], municipality=members[code], week=monday, hours=value)
            weeks += 1
            monday += timedelta(weeks=1)
        plans = [services_plans.save_plan(user=lead, region=region, **plan) for plan in PLANS]
        annual = next(p for p in plans if p.kind == "annual")
        servant = User.objects.filter(username="stein-ambtenaar").first()
        if servant is not None:
            services_plans.comment_on_plan(
                user=servant,
                plan=annual,
                text="Het ambtelijk overleg vraagt aandacht voor de wachttijd bij signalen over pgb in Stein; "
                "graag een terugkoppeling in het jaarverslag (demo).",
            )
        reports = [
            services_reports.generate_annual_report(user=lead, region=region, municipality=members[code], year=2025)
            for code in MEMBERS
        ]
        coordinator = User.objects.filter(username="sittard-geleen-coordinator").first()
        services_reports.record_joint_evaluation(
            user=coordinator or system_actor("demo toezicht"),
            region=region,
            year=2025,
            held_on=date(2026, 2, 19),
            participants="Beleidsadviseurs Wmo van Sittard-Geleen, Stein en Beek; de toezichthouders (demo)",
            conclusions="Het toezicht is per 1 april 2025 gestart; de capaciteit is in het startjaar niet volledig "
            "benut (uren tegenover capaciteit in de jaarverslagen). Het Meldpunt werkt; informatieverzoeken zijn op "
            "één na binnen 14 dagen beantwoord (demo).",
            looking_ahead="2026: pgb-steekproef en themaonderzoek dagbesteding zoals in het jaarplan; de uren per "
            "gemeente maandelijks bespreken (demo).",
        )
    except (ValidationError, PermissionDenied) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return f"niet geladen: {reason}"
    return (
        f"{len(SIGNALS)} signalen erbij, {weeks} weken uren, "
        f"{SupervisionPlan.objects.unrestricted('demo').filter(region=region).count()} plannen, "
        f"{len(reports)} jaarverslagen 2025 (PDF), evaluatie 2025"
    )

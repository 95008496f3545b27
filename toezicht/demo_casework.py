"""Demo step of the confidential casework (issue 14, part A): investigations over 2025 in all three municipalities of
the Westelijke Mijnstreek (one following the Meldpunt signal of the step before), an overdue information request of
Stein, an answered one of Beek, and one disclosure to the college of Beek (art. 5.2.4 Wmo 2015).

Everything goes through the services as the appointed supervisor. Idempotent: once an investigation exists, the step
reports and stops. Demo data, invented: providers, findings, dates and references.
"""

from __future__ import annotations

from datetime import date, timedelta

SUPERVISOR = "sittard-geleen-toezichthouder"


def load_casework_demo() -> str:
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils import timezone

    from regio.models import Municipality, User
    from regio.tenancy import forget_scope
    from toezicht import services_investigations as inv
    from toezicht import services_requests as req
    from toezicht.models import Investigation, Signal

    supervisor = User.objects.filter(username=SUPERVISOR).first()
    if supervisor is None:
        return f"overgeslagen (gebruiker {SUPERVISOR} ontbreekt)"
    if Investigation.objects.unrestricted("demo: bestaat er al een onderzoek?").exists():
        return "onderzoeken al aanwezig"
    forget_scope(supervisor)
    m = {x.code: x for x in Municipality.objects.unrestricted("demo").filter(code__in=("GM1883", "GM0971", "GM0888"))}
    if len(m) < 3:
        return "overgeslagen (gemeenten van de Westelijke Mijnstreek ontbreken)"
    sittard, stein, beek = m["GM1883"], m["GM0971"], m["GM0888"]
    signals = {s.source: s for s in Signal.objects.visible_to(supervisor).filter(investigation__isnull=True)}
    try:
        return _load(inv, req, supervisor, sittard, stein, beek, signals, timezone.localdate())
    except (ValidationError, PermissionDenied) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return f"niet geladen: {reason}"


def _load(inv, req, user, sittard, stein, beek, signals, today) -> str:
    step = {"user": user}
    # 1. Beek, reactive after the GGD calamity report: advice to the college, adopted.
    ggd = inv.open_investigation(
        **step,
        municipality=beek,
        title="Calamiteit thuiszorg: cliënt niet bezocht (demo)",
        kind="quality",
        approach="reactive",
        funding="in_kind",
        started_on=date(2025, 9, 17),
        providers=[("Thuiszorg Mijnstreek (demo)", "", False)],
        signal=signals.get("ggd"),
    )
    inv.transition(**step, investigation=ggd, to_status="investigating", note="Start na beoordeling signaal")
    inv.record_power_use(
        **step,
        investigation=ggd,
        power="5:15",
        used_on=date(2025, 9, 24),
        justification="Onaangekondigd bezoek aan de vestiging; noodzakelijk om de planning te zien (demo).",
    )
    inv.record_power_use(
        **step,
        investigation=ggd,
        power="5:17",
        used_on=date(2025, 9, 24),
        justification="Inzage in de roosters van september (demo).",
    )
    inv.record_findings(
        **step,
        investigation=ggd,
        findings="De planning had geen vervanging bij ziekte; twee bezoeken vielen uit zonder melding (demo).",
        conclusion="De aanbieder voldoet niet aan de kwaliteitseisen voor continuïteit van zorg (demo).",
        outcome="violation",
    )
    inv.transition(**step, investigation=ggd, to_status="reporting")
    advice = inv.recommend_intervention(
        **step,
        investigation=ggd,
        college=beek,
        kind="instruction",
        recommendation="Aanwijzing: binnen 4 weken een vervangingsregeling die elke geplande zorg borgt (demo).",
        recommended_on=date(2025, 10, 15),
    )
    inv.transition(**step, investigation=ggd, to_status="advised")
    inv.record_college_decision(
        **step,
        intervention=advice,
        decision="adopted",
        decided_on=date(2025, 10, 28),
        decision_reference="B&W Beek 2025/311 (demo)",
    )
    # 2. Sittard-Geleen, reactive after the public Meldpunt's signal: under investigation.
    meldpunt = inv.open_investigation(
        **step,
        municipality=sittard,
        title="Dagbesteding: wisselende begeleiders en facturen (demo)",
        kind="both",
        approach="reactive",
        funding="both",
        started_on=date(2025, 10, 27),
        providers=[("Dagbesteding De Kumpel (demo)", "", False)],
        signal=signals.get("meldpunt"),
    )
    inv.transition(**step, investigation=meldpunt, to_status="investigating")
    inv.record_power_use(
        **step,
        investigation=meldpunt,
        power="5:16",
        used_on=date(2025, 11, 3),
        justification="Inlichtingen over presentielijsten en facturen (demo).",
    )
    # 3. Stein, structural sample of personal budgets: closed, compliant.
    sample = inv.open_investigation(
        **step,
        municipality=stein,
        title="Steekproef pgb begeleiding 2025 (demo)",
        kind="lawfulness",
        approach="structural",
        funding="pgb",
        theme="Steekproef pgb",
        started_on=date(2025, 3, 3),
        providers=[("Zorgbureau Maasdal (demo)", "", False), ("Begeleiding Op Maat (demo)", "", False)],
    )
    inv.transition(**step, investigation=sample, to_status="investigating")
    inv.record_power_use(**step, investigation=sample, power="5:17", used_on=date(2025, 3, 20))
    inv.record_findings(
        **step,
        investigation=sample,
        findings="20 budgetten getoetst; bestedingen passen bij de indicatie (demo).",
        conclusion="Rechtmatig besteed (demo).",
        outcome="compliant",
    )
    inv.transition(**step, investigation=sample, to_status="reporting")
    inv.transition(**step, investigation=sample, to_status="closed", on=date(2025, 5, 30))
    # 4. Sittard-Geleen, preventive screening of a joining provider and its subcontractor: closed, improvements.
    screening = inv.open_investigation(
        **step,
        municipality=sittard,
        title="Screening toetredende aanbieder (demo)",
        kind="both",
        approach="preventive",
        funding="in_kind",
        started_on=date(2025, 2, 10),
        providers=[("Wijkzorg Geleen (demo)", "", False), ("Schoonmaak Zuid (demo)", "", True)],
    )
    inv.transition(**step, investigation=screening, to_status="investigating")
    inv.record_findings(
        **step,
        investigation=screening,
        findings="VOG's compleet; klachtenregeling onderaannemer ontbreekt (demo).",
        conclusion="Toetreding mogelijk na aanvulling klachtenregeling (demo).",
        outcome="improvement",
    )
    inv.transition(**step, investigation=screening, to_status="closed", on=date(2025, 3, 14))
    # 5. Risk-based and thematic, over all three: household support, advice on recovery still with the college.
    theme = inv.open_investigation(
        **step,
        municipality=sittard,
        title="Thema huishoudelijke ondersteuning: uren tegen indicatie (demo)",
        kind="lawfulness",
        approach="risk_based",
        funding="in_kind",
        theme="Huishoudelijke ondersteuning",
        started_on=date(2025, 6, 2),
        municipalities=[stein, beek],
        providers=[("Huishoudhulp Westelijke Mijnstreek (demo)", "", False)],
    )
    inv.transition(**step, investigation=theme, to_status="investigating")
    inv.record_power_use(**step, investigation=theme, power="5:16", used_on=date(2025, 7, 1))
    inv.record_findings(
        **step,
        investigation=theme,
        findings="In 14 van 60 dossiers meer uren gedeclareerd dan geleverd (demo).",
        conclusion="Onrechtmatig gedeclareerd (demo).",
        outcome="violation",
    )
    inv.transition(**step, investigation=theme, to_status="reporting")
    inv.recommend_intervention(
        **step,
        investigation=theme,
        college=sittard,
        kind="recovery",
        recommendation="Terugvordering van de te veel gedeclareerde uren (demo).",
        recommended_on=date(2025, 11, 17),
    )
    # Information requests: Beek's answered in 9 days (and disclosed on), Stein's overdue today.
    beek_request = req.record_information_request(
        **step,
        municipality=beek,
        received_on=date(2025, 10, 6),
        subject="Stand van zaken calamiteit thuiszorg (demo)",
        question="Welke cliënten van Beek raakt de calamiteit, en wat is de stand van het onderzoek? (demo)",
        requested_by="Wethouder Wmo Beek (demo)",
        investigation=ggd,
    )
    req.answer_information_request(
        **step,
        request_record=beek_request,
        answered_on=date(2025, 10, 15),
        summary="Stand van het onderzoek en de betrokken cliënten gemeld (demo).",
    )
    req.record_disclosure(
        **step,
        municipality=beek,
        recipient="Wethouder Wmo Beek (demo)",
        legal_basis="on_request",
        data_disclosed="Namen en zorgmomenten van drie cliënten van Beek die de gemiste zorg raakt (demo).",
        purpose="Het college regelt vervangende zorg voor de cliënten (art. 2.3.5 Wmo 2015) (demo).",
        disclosed_on=date(2025, 10, 15),
        request_record=beek_request,
        investigation=ggd,
    )
    req.record_information_request(
        **step,
        municipality=stein,
        received_on=today - timedelta(days=20),
        subject="Signalen over pgb-bemiddelaars (demo)",
        question="Zijn er signalen over bemiddelingsbureaus voor pgb-houders in Stein? (demo)",
        requested_by="Beleidsmedewerker Wmo Stein (demo)",
    )
    return "5 onderzoeken, 2 informatieverzoeken (1 te laat), 1 verstrekking aan het college van Beek"

"""Demo step of beschermd wonen: a small pseudonymous register for the Westelijke Mijnstreek (issue 13).

Twelve clients in all three municipalities over 2022-2025 (one moved from Beek to Stein), notifications of both kinds
and one assessment with its hours and a GGD advice. Entered through the services as the coordinating municipality's
access team (``sittard-geleen-bw``). Idempotent: a register that already holds the demo references is left alone.
The references are demo pseudonyms; no real person is behind them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

REGION = "westelijke-mijnstreek"
ACTING_USER = "sittard-geleen-bw"
PREFIX = "BW-WM-DEMO-"

# (number, CBS code of the municipality of residence, since, year of birth)
CLIENTS = [
    (1, "GM1883", date(2022, 3, 1), 1961),
    (2, "GM1883", date(2022, 9, 15), 1978),
    (3, "GM1883", date(2023, 2, 1), 1990),
    (4, "GM1883", date(2023, 11, 20), 1985),
    (5, "GM1883", date(2024, 6, 3), 2001),
    (6, "GM1883", date(2025, 1, 13), 1969),
    (7, "GM0971", date(2022, 5, 2), 1974),
    (8, "GM0971", date(2024, 4, 8), 1999),
    (9, "GM0971", date(2025, 3, 17), None),
    (10, "GM0888", date(2022, 1, 10), 1958),
    (11, "GM0888", date(2023, 8, 21), 1982),
    (12, "GM0888", date(2024, 10, 1), 1995),
]
MOVE = (12, "GM0971", date(2025, 4, 1))  # client 12 moves from Beek to Stein
# (client number, date, kind, who notified)
NOTIFICATIONS = [
    (1, date(2025, 1, 14), "intramural", "Huisarts"),
    (3, date(2025, 2, 3), "extramural", "Wijkteam Sittard-Geleen"),
    (5, date(2025, 3, 10), "extramural", "Zorgaanbieder"),
    (6, date(2025, 1, 20), "intramural", "Ziekenhuis (GGZ-afdeling)"),
    (8, date(2025, 5, 6), "extramural", "Cliënt zelf"),
    (9, date(2025, 3, 18), "intramural", "Huisarts"),
    (11, date(2025, 6, 2), "extramural", "Wijkteam Beek"),
    (12, date(2025, 4, 14), "extramural", "Reclassering"),
]


def westelijke_mijnstreek_register() -> str:
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.db import transaction

    from beschermdwonen import services
    from beschermdwonen.models import Client
    from regio.models import Municipality, Region, User

    region = Region.objects.unrestricted("demo loader").filter(code=REGION).first()
    user = User.objects.filter(username=ACTING_USER).first()
    if region is None or user is None:
        return f"Beschermd wonen: overgeslagen (regio {REGION} of gebruiker {ACTING_USER} ontbreekt)"
    if Client.objects.unrestricted("demo loader: is the demo register there").filter(region=region).exists():
        return "Beschermd wonen WM: register al gevuld"
    towns = {
        m.code: m
        for m in Municipality.objects.unrestricted("demo loader").filter(code__in=["GM1883", "GM0971", "GM0888"])
    }
    try:
        with transaction.atomic():
            clients = {}
            for number, code, since, born in CLIENTS:
                clients[number] = services.register_client(
                    user=user,
                    region=region,
                    municipality=towns[code],
                    valid_from=since,
                    reference=f"{PREFIX}{number:03}",
                    birth_year=born,
                )
            number, code, since = MOVE
            services.record_move(user=user, client=clients[number], municipality=towns[code], valid_from=since)
            notifications = [
                services.record_notification(user=user, client=clients[n], notified_on=on, kind=kind, notified_by=who)
                for n, on, kind, who in NOTIFICATIONS
            ]
            assessment = services.start_assessment(
                user=user, notification=notifications[0], advice_kind="ggd", advice_cost=Decimal("450.00")
            )
            services.add_assessment_hours(
                user=user, assessment=assessment, function="Allround consulent Wmo", scale=10, hours=Decimal("7")
            )
            services.add_assessment_hours(
                user=user, assessment=assessment, function="Medewerker Beheer en Planning", scale=8, hours=Decimal("1")
            )
    except (ValidationError, PermissionDenied) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return f"Beschermd wonen WM: niet geladen: {reason}"
    return f"Beschermd wonen WM: {len(CLIENTS)} cliënten, {len(NOTIFICATIONS)} meldingen, 1 onderzoek"


# -- Part A of issue 13: more clients, indications, advice, a disagreement and a replacement ------------------------

# 24 more clients, 8 per municipality, starting over 2022-2026 (deterministic, demo pseudonyms 013-036).
MORE_TOWNS = ["GM1883", "GM0971", "GM0888"]


def _more_clients():
    out = []
    for i in range(24):
        number = 13 + i
        code = MORE_TOWNS[i % 3]
        since = date(2022 + (i * 5) // 24, 1 + (i * 7) % 12, 1 + (i * 3) % 27)
        out.append((number, code, since, 1950 + (i * 7) % 55))
    return out


def _indication_plan(number: int, since: date):
    """(product, decided_on, care_start, ends_on, delivery): the arrangement for most, Begeleiding (+B&B) decided by
    the member for some; a few ended; a few decided in December 2023 with care starting in 2024, so that the two rules
    of annex 3 differ when the objective model is set to 1-1-2024 on the objective-model page."""
    decided = since
    start = since if number % 5 else date(since.year, since.month, min(since.day + 14, 28))
    if number % 9 == 0 and since.year == 2023:
        decided, start = date(2023, 12, 15), date(2024, 1, 8)
    product = "arrangement" if number % 4 else ("begeleiding" if number % 8 else "bb_basis")
    ends = date(start.year + 1, start.month, 1) if number % 11 == 0 else None
    delivery = "pgb" if number % 6 == 0 else "in_kind"
    return product, decided, start, ends, delivery


def westelijke_mijnstreek_access() -> str:
    """Indications for the register, more clients (a few dozen in all), advice requests from Stein and Beek (one
    awaiting the member's decision), a disagreement and a replacement without hand-over. Idempotent: skipped when the
    register already holds indications."""
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.db import transaction

    from beschermdwonen import services
    from beschermdwonen.models import Client, Indication
    from regio.models import Municipality, Region, User

    region = Region.objects.unrestricted("demo loader").filter(code=REGION).first()
    team = User.objects.filter(username=ACTING_USER).first()
    stein = User.objects.filter(username="stein-bw").first()
    beek = User.objects.filter(username="beek-bw").first()
    if region is None or team is None or stein is None or beek is None:
        return "Beschermd wonen (toegang): overgeslagen (regio of gebruikers ontbreken)"
    clients = {
        int(c.reference.removeprefix(PREFIX)): c
        for c in Client.objects.unrestricted("demo loader").filter(region=region, reference__startswith=PREFIX)
    }
    if not clients:
        return "Beschermd wonen (toegang): overgeslagen (het register is niet geladen)"
    if (
        Indication.objects.unrestricted("demo loader: are the indications there")
        .filter(client__region=region)
        .exists()
    ):
        return "Beschermd wonen (toegang): al geladen"
    towns = {m.code: m for m in Municipality.objects.unrestricted("demo loader").filter(code__in=MORE_TOWNS)}
    since_of = {number: since for number, _code, since, _born in CLIENTS}
    try:
        with transaction.atomic():
            for number, code, since, born in _more_clients():
                since_of[number] = since
                clients[number] = services.register_client(
                    user=team,
                    region=region,
                    municipality=towns[code],
                    valid_from=since,
                    reference=f"{PREFIX}{number:03}",
                    birth_year=born,
                )
            indications = 0
            for number, client in sorted(clients.items()):
                product, decided, start, ends, delivery = _indication_plan(number, since_of[number])
                if decided > date.today() or start > date(date.today().year + 1, 12, 31):
                    continue
                services.record_indication(
                    user=team,
                    client=client,
                    product=product,
                    decided_on=decided,
                    care_start=start,
                    ends_on=ends,
                    delivery=delivery,
                    own_contribution_reported_on=decided if product == "arrangement" else None,
                )
                indications += 1
            # Advice requests (annex 2 §2, §4): Stein's awaits its own decision, Beek's was decided, one is new.
            waiting = services.request_advice(
                user=stein,
                region=region,
                requested_on=date(2025, 9, 1),
                case_reference="STEIN-2025-014",
                question="Is begeleiding met bereikbaarheid en beschikbaarheid (basis) passend?",
                situation="Zelfstandig wonend, psychische problematiek, dreigt vast te lopen met wonen en financiën.",
                current_support="Ambulante begeleiding 2 uur per week.",
            )
            services.give_advice(
                user=team,
                advice=waiting,
                advised_on=date(2025, 9, 22),
                begeleiding=True,
                bb="basis",
                text="Begeleiding individueel met B&B basis; gespreksverslag volgt apart.",
                client=clients[14],
            )
            decided = services.request_advice(
                user=beek,
                region=region,
                requested_on=date(2025, 4, 7),
                case_reference="BEEK-2025-003",
                question="Welke ondersteuning past bij uitstroom uit de kliniek?",
                situation="Na opname terug naar een eigen woning; behoefte aan structuur en bereikbaarheid.",
            )
            services.give_advice(
                user=team,
                advice=decided,
                advised_on=date(2025, 4, 28),
                begeleiding=True,
                bb="intensief",
                text="Begeleiding individueel met B&B intensief.",
            )
            services.record_member_decision(
                user=beek,
                advice=decided,
                decision="partly",
                decided_on=date(2025, 5, 12),
                note="Beek kent begeleiding toe met B&B basis; intensief niet nodig na eigen gesprek.",
            )
            services.request_advice(
                user=beek,
                region=region,
                requested_on=date(2025, 11, 3),
                case_reference="BEEK-2025-011",
                question="Past beschermd wonen of is begeleiding thuis voldoende?",
                situation="Verslavingsproblematiek, woont bij familie, situatie onder druk.",
            )
            disagreement = services.open_disagreement(
                user=team,
                client=clients[11],
                opened_on=date(2025, 6, 16),
                subject="Welke gemeente is verantwoordelijk na de verhuizing tijdens het onderzoek?",
                advice=decided,
            )
            services.add_disagreement_step(
                user=team, disagreement=disagreement, taken_on=date(2025, 6, 30), step="Ambtelijk overleg"
            )
            replacement = services.report_untenable(
                user=team,
                client=clients[3],
                reported_on=date(2025, 10, 6),
                reason="Aanbieder kan de veiligheid op de huidige locatie niet meer waarborgen.",
                responsible_provider="Zorggroep Westelijke Mijnstreek (demo)",
            )
            services.plan_case_meeting(
                user=team,
                replacement=replacement,
                meeting_on=date(2025, 10, 20),
                invited_providers="Stichting Beschut Wonen Zuid (demo), Wooncentrum De Linde (demo)",
            )
    except (ValidationError, PermissionDenied) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return f"Beschermd wonen (toegang): niet geladen: {reason}"
    return (
        f"Beschermd wonen (toegang): {len(clients)} cliënten, {indications} indicaties, 3 adviesvragen, "
        "1 geschil, 1 herplaatsing"
    )

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

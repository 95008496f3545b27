"""Demo step of the money of beschermd wonen (issue 13 part B), after the register's step: the Westelijke Mijnstreek's
realised costs of 2025 imported from the Wmo system (CSV: the costs of SPEC §7's example, Sittard-Geleen 1.200.000,
Stein 300.000, Beek 200.000) and a WMO303 declaration of January 2026 (a test BSN, pseudonymised at the door);
consultation hours Stein and Beek asked for in 2025; the 2025 fees stored, so that the invoicing step bills them; and
the execution costs of 2025 settled per member by clients (annex 3 §4), billed by the same invoicing step.
The Maastricht budget (1.500.000 for existing clients in 2025) and the execution costs come from
``demo/50-beschermd-wonen-westelijke-mijnstreek.yaml``. Idempotent: the same files book nothing twice.
"""

from __future__ import annotations

from decimal import Decimal

REGION = "westelijke-mijnstreek"
ACTING_USER = "sittard-geleen-bw"
YEAR = 2025
# (pseudonymous reference, municipality, product, amount): SPEC §7's example as client costs of 2025.
COSTS_2025 = [
    ("BW-WM-DEMO-001", "GM1883", "BW-ARR", "412500,00"),
    ("BW-WM-DEMO-002", "GM1883", "BW-ARR", "398000,00"),
    ("BW-WM-DEMO-003", "GM1883", "BW-BEG", "389500,00"),
    ("BW-WM-DEMO-007", "GM0971", "BW-ARR", "176250,00"),
    ("BW-WM-DEMO-008", "GM0971", "BW-BEG", "123750,00"),
    ("BW-WM-DEMO-010", "GM0888", "BW-ARR", "200000,00"),
]
DEMO_BSN = "999990019"  # a test number of the BRP test set (passes the 11-test); no real person
CONSULTATIONS = [("BW-WM-DEMO-008", "GM0971", Decimal("3")), ("BW-WM-DEMO-011", "GM0888", Decimal("2.5"))]


def costs_csv() -> bytes:
    rows = "".join(f"{r};{m};{p};01-01-{YEAR};31-12-{YEAR};{a}\n" for r, m, p, a in COSTS_2025)
    return ("client;gemeente;product;begindatum;einddatum;bedrag\n" + rows).encode()


def wmo303() -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Bericht xmlns="http://www.istandaarden.nl/iwmo/3_2/wmo303/schema">
<Header><BerichtCode>447</BerichtCode><BerichtVersie>3</BerichtVersie><BerichtSubversie>2</BerichtSubversie>
<Afzender>99990001</Afzender><Ontvanger>1883</Ontvanger><DeclaratieNummer>DEMO-2026-01</DeclaratieNummer></Header>
<Client><Bsn>{DEMO_BSN}</Bsn><Prestaties><Prestatie>
<ProductReferentie><ReferentieNummer>DEMO-2026-01-1</ReferentieNummer></ProductReferentie>
<ToewijzingNummer>DEMO-T1</ToewijzingNummer><ProductCategorie>41</ProductCategorie><ProductCode>BW-ARR</ProductCode>
<ProductPeriode><Begindatum>{YEAR + 1}-01-01</Begindatum><Einddatum>{YEAR + 1}-01-31</Einddatum></ProductPeriode>
<GeleverdVolume>31</GeleverdVolume><Eenheid>14</Eenheid><ProductTarief>11950</ProductTarief>
<IngediendBedrag><Bedrag>370450</Bedrag><DebetCredit>D</DebetCredit></IngediendBedrag></Prestatie></Prestaties></Client>
</Bericht>""".encode()


def westelijke_mijnstreek_money() -> str:
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.db import transaction

    from beschermdwonen import costimport, services
    from beschermdwonen import fees as fee_services
    from beschermdwonen.models import Assessment, Notification
    from regio.models import Municipality, Region, User

    region = Region.objects.unrestricted("demo loader").filter(code=REGION).first()
    user = User.objects.filter(username=ACTING_USER).first()
    if region is None or user is None:
        return f"Beschermd wonen geld: overgeslagen (regio {REGION} of gebruiker {ACTING_USER} ontbreekt)"
    towns = {m.code: m for m in Municipality.objects.unrestricted("demo loader").filter(code__in=["GM1883"])}
    towns.update(
        {m.code: m for m in Municipality.objects.unrestricted("demo loader").filter(code__in=["GM0971", "GM0888"])}
    )
    done = []
    try:
        with transaction.atomic():
            for filename, content in ((f"wmo-export-{YEAR}.csv", costs_csv()), ("wmo303-2026-01.xml", wmo303())):
                result = costimport.import_costs(
                    user=user, region=region, municipality=towns["GM1883"], filename=filename, content=content
                )
                done.append(f"{filename}: {result.booked} geboekt")
            for reference, code, hours in CONSULTATIONS:
                notification = (
                    Notification.objects.unrestricted("demo loader")
                    .filter(client__region=region, client__reference=reference, notified_on__year=YEAR)
                    .first()
                )
                if notification is None:
                    continue
                if not Assessment.objects.unrestricted("demo loader").filter(notification=notification).exists():
                    services.start_assessment(
                        user=user,
                        notification=notification,
                        consultation_hours=hours,
                        consultation_requested_by=towns[code],
                    )
            stored = fee_services.store_fees(user=user, region=region, year=YEAR)
            done.append(f"{len(stored)} vergoedingen {YEAR}")
    except (ValidationError, PermissionDenied) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return f"Beschermd wonen geld WM: niet geladen: {reason}"
    return "Beschermd wonen geld WM: " + ", ".join(done)


def westelijke_mijnstreek_execution() -> str:
    """The 2025 execution costs of the Westelijke Mijnstreek (the formation on budget basis of the region file,
    240.000, no recalculation yet) split by the clients resident on 1-1-2025 (annex 3 §4)."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from beschermdwonen.execution import settle_execution_costs
    from regio.models import Region, User

    region = Region.objects.unrestricted("demo loader").filter(code=REGION).first()
    user = User.objects.filter(username=ACTING_USER).first()
    if region is None or user is None:
        return f"Beschermd wonen uitvoeringskosten: overgeslagen (regio {REGION} of gebruiker {ACTING_USER} ontbreekt)"
    try:
        stored = settle_execution_costs(user=user, region=region, year=YEAR)
    except (ValidationError, PermissionDenied) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return f"Beschermd wonen uitvoeringskosten: niet afgerekend: {reason}"
    return f"Beschermd wonen uitvoeringskosten {YEAR}: {len(stored)} gemeenten"

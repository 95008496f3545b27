"""Demo steps of inkoop-b (issue 16): a half-yearly care-use report for Brabant Noordoost-oost over its members
(BNO 4) and, for Maastricht-Heuvelland, a development table with proposals in every state (MH 1.6-7.5).

Both act through the services as the system actor and are idempotent: the care-use file is the same bytes every
time (the import recognises it), and the development table is built once. Names of providers and people are
invented; KvK and AGB numbers have the right shape only.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.utils import timezone

from inkoop.models import Contribution, DevelopmentTable, Provider
from inkoop.services import care_use_import, contributions, development
from inkoop.services.providers import create_provider
from regio.models import Region
from regio.tenancy import system_actor

BNO_PRODUCTS = [
    ("01A01", "huishouden", "Thuiszorg De Maasoever", "uur"),
    ("02A01", "begeleiding", "Begeleiding Oost-Brabant", "uur"),
    ("03A01", "dagbesteding", "Dagbesteding Het Peelhuis", "dagdeel"),
    ("04A01", "kortdurend_verblijf", "Logeerhuis De Linde", "etmaal"),
    ("05A01", "hulpmiddelen", "Hulpmiddelen Zuid BV", "stuk"),
    ("06A01", "vervoer", "Vervoer Regio Oost", "rit"),
]
PRICES = {"uur": 62, "dagdeel": 48, "etmaal": 135, "stuk": 410, "rit": 14}


def _number(*parts) -> int:
    """A fixed pseudo-random number from its parts: the same demo every time, no random module."""
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def _bno_rows(region, year: int, half: int) -> list[str]:
    start_month = 1 if half == 1 else 7
    rows = []
    for member in region.members_on(date(year, start_month, 1)).order_by("code"):
        figure = (
            member.population_figures.unrestricted("demo: the member's public CBS figure")
            .order_by("-reference_date")
            .first()
        )
        inhabitants = figure.inhabitants if figure else 40000
        # Between 1,2 and 2,4 clients per 1.000 inhabitants, so that the members differ visibly.
        clients = inhabitants * (12 + _number(member.code) % 13) // 10000
        for c in range(clients):
            client = f"BNO-{member.code[2:]}-{c:04d}"
            kinds = [BNO_PRODUCTS[_number(client) % 4]]
            if _number(client, "samenloop") % 4 == 0:  # about one in four also has a second kind (samenloop)
                kinds.append(BNO_PRODUCTS[4 + _number(client, 2) % 2])
            for product, kind, provider, unit in kinds:
                month = start_month + _number(client, product) % 3
                volume = 4 + _number(client, product, "v") % 40
                amount = volume * PRICES[unit]
                end = date(year, start_month + 5, 30 if start_month + 5 == 6 else 31)
                rows.append(
                    f"{client};{member.code};{product};{kind};{provider};;01-{month:02d}-{year};"
                    f"{end:%d-%m-%Y};{volume};{unit};{amount},00"
                )
    return rows


def bno_care_use_report() -> str:
    """Care use of the last completed half-year for every member of Brabant Noordoost-oost, imported by Oss."""
    region = Region.objects.unrestricted("demo").filter(code="brabant-noordoost-oost").first()
    if region is None:
        return "Brabant Noordoost-oost ontbreekt; geen zorggebruik"
    today = timezone.localdate()
    year, half = (today.year - 1, 2) if today.month <= 6 else (today.year, 1)
    header = "client;gemeente;product;soort;aanbieder;agb;begindatum;einddatum;omvang;eenheid;bedrag"
    content = ("\n".join([header, *_bno_rows(region, year, half)]) + "\n").encode()
    result = care_use_import.import_care_use(
        user=system_actor("demo: zorggebruik BNO"),
        region=region,
        municipality=region.coordinator_on(today),
        filename=f"zorggebruik-bno-{year}-h{half}.csv",
        content=content,
    )
    again = " (al ingelezen)" if result.again else ""
    return f"BNO {year} halfjaar {half}: {result.lines} regels zorggebruik{again}"


MH_PROVIDERS = [
    ("Zorggroep Heuvelland", "61234567", "03010001", "groot", True, False),
    ("Thuiszorg Mergelland", "61234568", "03010002", "groot", True, False),
    ("Dagbesteding De Geul", "61234569", "03010003", "klein", True, True),
    ("Begeleiding Vaals-Oost", "61234570", "03010004", "domein", True, False),
    ("PGB-Collectief Zuid", "61234571", "", "pgb", False, True),
    ("Jeugdhulp Maasdal", "61234572", "03010006", "domein", True, False),
]


def mh_development_table() -> str:
    """The participant list, two tables with published compositions, meetings (one asked for by a provider),
    proposals in every state with their dated steps and the boards' decisions, reactions and a signal."""
    actor = system_actor("demo: ontwikkeltafel Maastricht-Heuvelland")
    region = Region.objects.unrestricted("demo").filter(code="maastricht-heuvelland").first()
    if region is None:
        return "Maastricht-Heuvelland ontbreekt; geen ontwikkeltafel"
    if DevelopmentTable.objects.unrestricted("demo: idempotent").filter(region=region).exists():
        return "ontwikkeltafel Maastricht-Heuvelland bestaat al"
    today = timezone.localdate()
    start = date(today.year - 1, 1, 15)
    signatories = {}
    for n, (name, kvk, agb, reason, in_kind, pgb) in enumerate(MH_PROVIDERS):
        provider = Provider.objects.unrestricted("demo").filter(region=region, kvk_number=kvk).first()
        if provider is None:
            provider = create_provider(
                user=actor,
                region=region,
                name=name,
                kvk_number=kvk,
                agb_code=agb,
                city="Maastricht",
                in_kind=in_kind,
                personal_budget=pgb,
            )
        signed = development.sign(
            user=actor, region=region, provider=provider, signed_on=start + timedelta(days=7 * n)
        )
        signatories[name] = (signed, reason)
    development.leave(user=actor, signatory=signatories["Jeugdhulp Maasdal"][0], left_on=start + timedelta(days=200))
    admin = development.create_table(
        user=actor,
        region=region,
        theme="Administratieve lasten",
        description="Eén manier van declareren en verantwoorden voor alle zes gemeenten.",
    )
    daycare = development.create_table(user=actor, region=region, theme="Dagbesteding en begeleiding")
    for signatory, reason in list(signatories.values())[:5]:
        development.add_seat(
            user=actor,
            table=admin,
            signatory=signatory,
            reason=reason,
            explanation="afspiegeling naar marktaandeel, domein en geldstroom (MH 4.3)",
        )
    development.add_seat(user=actor, table=daycare, signatory=signatories["Dagbesteding De Geul"][0], reason="klein")
    development.publish_composition(user=actor, table=admin, on=start + timedelta(days=60))
    asked = development.request_meeting(
        user=actor,
        table=admin,
        signatory=signatories["Dagbesteding De Geul"][0],
        subject="Declaratieformaat iWmo",
        on=start + timedelta(days=70),
    )
    held = development.plan_meeting(
        user=actor, table=admin, subject="Declaratieformaat iWmo", held_on=start + timedelta(days=90), meeting=asked
    )
    development.record_meeting(user=actor, meeting=held, minutes="Voorstellen 1 en 2 besproken; 1 wordt uitgewerkt.")
    development.request_meeting(
        user=actor,
        table=daycare,
        signatory=signatories["Begeleiding Vaals-Oost"][0],
        subject="Wachtlijsten dagbesteding",
        on=today - timedelta(days=3),
    )
    members = list(region.members_on(today).order_by("name"))
    by = [signatories["Zorggroep Heuvelland"][0], signatories["Dagbesteding De Geul"][0], None]
    plans = [
        ("Eén declaratieformaat voor alle gemeenten", "decided"),
        ("Gezamenlijke kwaliteitseisen dagbesteding", "at_boards"),
        ("Kortere betaaltermijn voor kleine aanbieders", "consultation"),
        ("Wachtlijstinformatie delen", "elaborating"),
        ("Vaste contactpersoon per aanbieder", "declined"),
        ("Omzetgarantie in 2027", "provisional"),
    ]
    for n, (title, goal) in enumerate(plans):
        day = start + timedelta(days=100 + 20 * n)
        signatory = by[n % 3]
        proposal = development.submit_proposal(
            user=actor,
            table=admin if n % 2 == 0 else daycare,
            title=title,
            summary=f"{title}: voorlopig voorstel (MH 1.6).",
            on=day,
            signatory=signatory,
            municipality=None if signatory else members[0],
        )
        if goal == "provisional":
            continue
        development.table_decides(
            user=actor,
            proposal=proposal,
            work_out=goal != "declined",
            on=day + timedelta(30),
            note="Besproken in het fysieke overleg.",
        )
        if goal in ("declined", "elaborating"):
            continue
        if goal == "consultation":
            published, until = today - timedelta(days=5), today + timedelta(days=25)
        else:
            published, until = day + timedelta(40), day + timedelta(70)
        proposal = development.publish_for_reactions(
            user=actor,
            proposal=proposal,
            elaboration=f"{title}: uitgewerkt voorstel (MH 1.7).",
            on=published,
            reactions_until=until,
        )
        contribution = Contribution.objects.create(
            region=region,
            proposal=proposal,
            kind="reaction",
            text="Wij steunen dit voorstel.",
            organisation="Cliëntenraad Heuvelland",
            received_on=published + timedelta(days=2),
        )
        contributions.judge(user=actor, contribution=contribution, agenda=True, on=published + timedelta(days=4))
        if goal == "consultation":
            continue
        development.put_to_boards(user=actor, proposal=proposal, on=until + timedelta(days=10))
        deciding = members if goal == "decided" else members[:3]
        for k, municipality in enumerate(deciding):
            development.record_board_decision(
                user=actor,
                proposal=proposal,
                municipality=municipality,
                adopted=k != 4,
                on=until + timedelta(days=20 + k),
            )
    contributions.send_signal(region=region, text="Aanbieders in Vaals krijgen de nieuwe tarieven laat te horen.")
    return f"ontwikkeltafel Maastricht-Heuvelland: {len(signatories)} deelnemers, 2 tafels, {len(plans)} voorstellen"

"""Demo step (issue 12, part B): Brabant Noordoost-oost's annual report of 2023 drawn up, its settlement proposal per
municipality awaiting adoption (BNO 10.5-10.6). The region file ``demo/30-costsharing-brabant-noordoost-oost.yaml``
holds the purchasing plan 2022-2023 with the colleges' adoptions (BNO 11.1), the budget (and so the advances) and the
invented actual costs of 2023; this step writes the content report and draws the report up through the service,
acting as Oss's demo coordinator. Idempotent: the same text and figures give back version 1.

2023 is the last year of the seed's scheme (BNO 11.2: costs "voor de jaren 2020 tot en met 2023"; BNO 22.2), so its
report (due 30-04-2024) is the one the seed still asks for.
"""

from __future__ import annotations

REGION = "brabant-noordoost-oost"
YEAR = 2023
ACTING_USER = "oss-coordinator"
CONTENT = (
    "Inkoop Wmo 2023 (demotekst). In 2023 is de aanbesteding van hulp bij het huishouden voor 2024 afgerond en zijn "
    "de raamovereenkomsten begeleiding met een jaar verlengd. Het contractmanagement voerde met alle aanbieders twee "
    "voortgangsgesprekken; de toezichthouders Wmo onderzochten 14 signalen, waarvan 3 leidden tot een "
    "verbetertraject. Het portefeuillehoudersoverleg is drie keer bijeengekomen (BNO 8.2)."
)


def draw_up_bno_annual_report() -> str:
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.db import transaction

    from costsharing import services
    from regio.models import Region, User

    region = (
        Region.objects.unrestricted(
            "the demo step finds its region by code; it acts as the demo user through the services"
        )
        .filter(code=REGION)
        .first()
    )
    user = User.objects.filter(username=ACTING_USER).first()
    if region is None or user is None:
        return f"BNO jaarverslag {YEAR}: overgeslagen (regio {REGION} of gebruiker {ACTING_USER} ontbreekt)"
    try:
        with transaction.atomic():
            version = services.draw_up_annual_report(user=user, region=region, year=YEAR, content=CONTENT)
    except (ValidationError, PermissionDenied) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return f"BNO jaarverslag {YEAR}: niet opgesteld: {reason}"
    state = "vastgesteld" if version.report.adopted_on else "voorstel wacht op vaststelling"
    return f"BNO jaarverslag {YEAR}: versie {version.number}, {state}"

"""Demo step of the leaver's bill (BNO 15.4): Boekel's withdrawal from the Centrumregeling Wmo Brabant Noordoost-oost
per 1 January 2023 (a demo scenario, the same one the agreements tests walk: notice by registered letter on
15-03-2021), its final statement drawn up with the obligations until 1-1-2024 and its key share of the liquidation
costs, and adopted. The amounts are invented demo figures and say so.

Registered in ``CostsharingConfig.ready()``; it acts as the centre municipality's demo user through the services and
is idempotent: once the statement exists, a second run changes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from regio.formatting import format_amount, format_date

REGION = "brabant-noordoost-oost"
AGREEMENT = "BNO-2020"
LEAVER = "GM0755"  # Boekel
ACTING_USER = "oss-coordinator"
RECEIVED = date(2021, 3, 15)
COUNCIL_CONSENT = date(2021, 3, 4)  # BNO 15.1: the council of Boekel consents (demo date)
COLLEGE_DECISION = date(2021, 3, 9)  # then its college decides to withdraw (demo date)
ENTERED = [
    (
        "obligations",
        "Uitvoeringskosten centrumgemeente 2023 (demobedrag)",
        "Inkoopplan 2022-2023, kosten vastgesteld door de colleges (BNO 11.1); demobedrag",
        "2400000.00",
        True,
    ),
    (
        "obligations",
        "Contractuele verplichtingen met aanbieders 2023 (demobedrag)",
        "Raamcontracten Wmo tot en met 31-12-2023, zorggebruik inwoners Boekel; demobedrag",
        "85000.00",
        False,
    ),
    (
        "liquidation",
        "Opheffings- of liquidatiekosten (demobedrag)",
        "Liquidatieplan: werkelijke kosten van de opheffing (BNO 15.4); demobedrag",
        "150000.00",
        True,
    ),
]


def bno_leaver_statement() -> str:
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.db import transaction

    from agreements import services as agreement_services
    from agreements.models import Agreement, Notice, NoticeStatus
    from costsharing import services
    from costsharing.models import ExitStatement, ExitStatus
    from regio.models import Municipality, User

    label = "BNO uittreding Boekel"
    agreement = Agreement.objects.unrestricted("demo loader").filter(code=AGREEMENT).first()
    leaver = Municipality.objects.unrestricted("demo loader").filter(code=LEAVER).first()
    user = User.objects.filter(username=ACTING_USER).first()
    if agreement is None or leaver is None or user is None:
        return f"{label}: overgeslagen ({AGREEMENT}, {LEAVER} of {ACTING_USER} ontbreekt)"
    done = ExitStatement.objects.unrestricted("demo loader").filter(agreement=agreement, municipality=leaver).first()
    if done is not None:
        return f"{label}: eindafrekening bestaat al ({done.get_status_display().lower()})"
    try:
        with transaction.atomic():
            notice = (
                Notice.objects.unrestricted("demo loader")
                .filter(agreement=agreement, municipality=leaver)
                .exclude(status=NoticeStatus.WITHDRAWN)
                .first()
            )
            if notice is None:
                notice = agreement_services.receive_notice(
                    user=user,
                    agreement=agreement,
                    municipality=leaver,
                    received_on=RECEIVED,
                    kind="uittreding",
                    registered_letter=True,
                    letter_reference="DEMO-scenario",
                )
            if notice.status == NoticeStatus.RECEIVED:
                notice = agreement_services.register_notice(user=user, notice=notice, on=RECEIVED)
            if agreement_services.needs_withdrawal_consent(notice) and not notice.college_decision_on:
                # BNO 15.1: the college decides after the council's consent (the demo's dates).
                notice = agreement_services.record_withdrawal_decision(
                    user=user, notice=notice, council_consent_on=COUNCIL_CONSENT, college_decision_on=COLLEGE_DECISION
                )
            if notice.status == NoticeStatus.REGISTERED:
                notice = agreement_services.effect_notice(user=user, notice=notice, on=notice.exit_date)
            statement = services.draw_up_exit_statement(user=user, notice=notice)
            for kind, description, basis, amount, by_key in ENTERED:
                services.enter_exit_amount(
                    user=user,
                    statement=statement,
                    kind=kind,
                    description=description,
                    basis=basis,
                    amount=Decimal(amount),
                    by_key=by_key,
                )
            statement = services.finalise_exit_statement(user=user, statement=statement)
    except (ValidationError, PermissionDenied) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return f"{label}: niet opgesteld: {reason}"
    total = services.statement_total(statement)
    state = "vastgesteld" if statement.status == ExitStatus.FINAL else statement.get_status_display()
    return f"{label}: eindafrekening per {format_date(statement.exit_date)} {state}, totaal {format_amount(total)}"

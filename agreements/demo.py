"""Demo steps of governance (issue #15), after the region files: a WM dispute on the 2025 settlement resolved in the
bestuurlijk overleg of 16-04-2026 (WM-SO 14.2-14.3); a BNO amendment waiting for two councils' consent (BNO
13.2-13.3; dated 2023, as BNO-2020 ran until 31-12-2023); the attendance of the BNO portfolio holders' meeting with the
subregions' delegates (BNO 8.1, 9.4); an information request and a progress report (BNO 10.2, 10.4). Dates and texts
are demo data and say so.

Registered in ``AgreementsConfig.ready()``; each acts as the coordinating municipality's demo user through the
services and is idempotent: what exists already is left as it is.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

DISPUTE_SUBJECT = "Afrekening 2025: verdeling van de kosten van juridisch advies"
AMENDMENT_TITLE = "Wijziging artikel 11: kosten van de uitvoeringsorganisatie (demo)"


def _user(username: str):
    from regio.models import User

    return User.objects.filter(username=username).first()


def _objects(code_agreement: str, codes: list[str]):
    from agreements.models import Agreement
    from regio.models import Municipality

    agreement = Agreement.objects.unrestricted("demo loader").filter(code=code_agreement).first()
    found = {m.code: m for m in Municipality.objects.unrestricted("demo loader").filter(code__in=codes)}
    return agreement, found


def westelijke_mijnstreek_dispute() -> str:
    from agreements import services
    from agreements.models import Dispute

    label = "WM geschil afrekening 2025"
    user = _user("sittard-geleen-coordinator")
    agreement, found = _objects("WM-SO-2025", ["GM0888"])
    if user is None or agreement is None or "GM0888" not in found:
        return f"{label}: overgeslagen (WM-SO-2025, Beek of sittard-geleen-coordinator ontbreekt)"
    existing = Dispute.objects.unrestricted("demo loader").filter(agreement=agreement, subject=DISPUTE_SUBJECT).first()
    if existing is not None:
        return f"{label}: bestaat al ({existing.get_status_display().lower()})"
    with transaction.atomic():
        dispute = services.report_dispute(
            user=user,
            agreement=agreement,
            raised_by=found["GM0888"],
            reported_on=date(2026, 3, 2),
            letter_reference="BEEK/2026/0142 (demo)",
            subject=DISPUTE_SUBJECT,
            reasons=(
                "Beek meent dat de kosten van extern juridisch advies over een geschil met een zorgaanbieder in de "
                "afrekening 2025 onder personeelskosten zijn verdeeld in plaats van als kostensoort g van WM-SO 6.1, "
                "zodat Beek een te groot aandeel betaalt (demo)."
            ),
        )
        services.decide_dispute(
            user=user,
            dispute=dispute,
            decided_on=date(2026, 4, 16),
            resolved=True,
            decision=(
                "De kosten van extern advies worden als kostensoort g (WM-SO 6.1) opgenomen en met de sleutel van "
                "WM-SO 6.2 verdeeld; de correctie volgt in de afrekening 2026 (demo)."
            ),
            best_practices="Externe adviezen over geschillen apart boeken met het kenmerk van het geschil (demo).",
            legal_costs_amount=Decimal("1250.00"),
            legal_costs_split="afrekening",
            legal_costs_category="dispute_advice",
        )
    return f"{label}: gemeld door Beek, opgelost in het bestuurlijk overleg van 16-04-2026"


def brabant_amendment_waiting_for_councils() -> str:
    from agreements import services
    from agreements.models import Amendment, Meeting, Subregion

    label = "BNO wijziging wacht op twee raden"
    user = _user("oss-coordinator")
    codes = ["GM0828", "GM1721", "GM1982", "GM1991"]
    agreement, found = _objects("BNO-2020", codes)
    if user is None or agreement is None or len(found) != len(codes):
        return f"{label}: overgeslagen (BNO-2020, de gemeenten of oss-coordinator ontbreken)"
    if Amendment.objects.unrestricted("demo loader").filter(agreement=agreement, title=AMENDMENT_TITLE).exists():
        return f"{label}: bestaat al"
    with transaction.atomic():
        amendment = services.propose_amendment(
            user=user,
            agreement=agreement,
            title=AMENDMENT_TITLE,
            proposed_by=found["GM1721"],
            proposed_on=date(2023, 1, 16),
            description="Voorstel van het college van Bernheze (BNO 13.1), demo.",
            is_addendum=False,
        )
        services.record_amendment_advice(user=user, amendment=amendment, advised_on=date(2023, 2, 9))
        services.send_amendment_to_colleges(user=user, amendment=amendment, sent_on=date(2023, 2, 13))
        for code, council, college in (
            ("GM0828", date(2023, 3, 9), date(2023, 3, 14)),
            ("GM1721", date(2023, 3, 2), date(2023, 3, 7)),
        ):
            services.record_decision(
                user=user,
                subject=amendment,
                municipality=found[code],
                in_favour=True,
                decided_on=college,
                council_consent_on=council,
            )
        meeting = (
            Meeting.objects.unrestricted("demo loader").filter(region=agreement.region, date=date(2023, 2, 9)).first()
        )
        if meeting is not None:
            subregions = {s.name: s for s in Subregion.objects.unrestricted("demo loader").filter(agreement=agreement)}
            people = [
                ("W. van der Linden (demo)", "GM0828", "portefeuillehouder Wmo", None),
                ("E. Smits (demo)", "GM1721", "portefeuillehouder Wmo", None),
                ("R. Peters (demo)", "GM1982", "portefeuillehouder Wmo", None),
                ("K. de Groot (demo)", "GM1991", "portefeuillehouder Wmo", None),
                ("M. Verhoeven (demo)", "GM1721", "ambtelijk vertegenwoordiger", "Maasland"),
                ("A. Hendriks (demo)", "GM1982", "ambtelijk vertegenwoordiger", "Land van Cuijk"),
                ("J. van den Berg (demo)", "GM1991", "ambtelijk vertegenwoordiger", "Boekel, Landerd en Uden"),
            ]
            for name, code, function, subregion in people:
                services.record_attendance(
                    user=user,
                    meeting=meeting,
                    name=name,
                    municipality=found[code],
                    function=function,
                    subregion=subregions.get(subregion) if subregion else None,
                )
        services.plan_progress_report(
            user=user, agreement=agreement, title="Voortgangsrapportage inkoop 2023-1 (demo)", due_on=date(2023, 7, 1)
        )
        services.request_information(
            user=user,
            agreement=agreement,
            requested_by=found["GM0828"],
            addressed_to=found["GM1991"],
            subject="Aantallen cliënten per product 2022 (demo)",
            requested_on=date(2023, 5, 1),
            due_on=date(2023, 6, 1),
        )
    return f"{label}: Oss en Bernheze stemden in na toestemming van hun raad; Land van Cuijk en Maashorst nog niet"

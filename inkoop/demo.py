"""The purchasing demo (issue 16), after the region files (``demo/60-inkoop-*.yaml``): Westelijke Mijnstreek's
consent rounds (two contracts signed under the members' mandates, one near its notice deadline, one refused because
Beek gave no consent, one still waiting for Beek), a closed procurement procedure handed over to the members, checked
requirements with evidence and a screening result; Maastricht-Heuvelland's DVOs with their MH 8.2 checklist.
Everything goes through the services as the system actor; idempotent (what exists is left alone)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from agreements.services._common import add_months
from inkoop import services
from inkoop.models import ContractStatus, FrameworkContract, Procedure, Provider, ServiceAgreement
from regio.models import Municipality, Region
from regio.screening import record_screening
from regio.tenancy import system_actor

WM, MH = "westelijke-mijnstreek", "maastricht-heuvelland"
STEIN, BEEK = "GM0971", "GM0888"
NEAR_NOTICE = "WM-RC-2025-03"
# A minimal PDF standing in for a member's letter or a certificate in the demo.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _letter(name: str) -> tuple[str, bytes]:
    return f"{name}.pdf", PDF


def load_purchasing_demo() -> str:
    actor = system_actor("demo inkoop")
    region = Region.objects.unrestricted("demo").filter(code=WM).first()
    if region is None:
        return "Westelijke Mijnstreek ontbreekt: geen inkoopdemo"
    members = {m.code: m for m in Municipality.objects.unrestricted("demo").filter(code__in=[STEIN, BEEK])}
    contracts = {c.reference: c for c in FrameworkContract.objects.unrestricted("demo").filter(region=region)}
    providers = {p.kvk_number: p for p in Provider.objects.unrestricted("demo").filter(region=region)}
    today = timezone.localdate()
    done = []
    if NEAR_NOTICE not in contracts and "27707179" in providers:
        contracts[NEAR_NOTICE] = _near_notice(actor, region, providers["27707179"], today)
    for reference, signed_on in (
        ("WM-RC-2025-01", date(2025, 6, 16)),
        ("WM-RC-2025-02", date(2025, 6, 16)),
        (NEAR_NOTICE, date(2025, 6, 20)),
    ):
        contract = contracts.get(reference)
        if contract is not None and contract.status == ContractStatus.DRAFT:
            _round(actor, contract, members, decided_on=date(2025, 6, 2))
            services.sign_contract(user=actor, contract=contract, signed_on=signed_on)
            done.append(reference)
    refused = contracts.get("WM-RC-2026-04")
    if refused is not None and refused.status == ContractStatus.DRAFT:
        services.open_consent_round(user=actor, contract=refused)
        services.record_consent(
            user=actor,
            contract=refused,
            municipality=members[STEIN],
            decision="akkoord",
            decided_on=date(2025, 11, 4),
            document=_letter("akkoord-stein"),
        )
        services.record_consent(
            user=actor,
            contract=refused,
            municipality=members[BEEK],
            decision="geen_akkoord",
            decided_on=date(2025, 11, 11),
            document=_letter("besluit-beek"),
            note="Beek wil het leerlingenvervoer zelf blijven inkopen.",
        )
        done.append("WM-RC-2026-04 geweigerd")
    waiting = contracts.get("WM-RC-2026-05")
    if waiting is not None and waiting.status == ContractStatus.DRAFT:
        services.open_consent_round(user=actor, contract=waiting)
        services.record_consent(
            user=actor,
            contract=waiting,
            municipality=members[STEIN],
            decision="akkoord",
            decided_on=date(2025, 11, 20),
            document=_letter("akkoord-stein"),
        )
    _procedure(actor, region, providers)
    _file(actor, region, providers)
    _service_agreements(actor)
    return f"inkoop: {len(providers)} aanbieders, getekend/geweigerd: {', '.join(done) or 'al gedaan'}"


def _round(actor, contract, members, *, decided_on: date) -> None:
    services.open_consent_round(user=actor, contract=contract)
    for code in (STEIN, BEEK):
        services.record_consent(
            user=actor,
            contract=contract,
            municipality=members[code],
            decision="akkoord",
            decided_on=decided_on,
            document=_letter(f"akkoord-{code}"),
        )


def _near_notice(actor, region, provider, today: date):
    """Dagbesteding, whose notice deadline falls 45 days from the day the demo is loaded (no extension left)."""
    ends_on = add_months(today + timedelta(days=45), 6)
    contract = services.create_contract(
        user=actor,
        region=region,
        provider=provider,
        reference=NEAR_NOTICE,
        title="Dagbesteding",
        starts_on=date(2025, 7, 1),
        ends_on=ends_on,
        extension_options=0,
        notice_months=6,
    )
    product = services.add_product(user=actor, contract=contract, code="03A01", name="Dagbesteding", unit="dagdeel")
    services.set_tariff(user=actor, product=product, year=2025, amount=Decimal("38.40"))
    services.index_tariffs(user=actor, contract=contract, year=2026, percentage=Decimal("3.9"))
    services.set_budget(user=actor, contract=contract, year=2026, amount=Decimal("720000.00"))
    kpi = services.add_kpi(user=actor, contract=contract, name="Bezettingsgraad", target=Decimal("85"), unit="%")
    services.record_kpi_value(
        user=actor, kpi=kpi, period_start=date(2025, 7, 1), period_end=date(2025, 12, 31), value=Decimal("88")
    )
    services.record_kpi_value(
        user=actor, kpi=kpi, period_start=date(2026, 1, 1), period_end=date(2026, 6, 30), value=Decimal("81")
    )
    return contract


def _procedure(actor, region, providers) -> None:
    """The 2025 tender for support and day care: two lots, awarded, closed and handed over (WM-SO 4.4 a)."""
    if Procedure.objects.unrestricted("demo").filter(reference="WM-AB-2025-01").exists():
        return
    procedure = services.create_procedure(
        user=actor,
        region=region,
        reference="WM-AB-2025-01",
        title="Wmo-begeleiding en dagbesteding 2025",
        kind="sociale_diensten",
        plan_reference="Inkoopplan Wmo 2025-2026",
        published_on=date(2025, 2, 3),
        tender_deadline=date(2025, 3, 17),
    )
    for number, title, kvk in ((1, "Ambulante begeleiding", "46461337"), (2, "Dagbesteding", "27707179")):
        lot = services.add_lot(user=actor, procedure=procedure, number=number, title=title)
        services.award(user=actor, lot=lot, provider=providers[kvk], awarded_on=date(2025, 5, 12))
    services.close_procedure(user=actor, procedure=procedure, closed_on=date(2025, 6, 30))


def _file(actor, region, providers) -> None:
    """Checked requirements with evidence, and a screening result from toezicht through the regio hook."""
    provider = providers.get("62668362")
    if provider is None or provider.requirement_checks.exists():
        return
    services.record_check(
        user=actor,
        provider=provider,
        kind="kwaliteit",
        outcome="voldaan",
        checked_on=date(2025, 5, 20),
        valid_until=date(2027, 5, 19),
        evidence=_letter("hkz-certificaat"),
    )
    services.record_check(user=actor, provider=provider, kind="vog", outcome="voldaan", checked_on=date(2025, 5, 20))
    services.record_check(
        user=actor,
        provider=providers["93388480"],
        kind="verzekering",
        outcome="niet_voldaan",
        checked_on=date(2025, 10, 1),
        note="Polis bedrijfsaansprakelijkheid verlopen.",
    )
    record_screening(
        user=actor,
        region=region,
        kvk_number="46461337",
        source="toezicht",
        reference="TZ-SCR-2025-007",
        screened_on=date(2025, 4, 8),
        outcome="geen bevindingen",
        summary="Preventieve screening vóór gunning (toezicht Wmo).",
    )


def _service_agreements(actor) -> None:
    """Maastricht-Heuvelland: one DVO with every MH 8.2 item, one that still misses the Wnt (d) and j."""
    region = Region.objects.unrestricted("demo").filter(code=MH).first()
    if region is None or ServiceAgreement.objects.unrestricted("demo").filter(region=region).exists():
        return
    providers = list(Provider.objects.unrestricted("demo").filter(region=region).order_by("name"))
    every = dict.fromkeys(services.service_agreements.ITEM_FIELDS, True)
    services.save_service_agreement(
        user=actor,
        region=region,
        reference="MH-DVO-2025-01",
        title="Ondersteuning thuis",
        providers=providers[:1],
        items=every,
        starts_on=date(2025, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    partial = {**every, "has_legislation": False, "has_term_tariffs": False}
    services.save_service_agreement(
        user=actor,
        region=region,
        reference="MH-DVO-2025-02",
        title="Begeleiding",
        providers=providers[1:],
        items=partial,
        starts_on=date(2025, 7, 1),
    )

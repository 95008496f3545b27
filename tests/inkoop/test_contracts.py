"""Framework contracts: the consent round and signing under mandate (WM-SO 4.11, 4.12), budgets within the frame
(BNO 4), tariff indexation, alerts and deadlines (WM-SO 2.4 b-c)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agreements.services._common import add_months
from inkoop import selectors, services
from inkoop.models import ContractStatus, MemberConsent, Tariff
from regio.deadlines import deadlines_for
from tests.inkoop.builders import PDF, contract, mandates

pytestmark = pytest.mark.django_db


def _in_round(world, **fields):
    row = contract(world, **fields)
    return services.open_consent_round(user=world.user("a1", "coordinator"), contract=row)


def _consent(world, row, code, decision="akkoord", document=("akkoord.pdf", PDF)):
    return services.record_consent(
        user=world.user("a1", "coordinator"),
        contract=row,
        municipality=getattr(world, code),
        decision=decision,
        decided_on=date(2025, 6, 2),
        document=document,
    )


def test_wm_so_4_11_signing_is_refused_without_every_members_written_consent(world):
    mandates(world)
    row = _in_round(world)
    _consent(world, row, "a2")
    with pytest.raises(ValidationError) as exc:
        services.sign_contract(user=world.user("a1", "coordinator"), contract=row, signed_on=date(2025, 6, 16))
    assert "Landgraaf heeft (nog) geen schriftelijk akkoord gegeven (WM-SO 4.11)." in exc.value.messages
    row.refresh_from_db()
    assert row.status == ContractStatus.CONSENT and row.signed_on is None
    assert not MemberConsent.objects.unrestricted().exclude(mandate=None).exists()


def test_wm_so_4_11_a_consent_is_written_a_decision_without_its_document_is_refused(world):
    row = _in_round(world)
    with pytest.raises(ValidationError) as exc:
        _consent(world, row, "a2", document=None)
    assert "schriftelijk" in exc.value.message_dict["document"][0]
    assert not MemberConsent.objects.unrestricted().exists()


def test_wm_so_4_12_signed_under_each_members_mandate_which_is_recorded(world):
    given = mandates(world)
    row = _in_round(world)
    _consent(world, row, "a2")
    _consent(world, row, "a3")
    services.sign_contract(user=world.user("a1", "coordinator"), contract=row, signed_on=date(2025, 6, 16))
    row.refresh_from_db()
    assert row.status == ContractStatus.SIGNED and row.signed_on == date(2025, 6, 16)
    recorded = dict(MemberConsent.objects.unrestricted().values_list("municipality__code", "mandate"))
    assert recorded == {"GM0888": given[0].pk, "GM0882": given[1].pk}


def test_wm_so_4_12_no_mandate_for_framework_contracts_no_signature(world):
    mandates(world, powers=("purchasing",))
    row = _in_round(world)
    _consent(world, row, "a2")
    _consent(world, row, "a3")
    with pytest.raises(ValidationError) as exc:
        services.sign_contract(user=world.user("a1", "coordinator"), contract=row, signed_on=date(2025, 6, 16))
    assert any("wel mandaat gegeven, maar niet voor raamcontracten" in m for m in exc.value.messages)
    row.refresh_from_db()
    assert row.status == ContractStatus.CONSENT


def test_a_member_without_consent_refuses_the_contract(world):
    row = _in_round(world)
    _consent(world, row, "a2", decision="geen_akkoord")
    row.refresh_from_db()
    assert row.status == ContractStatus.REFUSED
    assert row.refusal_reason.startswith("Beek heeft geen akkoord gegeven op 02-06-2025")


def test_only_the_coordinating_staff_record_a_consent(world):
    row = _in_round(world)
    with pytest.raises(PermissionDenied):
        services.record_consent(
            user=world.user("a2", "ambtenaar"),
            contract=row,
            municipality=world.a2,
            decision="akkoord",
            decided_on=date(2025, 6, 2),
            document=("a.pdf", PDF),
        )
    assert not MemberConsent.objects.unrestricted().exists()


def test_bno_4_budgets_stay_within_the_regions_frame(world):
    coordinator = world.user("a1", "coordinator")
    first, second = contract(world), contract(world, reference="A-RC-2")
    services.set_frame(user=coordinator, region=world.a, year=2026, amount=Decimal("1000000.00"))
    services.set_budget(user=coordinator, contract=first, year=2026, amount=Decimal("700000.00"))
    with pytest.raises(ValidationError) as exc:
        services.set_budget(user=coordinator, contract=second, year=2026, amount=Decimal("300000.01"))
    assert "er is nog € 300.000,00" in exc.value.message_dict["amount"][0]
    services.set_budget(user=coordinator, contract=second, year=2026, amount=Decimal("300000.00"))
    with pytest.raises(ValidationError):
        services.set_frame(user=coordinator, region=world.a, year=2026, amount=Decimal("999999.99"))


def test_tariffs_indexed_once_rounded_half_up_to_cents(world):
    coordinator = world.user("a1", "coordinator")
    row = contract(world)
    product = services.add_product(user=coordinator, contract=row, code="01A01", name="HH", unit="uur")
    services.set_tariff(user=coordinator, product=product, year=2025, amount=Decimal("38.40"))
    services.index_tariffs(user=coordinator, contract=row, year=2026, percentage=Decimal("3.9"))
    tariff = Tariff.objects.unrestricted().get(product=product, year=2026)
    assert tariff.amount == Decimal("39.90")  # 38.40 * 1.039 = 39.8976
    assert tariff.indexation == Decimal("3.9")


def test_notice_deadline_feeds_alerts_and_the_deadline_service(world):
    today = timezone.localdate()
    row = contract(world, status="getekend", starts_on=date(2025, 1, 1), ends_on=add_months(today + timedelta(30), 6))
    assert row.notice_deadline == today + timedelta(30)
    [alert] = selectors.contract_alerts(row, today)
    assert alert.text == f"Opzeggen of laten aflopen uiterlijk {row.notice_deadline:%d-%m-%Y}"
    member = [d for d in deadlines_for(world.user("a3", "ambtenaar")) if d.source == "inkoop"]
    assert [d.key for d in member] == [f"inkoop:contract:{row.pk}:{row.ends_on.isoformat()}"]
    assert not [d for d in deadlines_for(world.user("b1", "coordinator")) if d.source == "inkoop"]


def test_extension_moves_the_end_date_and_uses_an_option(world):
    row = contract(world, status="getekend", extension_options=1, extension_months=12)
    services.extend_contract(user=world.user("a1", "coordinator"), contract=row)
    row.refresh_from_db()
    assert (row.ends_on, row.extensions_used, row.extensions_left) == (date(2028, 6, 30), 1, 0)
    with pytest.raises(ValidationError):
        services.extend_contract(user=world.user("a1", "coordinator"), contract=row)


def test_wm_so_2_6_availability_lists_every_member_not_orders(world):
    today = timezone.localdate()
    contract(world, status="getekend", starts_on=today - timedelta(10), ends_on=today + timedelta(400))
    [(row, members)] = selectors.availability_for(world.user("a2", "ambtenaar"), today)
    assert [m.code for m in members] == ["GM0888", "GM0882", "GM1883"]
    assert selectors.availability_for(world.user("b1", "ambtenaar"), today) == []

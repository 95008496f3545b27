"""The consent round through the page and the API (WM-SO 4.11-4.12), lists with bounded queries, Dutch errors."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inkoop import services
from inkoop.models import ContractStatus, FrameworkContract, MemberConsent
from tests.inkoop.builders import PDF, contract, mandates, provider

pytestmark = pytest.mark.django_db


def test_consent_round_on_the_page_then_signed_under_mandate(world):
    mandates(world)
    row = contract(world)
    client = world.client("a1", "coordinator")
    url = f"/inkoop/contracten/{row.pk}/"
    assert client.post(url, {"action": "round"}).status_code == 302
    for code in ("GM0888", "GM0882"):
        response = client.post(
            url,
            {
                "action": "consent",
                "consent-municipality": code,
                "consent-decision": "akkoord",
                "consent-decided_on": "2025-06-02",
                "consent-document": SimpleUploadedFile("akkoord.pdf", PDF),
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(url).content.decode()
    assert "Namens de gemeenten tekenen" in page and "Nog niet te tekenen" not in page
    assert client.post(url, {"action": "sign", "sign-signed_on": "2025-06-16"}).status_code == 302
    row.refresh_from_db()
    assert row.status == ContractStatus.SIGNED
    assert MemberConsent.objects.unrestricted().filter(mandate__isnull=False).count() == 2


def test_a_consent_without_its_letter_is_refused_on_the_page_in_dutch(world):
    row = contract(world)
    services.open_consent_round(user=world.user("a1", "coordinator"), contract=row)
    response = world.client("a1", "coordinator").post(
        f"/inkoop/contracten/{row.pk}/",
        {
            "action": "consent",
            "consent-municipality": "GM0888",
            "consent-decision": "akkoord",
            "consent-decided_on": "2025-06-02",
        },
    )
    assert response.status_code == 400
    assert "Het akkoord is schriftelijk (WM-SO 4.11)" in response.content.decode()
    assert not MemberConsent.objects.unrestricted().exists()


def test_api_consent_and_sign_refused_with_every_reason(world):
    row = contract(world)
    client = world.client("a1", "coordinator", api=True)
    base = f"/api/v1/contracts/{row.reference}"
    assert client.post(f"{base}/consent-round/").json()["status"] == "instemming"
    response = client.post(
        f"{base}/consent/",
        {
            "municipality": "GM0888",
            "decision": "akkoord",
            "decided_on": "2025-06-02",
            "document": SimpleUploadedFile("akkoord.pdf", PDF),
        },
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert client.get(f"{base}/sign/").json()["may_sign"] is False
    response = client.post(f"{base}/sign/", {"signed_on": "2025-06-16"}, format="json")
    assert response.status_code == 400
    problems = response.json()["detail"]
    assert "Landgraaf heeft (nog) geen schriftelijk akkoord gegeven (WM-SO 4.11)." in problems
    assert "Landgraaf heeft Sittard-Geleen geen mandaat gegeven." not in problems  # no consent: mandate not asked
    assert "Beek heeft Sittard-Geleen geen mandaat gegeven." in problems
    assert FrameworkContract.objects.unrestricted().get().status == ContractStatus.CONSENT


def test_api_contract_create_bad_dates_answer_400_in_dutch(world):
    client = world.client("a1", "coordinator", api=True)
    payload = {
        "region": "regio-a",
        "provider": provider(world).pk,
        "reference": "X",
        "title": "X",
        "starts_on": "2027-01-01",
        "ends_on": "2026-01-01",
    }
    response = client.post("/api/v1/contracts/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["ends_on"] == ["De einddatum ligt na de ingangsdatum."]


def test_lists_take_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    for i in range(12):
        row = contract(world, reference=f"A-RC-{i}", provider=provider(world, name=f"P{i}", kvk=str(10000000 + i)))
        services.open_consent_round(user=world.user("a1", "coordinator"), contract=row)
    api = world.client("a2", "ambtenaar", api=True)
    page = world.client("a2", "ambtenaar")
    api.get("/api/v1/contracts/")  # warm the session and the scope
    with django_assert_max_num_queries(12):
        assert api.get("/api/v1/contracts/").json()["count"] == 12
    with django_assert_max_num_queries(12):
        assert len(api.get("/api/v1/providers/").json()["results"]) == 12
    page.get("/inkoop/contracten/")
    with django_assert_max_num_queries(20):
        assert page.get("/inkoop/contracten/").status_code == 200
    with django_assert_max_num_queries(12):
        assert page.get("/inkoop/aanbieders/").status_code == 200


def test_budget_and_kpi_value_on_the_contract_page(world):
    from decimal import Decimal

    from inkoop.models import ContractBudget, KpiValue

    coordinator = world.user("a1", "coordinator")
    row = contract(world, status="getekend")
    services.set_frame(user=coordinator, region=world.a, year=2026, amount=Decimal("1000000.00"))
    kpi = services.add_kpi(user=coordinator, contract=row, name="Tevredenheid", target=Decimal("8"))
    client = world.client("a1", "coordinator")
    url = f"/inkoop/contracten/{row.pk}/"
    too_much = client.post(url, {"action": "budget", "budget-year": "2026", "budget-amount": "1.000.000,01"})
    assert too_much.status_code == 400
    assert "past niet binnen het financieel kader van 2026" in too_much.content.decode()
    ok = client.post(url, {"action": "budget", "budget-year": "2026", "budget-amount": "950.000,00"})
    assert ok.status_code == 302
    assert ContractBudget.objects.unrestricted().get().amount == Decimal("950000.00")
    measured = client.post(
        url,
        {
            "action": "kpi",
            "kpi-kpi": str(kpi.pk),
            "kpi-period_start": "2026-01-01",
            "kpi-period_end": "2026-06-30",
            "kpi-value": "7,6",
        },
    )
    assert measured.status_code == 302
    assert KpiValue.objects.unrestricted().get().value == Decimal("7.6")
    assert "Tevredenheid: laatste meting haalt de norm niet" in client.get(url).content.decode()

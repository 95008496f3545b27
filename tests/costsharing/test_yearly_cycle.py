"""The yearly WM cycle (issue 12): in December of Y one invoice per member with the fee of Y on budget basis
(WM-DVO 6.1) and the final settlement of Y−1 (WM-SO 6.7 "over het afgelopen kalenderjaar"); the calendar decides what
the beat job starts, BNO is not reckoned in December (BNO 10.5-10.6, 11.1)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from costsharing import services
from costsharing.models import ActualCostLine, BudgetLine, CategoryKey, Fee, FeeOrigin, Reckoning
from invoicing import services as invoicing
from invoicing.models import Invoice
from tests.costsharing.cycle_helpers import bno_calendar

D = Decimal
pytestmark = pytest.mark.django_db


def _budget(wm, year: int, amount: str) -> None:
    BudgetLine.objects.create(region=wm.region, year=year, category="legal", description="begroting", amount=D(amount))


def _actual(wm, year: int, amount: str) -> None:
    ActualCostLine.objects.create(
        region=wm.region, date=date(year, 6, 1), category="legal", description="werkelijk", amount=D(amount)
    )


def _by_member(invoices) -> dict[str, Invoice]:
    return {i.recipient.name: i for i in invoices}


def _lines(invoice) -> list[tuple[str, Decimal]]:
    return [(line.source_type, line.unit_price) for line in invoice.lines.unrestricted().order_by("pk")]


def test_worked_example_wm_2025_2026(cycle, django_capture_on_commit_callbacks):
    """The worked example of docs/costsharing.md: fee 2025 on a budget of € 300.000,00 → 207.000,00 / 57.000,00 /
    36.000,00, invoiced in December 2025 to Stein and Beek only; actual 2025 € 312.000,00 settled in December 2026
    beside the fee 2026: Stein 2.280,00 and Beek 1.440,00 extra, Sittard-Geleen's 8.280,00 on its statement."""
    wm, user = cycle, cycle.coordinator
    _budget(wm, 2025, "300000.00")

    # December 2025: the calendar starts nothing to settle (no 2024), the fee 2025 is invoiced.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.start_calendar_steps(on=date(2025, 12, 1)) == []
    december_2025 = invoicing.invoice_cycle(user=user, region=wm.region, year=2025, on=date(2025, 12, 10))
    invoices = _by_member(december_2025.invoices)
    assert set(invoices) == {"Stein", "Beek"}  # the coordinating municipality never invoices itself
    assert invoices["Stein"].total_excl == D("57000.00") and invoices["Beek"].total_excl == D("36000.00")
    assert _lines(invoices["Stein"]) == [("wm_fee", D("57000.00"))]
    fees = {f.municipality.name: f for f in services.fees_of(region=wm.region, year=2025)}
    assert {n: f.amount for n, f in fees.items()} == {
        "Sittard-Geleen": D("207000.00"),
        "Stein": D("57000.00"),
        "Beek": D("36000.00"),
    }
    assert fees["Sittard-Geleen"].origin == FeeOrigin.OWN_SHARE and fees["Sittard-Geleen"].invoiced == 0
    assert fees["Stein"].reference == invoices["Stein"].number
    assert "207.000,00" in december_2025.own_share

    # 2025's actual costs are booked; December 2026: the beat job settles 2025, never 2026.
    _actual(wm, 2025, "312000.00")
    _actual(wm, 2026, "1.00")
    _budget(wm, 2026, "310000.00")
    with django_capture_on_commit_callbacks(execute=True):
        started = services.start_calendar_steps(on=date(2026, 12, 1))
    assert [r.year for r in Reckoning.objects.unrestricted().filter(pk__in=started)] == [2025]
    assert not Reckoning.objects.unrestricted().filter(year=2026).exists()
    settlement = services.latest_reckoning(region=wm.region, year=2025)
    with pytest.raises(invoicing.InvoicingError):  # the settlement is approved before it is invoiced
        invoicing.invoice_cycle(user=user, region=wm.region, year=2026, on=date(2026, 12, 10))
    settlement = services.approve_reckoning(user=user, reckoning=settlement)
    december_2026 = invoicing.invoice_cycle(user=user, region=wm.region, year=2026, on=date(2026, 12, 10))
    invoices = _by_member(december_2026.invoices)
    assert set(invoices) == {"Stein", "Beek"}
    assert _lines(invoices["Stein"]) == [("wm_fee", D("58900.00")), ("reckoning_line", D("2280.00"))]
    assert _lines(invoices["Beek"]) == [("wm_fee", D("37200.00")), ("reckoning_line", D("1440.00"))]
    assert "8.280,00" in december_2026.own_share and "213.900,00" in december_2026.own_share
    settlement.refresh_from_db()
    assert settlement.status == Reckoning.Status.SETTLED

    # The API says the same; running everything twice gives nothing new.
    client = APIClient()
    client.force_login(user)
    fee = client.get(f"/api/v1/regions/{wm.region.code}/fee/?year=2025").json()
    assert fee["total"] == "300000.00"
    assert {line["municipality"]: (line["share"], line["invoiced"]) for line in fee["lines"]} == {
        "GM1883": ("207000.00", "0.00"),
        "GM0971": ("57000.00", "57000.00"),
        "GM0888": ("36000.00", "36000.00"),
    }
    answer = client.get(f"/api/v1/regions/{wm.region.code}/settlement/?year=2025").json()
    assert answer["status"] == "settled"
    assert {line["municipality"]: line["difference"] for line in answer["lines"]} == {
        "GM1883": "8280.00",
        "GM0971": "2280.00",
        "GM0888": "1440.00",
    }
    assert {line["municipality"]: line["fee_invoiced"] for line in answer["lines"]}["GM0971"] == "57000.00"
    count = Invoice.objects.unrestricted().count()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.start_calendar_steps(on=date(2026, 12, 1))
    assert again == started
    assert Reckoning.objects.unrestricted().get(pk=settlement.pk).status == Reckoning.Status.SETTLED
    assert invoicing.invoice_cycle(user=user, region=wm.region, year=2026, on=date(2026, 12, 11)).created == 0
    assert invoicing.invoice_reckoning(user=user, reckoning=settlement, on=date(2026, 12, 11)).created == 0
    assert Invoice.objects.unrestricted().count() == count


def test_a_settlement_in_the_members_favour_is_a_credit_note_beside_the_fee(cycle):
    wm, user = cycle, cycle.coordinator
    _budget(wm, 2025, "300000.00")
    invoicing.invoice_cycle(user=user, region=wm.region, year=2025, on=date(2025, 12, 10))
    _actual(wm, 2025, "290000.00")
    _budget(wm, 2026, "300000.00")
    reckoning = services.request_reckoning(user=user, region=wm.region, year=2025, start=False)
    reckoning = services.perform_reckoning(reckoning_id=reckoning.pk)
    services.approve_reckoning(user=user, reckoning=reckoning)
    result = invoicing.invoice_cycle(user=user, region=wm.region, year=2026, on=date(2026, 12, 10))
    stein = [i for i in result.invoices if i.recipient == wm.stein]
    assert sorted((i.is_credit_note, i.total_excl) for i in stein) == [(False, D("57000.00")), (True, D("-1900.00"))]
    credit = next(i for i in stein if i.is_credit_note)
    fee_invoice = next(i for i in stein if not i.is_credit_note)
    assert credit.credit_reference == fee_invoice.number


def test_the_beat_job_does_not_reckon_bno_and_runs_only_on_the_calendar_day(cycle, bno):
    bno_calendar(bno.region, bno.m["Oss"])
    ActualCostLine.objects.create(
        region=bno.region, date=date(2025, 3, 1), category="legal", description="uitvoering", amount=D("100.00")
    )
    _actual(cycle, 2025, "1000.00")
    assert services.start_calendar_steps(on=date(2026, 11, 30)) == []
    started = services.start_calendar_steps(on=date(2026, 12, 1))
    assert {r.region_id for r in Reckoning.objects.unrestricted().filter(pk__in=started)} == {cycle.region.pk}
    assert not Reckoning.objects.unrestricted().filter(region=bno.region).exists()
    assert services.start_calendar_steps(on=date(2027, 4, 30)) == []  # BNO's annual report is part B's, not a job


def test_outside_fees_are_recorded_once_and_the_settlement_compares_with_them(cycle):
    wm, user = cycle, cycle.coordinator
    amounts = {wm.sg: D("207000.00"), wm.stein: D("57000.00"), wm.beek: D("36000.00")}
    services.record_outside_fees(user=user, region=wm.region, year=2025, amounts=amounts, reference="Excel 2025")
    fees = {f.municipality.name: f for f in services.fees_of(region=wm.region, year=2025)}
    assert fees["Stein"].origin == FeeOrigin.OUTSIDE and fees["Stein"].invoiced == D("57000.00")
    assert fees["Sittard-Geleen"].origin == FeeOrigin.OWN_SHARE
    with pytest.raises(ValidationError, match="maar één keer"):
        services.record_outside_fees(user=user, region=wm.region, year=2025, amounts=amounts, reference="nog eens")
    with pytest.raises(ValidationError):
        fees["Stein"].amount = D("1.00")
        fees["Stein"].save()
    with pytest.raises(ValidationError):
        Fee.objects.unrestricted().get(pk=fees["Beek"].pk).delete()
    # The fee 2025 is not invoiced again by the product: December 2025 makes no invoice.
    _budget(wm, 2025, "300000.00")
    assert invoicing.invoice_cycle(user=user, region=wm.region, year=2025).created == 0
    _actual(wm, 2025, "312000.00")
    computation = services.compute_reckoning(region=wm.region, year=2025)
    assert computation.advances[wm.stein.pk] == D("57000.00")
    # A later year is no longer the first: recording outside fees for 2026 after the product invoiced... is refused
    # once the product invoiced a fee of that year or an earlier one.
    _budget(wm, 2026, "300000.00")
    services.draw_up_fees(user=user, region=wm.region, year=2026)
    with pytest.raises(ValidationError, match="eerste jaar"):
        services.record_outside_fees(user=user, region=wm.region, year=2027, amounts=amounts, reference="later")


def test_only_the_coordinating_staff_record_fees(cycle):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.record_outside_fees(
            user=cycle.beek_user, region=cycle.region, year=2025, amounts={cycle.beek: D("1.00")}, reference="x"
        )
    with pytest.raises(PermissionDenied):
        invoicing.invoice_cycle(user=cycle.beek_user, region=cycle.region, year=2025)
    assert not Fee.objects.unrestricted().exists()


def test_fee_and_settlement_api_answer_bad_input_in_dutch(cycle):
    client = APIClient()
    client.force_login(cycle.coordinator)
    for query in ("", "?year=twintig", "?year=1800", "?year=2025.5"):
        for route in ("fee", "settlement"):
            response = client.get(f"/api/v1/regions/{cycle.region.code}/{route}/{query}")
            assert response.status_code == 400, (route, query)
    assert client.get("/api/v1/regions/bestaat-niet/fee/?year=2025").status_code == 404
    _budget(cycle, 2025, "300000.00")
    answer = client.get(f"/api/v1/regions/{cycle.region.code}/fee/?year=2025").json()
    assert answer["total"] == "300000.00" and answer["recorded"] is False
    assert client.get(f"/api/v1/regions/{cycle.region.code}/settlement/?year=2025").json()["status"] == "none"
    # A member sees its own line only.
    member = APIClient()
    member.force_login(cycle.beek_user)
    lines = member.get(f"/api/v1/regions/{cycle.region.code}/fee/?year=2025").json()["lines"]
    assert [line["municipality"] for line in lines] == ["GM0888"]


def test_the_calendar_api_names_its_articles(cycle):
    client = APIClient()
    client.force_login(cycle.beek_user)
    answer = client.get("/api/v1/agreements/WM-SO-2025/calendar/").json()
    assert answer["shape"] == "wm" and "WM-SO 6.7" in answer["articles"]
    step = answer["steps"][0]
    assert step["kind"] == "fee_and_settlement" and step["year_offset"] == -1 and step["starts_job"] is True


def test_fee_and_settlement_computed_together_in_constant_queries(cycle):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.costsharing.builders import WM

    _budget(cycle, 2026, "300000.00")
    _actual(cycle, 2025, "1000.00")
    other = WM(code="tweede-regio")
    CategoryKey.objects.unrestricted().filter(region=other.region).update(key=other.key)  # alike: same providers
    with CaptureQueriesContext(connection) as one:
        services.compute_cycle(regions=[cycle.region], year=2026)
    with CaptureQueriesContext(connection) as two:
        result = services.compute_cycle(regions=[cycle.region, other.region], year=2026)
    assert len(one.captured_queries) == len(two.captured_queries)
    assert result["fees"][cycle.region.pk].total == D("300000.00")
    # With staff at the indexed norm: the December run's lean computation gives the fee that is recorded.
    from costsharing.models import FormationLine
    from regio.tenancy import system_actor

    services.index_norms(user=system_actor("test"), region=cycle.region, through_year=2026)
    FormationLine.objects.create(
        region=cycle.region, year=2026, task_area="purchasing", function="Inkoper", scale=10, fte=D("2.5")
    )
    lean = services.compute_cycle(regions=[cycle.region], year=2026)["fees"][cycle.region.pk]
    full = services.compute_fee(region=cycle.region, year=2026)
    assert lean.shares == full.shares and lean.total == full.total > D("300000.00")


def test_the_agreement_page_shows_the_calendar_and_the_cycle_page_the_year(cycle, client):
    client.force_login(cycle.beek_user)
    page = client.get("/overeenkomsten/WM-SO-2025/").content.decode()
    assert "Afrekenkalender" in page and "WM-SO 6.7, WM-DVO 6.1" in page
    _budget(cycle, 2025, "300000.00")
    page = client.get(f"/kostenverdeling/regio/{cycle.region.code}/2025/cyclus/").content.decode()
    assert "36.000,00" in page and "57.000,00" not in page  # Beek sees its own fee, not Stein's
    client.force_login(cycle.coordinator)
    page = client.get(f"/kostenverdeling/regio/{cycle.region.code}/2025/cyclus/").content.decode()
    assert "57.000,00" in page and "/facturen/cyclus/" in page


def test_outside_fees_through_the_cycle_page(cycle, client):
    client.force_login(cycle.coordinator)
    url = f"/kostenverdeling/regio/{cycle.region.code}/2025/cyclus/"
    bad = client.post(url, {"reference": "Excel", "amounts": "GM0971 = veel"})
    assert bad.status_code == 200 and "Regel 1" in bad.content.decode()
    assert not Fee.objects.unrestricted().exists()
    stranger = client.post(url, {"reference": "Excel", "amounts": "GM0828 = 1,00"})
    assert "Geen lid van de regio: GM0828" in stranger.content.decode()
    done = client.post(url, {"reference": "Excel", "amounts": "GM1883 = 207.000,00\nGM0971 = 57.000,00"})
    assert done.status_code == 302
    assert {f.municipality.code: f.amount for f in Fee.objects.unrestricted()} == {
        "GM1883": D("207000.00"),
        "GM0971": D("57000.00"),
    }


def test_a_settlement_approved_after_the_fee_went_out_gets_an_invoice_of_its_own(cycle):
    wm, user = cycle, cycle.coordinator
    services.record_outside_fees(
        user=user,
        region=wm.region,
        year=2025,
        amounts={wm.sg: D("207000.00"), wm.stein: D("57000.00"), wm.beek: D("36000.00")},
        reference="Excel 2025",
    )
    _actual(wm, 2025, "312000.00")
    _budget(wm, 2026, "300000.00")
    first = invoicing.invoice_cycle(user=user, region=wm.region, year=2026, on=date(2026, 12, 2))
    assert sorted(i.total_excl for i in first.invoices) == [D("36000.00"), D("57000.00")]  # no settlement yet
    reckoning = services.request_reckoning(user=user, region=wm.region, year=2025, start=False)
    services.approve_reckoning(user=user, reckoning=services.perform_reckoning(reckoning_id=reckoning.pk))
    second = invoicing.invoice_cycle(user=user, region=wm.region, year=2026, on=date(2026, 12, 10))
    extra = {i.recipient.name: i.total_excl for i in second.invoices if i.source_key.endswith(":afrekening")}
    assert extra == {"Stein": D("2280.00"), "Beek": D("1440.00")}
    assert invoicing.invoice_cycle(user=user, region=wm.region, year=2026, on=date(2026, 12, 11)).created == 0

"""Access fees (WM-DVO annex 1; annex 2 §2; annex 3 §1) at cost sharing's activity prices, through regio.prices."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from beschermdwonen import fees
from beschermdwonen.models import Assessment, Fee, FeeKind, Indication, Notification
from tests.beschermdwonen.money_builders import BWM

D = Decimal


@pytest.fixture
def wm(db):
    wm = BWM().with_prices(2024)
    stein1 = wm.client("BW-S1", wm.stein)
    stein2 = wm.client("BW-S2", wm.stein)
    beek1 = wm.client("BW-B1", wm.beek)
    sg1 = wm.client("BW-G1", wm.sg)
    for client, municipality, kind, on in (
        (stein1, wm.stein, "intramural", date(2024, 3, 1)),
        (stein2, wm.stein, "extramural", date(2024, 4, 1)),
        (beek1, wm.beek, "extramural", date(2023, 6, 1)),  # before the objective model: free
        (sg1, wm.sg, "intramural", date(2024, 5, 1)),  # the coordinating municipality charges nobody for itself
    ):
        Notification.objects.create(
            client=client, notified_on=on, kind=kind, municipality=municipality, notified_by="wijkteam"
        )
    for client, municipality, start, end in (
        (stein1, wm.stein, date(2022, 1, 1), None),
        (stein2, wm.stein, date(2024, 6, 1), None),
        (beek1, wm.beek, date(2023, 7, 1), date(2023, 12, 31)),  # ended before the start date
    ):
        Indication.objects.create(
            client=client,
            product="arrangement",
            decided_on=start,
            care_start=start,
            ends_on=end,
            decided_by=wm.sg,
            responsible_municipality=municipality,
        )
    first = Notification.objects.unrestricted().get(client=stein1)
    Assessment.objects.create(
        notification=first,
        advice_kind="ggd",
        advice_cost=D("850.00"),
        consultation_hours=D("2.5"),
        consultation_requested_by=wm.stein,
    )
    return wm


def _line(result, code, kind):
    member = next(m for m in result.members if m.municipality.code == code)
    return member.line(kind)


def test_no_fees_before_the_objective_model_but_consultation_hours(wm):
    result = fees.fees(user=wm.team, region=wm.region, year=2024)
    assert [m.municipality.code for m in result.members] == ["GM0888", "GM0971"]
    assert _line(result, "GM0971", FeeKind.INTRAMURAL).amount == D("0.00")
    assert _line(result, "GM0971", FeeKind.ADVICE).amount == D("0.00")
    consultation = _line(result, "GM0971", FeeKind.CONSULTATION)
    assert (consultation.quantity, consultation.unit_price, consultation.amount) == (D("2.5"), D("93.27"), D("233.17"))


def test_fees_from_the_objective_model_at_the_2024_activity_prices(wm, django_assert_max_num_queries):
    wm.start_objective_model(date(2024, 1, 1))
    with django_assert_max_num_queries(14):
        result = fees.fees(user=wm.team, region=wm.region, year=2024)
    assert _line(result, "GM0971", FeeKind.INTRAMURAL).unit_price == D("731.87")
    assert _line(result, "GM0971", FeeKind.EXTRAMURAL).unit_price == D("672.62")
    running = _line(result, "GM0971", FeeKind.RUNNING)
    assert (running.quantity, running.unit_price, running.amount) == (D(2), D("545.33"), D("1090.66"))
    assert _line(result, "GM0971", FeeKind.ADVICE).amount == D("850.00")
    assert _line(result, "GM0888", FeeKind.EXTRAMURAL).quantity == 0  # notified in 2023, before the start
    assert _line(result, "GM0888", FeeKind.RUNNING).quantity == 0
    member = next(m for m in result.members if m.municipality.code == "GM0971")
    assert member.total == D("731.87") + D("672.62") + D("1090.66") + D("850.00") + D("233.17")


def test_a_member_sees_its_own_fees_and_a_supervisor_none(wm):
    result = fees.fees(user=wm.stein_bw, region=wm.region, year=2024)
    assert [m.municipality.code for m in result.members] == ["GM0971"]
    with pytest.raises(PermissionDenied):
        fees.fees(user=wm.supervisor, region=wm.region, year=2024)


def test_stored_fees_are_the_invoice_line_source(wm):
    wm.start_objective_model(date(2024, 1, 1))
    stored = fees.store_fees(user=wm.team, region=wm.region, year=2024)
    again = fees.store_fees(user=wm.team, region=wm.region, year=2024)
    assert sorted(f.pk for f in stored) == sorted(f.pk for f in again)
    assert Fee.objects.unrestricted().filter(municipality=wm.stein).count() == 5
    with pytest.raises(PermissionDenied):
        fees.store_fees(user=wm.stein_bw, region=wm.region, year=2024)


def test_fees_api(wm, client):
    wm.start_objective_model(date(2024, 1, 1))
    client.force_login(wm.stein_bw)
    url = reverse("api:bw-fees-list")
    answer = client.get(url, {"region": "westelijke-mijnstreek", "year": "2024"})
    assert answer.status_code == 200
    lines = {line["kind"]: line for line in answer.json()["members"][0]["lines"]}
    assert lines["running"] == {"kind": "running", "count": "2", "unit_price": "545.33", "amount": "1090.66"}
    bad = client.get(url, {"region": "westelijke-mijnstreek", "year": "twintig"})
    assert bad.status_code == 400 and "year" in bad.json()
    assert client.get(url, {"region": "elders", "year": "2024"}).status_code == 404
    client.force_login(wm.supervisor)
    assert client.get(url, {"region": "westelijke-mijnstreek", "year": "2024"}).status_code == 403

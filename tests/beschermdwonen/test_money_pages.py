"""The money pages of beschermd wonen: the financing overview, the fees per member (stored by the access team) and the
import of realised costs with its result; the bw_fee invoice-line source links to the fee for who may see it."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient

from beschermdwonen import financing
from beschermdwonen.models import BudgetTrack, CostImport, ExecutionCost, Fee, RealisedCost
from beschermdwonen.money_registry import fee_billables, fee_links
from tests.beschermdwonen.money_builders import BWM


@pytest.fixture
def wm(db):
    return BWM().with_prices(2025)


def _login(user):
    client = HttpClient()
    client.force_login(user)
    return client


def test_import_page_shows_the_result_and_names_every_bad_row(wm):
    page = _login(wm.team)
    good = b"client;product;begindatum;einddatum;bedrag\nK-1;BW01;01-01-2025;31-12-2025;1.200.000,00\n"
    answer = page.post(
        "/beschermd-wonen/kosten/inlezen/",
        {"municipality": "GM1883", "file": SimpleUploadedFile("wmo.csv", good, content_type="text/csv")},
    )
    assert answer.status_code == 200
    assert "1 geboekt" in answer.content.decode() or "1 regels gelezen" in answer.content.decode()
    assert RealisedCost.objects.unrestricted().count() == 1
    bad = b"client;product;begindatum;einddatum;bedrag\nK-2;BW01;01-01-2025;31-12-2025;veel\nK-3;;x;y;1\n"
    answer = page.post(
        "/beschermd-wonen/kosten/inlezen/",
        {"municipality": "GM1883", "file": SimpleUploadedFile("bad.csv", bad, content_type="text/csv")},
    )
    text = answer.content.decode()
    assert answer.status_code == 200 and "rij 2" in text and "rij 3" in text
    assert CostImport.objects.unrestricted().count() == 1


def test_financing_page_shows_the_parts_and_the_execution_split(wm, django_assert_max_num_queries):
    RealisedCost.objects.bulk_create([])  # nothing yet: the page still answers
    financing.record_budget(
        user=wm.team,
        region=wm.region,
        year=2025,
        track=BudgetTrack.EXISTING,
        amount=Decimal("1500000.00"),
        source="septembercirculaire 2025",
    )
    for reference, town in (("K-1", wm.sg), ("K-2", wm.stein), ("K-3", wm.stein)):
        wm.client(reference, town)
    ExecutionCost.objects.create(
        region=wm.region, year=2025, budgeted=Decimal("240000.00"), reference_date="2025-01-01"
    )
    page = _login(wm.beek_civil)
    answer = page.get("/beschermd-wonen/financiering/?regio=westelijke-mijnstreek&jaar=2025")
    text = answer.content.decode()
    assert answer.status_code == 200
    assert "septembercirculaire 2025" in text and "€ 1.500.000,00" in text
    assert "€ 160.000,00" in text and "€ 80.000,00" in text  # 240.000 split 2 : 1 by clients on 1-1-2025
    assert _login(wm.supervisor).get("/beschermd-wonen/financiering/?regio=westelijke-mijnstreek").status_code == 404


def test_fees_page_stores_the_fees_as_invoice_line_sources(wm):
    from beschermdwonen.models import Assessment, Notification

    client = wm.client("K-9", wm.stein)
    notification = Notification.objects.create(
        client=client, notified_on="2025-03-01", kind="extramural", municipality=wm.stein, notified_by="wijkteam"
    )
    Assessment.objects.create(
        notification=notification, consultation_hours=Decimal("2"), consultation_requested_by=wm.stein
    )
    assert (
        _login(wm.stein_bw).post("/beschermd-wonen/vergoedingen/?regio=westelijke-mijnstreek&jaar=2025").status_code
        == 403
    )
    answer = _login(wm.team).post("/beschermd-wonen/vergoedingen/?regio=westelijke-mijnstreek&jaar=2025")
    assert answer.status_code == 302
    fee = Fee.objects.unrestricted().get()
    assert (fee.kind, fee.quantity, fee.amount) == ("consultation", Decimal("2.00"), Decimal("186.54"))
    lines = fee_billables(region=wm.region, year=2025)
    assert [(b.recipient, b.quantity, b.unit_price, b.source_id) for b in lines] == [
        (wm.stein, Decimal("1"), Decimal("186.54"), str(fee.pk))
    ]
    assert str(fee.pk) in fee_links(wm.stein_bw, [str(fee.pk)])
    assert fee_links(wm.supervisor, [str(fee.pk)]) == {}
    page = _login(wm.stein_bw).get("/beschermd-wonen/vergoedingen/?regio=westelijke-mijnstreek&jaar=2025")
    assert "€ 186,54" in page.content.decode()

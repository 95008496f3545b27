"""Care-use import and the half-yearly monitoring report (BNO 4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from inkoop.models import CareUse, CareUseImport
from inkoop.services import care_use_import, monitoring
from regio.privacy import pseudonymise_bsn
from tests.inkoop.helpers_b import csv_file, population, provider

ROWS = (
    "C-1;GM1883;02A01;begeleiding;Zorg Noord BV;;01-01-2025;31-03-2025;40;1.200,00",
    "C-1;GM1883;03A02;dagbesteding;Zorg Noord BV;12345678;01-02-2025;30-06-2025;20;800,50",
    "C-2;GM0888;01A01;huishouden;Thuis BV;;01-01-2025;30-06-2025;52;1500",
    "C-3;GM0882;02A01;begeleiding;Zorg Noord BV;;2025-04-01;2025-06-30;10;300.25",
)


def _import(world, content, name="zorg.csv", user=None):
    return care_use_import.import_care_use(
        user=user or world.user("a1", "coordinator"),
        region=world.a,
        municipality=world.a1,
        filename=name,
        content=content,
    )


def test_bno_4_import_links_the_provider_register_by_agb(world):
    p = provider(world.a)
    result = _import(world, csv_file(*ROWS))
    assert result.lines == 4 and result.total == Decimal("3800.75")
    line = CareUse.objects.unrestricted().get(product="03A02")
    assert line.provider == p and line.provider_name == "Zorg Noord BV" and (line.year, line.half) == (2025, 1)


def test_bno_4_one_bad_row_imports_nothing_and_names_every_bad_row(world):
    bad = (*ROWS, "C-4;GM0828;02A01;begeleiding;X;;01-01-2025;31-07-2025;1;10", "C-5;GM1883;02A01;sloep;X;;x;y;-1;1e5")
    with pytest.raises(care_use_import.CareUseRefused) as refused:
        _import(world, csv_file(*bad))
    text = " ".join(refused.value.problems)
    assert "rij 6" in text and "GM0828" in text and "twee halfjaren" in text
    assert "rij 7" in text and "soort product" in text
    assert not CareUse.objects.unrestricted().exists() and not CareUseImport.objects.unrestricted().exists()


def test_a_bsn_becomes_its_pseudonym_at_the_door(world):
    content = csv_file(
        "111222333;GM1883;02A01;begeleiding;Zorg;;01-01-2025;31-01-2025;1;10",
        header="bsn;gemeente;product;soort;aanbieder;agb;begindatum;einddatum;omvang;bedrag",
    )
    _import(world, content)
    line = CareUse.objects.unrestricted().get()
    assert line.client_key == pseudonymise_bsn("111222333") and "111222333" not in str(line.__dict__)


def test_a_bsn_as_client_reference_is_refused_without_repeating_it(world):
    with pytest.raises(care_use_import.CareUseRefused) as refused:
        _import(world, csv_file("111222333;GM1883;02A01;begeleiding;Z;;01-01-2025;31-01-2025;1;10"))
    assert "111222333" not in " ".join(refused.value.problems)


def test_the_same_file_twice_books_nothing_twice(world):
    _import(world, csv_file(*ROWS))
    again = _import(world, csv_file(*ROWS))
    assert again.again and CareUse.objects.unrestricted().count() == 4


def test_an_oversized_file_is_refused(world, settings):
    settings.INKOOP_IMPORT_MAX_BYTES = 100
    with pytest.raises(care_use_import.CareUseRefused, match="groter"):
        _import(world, csv_file(*ROWS))


def test_excel_is_read_too(world):
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["client", "product", "soort", "aanbieder", "begindatum", "einddatum", "omvang", "bedrag"])
    sheet.append(["C-9", "02A01", "begeleiding", "Zorg", date(2025, 7, 1), date(2025, 9, 30), 12, 345.67])
    out = io.BytesIO()
    book.save(out)
    result = _import(world, out.getvalue(), name="zorg.xlsx")
    line = CareUse.objects.unrestricted().get()
    assert result.total == Decimal("345.67") and line.half == 2 and line.municipality == world.a1


def test_only_the_coordinating_staff_imports(world):
    with pytest.raises(PermissionDenied):
        _import(world, csv_file(*ROWS), user=world.user("a2", "ambtenaar"))


def test_bno_4_report_compares_members_per_1000_inhabitants_with_overlap(world):
    population(world)
    _import(world, csv_file(*ROWS))
    figures = monitoring.report_figures(user=world.user("a2", "ambtenaar"), region=world.a, year=2025, half=1)
    rows = {m["code"]: m for m in figures["members"]}
    assert rows["GM1883"]["clients"] == 1 and rows["GM1883"]["clients_per_1000"] == Decimal("0.01")
    assert rows["GM0888"]["clients_per_1000"] == Decimal("0.07")  # 1 client / 15.000 inhabitants * 1.000
    assert rows["GM1883"]["overlap_clients"] == 1 and rows["GM1883"]["overlap_percent"] == Decimal("100.00")
    assert figures["overlap"]["pairs"] == [
        {"kinds": ["begeleiding", "dagbesteding"], "labels": ["begeleiding", "dagbesteding"], "clients": 1}
    ]
    kinds = {k["kind"]: k for k in figures["kinds"]}
    assert kinds["begeleiding"]["clients"] == 2 and kinds["begeleiding"]["cost"] == Decimal("1500.25")
    assert figures["totals"]["cost"] == Decimal("3800.75") and figures["totals"]["inhabitants"] == 140000
    assert (
        monitoring.report_figures(user=world.user("a2"), region=world.a, year=2025, half=2)["totals"]["clients"] == 0
    )


def test_the_report_counts_beschermd_wonen_declaration_lines(world):
    from beschermdwonen.models import CostImport, RealisedCost

    population(world)
    cost_import = CostImport.objects.create(
        region=world.a, municipality=world.a2, file_format="wmo303", filename="d.xml", digest="1" * 64
    )
    RealisedCost.objects.create(
        region=world.a,
        municipality=world.a2,
        client_key="P-abc",
        year=2025,
        period_start=date(2025, 2, 1),
        period_end=date(2025, 2, 28),
        product="BW01",
        amount=Decimal("2500.00"),
        cost_import=cost_import,
        line_key="k1",
    )
    figures = monitoring.report_figures(user=world.user("a2"), region=world.a, year=2025, half=1)
    assert figures["sources"] == {"beschermd_wonen": 1}
    assert {k["kind"]: k["cost"] for k in figures["kinds"]} == {"beschermd_wonen": Decimal("2500.00")}


def test_supervisors_and_other_regions_do_not_read_the_report(world):
    for user in (world.user("a2", "toezichthouder"), world.user("b1", "coordinator")):
        with pytest.raises(PermissionDenied):
            monitoring.report_figures(user=user, region=world.a, year=2025, half=1)


def test_pdf_is_a_pdf_and_the_same_figures_give_the_same_bytes(world):
    population(world)
    _import(world, csv_file(*ROWS))
    figures = monitoring.report_figures(user=world.user("a2"), region=world.a, year=2025, half=1)
    first = monitoring.render_report_pdf(figures=figures)
    assert first.startswith(b"%PDF") and first == monitoring.render_report_pdf(figures=figures)


def test_report_page_and_api_with_bounded_queries(world, django_assert_max_num_queries):
    population(world)
    _import(world, csv_file(*ROWS))
    client = world.client("a2")
    with django_assert_max_num_queries(25):
        page = client.get("/inkoop/monitoring/?regio=regio-a&jaar=2025&halfjaar=1")
    assert page.status_code == 200 and "Beek" in page.content.decode() and "monitoring-data" in page.content.decode()
    api = world.client("a2", api=True).get("/api/v1/care-use-report/?region=regio-a&year=2025&half=1")
    assert api.status_code == 200 and api.json()["totals"]["cost"] == "3800.75"
    bad = world.client("a2", api=True).get("/api/v1/care-use-report/?region=regio-a&year=2025&half=3")
    assert bad.status_code == 400 and "halfjaar" in bad.json()["half"][0]
    pdf = client.get("/inkoop/monitoring/?regio=regio-a&jaar=2025&halfjaar=1&formaat=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    outsider = world.client("b1", "coordinator").get("/inkoop/monitoring/?regio=regio-a&jaar=2025&formaat=pdf")
    assert outsider.status_code == 404


def test_import_page_names_the_bad_row(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = world.client("a1", "coordinator")
    upload = SimpleUploadedFile("z.csv", csv_file("C-1;GM1883;02A01;onzin;Z;;01-01-2025;31-01-2025;1;10"))
    response = client.post("/inkoop/zorggebruik/inlezen/", {"municipality": "GM1883", "file": upload})
    assert response.status_code == 400 and "rij 2" in response.content.decode()
    assert not CareUse.objects.unrestricted().exists()

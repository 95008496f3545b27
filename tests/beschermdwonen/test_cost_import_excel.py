"""The Excel (.xlsx) import of realised costs (issue 13): a real workbook made with openpyxl is booked, a bad row is
named and nothing is imported, a file that is too big or not a workbook is refused, and a zip-bomb-shaped workbook
(a small file that unpacks to far more than the bound) is refused before it is unpacked."""

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

from beschermdwonen import costimport
from beschermdwonen.models import CostImport, RealisedCost
from regio.privacy import pseudonymise_bsn
from tests.beschermdwonen.money_builders import BWM

BSN = "123456782"  # passes the 11-test (a test number)


@pytest.fixture
def wm(db):
    return BWM()


def workbook(rows, header=("bsn", "client", "product", "begindatum", "einddatum", "bedrag", "gemeente")) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _import(wm, content, name="kosten.xlsx"):
    return costimport.import_costs(user=wm.team, region=wm.region, municipality=wm.sg, filename=name, content=content)


def test_a_real_workbook_is_booked_with_typed_cells_and_the_bsn_pseudonymised(wm):
    content = workbook(
        [
            (BSN, None, "BW01", datetime(2025, 1, 1), datetime(2025, 1, 31), 1234.56, "GM0971"),
            (None, "BW-K7", "BW02", date(2025, 2, 1), date(2025, 2, 28), Decimal("100.10"), "GM0888"),
            (None, "BW-K7", "BW02", "01-03-2025", "31-03-2025", "1.000,00", "GM0888"),  # typed as text
            (None, None, None, None, None, None, None),  # an empty row is skipped
        ]
    )
    result = _import(wm, content)
    assert (result.lines, result.booked, result.total) == (3, 3, Decimal("2334.66"))
    costs = {(c.client_key, c.product, c.amount, c.municipality.code) for c in RealisedCost.objects.unrestricted()}
    assert costs == {
        (pseudonymise_bsn(BSN), "BW01", Decimal("1234.56"), "GM0971"),
        ("BW-K7", "BW02", Decimal("100.10"), "GM0888"),
        ("BW-K7", "BW02", Decimal("1000.00"), "GM0888"),
    }
    assert CostImport.objects.unrestricted().get().file_format == "table"
    # The same workbook again books nothing.
    assert _import(wm, content).duplicate_file


def test_a_bad_row_is_named_and_nothing_is_imported(wm):
    content = workbook(
        [
            (BSN, None, "BW01", datetime(2025, 1, 1), datetime(2025, 1, 31), 100, "GM0971"),
            (BSN, None, "BW01", "31-02-2025", datetime(2025, 3, 31), 100, "GM0971"),
            (None, "BW-K8", "BW01", datetime(2025, 1, 1), datetime(2025, 1, 31), "veel", "GM0971"),
        ]
    )
    with pytest.raises(costimport.ImportRefused) as refused:
        _import(wm, content)
    text = " ".join(refused.value.problems)
    assert "rij 3" in text and "rij 4" in text and "rij 2" not in text and BSN not in text
    assert not RealisedCost.objects.unrestricted().exists() and not CostImport.objects.unrestricted().exists()


def test_a_file_too_big_or_not_a_workbook_is_refused(wm, settings):
    with pytest.raises(costimport.ImportRefused, match="niet te lezen"):
        _import(wm, b"bsn;product\n" * 10)  # text with an .xlsx name
    with pytest.raises(costimport.ImportRefused, match="niet te lezen"):
        _import(wm, b"PK\x03\x04 not really a zip")
    settings.BW_IMPORT_MAX_BYTES = 1000
    with pytest.raises(costimport.ImportRefused, match="groter dan"):
        _import(wm, workbook([(BSN, None, "BW01", datetime(2025, 1, 1), datetime(2025, 1, 31), 1, "GM0971")]))
    assert not RealisedCost.objects.unrestricted().exists()


def test_a_zip_bomb_shaped_workbook_is_refused_before_it_is_unpacked(wm, settings, monkeypatch):
    settings.BW_IMPORT_MAX_BYTES = 50_000
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<row/>" * 200_000)  # 1,2 MB of XML, a few kB packed
    content = bomb.getvalue()
    assert len(content) < settings.BW_IMPORT_MAX_BYTES  # small on the way in ...

    def never(*args, **kwargs):  # ... and never handed to openpyxl
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    with pytest.raises(costimport.ImportRefused, match="uitgepakt te groot"):
        _import(wm, content)
    assert not RealisedCost.objects.unrestricted().exists()

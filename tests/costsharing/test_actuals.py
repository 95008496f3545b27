"""Budget → advances, and the import of actual cost lines (WM-SO 6.1, 6.7): all rows or none."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from costsharing import services
from costsharing.models import ActualCostLine, Advance, BudgetLine, FormationLine
from regio.tenancy import system_actor

GOOD_CSV = (
    b"datum;kostensoort;omschrijving;bedrag\n"
    b"14-02-2025;hired;Inhuur contractmanager;9.870,40\n"
    b"2025-04-11;c;Juridisch advies;6352.50\n"
    b"01-03-2025;annual_insight;Annual Insight;10890,00\n"
)


def test_csv_import(wm):
    created = services.import_actuals(
        user=wm.coordinator, region=wm.region, year=2025, filename="grootboek.csv", content=GOOD_CSV
    )
    assert [(c.date, c.category, c.amount) for c in created] == [
        (date(2025, 2, 14), "hired", Decimal("9870.40")),
        (date(2025, 4, 11), "legal", Decimal("6352.50")),
        (date(2025, 3, 1), "annual_insight", Decimal("10890.00")),
    ]
    assert created[0].source == "grootboek.csv rij 2"
    # The same file again imports nothing twice.
    assert (
        services.import_actuals(
            user=wm.coordinator, region=wm.region, year=2025, filename="grootboek.csv", content=GOOD_CSV
        )
        == []
    )
    assert ActualCostLine.objects.unrestricted().count() == 3


def test_every_bad_row_is_reported_and_nothing_is_imported(wm):
    bad = (
        b"datum;kostensoort;omschrijving;bedrag\n"
        b"14-02-2025;hired;Goed;100,00\n"
        b"31-02-2025;hired;Geen datum;100,00\n"
        b"01-03-2025;koffie;Onbekende soort;100,00\n"
        b"01-03-2025;legal;;100,00\n"
        b"01-03-2025;legal;Bedrag;honderd\n"
        b"01-03-2024;legal;Verkeerd jaar;1,001\n"
        b"01-03-2025;staff;Personeel;100,00\n"
    )
    with pytest.raises(services.ImportRefused) as exc:
        services.import_actuals(user=wm.coordinator, region=wm.region, year=2025, filename="fout.csv", content=bad)
    rows = [p.row for p in exc.value.problems]
    assert rows == [3, 4, 5, 6, 7, 7, 8]
    messages = [str(p) for p in exc.value.problems]
    assert "rij 3: '31-02-2025' is geen datum (gebruik dd-mm-jjjj)." in messages
    assert "rij 4: onbekende kostensoort 'koffie'." in messages
    assert any(m.startswith("rij 8: personeelskosten komen uit de formatie") for m in messages)
    assert ActualCostLine.objects.unrestricted().count() == 0


def test_missing_column_is_named(wm):
    with pytest.raises(services.ImportRefused, match="kolom ontbreekt: bedrag"):
        services.import_actuals(
            user=wm.coordinator,
            region=wm.region,
            year=2025,
            filename="x.csv",
            content=b"datum,kostensoort,omschrijving\n01-01-2025,legal,x\n",
        )


def test_excel_import(wm):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Datum", "Kostensoort", "Omschrijving", "Bedrag"])
    sheet.append([date(2025, 1, 31), "pgax", "PGAX licentie", 12100.10])
    sheet.append(["30-06-2025", "e", "PGAX koppeling", "2.420,00"])
    out = io.BytesIO()
    book.save(out)
    created = services.import_actuals(
        user=wm.coordinator, region=wm.region, year=2025, filename="export.xlsx", content=out.getvalue()
    )
    assert [c.amount for c in created] == [Decimal("12100.10"), Decimal("2420.00")]


def test_only_coordinating_staff_import(wm):
    with pytest.raises(PermissionDenied):
        services.import_actuals(user=wm.beek_user, region=wm.region, year=2025, filename="g.csv", content=GOOD_CSV)


def test_budget_gives_advances_per_member(wm):
    """Budget → advances: staff from the formation at the norm (WM-SO 6.3), supervision by the FTE key (annex 4),
    the rest by 69/19/12 (WM-SO 6.2); 50 % of Annual Insight (6.1 h)."""
    services.index_norms(user=system_actor("test"), region=wm.region, through_year=2025)
    FormationLine.objects.create(
        region=wm.region, year=2025, task_area="supervision", function="Toezichthouder", scale=10, fte=Decimal("2.9")
    )
    BudgetLine.objects.create(
        region=wm.region, year=2025, category="legal", description="Juridisch", amount=Decimal("10000.00")
    )
    BudgetLine.objects.create(
        region=wm.region, year=2025, category="annual_insight", description="AI", amount=Decimal("10000.00")
    )
    totals = services.budget_totals(region=wm.region, year=2025)
    # 2.9 fte × (97,200 + 21.00 × 1,345) with no CAO steps after the base = 2.9 × 125,445 = 363,790.50
    assert totals["staff_supervision"] == Decimal("363790.50")
    assert totals["annual_insight"] == Decimal("5000.00")
    advances = {
        a.municipality.name: a.amount
        for a in services.compute_advances(user=wm.coordinator, region=wm.region, year=2025)
    }
    # Beek: 0.35 fte × 125,445 = 43,905.75 of supervision + 12 % of (10,000 legal + 5,000 Annual Insight)
    assert advances["Beek"] == Decimal("43905.75") + Decimal("1200.00") + Decimal("600.00")
    assert sum(advances.values()) == Decimal("363790.50") + Decimal("15000.00")
    # Computing twice changes nothing.
    services.compute_advances(user=wm.coordinator, region=wm.region, year=2025)
    assert Advance.objects.unrestricted().count() == 3

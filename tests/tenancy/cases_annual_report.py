"""Matrix cases of BNO's yearly cycle (issue 12, part B): the annual reports of region A (a centrumregeling in these
cases), their versions and PDF, the adoption, the two-year cost plan with the colleges' adoptions, the invoices made
from an adopted report, and the API (read, adopt). Region B (b1) gets 404 everywhere; a2 sees but does not act."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from costsharing.models import AnnualReport, AnnualReportVersion, CollegeAdoption, ExecutionCostPlan
from invoicing.models import Invoice
from tests.tenancy.matrix import Case

MARK = "Inhoud jaarverslag regio A 2024"


def _report(world, *, adopted=False):
    report = AnnualReport.objects.create(region=world.a, year=2024)
    version = AnnualReportVersion.objects.create(
        report=report,
        number=1,
        content=MARK,
        figures={
            "region": "regio-a",
            "year": 2024,
            "categories": [
                {"category": "legal", "label": "c. juridische kosten", "budget": "100.00", "actual": "90.00"}
            ],
            "total_budget": "100.00",
            "total_actual": "90.00",
            "proposal": [
                {
                    "code": world.a2.code,
                    "name": world.a2.name,
                    "actual_share": "36.00",
                    "paid": "40.00",
                    "difference": "-4.00",
                }
            ],
            "plan": None,
        },
    )
    if adopted:
        AnnualReport.objects.filter(pk=report.pk).update(adopted_on=date(2025, 5, 1), adopted_version=version)
    return {"code": "regio-a", "year": 2024}


def _api(world):
    _report(world)
    return {"region_code": "regio-a", "year": 2024}


def _plan(world):
    ExecutionCostPlan.objects.create(
        region=world.a,
        first_year=2024,
        title="Inkoopplan regio A",
        first_year_amount=Decimal("100.00"),
        second_year_amount=Decimal("110.00"),
    )
    return {"code": "regio-a", "first_year": 2024}


def _adopted(world, kwargs):
    return list(AnnualReport.objects.unrestricted().values_list("adopted_on", flat=True))


def _versions(world, kwargs):
    return AnnualReportVersion.objects.unrestricted().count()


def _college_adoptions(world, kwargs):
    return CollegeAdoption.objects.unrestricted().count()


def _invoices(world, kwargs):
    return Invoice.objects.unrestricted().count()


CASES = [
    Case(
        "costsharing-annual-reports", lambda w: (_report(w), {"code": "regio-a"})[1], lambda w, kw: "Jaarverslag 2024"
    ),
    Case(
        "costsharing-annual-report",
        _report,
        lambda w, kw: MARK,
        writes=("POST",),
        write_payload={"content": "poging van regio B"},
        snapshot=_versions,
    ),
    Case(
        "costsharing-annual-report-version",
        lambda w: {**_report(w), "number": 1},
        lambda w, kw: MARK,
    ),
    Case(
        "costsharing-annual-report-adopt",
        _report,
        lambda w, kw: "versie 1",
        writes=("POST",),
        write_payload={"version": "1", "adopted_on": "01-05-2025"},
        snapshot=_adopted,
    ),
    Case(
        "costsharing-cost-plan",
        _plan,
        lambda w, kw: "Inkoopplan regio A",
        writes=("POST",),
        write_payload=lambda w, kw: {"municipality": w.a2.code, "adopted_on": "01-11-2023"},
        snapshot=_college_adoptions,
    ),
    Case(
        "invoicing-annual-report",
        lambda w: _report(w, adopted=True),
        lambda w, kw: "Regio A",
        writes=("POST",),
        snapshot=_invoices,
    ),
    Case("api:annual-report-list", lambda w: {"region_code": (_report(w), "regio-a")[1]}, lambda w, kw: MARK),
    Case("api:annual-report-detail", _api, lambda w, kw: MARK),
    Case(
        "api:annual-report-adopt",
        _api,
        lambda w, kw: "awaiting_adoption",
        writes=("POST",),
        write_payload={"version": 1, "adopted_on": "2025-05-01"},
        snapshot=_adopted,
    ),
]

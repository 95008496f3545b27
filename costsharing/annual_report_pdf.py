"""The annual report of BNO (BNO 10.5-10.6) as a PDF (WeasyPrint, the house style of the cost overview). Each version
renders from the figures it keeps, so an earlier version reads as it was drawn up."""

from __future__ import annotations

from decimal import Decimal

from costsharing.notices import render_pdf

ZERO = Decimal("0.00")


def version_context(*, report, version) -> dict:
    """What the PDF and the page show of one version: its text, the accounts with their differences, the proposal."""
    from costsharing.services.annual_reports import report_due_on

    figures = version.figures
    categories = []
    for row in figures.get("categories", []):
        budget, actual = Decimal(row["budget"]), Decimal(row["actual"])
        categories.append({"label": row["label"], "budget": budget, "actual": actual, "difference": actual - budget})
    totals = {
        "budget": Decimal(figures.get("total_budget", "0")),
        "actual": Decimal(figures.get("total_actual", "0")),
    }
    totals["difference"] = totals["actual"] - totals["budget"]
    proposal = [
        {
            "code": row["code"],
            "name": row["name"],
            "actual_share": Decimal(row["actual_share"]),
            "paid": Decimal(row["paid"]),
            "difference": Decimal(row["difference"]),
            "centre": row.get("centre", False),
        }
        for row in figures.get("proposal", [])
    ]
    latest = max(
        (
            v.number
            for v in report.versions.unrestricted(
                "the versions of a report the caller already found among what the user may see"
            ).only("number")
        ),
        default=version.number,
    )
    return {
        "report": report,
        "version": version,
        "region": report.region,
        "centre": report.region.coordinator_on(),
        "figures": figures,
        "categories": categories,
        "totals": totals,
        "proposal": proposal,
        "due_on": report_due_on(report.year),
        "later": latest if latest > version.number else None,
        "vat_note": vat_note(report.region, report.year),
    }


def vat_note(region, year: int) -> str:
    """How the settlement will be invoiced as to VAT: the agreement's treatment (issue 12)."""
    from datetime import date

    from agreements.selectors import frame_agreement, vat_text

    return vat_text(frame_agreement(region=region, on=date(year, 12, 31), or_last_ended=True))


def render_version_pdf(*, report, version) -> bytes:
    return render_pdf("costsharing/pdf/annual_report.html", version_context(report=report, version=version))

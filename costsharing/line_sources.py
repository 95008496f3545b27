"""The invoice-line source cost sharing writes: a line of the December reckoning (WM-SO 6.7), billed by invoicing.

Registered in ``CostsharingConfig.ready`` with ``regio.line_sources``; the invoice page links a billed line to its
reckoning for whoever may see both the reckoning and that municipality's line.
"""

from __future__ import annotations

from django.urls import reverse

from costsharing.models import Reckoning, ReckoningLine
from regio.line_sources import Link


def reckoning_line_links(user, source_ids: list[str]) -> dict[str, Link]:
    """The reckoning page of each reckoning line the user may see, in one query."""
    pks = [int(i) for i in source_ids if i.isdigit()]
    rows = (
        ReckoningLine.objects.visible_to(user)
        .filter(pk__in=pks, reckoning__in=Reckoning.objects.visible_to(user))
        .select_related("reckoning__region")
    )
    return {
        str(row.pk): Link(url=reverse("costsharing-reckoning", args=[row.reckoning_id]), text=str(row.reckoning))
        for row in rows
    }


def fee_links(user, source_ids: list[str]) -> dict[str, Link]:
    """The cycle page (fee of the year, budget and norm year) of each fee the user may see, in one query
    (WM-DVO 6.1)."""
    from costsharing.models import Fee

    pks = [int(i) for i in source_ids if i.isdigit()]
    rows = Fee.objects.visible_to(user).filter(pk__in=pks).select_related("region")
    return {
        str(row.pk): Link(
            url=reverse("costsharing-cycle", args=[row.region.code, row.year]),
            text=f"bijdrage {row.year} {row.region.name}",
        )
        for row in rows
    }


def exit_line_links(user, source_ids: list[str]) -> dict[str, Link]:
    """The exit statement of each billed statement line the user may see (WM-SO 16.3-16.6; BNO 15.4), in one query."""
    from costsharing.models import ExitStatement, ExitStatementLine

    pks = [int(i) for i in source_ids if i.isdigit()]
    rows = (
        ExitStatementLine.objects.visible_to(user)
        .filter(pk__in=pks, statement__in=ExitStatement.objects.visible_to(user))
        .select_related("statement__agreement", "statement__municipality")
    )
    return {
        str(row.pk): Link(url=reverse("costsharing-exit", args=[row.statement_id]), text=str(row.statement))
        for row in rows
    }


def secondment_links(user, source_ids: list[str]) -> dict[str, Link]:
    """The secondments page of each credited secondment the user may see (WM-SO 4.10), in one query."""
    from costsharing.models import Secondment

    pks = [int(i) for i in source_ids if i.isdigit()]
    rows = Secondment.objects.visible_to(user).filter(pk__in=pks).select_related("region", "municipality")
    return {
        str(row.pk): Link(
            url=reverse("costsharing-secondments", args=[row.region.code]) + f"?jaar={row.year}", text=str(row)
        )
        for row in rows
    }


def annual_report_links(user, source_ids: list[str]) -> dict[str, Link]:
    """The annual-report page of each report version the user may see (BNO 10.6), in one query."""
    from costsharing.models import AnnualReportVersion

    pks = [int(i) for i in source_ids if i.isdigit()]
    rows = AnnualReportVersion.objects.visible_to(user).filter(pk__in=pks).select_related("report__region")
    return {
        str(row.pk): Link(
            url=reverse("costsharing-annual-report", args=[row.report.region.code, row.report.year]),
            text=f"Jaarverslag {row.report.year} {row.report.region.name}, versie {row.number}",
        )
        for row in rows
    }

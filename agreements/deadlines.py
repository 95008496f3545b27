"""This app's feed into the one deadline service (regio/deadlines.py): plans and reports (BNO 6.1, 10.5; WM-SO 3.3,
12.1; WM-DVO algemeen 6), extra meetings (BNO 8.4), the last day to give notice for the next possible exit
(WM-SO 16.1; BNO 15.2-15.3) and registered exits with their obligations (BNO 15.4)."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date

from django.urls import NoReverseMatch, reverse

from agreements.models import Agreement, ExtraMeetingRequest, Notice, NoticeStatus, PlanObligation, Recurrence
from agreements.services import add_months, d
from regio.deadlines import Deadline
from regio.tenancy import Scope


def _safe_date(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _url(agreement: Agreement) -> str:
    return reverse("agreement-detail", kwargs={"code": agreement.code})


def agreement_deadlines(scope: Scope, start: date, end: date) -> Iterator[Deadline]:
    """Deadlines of the agreements of the regions the scope is a member of, between start and end."""
    regions = scope.member_region_ids
    if not regions:
        return
    agreements = list(Agreement.objects.unrestricted().filter(region__in=regions))
    yield from _plan_deadlines(regions, start, end)
    yield from _notice_windows(agreements, start, end)
    for request in (
        ExtraMeetingRequest.objects.unrestricted()
        .filter(agreement__region__in=regions, due_on__range=(start, end), meetings__isnull=True)
        .select_related("agreement")
    ):
        yield Deadline(
            key=f"agreements:extra-meeting:{request.pk}",
            title=f"Extra bestuurlijk overleg houden: {request.subject}",
            due=request.due_on,
            source="agreements",
            article="BNO 8.4",
            url=_url(request.agreement),
            region_id=request.agreement.region_id,
        )
    for notice in (
        Notice.objects.unrestricted()
        .filter(agreement__region__in=regions, status=NoticeStatus.REGISTERED)
        .select_related("agreement", "municipality")
    ):
        if notice.exit_date and start <= notice.exit_date <= end:
            yield Deadline(
                key=f"agreements:exit:{notice.pk}",
                title=f"Uittreding {notice.municipality.name} uit {notice.agreement.code} gaat in",
                due=notice.exit_date,
                source="agreements",
                article=", ".join(filter(None, [(notice.agreement.exit_citations or {}).get("notice")])),
                url=_url(notice.agreement),
                municipality_id=notice.municipality_id,
                region_id=notice.agreement.region_id,
            )


# The plan obligation whose deadline opens the annual report it asks for (BNO 10.5; issue 12): the report of the
# year before the due year, on cost sharing's page (named by its URL only: agreements imports no cost sharing).
ANNUAL_REPORT_PLAN = "jaarverslag"


def _plan_url(obligation: PlanObligation, year: int) -> str:
    if obligation.key == ANNUAL_REPORT_PLAN:
        try:
            return reverse("costsharing-annual-report", args=[obligation.agreement.region.code, year - 1])
        except NoReverseMatch:
            pass
    return _url(obligation.agreement)


def _plan_deadlines(regions, start: date, end: date) -> Iterator[Deadline]:
    obligations = (
        PlanObligation.objects.unrestricted()
        .filter(agreement__region__in=regions)
        .select_related("agreement", "agreement__region")
    )
    for obligation in obligations.prefetch_related("submissions"):
        done = {s.year for s in obligation.submissions.all()}
        agreement = obligation.agreement
        for year in range(max(start.year, obligation.first_year), end.year + 1):
            if obligation.last_year and year > obligation.last_year:
                break
            if obligation.recurrence == Recurrence.ONCE and year != obligation.first_year:
                continue
            if obligation.recurrence == Recurrence.BIENNIAL and (year - obligation.first_year) % 2:
                continue
            due = _safe_date(year, obligation.due_month, obligation.due_day)
            if year in done:
                continue
            if start <= due <= end:
                yield Deadline(
                    key=f"agreements:plan:{obligation.pk}:{year}",
                    title=f"{obligation.title} ({agreement.code})",
                    due=due,
                    source="agreements",
                    article=obligation.article,
                    url=_plan_url(obligation, year),
                    region_id=agreement.region_id,
                )


def _notice_windows(agreements, start: date, end: date) -> Iterator[Deadline]:
    """The last day a notice can be received for the next possible exit dates."""
    for agreement in agreements:
        months = agreement.exit_min_notice_months
        if not months:
            continue
        article = (agreement.exit_citations or {}).get("notice", agreement.code)
        exits: list[date] = []
        if agreement.exit_fixed_end_month:
            for year in range(start.year, end.year + 3):
                exits.append(_safe_date(year, agreement.exit_fixed_end_month, agreement.exit_fixed_end_day))
        elif agreement.exit_first_possible_end:
            exits.append(agreement.exit_first_possible_end)
        for exit_date in exits:
            if agreement.exit_first_possible_end and exit_date < agreement.exit_first_possible_end:
                continue
            if agreement.effective_until and exit_date > agreement.effective_until:
                continue
            last_notice = add_months(exit_date, -months)
            if start <= last_notice <= end:
                yield Deadline(
                    key=f"agreements:notice-window:{agreement.pk}:{exit_date.isoformat()}",
                    title=f"Laatste dag om {agreement.code} op te zeggen per {d(exit_date)}",
                    due=last_notice,
                    source="agreements",
                    article=article,
                    url=_url(agreement),
                    region_id=agreement.region_id,
                )

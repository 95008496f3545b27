"""The settlement calendars of the seeds as test data (issue 12): WM (WM-SO 6.7, WM-DVO 6.1) and BNO (BNO 10.5-10.6,
11.1), attached to an agreement of the region."""

from __future__ import annotations

from datetime import date

from agreements.models import Agreement, CalendarShape, CalendarStep, SettlementCalendar, StepKind


def agreement(region, coordinator, code: str) -> Agreement:
    found, _created = Agreement.objects.unrestricted().get_or_create(
        code=code,
        defaults={
            "kind": "samenwerkingsovereenkomst",
            "title": f"Overeenkomst {code}",
            "region": region,
            "coordinator": coordinator,
            "effective_from": date(2015, 1, 1),
        },
    )
    return found


def wm_calendar(region, coordinator, code: str = "WM-SO-TEST") -> SettlementCalendar:
    calendar = SettlementCalendar.objects.create(
        agreement=agreement(region, coordinator, code), shape=CalendarShape.WM, articles="WM-SO 6.7, WM-DVO 6.1"
    )
    CalendarStep.objects.create(
        calendar=calendar,
        kind=StepKind.FEE_AND_SETTLEMENT,
        month=12,
        day=1,
        year_offset=-1,
        starts_job=True,
        articles="WM-SO 6.7, WM-DVO 6.1",
    )
    return calendar


def bno_calendar(region, coordinator, code: str = "BNO-TEST") -> SettlementCalendar:
    calendar = SettlementCalendar.objects.create(
        agreement=agreement(region, coordinator, code), shape=CalendarShape.BNO, articles="BNO 10.5-10.6, 11.1"
    )
    CalendarStep.objects.create(
        calendar=calendar, kind=StepKind.ANNUAL_REPORT, month=4, day=30, year_offset=-1, articles="BNO 10.5-10.6"
    )
    CalendarStep.objects.create(
        calendar=calendar, kind=StepKind.COST_ADOPTION, month=12, day=1, year_offset=1, articles="BNO 11.1"
    )
    return calendar

"""Read side of the settlement calendar (issue 12), shared by the agreement page and the API: the calendar of an
agreement with its steps, what each step does in a given year and the articles it rests on."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from agreements.models import Agreement, CalendarStep, SettlementCalendar, StepKind


def calendar_of(user, agreement: Agreement) -> SettlementCalendar | None:
    return SettlementCalendar.objects.visible_to(user).filter(agreement=agreement).first()


def steps_of(user, calendar: SettlementCalendar) -> list[CalendarStep]:
    return list(CalendarStep.objects.visible_to(user).filter(calendar=calendar).order_by("month", "day", "kind"))


def step_text(step: CalendarStep, year: int) -> str:
    """What the step does when its day falls in ``year``, in words."""
    concerns = year + step.year_offset
    on = date(year, step.month, min(step.day, 28 if step.month == 2 else step.day)).strftime("%d-%m-%Y")
    if step.kind == StepKind.FEE_AND_SETTLEMENT:
        return f"{on}: bijdrage {year} (begroting) en definitieve afrekening {concerns} op één factuur per lid"
    if step.kind == StepKind.ANNUAL_REPORT:
        return f"uiterlijk {on}: jaarverslag {concerns} met afrekeningsvoorstel per gemeente"
    if step.kind == StepKind.COST_ADOPTION:
        return f"{on}: kosten {concerns} en {concerns + 1} vastgesteld door de colleges (inkoopplan)"
    return f"{on}: afrekeningsvoorstel {concerns} vastgesteld, daarna gefactureerd"


def calendar_payload(user, agreement: Agreement, year: int | None = None) -> dict | None:
    calendar = calendar_of(user, agreement)
    if calendar is None:
        return None
    year = year or timezone.localdate().year
    return {
        "agreement": agreement.code,
        "shape": calendar.shape,
        "shape_label": str(calendar.get_shape_display()),
        "articles": calendar.articles,
        "note": calendar.note,
        "steps": [
            {
                "kind": step.kind,
                "label": str(step.get_kind_display()),
                "month": step.month,
                "day": step.day,
                "year_offset": step.year_offset,
                "starts_job": step.starts_job,
                "articles": step.articles,
                "description": step.description,
                "this_year": step_text(step, year),
            }
            for step in steps_of(user, calendar)
        ],
    }

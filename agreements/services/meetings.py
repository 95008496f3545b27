"""Meetings, plans and reports: meeting compliance, extra meetings (support, threshold, request, holding), submitting
a plan. Articles: WM-SO 3, BNO 8, WM-SO 3.1, BNO 8.2, BNO 8.3, BNO 6.1, WM-SO 3.3, BNO 8.4.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from agreements.models import (
    Agreement,
    ExtraMeetingRequest,
    ExtraMeetingSupport,
    Meeting,
    MeetingKind,
)
from agreements.services._common import _check, d
from agreements.services.parties import _event, _require_party, current_parties
from regio.models import Municipality

# --- meetings (WM-SO 3; BNO 8) ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplianceRow:
    kind: str
    label: str
    required: int
    held: int
    article: str

    @property
    def ok(self) -> bool:
        return self.held >= self.required


@dataclass(frozen=True)
class Compliance:
    agreement: Agreement
    year: int
    rows: tuple[ComplianceRow, ...]

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows)

    @property
    def summary(self) -> str:
        """ "2025: bestuurlijk 1/1, ambtelijk beleid 1/2 ⚠"."""
        short = {
            MeetingKind.ADMINISTRATIVE: "bestuurlijk",
            MeetingKind.POLICY: "ambtelijk beleid",
            MeetingKind.OPERATIONAL: "ambtelijk uitvoerend",
            MeetingKind.DEVELOPMENT_TABLE: "ontwikkeltafel",
        }
        parts = [f"{short[r.kind]} {r.held}/{r.required}" + ("" if r.ok else " ⚠") for r in self.rows]
        return f"{self.year}: " + ", ".join(parts)


def meeting_compliance(*, agreement: Agreement, year: int) -> Compliance:
    """Meetings held in ``year`` against the agreement's minimum frequencies (WM-SO 3.1-3.2; BNO 8.2)."""
    order = list(MeetingKind.values)
    requirements = sorted(agreement.meeting_requirements.unrestricted(), key=lambda r: order.index(r.kind))
    meetings = (
        Meeting.objects.unrestricted()
        .filter(region=agreement.region_id, date__year=year)
        .filter(Q(agreement__isnull=True) | Q(agreement=agreement))
    )
    held: dict[str, int] = {}
    for kind in meetings.values_list("kind", flat=True):
        held[kind] = held.get(kind, 0) + 1
    rows = tuple(
        ComplianceRow(r.kind, str(MeetingKind(r.kind).label), r.per_year, held.get(r.kind, 0), r.article)
        for r in requirements
    )
    return Compliance(agreement, year, rows)


@transaction.atomic
def support_extra_meeting(
    *, user, request: ExtraMeetingRequest, municipality: Municipality, on: date, reasons: str
) -> ExtraMeetingRequest:
    """BNO 8.3-8.4: a portfolio holder asks, with reasons, for an extra meeting; once a third of them asked, the
    centre holds it within two weeks."""
    request = (
        ExtraMeetingRequest.objects.unrestricted().select_for_update().select_related("agreement").get(pk=request.pk)
    )
    _check(user, request)
    if not reasons.strip():
        raise ValidationError("Een verzoek om extra overleg noemt de redenen (BNO 8.3).")
    _require_party(request.agreement, municipality, on)
    if ExtraMeetingSupport.objects.unrestricted().filter(request=request, municipality=municipality).exists():
        # A second click was a 500 (the unique constraint); the request row is locked above, so this check holds.
        raise ValidationError(f"{municipality.name} steunt dit verzoek om extra overleg al.")
    ExtraMeetingSupport(request=request, municipality=municipality, on=on, reasons=reasons).save()
    supporters = ExtraMeetingSupport.objects.unrestricted().filter(request=request).count()
    holders = len(current_parties(agreement=request.agreement, on=on))
    if request.threshold_reached_on is None and supporters * 3 >= holders:
        request.threshold_reached_on = on
        request.due_on = on + timedelta(days=14)
        request.save()
        _event(
            request.agreement,
            on,
            f"Een derde van de portefeuillehouders ({supporters} van {holders}) vraagt extra overleg over "
            f"'{request.subject}': uiterlijk {d(request.due_on)} houden",
            "BNO 8.3-8.4",
            user,
        )
    return request


def extra_meeting_threshold(holders: int) -> int:
    """How many portfolio holders make a third (BNO 8.3): 10 → 4, 5 → 2."""
    return math.ceil(holders / 3)


# --- plans and reports -----------------------------------------------------------------------------------------


@transaction.atomic
def submit_plan(*, user, obligation, year: int, submitted_on: date):
    """Record that a plan or report was delivered for ``year``; it then no longer shows as a deadline
    (BNO 6.1, 10.5; WM-SO 3.3, 12.1)."""
    from agreements.models import PlanObligation, PlanSubmission

    obligation = PlanObligation.objects.unrestricted().select_for_update().get(pk=obligation.pk)
    _check(user, obligation)
    if year < obligation.first_year or (obligation.last_year and year > obligation.last_year):
        raise ValidationError(f"Voor {year} is '{obligation.title}' niet verschuldigd.")
    submission, created = PlanSubmission.objects.unrestricted().get_or_create(
        obligation=obligation, year=year, defaults={"submitted_on": submitted_on}
    )
    if created:
        _event(obligation.agreement, submitted_on, f"{obligation.title} ({year}) ingediend", obligation.article, user)
    return submission


@transaction.atomic
def open_extra_meeting_request(*, user, agreement: Agreement, subject: str) -> ExtraMeetingRequest:
    """Start a request for an extra bestuurlijk overleg (BNO 8.3); supporters are added with
    ``support_extra_meeting``."""
    agreement = Agreement.objects.unrestricted().select_for_update().get(pk=agreement.pk)
    _check(user, agreement)
    request = ExtraMeetingRequest(agreement=agreement, subject=subject)
    request.save()
    return request


@transaction.atomic
def hold_extra_meeting(*, user, request: ExtraMeetingRequest, on: date, agenda: str = "") -> Meeting:
    """Record the extra bestuurlijk overleg held for a request (BNO 8.4); it then leaves the deadlines."""
    request = (
        ExtraMeetingRequest.objects.unrestricted().select_for_update().select_related("agreement").get(pk=request.pk)
    )
    _check(user, request)
    if request.threshold_reached_on is None:
        raise ValidationError("Nog geen derde van de portefeuillehouders heeft om dit overleg gevraagd (BNO 8.3).")
    if on < request.threshold_reached_on:
        raise ValidationError("Het overleg ligt voor het verzoek.")
    agreement = request.agreement
    meeting = Meeting(
        region_id=agreement.region_id,
        agreement=agreement,
        kind=MeetingKind.ADMINISTRATIVE,
        date=on,
        title=f"Extra bestuurlijk overleg: {request.subject}"[:200],
        agenda=agenda or request.subject,
        extra_request=request,
    )
    meeting.full_clean()
    meeting.save()
    late = f" (na de termijn van {d(request.due_on)})" if request.due_on and on > request.due_on else ""
    _event(agreement, on, f"Extra bestuurlijk overleg gehouden over '{request.subject}'{late}", "BNO 8.4", user)
    return meeting

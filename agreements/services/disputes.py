"""Disputes: reporting in writing with reasons, the agenda of the next bestuurlijk overleg, the joint decision and
the escalation, and booking the legal-advice costs on the reckoning. Articles: WM-SO 14.2-14.4, 6.1 c/g; BNO 17 with
art. 28 Wgr; MH 10.4."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from agreements.models import (
    DEFAULT_ROUTES,
    ROUTES_BY_KIND,
    Agreement,
    Dispute,
    DisputeEscalation,
    DisputeStatus,
    EscalationRoute,
    LegalCostCategory,
    LegalCostSplit,
    Meeting,
    MeetingKind,
)
from agreements.services._common import _check, d
from agreements.services.parties import _require_party, _within_agreement
from regio.bounds import check_date
from regio.cost_bookings import book_cost
from regio.models import Municipality

OPEN = (DisputeStatus.REPORTED, DisputeStatus.ON_AGENDA)


def escalation_routes(agreement: Agreement) -> list[tuple[str, str, str]]:
    """The routes this agreement offers as ``(route, article, forum)``: those it names itself among the routes of its
    kind, else its kind's default. A gemeenschappelijke regeling goes to Gedeputeerde Staten (art. 28 Wgr, BNO 17),
    never to the civil court; a civil-law agreement to mediation (where it says so, MH 10.4) or the court (WM-SO
    14.4), never to Gedeputeerde Staten."""
    allowed = ROUTES_BY_KIND.get(agreement.kind, (EscalationRoute.MEDIATION, EscalationRoute.COURT))
    named = [
        (str(item["route"]), str(item.get("article", ""))[:100], str(item.get("forum", ""))[:200])
        for item in (agreement.dispute_routes or [])
        if isinstance(item, dict) and item.get("route") in allowed
    ]
    if named:
        return named
    if agreement.kind in ROUTES_BY_KIND:
        return [(str(route), "art. 28 Wgr", "") for route in ROUTES_BY_KIND[agreement.kind]]
    return [(str(route), "", "") for route in DEFAULT_ROUTES]


def next_administrative_meeting(*, agreement: Agreement, on: date) -> Meeting | None:
    """The first bestuurlijk overleg of the agreement's region on or after ``on`` (WM-SO 14.3: "het eerstvolgende
    bestuurlijk overleg")."""
    return (
        Meeting.objects.unrestricted("het eerstvolgende overleg van de regio van het geschil")
        .filter(region=agreement.region_id, kind=MeetingKind.ADMINISTRATIVE, date__gte=on)
        .order_by("date", "pk")
        .first()
    )


@transaction.atomic
def report_dispute(
    *,
    user,
    agreement: Agreement,
    raised_by: Municipality,
    reported_on: date,
    subject: str,
    reasons: str,
    letter_reference: str = "",
) -> Dispute:
    """A party reports a dispute in writing with sound reasons (WM-SO 14.2); it goes on the agenda of the next
    bestuurlijk overleg by itself (WM-SO 14.3; BNO 17: "met elkaar in overleg treden")."""
    agreement = Agreement.objects.unrestricted().select_for_update().get(pk=agreement.pk)
    _check(user, agreement)
    _within_agreement(agreement, reported_on, "De datum van de melding")
    _require_party(agreement, raised_by, reported_on)
    if not (subject or "").strip():
        raise ValidationError({"subject": "Geef het onderwerp van het geschil."})
    if len((reasons or "").strip()) < 20:
        raise ValidationError(
            {
                "reasons": "Een geschil wordt schriftelijk met deugdelijke onderbouwing gemeld (WM-SO 14.2): geef de "
                "redenen (ten minste 20 tekens)."
            }
        )
    dispute = Dispute(
        agreement=agreement,
        raised_by=raised_by,
        reported_on=reported_on,
        subject=subject.strip(),
        reasons=reasons.strip(),
        letter_reference=letter_reference,
    )
    dispute.save()
    schedule_dispute(dispute)
    return dispute


def schedule_dispute(dispute: Dispute) -> Dispute:
    """Put an open dispute that is not yet on an agenda on the next bestuurlijk overleg, if one is planned."""
    if dispute.status != DisputeStatus.REPORTED or dispute.meeting_id:
        return dispute
    meeting = next_administrative_meeting(agreement=dispute.agreement, on=dispute.reported_on)
    if meeting is not None:
        dispute.meeting = meeting
        dispute.status = DisputeStatus.ON_AGENDA
        dispute._change_reason = f"geagendeerd voor het bestuurlijk overleg van {d(meeting.date)} (WM-SO 14.3)"
        dispute.save()
    return dispute


def schedule_waiting_disputes(meeting: Meeting) -> int:
    """A newly planned bestuurlijk overleg takes every dispute of its region that waits for one (reported on or
    before its date). Called when a meeting is saved; returns how many were put on its agenda."""
    if meeting.kind != MeetingKind.ADMINISTRATIVE:
        return 0
    waiting = Dispute.objects.unrestricted("geschillen die op een overleg wachten").filter(
        agreement__region=meeting.region_id, status=DisputeStatus.REPORTED, reported_on__lte=meeting.date
    )
    count = 0
    for dispute in waiting.select_related("agreement"):
        schedule_dispute(dispute)
        count += dispute.meeting_id is not None
    return count


def _locked(dispute: Dispute) -> Dispute:
    return (
        Dispute.objects.unrestricted()
        .select_for_update(of=("self",))
        .select_related("agreement", "meeting")
        .get(pk=dispute.pk)
    )


@transaction.atomic
def decide_dispute(
    *,
    user,
    dispute: Dispute,
    decided_on: date,
    resolved: bool,
    decision: str,
    best_practices: str = "",
    legal_costs_amount: Decimal | None = None,
    legal_costs_split: str = LegalCostSplit.NONE,
    legal_costs_category: str = "",
) -> Dispute:
    """The parties decide together in the bestuurlijk overleg on the solution, e.g. best practices and the split of
    the legal-advice costs (WM-SO 14.3). Without a solution the dispute may be escalated (WM-SO 14.4)."""
    dispute = _locked(dispute)
    _check(user, dispute)
    if dispute.status not in OPEN:
        raise ValidationError("Over dit geschil is al besloten.")
    if dispute.meeting is None:
        raise ValidationError(
            "Het geschil staat nog niet op de agenda van een bestuurlijk overleg; plan eerst het eerstvolgende "
            "bestuurlijk overleg (WM-SO 14.3)."
        )
    check_date(decided_on, earliest=dispute.meeting.date, label="De datum van het besluit")
    if not (decision or "").strip():
        raise ValidationError({"decision": "Leg het gezamenlijke besluit vast."})
    if legal_costs_split not in LegalCostSplit.values:
        raise ValidationError({"legal_costs_split": "Kies een verdeling van de kosten van juridisch advies."})
    if legal_costs_split == LegalCostSplit.NONE:
        legal_costs_amount, legal_costs_category = None, ""
    else:
        if legal_costs_amount is None or legal_costs_amount <= 0:
            raise ValidationError({"legal_costs_amount": "Geef het bedrag van de kosten van juridisch advies."})
        if legal_costs_split == LegalCostSplit.RECKONING and legal_costs_category not in LegalCostCategory.values:
            raise ValidationError(
                {"legal_costs_category": "Kies de kostensoort: c. juridische kosten of g. extern advies (WM-SO 6.1)."}
            )
    dispute.decided_on = decided_on
    dispute.decision = decision.strip()
    dispute.best_practices = (best_practices or "").strip()
    dispute.legal_costs_amount = legal_costs_amount
    dispute.legal_costs_split = legal_costs_split
    dispute.legal_costs_category = legal_costs_category if legal_costs_split == LegalCostSplit.RECKONING else ""
    dispute.status = DisputeStatus.RESOLVED if resolved else DisputeStatus.UNRESOLVED
    dispute._change_reason = f"besloten in het bestuurlijk overleg van {d(dispute.meeting.date)} (WM-SO 14.3)"
    dispute.save()
    return dispute


@transaction.atomic
def escalate_dispute(
    *, user, dispute: Dispute, route: str, started_on: date, forum: str = "", reference: str = ""
) -> DisputeEscalation:
    """Without a solution in the bestuurlijk overleg: the route the agreement has (WM-SO 14.4 the court of Limburg;
    MH 10.4 mediation before the court; BNO 17 with art. 28 Wgr Gedeputeerde Staten)."""
    dispute = _locked(dispute)
    _check(user, dispute)
    if dispute.status not in (DisputeStatus.UNRESOLVED, DisputeStatus.ESCALATED):
        raise ValidationError(
            "Escaleren kan pas als de partijen in het bestuurlijk overleg geen oplossing bereikten (WM-SO 14.4; "
            "MH 10.4: eerst onderling overleg)."
        )
    routes = {r: (article, default_forum) for r, article, default_forum in escalation_routes(dispute.agreement)}
    if route not in routes:
        offered = ", ".join(str(EscalationRoute(r).label) for r in routes)
        raise ValidationError({"route": f"{dispute.agreement.code} kent deze route niet; wel: {offered}."})
    check_date(started_on, earliest=dispute.decided_on, label="De datum van voorleggen")
    if DisputeEscalation.objects.unrestricted().filter(dispute=dispute, ended_on__isnull=True).exists():
        raise ValidationError("Er loopt al een escalatie; rond die eerst af.")
    article, default_forum = routes[route]
    escalation = DisputeEscalation(
        dispute=dispute,
        route=route,
        article=article,
        forum=(forum or default_forum)[:200],
        started_on=started_on,
        reference=reference[:100],
    )
    escalation.save()
    dispute.status = DisputeStatus.ESCALATED
    dispute._change_reason = f"voorgelegd: {escalation.get_route_display()}"
    dispute.save()
    return escalation


@transaction.atomic
def end_escalation(*, user, escalation: DisputeEscalation, ended_on: date, outcome: str, closes: bool) -> Dispute:
    """Record the outcome of an escalation step; ``closes`` ends the dispute, otherwise a next step may follow (after
    mediation the court, MH 10.4)."""
    escalation = DisputeEscalation.objects.unrestricted().select_for_update().get(pk=escalation.pk)
    dispute = _locked(escalation.dispute)
    _check(user, dispute)
    if escalation.ended_on:
        raise ValidationError("Deze escalatie is al afgerond.")
    check_date(ended_on, earliest=escalation.started_on, label="De datum van afronding")
    if not (outcome or "").strip():
        raise ValidationError({"outcome": "Geef de uitkomst."})
    escalation.ended_on = ended_on
    escalation.outcome = outcome.strip()
    escalation.save()
    if closes:
        dispute.status = DisputeStatus.CLOSED
        dispute.save()
    return dispute


@transaction.atomic
def book_legal_costs(*, user, dispute: Dispute, booked_on: date) -> Dispute:
    """The legal-advice costs the parties put on the cooperation become a cost line of the reckoning of the year of
    ``booked_on`` (WM-SO 14.3 with 6.1 c/g), once; a settled year is refused by cost sharing."""
    dispute = _locked(dispute)
    _check(user, dispute)
    if dispute.legal_costs_split != LegalCostSplit.RECKONING:
        raise ValidationError("Volgens het besluit gaan deze kosten niet via de kostenverdeling van de samenwerking.")
    if dispute.legal_costs_booked_on:
        raise ValidationError(f"De kosten zijn al geboekt op {d(dispute.legal_costs_booked_on)}.")
    check_date(booked_on, earliest=dispute.decided_on, label="De boekingsdatum")
    dispute.legal_costs_reference = book_cost(
        region=dispute.agreement.region,
        day=booked_on,
        category=dispute.legal_costs_category,
        description=f"Juridisch advies geschil {dispute.agreement.code}: {dispute.subject}",
        amount=dispute.legal_costs_amount,
        reference=f"geschil {dispute.pk}",
    )
    dispute.legal_costs_booked_on = booked_on
    dispute.save()
    return dispute

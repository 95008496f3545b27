"""The development table of Maastricht-Heuvelland (Samenwerkingsovereenkomst Inkoop Sociaal Domein, MH).

The municipalities act through the coordinating municipality's staff (the project leaders of MH 5.3); a member's
staff may submit a proposal in its own municipality's name and records its own board's decision (MH 1.7, 7.5).
Providers have no login: the project leaders record what a signatory submits or asks (MH 5.4, 7.1); anyone else
writes through the public pages (``inkoop.services.contributions``). Every change of a proposal is a transition
here, dated and noted as a ``ProposalStep`` (STYLE.md rule 3).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from inkoop.models import (
    BoardDecision,
    DevelopmentTable,
    MeetingStatus,
    Proposal,
    ProposalStatus,
    ProposalStep,
    Signatory,
    TableMeeting,
    TableSeat,
)
from regio.bounds import check_date
from regio.tenancy import ADD, CHANGE, can, is_system, person, require, scope_of

S = ProposalStatus

# Which status may follow which (MH 7.5): the table decides to work out or not; a worked-out proposal is published
# for reactions; then it is put to the boards; when every board decided, it is decided.
NEXT = {
    S.PROVISIONAL: {S.ELABORATING, S.DECLINED},
    S.ELABORATING: {S.CONSULTATION},
    S.CONSULTATION: {S.AT_BOARDS},
    S.AT_BOARDS: {S.DECIDED},
}


def _day(value: date, label: str, field: str = "on") -> date:
    try:
        return check_date(value, label=label)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


# --- participants (MH 4.1, annex 1) ------------------------------------------------------------------------------


def sign(*, user, region, provider, signed_on: date) -> Signatory:
    """A provider joins by signing and is added to the participant list of annex 1 (MH 4.1)."""
    require(user, ADD, region, "Alleen de gemeenten (projectleiders, MH 5.3) houden de deelnemerslijst bij.")
    _day(signed_on, "De datum van ondertekening")
    if provider.region_id != region.pk:
        raise ValidationError({"provider": ["Deze aanbieder staat niet in het register van deze regio."]})
    with transaction.atomic():
        if Signatory.objects.restrict(user, ADD).filter(region=region, provider=provider).exists():
            raise ValidationError({"provider": ["Deze aanbieder heeft al ondertekend."]})
        return Signatory.objects.create(region=region, provider=provider, signed_on=signed_on, created_by=person(user))


def leave(*, user, signatory: Signatory, left_on: date) -> Signatory:
    """A participant leaves (MH 3.5: with six months' notice, for special circumstances); it stays on the list with
    the date it left."""
    with transaction.atomic():
        signatory = Signatory.objects.restrict(user, CHANGE).select_for_update().get(pk=signatory.pk)
        _day(left_on, "De datum van uittreden")
        if left_on < signatory.signed_on:
            raise ValidationError({"on": ["Uittreden kan niet voor de ondertekening."]})
        signatory.left_on = left_on
        signatory.save(update_fields=["left_on"])
    return signatory


def active_signatories(region, on: date):
    return (
        Signatory.objects.unrestricted("a region the caller reached")
        .filter(region=region, signed_on__lte=on)
        .exclude(left_on__lt=on)
    )


# --- tables, seats and meetings (MH 1.5, 4.3, 7.1, 7.4) ----------------------------------------------------------


def create_table(*, user, region, theme: str, description: str = "") -> DevelopmentTable:
    require(user, ADD, region, "Alleen de gemeenten stellen een ontwikkeltafel in (MH 1.5).")
    table = DevelopmentTable(region=region, theme=theme, description=description, created_by=person(user))
    table.full_clean()
    table.save()
    return table


def add_seat(*, user, table: DevelopmentTable, signatory: Signatory, reason: str, explanation: str = "") -> TableSeat:
    """A signatory gets a seat at the physical table, with the reason for the selection (MH 4.3, 7.4). A change of
    a published composition is argued (MH 7.4): the explanation is required then."""
    require(user, CHANGE, table)
    if signatory.region_id != table.region_id or signatory.left_on is not None:
        raise ValidationError({"signatory": ["Alleen een deelnemer die (nog) ondertekend heeft, krijgt een plaats."]})
    if table.composition_published_on and not explanation.strip():
        raise ValidationError(
            {"explanation": ["De samenstelling is gepubliceerd: een wijziging wordt beargumenteerd."]}
        )
    with transaction.atomic():
        DevelopmentTable.objects.restrict(user, CHANGE).select_for_update().get(pk=table.pk)
        if TableSeat.objects.unrestricted("the table just locked").filter(table=table, signatory=signatory).exists():
            raise ValidationError({"signatory": ["Deze deelnemer zit al aan deze tafel."]})
        seat = TableSeat(table=table, signatory=signatory, reason=reason, explanation=explanation)
        seat.full_clean()
        seat.save()
    return seat


def publish_composition(*, user, table: DevelopmentTable, on: date) -> DevelopmentTable:
    """The municipalities publish the composition on the website (MH 7.4)."""
    require(user, CHANGE, table)
    _day(on, "De publicatiedatum")
    with transaction.atomic():
        table = DevelopmentTable.objects.restrict(user, CHANGE).select_for_update().get(pk=table.pk)
        if not TableSeat.objects.unrestricted("the table just locked").filter(table=table).exists():
            raise ValidationError({"on": ["Een tafel zonder deelnemers heeft geen samenstelling om te publiceren."]})
        table.composition_published_on = on
        table.save(update_fields=["composition_published_on"])
    return table


def request_meeting(*, user, table: DevelopmentTable, signatory: Signatory, subject: str, on: date) -> TableMeeting:
    """A signatory asks for a physical meeting (MH 7.1, toelichting: "ook de dienstverleners ... kunnen om een
    fysiek overleg van de OT vragen"); the project leaders record the request."""
    require(user, CHANGE, table)
    _day(on, "De datum van het verzoek")
    if signatory.region_id != table.region_id or signatory.left_on is not None:
        raise ValidationError({"signatory": ["Alleen een deelnemer die ondertekend heeft, vraagt om een overleg."]})
    meeting = TableMeeting(
        table=table,
        status=MeetingStatus.REQUESTED,
        requested_by=signatory,
        requested_on=on,
        subject=subject,
        created_by=person(user),
    )
    meeting.full_clean()
    meeting.save()
    return meeting


def plan_meeting(*, user, table: DevelopmentTable, subject: str, held_on: date, meeting=None) -> TableMeeting:
    """The municipalities plan a physical meeting (MH 7.1), on their own or answering a request."""
    require(user, CHANGE, table)
    _day(held_on, "De datum van het overleg")
    with transaction.atomic():
        if meeting is None:
            meeting = TableMeeting(table=table, subject=subject, created_by=person(user))
        else:
            meeting = TableMeeting.objects.restrict(user, CHANGE).select_for_update().get(pk=meeting.pk, table=table)
            if meeting.status != MeetingStatus.REQUESTED:
                raise ValidationError({"held_on": ["Dit overleg is al gepland."]})
        meeting.status, meeting.held_on = MeetingStatus.PLANNED, held_on
        meeting.full_clean()
        meeting.save()
    return meeting


def record_meeting(*, user, meeting: TableMeeting, minutes: str) -> TableMeeting:
    """The meeting was held: its minutes (MH 5.3 d)."""
    with transaction.atomic():
        meeting = TableMeeting.objects.restrict(user, CHANGE).select_for_update().get(pk=meeting.pk)
        if meeting.status != MeetingStatus.PLANNED:
            raise ValidationError({"minutes": ["Alleen een gepland overleg krijgt een verslag."]})
        meeting.status, meeting.minutes = MeetingStatus.HELD, minutes
        meeting.full_clean()
        meeting.save()
    return meeting


# --- proposals (MH 1.6, 1.7, 5.4, 7.5) ---------------------------------------------------------------------------


def _may_submit_for(user, table, municipality) -> bool:
    if can(user, ADD, table.region):
        return True
    scope = scope_of(user)
    return (
        municipality is not None
        and not scope.read_only
        and municipality.pk == scope.municipality_id
        and table.region_id in scope.member_region_ids
    )


def submit_proposal(
    *, user, table: DevelopmentTable, title: str, summary: str, on: date, signatory=None, municipality=None
) -> Proposal:
    """Any signatory submits a provisional proposal (MH 1.6, 5.4): a provider on the list (recorded by the project
    leaders) or a municipality (its own staff, or the project leaders)."""
    if (signatory is None) == (municipality is None):
        raise ValidationError({"signatory": ["Kies wie het voorstel indient: een deelnemer of een gemeente."]})
    if not is_system(user) and not _may_submit_for(user, table, municipality):
        raise PermissionDenied("U kunt geen voorstel indienen namens deze partij.")
    _day(on, "De datum van indienen")
    if signatory is not None and (signatory.region_id != table.region_id or signatory.left_on is not None):
        raise ValidationError({"signatory": ["Alleen een partij die heeft ondertekend, dient een voorstel in."]})
    if municipality is not None and not table.region.members_on(on).filter(pk=municipality.pk).exists():
        raise ValidationError({"municipality": ["Deze gemeente is geen partij bij deze samenwerking."]})
    with transaction.atomic():
        DevelopmentTable.objects.unrestricted("lock: numbering").select_for_update().get(pk=table.pk)
        last = Proposal.objects.unrestricted("numbering").filter(table=table).aggregate(n=Max("number"))["n"] or 0
        proposal = Proposal(
            table=table,
            number=last + 1,
            title=title,
            summary=summary,
            submitted_by_signatory=signatory,
            submitted_by_municipality=municipality,
            submitted_on=on,
        )
        proposal.full_clean()
        proposal.save()
        ProposalStep.objects.create(proposal=proposal, status=S.PROVISIONAL, on=on, created_by=person(user))
    return proposal


def _move(*, user, proposal: Proposal, to: str, on: date, note: str = "", guard=None, **changes) -> Proposal:
    require(user, CHANGE, proposal, "Alleen de gemeenten (projectleiders) brengen een voorstel verder.")
    _day(on, "De datum")
    with transaction.atomic():
        proposal = Proposal.objects.restrict(user, CHANGE).select_for_update().get(pk=proposal.pk)
        if to not in NEXT.get(proposal.status, ()):
            raise ValidationError(
                {
                    "status": [
                        f"Een voorstel met status '{proposal.get_status_display()}' kan niet naar '{S(to).label}'."
                    ]
                }
            )
        last = proposal.steps.unrestricted("its own steps").order_by("-on").values_list("on", flat=True).first()
        if last and on < last:
            raise ValidationError({"on": [f"De datum ligt voor de vorige stap ({last:%d-%m-%Y})."]})
        if guard is not None:
            guard(proposal)
        for field, value in changes.items():
            setattr(proposal, field, value)
        proposal.status = to
        proposal.full_clean()
        proposal.save()
        ProposalStep.objects.create(proposal=proposal, status=to, on=on, note=note, created_by=person(user))
    return proposal


def table_decides(*, user, proposal: Proposal, work_out: bool, on: date, note: str = "") -> Proposal:
    """The physical table decides whether a provisional proposal is worked out (MH 5.4, 7.5)."""
    return _move(user=user, proposal=proposal, to=S.ELABORATING if work_out else S.DECLINED, on=on, note=note)


def publish_for_reactions(
    *, user, proposal: Proposal, elaboration: str, on: date, reactions_until: date, note: str = ""
) -> Proposal:
    """The worked-out proposal, approved by the table, is published on the website for reactions (MH 1.7, 7.5)."""
    if not (elaboration or "").strip():
        raise ValidationError({"elaboration": ["Een uitgewerkt voorstel heeft een uitwerking."]})
    if reactions_until is None or reactions_until <= on:
        raise ValidationError({"reactions_until": ["De reactietermijn eindigt na de publicatiedatum."]})
    _day(reactions_until, "Het einde van de reactietermijn", "reactions_until")
    return _move(
        user=user,
        proposal=proposal,
        to=S.CONSULTATION,
        on=on,
        note=note,
        elaboration=elaboration,
        published_on=on,
        reactions_until=reactions_until,
    )


def put_to_boards(*, user, proposal: Proposal, on: date, note: str = "") -> Proposal:
    """After the reactions the table concludes to put the (amended) proposal to the municipal boards (MH 7.5); not
    before the reaction period has ended."""

    def after_reactions(locked: Proposal) -> None:
        if locked.reactions_until and on <= locked.reactions_until:
            raise ValidationError({"on": [f"De reactietermijn loopt tot en met {locked.reactions_until:%d-%m-%Y}."]})

    return _move(user=user, proposal=proposal, to=S.AT_BOARDS, on=on, note=note, guard=after_reactions)


def may_decide_for(user, proposal: Proposal, municipality) -> bool:
    """A member's own staff (not only looking) records its board's decision; the project leaders may too."""
    if is_system(user) or can(user, CHANGE, proposal):
        return True
    scope = scope_of(user)
    return not scope.read_only and municipality.pk == scope.municipality_id


def record_board_decision(
    *, user, proposal: Proposal, municipality, adopted: bool, on: date, note: str = ""
) -> BoardDecision:
    """A municipal board decides on the proposal put to it (MH 1.7, 7.5); when every member's board decided, the
    proposal is decided."""
    if not may_decide_for(user, proposal, municipality):
        raise PermissionDenied("U legt alleen het besluit van het college van uw eigen gemeente vast.")
    _day(on, "De datum van het besluit")
    with transaction.atomic():
        proposal = Proposal.objects.unrestricted("checked above").select_for_update().get(pk=proposal.pk)
        if proposal.status != S.AT_BOARDS:
            raise ValidationError({"adopted": ["Dit voorstel ligt niet (meer) voor bij de colleges."]})
        region = proposal.table.region
        members = list(region.members_on(on).values_list("pk", flat=True))
        if municipality.pk not in members:
            raise ValidationError({"municipality": ["Deze gemeente is geen partij bij deze samenwerking."]})
        decisions = BoardDecision.objects.unrestricted("the proposal just locked").filter(proposal=proposal)
        if decisions.filter(municipality=municipality).exists():
            raise ValidationError({"municipality": ["Het college van deze gemeente heeft al besloten."]})
        sent = proposal.steps.unrestricted("its own steps").filter(status=S.AT_BOARDS).values_list("on", flat=True)
        if sent and on < max(sent):
            raise ValidationError({"on": ["Het college besluit niet voordat het voorstel is voorgelegd."]})
        decision = BoardDecision.objects.create(
            proposal=proposal,
            municipality=municipality,
            adopted=adopted,
            decided_on=on,
            note=note,
            created_by=person(user),
        )
        if set(members) <= set(decisions.values_list("municipality_id", flat=True)):
            proposal.status = S.DECIDED
            proposal.save(update_fields=["status"])
            ProposalStep.objects.create(
                proposal=proposal,
                status=S.DECIDED,
                on=on,
                note="Alle colleges hebben besloten.",
                created_by=person(user),
            )
    return decision

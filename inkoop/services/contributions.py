"""Reactions and signals through the public website (MH 6) and the municipalities' decision on what reaches the
table's agenda (MH 6.5).

Anyone may read the published proposals and react to one that is open for reactions (MH 6.1, 6.4), or send a signal
about the purchasing process of a region that runs a development table (MH 6.2). Nothing is stored that is not
needed: the text and, if the sender wants to be named, a name and organisation; no e-mail, no address, no IP.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inkoop.models import AgendaDecision, Contribution, ContributionKind, DevelopmentTable, Proposal, ProposalStatus
from regio.bounds import check_date
from regio.privacy import refuse_bsn
from regio.tenancy import CHANGE

PUBLISHED = [ProposalStatus.CONSULTATION, ProposalStatus.AT_BOARDS, ProposalStatus.DECIDED]


def published_proposals():
    """What the public website shows (MH 6.1): proposals published for reactions and after; never a provisional or
    declined one, nor one still being worked out."""
    return (
        Proposal.objects.unrestricted("public: only published proposals (MH 6.1)")
        .filter(status__in=PUBLISHED, published_on__isnull=False)
        .select_related("table__region", "submitted_by_signatory__provider", "submitted_by_municipality")
        .order_by("-published_on", "-pk")
    )


def public_regions():
    """The regions that run a development table: they take signals through the website (MH 6.2)."""
    from regio.models import Region

    ids = DevelopmentTable.objects.unrestricted("public: which regions run a table").values("region_id")
    return Region.objects.unrestricted("public: the names of regions with a development table").filter(pk__in=ids)


def open_for_reactions(proposal: Proposal, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        proposal.status == ProposalStatus.CONSULTATION
        and proposal.reactions_until is not None
        and today <= proposal.reactions_until
    )


def _clean(text: str, name: str, organisation: str) -> tuple[str, str, str]:
    errors = {}
    values = {"text": (text or "").strip(), "name": (name or "").strip(), "organisation": (organisation or "").strip()}
    limits = {"text": 3000, "name": 100, "organisation": 150}
    for field, value in values.items():
        if field == "text" and len(value) < 5:
            errors[field] = ["Schrijf uw reactie (ten minste een paar woorden)."]
        elif len(value) > limits[field]:
            errors[field] = [f"Hoogstens {limits[field]} tekens."]
        else:
            try:
                refuse_bsn(value)
            except ValidationError as exc:
                errors[field] = exc.messages
    if errors:
        raise ValidationError(errors)
    return values["text"], values["name"], values["organisation"]


def react(*, proposal: Proposal, text: str, name: str = "", organisation: str = "") -> Contribution:
    """A reaction to a published proposal within its reaction period (MH 6.4, 7.5)."""
    text, name, organisation = _clean(text, name, organisation)
    with transaction.atomic():
        proposal = published_proposals().select_for_update(of=("self",)).get(pk=proposal.pk)
        if not open_for_reactions(proposal):
            raise ValidationError({"text": ["Op dit voorstel kan niet (meer) worden gereageerd."]})
        return Contribution.objects.create(
            region=proposal.table.region,
            proposal=proposal,
            kind=ContributionKind.REACTION,
            text=text,
            name=name,
            organisation=organisation,
        )


def send_signal(*, region, text: str, name: str = "", organisation: str = "") -> Contribution:
    """A signal about the purchasing process of a region with a development table (MH 6.2)."""
    text, name, organisation = _clean(text, name, organisation)
    if not public_regions().filter(pk=region.pk).exists():
        raise ValidationError({"region": ["Deze regio neemt geen signalen aan."]})
    return Contribution.objects.create(
        region=region, kind=ContributionKind.SIGNAL, text=text, name=name, organisation=organisation
    )


def judge(*, user, contribution: Contribution, agenda: bool, on: date, note: str = "") -> Contribution:
    """The municipalities decide whether a reaction or signal reaches the table's agenda (MH 6.5)."""
    try:
        check_date(on, label="De datum")
    except ValidationError as exc:
        raise ValidationError({"on": exc.messages}) from None
    with transaction.atomic():
        contribution = Contribution.objects.restrict(user, CHANGE).select_for_update().get(pk=contribution.pk)
        if contribution.agenda != AgendaDecision.PENDING:
            raise ValidationError({"agenda": ["Hierover is al beslist."]})
        contribution.agenda = AgendaDecision.AGENDA if agenda else AgendaDecision.NOT_AGENDA
        contribution.agenda_decided_on, contribution.agenda_note = on, note
        contribution.full_clean()
        contribution.save()
    return contribution

"""Matrix cases of agreements, mandates, meetings and deadlines (issue #4)."""

from datetime import date, timedelta

from django.utils import timezone

from agreements.calendar import create_token
from agreements.documents import add_document
from agreements.models import (
    Agreement,
    CalendarToken,
    Document,
    Mandate,
    MeetingRequirement,
    Notice,
    Party,
    PlanObligation,
)
from regio.models import PopulationFigure
from regio.tenancy import system_actor
from tests.tenancy.matrix import Case

CODE = "A-SO-2025"
PLAN_TITLE = "Jaarplan regio A"
MANDATE_TEXT = "Mandaat van Beek in regio A"


def _agreement(world) -> Agreement:
    existing = Agreement.objects.unrestricted().filter(code=CODE).first()
    if existing:
        return existing
    agreement = Agreement.objects.create(
        code=CODE,
        kind="samenwerkingsovereenkomst",
        title="Samenwerking regio A",
        region=world.a,
        coordinator=world.a1,
        effective_from=date(2025, 4, 1),
        exit_first_possible_end=date(2029, 4, 1),
        exit_min_notice_months=12,
        exit_citations={"notice": "A-SO 16.1", "first_end": "A-SO 16.1"},
    )
    Party.objects.create(agreement=agreement, municipality=world.a1, role="coordinerend")
    Party.objects.create(agreement=agreement, municipality=world.a2, role="deelnemer")
    return agreement


def _agreement_kwargs(world):
    return {"code": _agreement(world).code}


def _nothing_but_agreement(world):
    _agreement(world)
    return {}


def _mandate(world) -> Mandate:
    return Mandate.objects.create(
        agreement=_agreement(world),
        mandating=world.a2,
        mandated=world.a1,
        mandated_body="college",
        powers=["purchasing", "invoicing"],
        detail=MANDATE_TEXT,
        valid_from=date(2025, 4, 1),
    )


def _mandate_list(world):
    _mandate(world)
    return {}


def _mandate_detail(world):
    return {"pk": _mandate(world).pk}


def _requirement(world):
    MeetingRequirement.objects.create(agreement=_agreement(world), kind="bestuurlijk", per_year=1, article="A-SO 3.1")
    return {}


def _plan(world):
    due = timezone.localdate() + timedelta(days=30)
    PlanObligation.objects.create(
        agreement=_agreement(world),
        key="jaarplan",
        title=PLAN_TITLE,
        article="A-SO 3.3",
        recurrence="yearly",
        due_month=due.month,
        due_day=due.day,
        first_year=due.year,
    )
    return {}


def _document(world):
    document = add_document(
        user=system_actor("test"),
        agreement=_agreement(world),
        title="Getekend",
        name="a.pdf",
        content=b"%PDF-1.4 marker-regio-a\n%%EOF",
    )
    return {"pk": document.pk}


def _token(world):
    create_token(user=world.user("a2"), label="Outlook van a2")
    return {}


def _vote(world):
    _agreement(world)
    # The weighted vote is offered only where an agreement has the rule: a centrumregeling (BNO 6.2).
    Agreement.objects.get_or_create(
        code="A-CR-2025",
        defaults={
            "kind": "centrumregeling",
            "title": "Centrumregeling regio A",
            "region": world.a,
            "coordinator": world.a1,
            "effective_from": date(2025, 1, 1),
        },
    )
    PopulationFigure.objects.create(municipality=world.a1, reference_date=date(2025, 1, 1), inhabitants=91700)
    PopulationFigure.objects.create(municipality=world.a2, reference_date=date(2025, 1, 1), inhabitants=15800)
    return {"code": world.a.code}


def _notice(world):
    from agreements.services import receive_notice

    notice = receive_notice(
        user=system_actor("test"),
        agreement=_agreement(world),
        municipality=world.a2,
        received_on=date(2027, 6, 1),
        registered_letter=True,
        letter_reference="KENMERK-REGIO-A",
    )
    return {"pk": notice.pk}


def _accession(world):
    from agreements.services import request_accession
    from tests.factories import MunicipalityFactory

    newcomer = MunicipalityFactory(code="GM0971", name="Stein")
    accession = request_accession(
        user=system_actor("test"), agreement=_agreement(world), municipality=newcomer, requested_on=date(2026, 1, 5)
    )
    return {"pk": accession.pk}


def _amendment(world):
    from agreements.services import propose_amendment

    amendment = propose_amendment(
        user=system_actor("test"),
        agreement=_agreement(world),
        title="Addendum regio A",
        proposed_by=world.a2,
        proposed_on=date(2026, 1, 10),
    )
    return {"pk": amendment.pk}


def _decisions_snapshot(world, kwargs):
    from agreements.models import Accession, Amendment, Decision

    return (
        list(Decision.objects.unrestricted().values_list("pk", "in_favour")),
        list(Accession.objects.unrestricted().values_list("pk", "status")),
        list(Amendment.objects.unrestricted().values_list("pk", "status")),
        Party.objects.unrestricted().count(),
    )


def _notice_snapshot(world, kwargs):
    return list(Notice.objects.unrestricted().values_list("pk", "status", "exit_date"))


def _meeting(world):
    from agreements.models import Meeting

    meeting = Meeting.objects.create(
        region=world.a,
        agreement=_agreement(world),
        kind="bestuurlijk",
        date=date(2025, 10, 9),
        title="Overleg regio A",
    )
    return {"pk": meeting.pk}


def _extra_meeting(world):
    from agreements.services import open_extra_meeting_request

    request = open_extra_meeting_request(
        user=system_actor("test"), agreement=_agreement(world), subject="Extra overleg regio A"
    )
    return {"pk": request.pk}


def _extra_snapshot(world, kwargs):
    from agreements.models import ExtraMeetingRequest, ExtraMeetingSupport

    return (
        list(ExtraMeetingRequest.objects.unrestricted().values_list("pk", "due_on")),
        ExtraMeetingSupport.objects.unrestricted().count(),
    )


def _plan_kwargs(world):
    _plan(world)
    obligation = PlanObligation.objects.unrestricted().get(agreement__code=CODE, key="jaarplan")
    return {"code": CODE, "pk": obligation.pk}


def _agreement_snapshot(world, kwargs):
    return list(Agreement.objects.unrestricted().values_list("code", "title", "effective_until"))


CASES = [
    # pages
    Case("agreement-list", _nothing_but_agreement, lambda w, kw: CODE, kind="list"),
    Case(
        "agreement-detail",
        _agreement_kwargs,
        lambda w, kw: "Samenwerking regio A",
        query="?opzegging=2027-06-01",
    ),
    Case(
        "agreement-document-upload",
        _agreement_kwargs,
        lambda w, kw: "Samenwerking regio A",
        insider=("a1", "coordinator"),
        writes=("POST",),
        write_payload={"title": "Overgenomen", "kind": "bijlage"},
        snapshot=lambda w, kw: Document.objects.unrestricted().count(),
    ),
    Case("document-download", _document, lambda w, kw: "marker-regio-a"),
    Case(
        "notice-create",
        _agreement_kwargs,
        lambda w, kw: "Samenwerking regio A",
        insider=("a1", "coordinator"),
        writes=("POST",),
        write_payload={"kind": "opzegging", "received_on": "2027-06-01"},
        snapshot=_notice_snapshot,
    ),
    Case(
        "notice-detail",
        _notice,
        lambda w, kw: "KENMERK-REGIO-A",
        writes=("POST",),
        write_payload={"step": "withdraw", "on": "2027-06-02"},
        snapshot=_notice_snapshot,
    ),
    Case(
        "accession-create",
        _agreement_kwargs,
        lambda w, kw: "Samenwerking regio A",
        insider=("a1", "coordinator"),
        writes=("POST",),
        write_payload={"requested_on": "2026-01-05"},
        snapshot=_decisions_snapshot,
    ),
    Case(
        "accession-detail",
        _accession,
        lambda w, kw: "Toetreding Stein",
        writes=("POST",),
        write_payload={"step": "complete", "on": "2026-03-01"},
        snapshot=_decisions_snapshot,
    ),
    Case(
        "amendment-create",
        _agreement_kwargs,
        lambda w, kw: "Samenwerking regio A",
        insider=("a1", "coordinator"),
        writes=("POST",),
        write_payload={"title": "Overgenomen", "proposed_on": "2026-01-10"},
        snapshot=_decisions_snapshot,
    ),
    Case(
        "amendment-detail",
        _amendment,
        lambda w, kw: "Addendum regio A",
        writes=("POST",),
        write_payload={"step": "complete", "on": "2026-03-01"},
        snapshot=_decisions_snapshot,
    ),
    Case(
        "extra-meeting-create",
        _agreement_kwargs,
        lambda w, kw: "Samenwerking regio A",
        insider=("a1", "coordinator"),
        writes=("POST",),
        write_payload={"subject": "Overgenomen"},
        snapshot=_extra_snapshot,
    ),
    Case(
        "extra-meeting-detail",
        _extra_meeting,
        lambda w, kw: "Extra overleg regio A",
        writes=("POST",),
        write_payload={"on": "2026-01-05", "reasons": "x"},
        snapshot=_extra_snapshot,
    ),
    Case(
        "agreement-end",
        _agreement_kwargs,
        lambda w, kw: "Samenwerking regio A",
        insider=("a1", "coordinator"),
        writes=("POST",),
        write_payload={"last_day": "2030-03-31", "reason": "Overgenomen"},
        snapshot=_agreement_snapshot,
    ),
    Case(
        "plan-submit",
        _plan_kwargs,
        lambda w, kw: "Samenwerking regio A",
        insider=("a1", "coordinator"),
        writes=("POST",),
        write_payload={"year": "2026"},
        snapshot=lambda w, kw: list(PlanObligation.objects.unrestricted().values_list("pk", "submissions__year")),
    ),
    Case("weighted-vote-page", _vote, lambda w, kw: "91.700", query="?jaar=2025&voor=GM1883"),
    Case("mandate-list", _mandate_list, lambda w, kw: MANDATE_TEXT, kind="list"),
    Case("meeting-compliance", _requirement, lambda w, kw: CODE, kind="list", query="?jaar=2025"),
    Case(
        "meeting-minutes-upload",
        _meeting,
        lambda w, kw: "Overleg regio A",
        insider=("a1", "coordinator"),
        writes=("POST",),
        write_payload={"title": "Overgenomen", "kind": "verslag"},
        snapshot=lambda w, kw: Document.objects.unrestricted().count(),
    ),
    Case("deadlines", _plan, lambda w, kw: PLAN_TITLE, kind="list"),
    # Session variant of the feed; the token variant (another or a revoked token: 404) is tested in
    # tests/agreements/test_calendar.py.
    Case("deadline-feed", _plan, lambda w, kw: PLAN_TITLE, kind="list"),
    # A POST without "revoke" makes the poster's own token (no viewer to refuse); revoking a2's token is refused to
    # region B and to a3, another member of region A (member <-> member isolation, issue 10 finding 9).
    Case(
        "calendar-subscription",
        _token,
        lambda w, kw: "Outlook van a2",
        kind="list",
        writes=("POST",),
        write_payload=lambda w, kw: {"revoke": str(CalendarToken.objects.unrestricted().get().pk)},
        snapshot=lambda w, kw: list(CalendarToken.objects.unrestricted().values_list("pk", "revoked_at")),
        outsiders=(("a3", "ambtenaar"),),
        viewer=None,
    ),
    # API
    Case("api:agreement-list", _nothing_but_agreement, lambda w, kw: CODE, kind="list"),
    Case(
        "api:agreement-detail",
        _agreement_kwargs,
        lambda w, kw: CODE,
    ),
    Case(
        "api:agreement-exit-date",
        _agreement_kwargs,
        lambda w, kw: "2029-04-01",
        query="?notice_received=2027-06-01",
    ),
    Case("api:mandate-list", _mandate_list, lambda w, kw: MANDATE_TEXT, kind="list"),
    Case(
        "api:mandate-detail",
        _mandate_detail,
        lambda w, kw: MANDATE_TEXT,
    ),
    Case("api:deadline-list", _plan, lambda w, kw: PLAN_TITLE, kind="list"),
    Case(
        "api:region-weighted-vote",
        _vote,
        lambda w, kw: "GM0888",
        query="?year=2025",
        writes=("POST",),
        write_payload={"year": 2025, "in_favour": ["GM0888"]},
        viewer=None,  # POST counts a vote and stores nothing: a member may count (WeightedVoteView.method_actions)
        snapshot=lambda w, kw: (
            CalendarToken.objects.unrestricted().count() + PopulationFigure.objects.unrestricted().count()
        ),
    ),
]

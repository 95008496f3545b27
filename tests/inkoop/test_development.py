"""The development table of Maastricht-Heuvelland: signing, tables, proposals through every step, the boards'
decisions, and the public pages and API (MH 1.6, 1.7, 4.1, 4.3, 5.4, 6, 7)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError

from inkoop.models import AgendaDecision, Contribution, ProposalStatus, ProposalStep
from inkoop.services import contributions, development
from tests.inkoop.helpers_b import SYSTEM, provider, publish, table_with_proposal


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def test_mh_4_1_a_provider_joins_by_signing_once(world):
    p = provider(world.a)
    coordinator = world.user("a1", "coordinator")
    signatory = development.sign(user=coordinator, region=world.a, provider=p, signed_on=date(2025, 1, 10))
    assert signatory.signed_on == date(2025, 1, 10)
    with pytest.raises(ValidationError):
        development.sign(user=coordinator, region=world.a, provider=p, signed_on=date(2025, 1, 11))
    with pytest.raises(PermissionDenied):
        development.sign(
            user=world.user("a2"),
            region=world.a,
            provider=provider(world.a, "X", "87654321", ""),
            signed_on=date(2025, 1, 10),
        )


def test_mh_7_5_a_proposal_through_every_step_dated_with_history(world):
    table, _signatory, proposal = table_with_proposal(world)
    coordinator = world.user("a1", "coordinator")
    with pytest.raises(ValidationError):  # not published before the table decided to work it out
        development.publish_for_reactions(
            user=coordinator, proposal=proposal, elaboration="x", on=date(2025, 3, 1), reactions_until=date(2025, 4, 1)
        )
    publish(proposal, until=date(2025, 5, 1))
    with pytest.raises(ValidationError, match="reactietermijn"):
        development.put_to_boards(user=coordinator, proposal=proposal, on=date(2025, 4, 30))
    proposal.refresh_from_db()
    development.put_to_boards(user=coordinator, proposal=proposal, on=date(2025, 5, 15))
    # Each board decides for itself (MH 1.7): a member's own staff records its own board's decision, no other.
    development.record_board_decision(
        user=world.user("a2"), proposal=proposal, municipality=world.a2, adopted=True, on=date(2025, 6, 1)
    )
    with pytest.raises(PermissionDenied):
        development.record_board_decision(
            user=world.user("a2"), proposal=proposal, municipality=world.a3, adopted=True, on=date(2025, 6, 1)
        )
    with pytest.raises(PermissionDenied):
        development.record_board_decision(
            user=world.user("a2", "wethouder"),
            proposal=proposal,
            municipality=world.a2,
            adopted=False,
            on=date(2025, 6, 1),
        )
    development.record_board_decision(
        user=world.user("a3"), proposal=proposal, municipality=world.a3, adopted=False, on=date(2025, 6, 2)
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.AT_BOARDS
    development.record_board_decision(
        user=coordinator, proposal=proposal, municipality=world.a1, adopted=True, on=date(2025, 6, 3)
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECIDED
    steps = list(ProposalStep.objects.unrestricted().filter(proposal=proposal).values_list("status", "on"))
    assert steps == [
        ("provisional", date(2025, 2, 1)),
        ("elaborating", date(2025, 3, 1)),
        ("consultation", date(2025, 4, 1)),
        ("at_boards", date(2025, 5, 15)),
        ("decided", date(2025, 6, 3)),
    ]
    assert proposal.history.count() >= 4


def test_mh_5_4_a_declined_proposal_stays_and_a_step_cannot_go_back_in_time(world):
    _table, _s, proposal = table_with_proposal(world)
    with pytest.raises(ValidationError, match="vorige stap"):
        development.table_decides(user=SYSTEM, proposal=proposal, work_out=False, on=date(2025, 1, 1))
    development.table_decides(user=SYSTEM, proposal=proposal, work_out=False, on=date(2025, 2, 2))
    with pytest.raises(ValidationError):
        development.table_decides(user=SYSTEM, proposal=proposal, work_out=True, on=date(2025, 2, 3))


def test_mh_4_3_seats_with_reasons_and_a_requested_meeting(world):
    table, signatory, _p = table_with_proposal(world)
    coordinator = world.user("a1", "coordinator")
    development.add_seat(user=coordinator, table=table, signatory=signatory, reason="groot")
    development.publish_composition(user=coordinator, table=table, on=date(2025, 3, 1))
    other = development.sign(
        user=coordinator,
        region=world.a,
        provider=provider(world.a, "Klein", "11112222", ""),
        signed_on=date(2025, 2, 1),
    )
    table.refresh_from_db()
    with pytest.raises(ValidationError, match="beargumenteerd"):  # MH 7.4: a change of a published composition
        development.add_seat(user=coordinator, table=table, signatory=other, reason="pgb")
    meeting = development.request_meeting(
        user=coordinator, table=table, signatory=other, subject="Tarieven", on=date(2025, 3, 2)
    )
    development.plan_meeting(
        user=coordinator, table=table, subject="Tarieven", held_on=date(2025, 4, 1), meeting=meeting
    )
    meeting.refresh_from_db()
    assert meeting.status == "planned" and meeting.requested_by == other


def test_drafts_are_never_public(world):
    table, signatory, draft = table_with_proposal(world, title="Geheim concept")
    published = development.submit_proposal(
        user=SYSTEM, table=table, title="Open voorstel", summary="Samen.", on=date(2025, 2, 2), signatory=signatory
    )
    publish(published)
    anonymous = world.client(None, api=True)
    listing = anonymous.get("/api/v1/proposals/").content.decode()
    assert "Geheim concept" not in listing and "Open voorstel" in listing
    assert anonymous.get(f"/api/v1/proposals/{draft.pk}/").status_code == 404
    assert world.client(None).get(f"/ontwikkeltafel/voorstellen/{draft.pk}/").status_code == 404
    page = world.client(None).get("/ontwikkeltafel/")
    assert page.status_code == 200 and "Geheim concept" not in page.content.decode()
    assert "Open voorstel" in page.content.decode() and "Zorg Noord BV" in page.content.decode()


def test_mh_6_4_a_public_reaction_stores_only_what_is_needed_and_is_judged_mh_6_5(world):
    _t, _s, proposal = table_with_proposal(world)
    publish(proposal)
    anonymous = world.client(None, api=True)
    response = anonymous.post(
        f"/api/v1/proposals/{proposal.pk}/reactions/",
        {"text": "Goed idee, doen!"},
        format="json",
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 201
    reaction = Contribution.objects.unrestricted().get()
    assert (reaction.text, reaction.name, reaction.proposal) == ("Goed idee, doen!", "", proposal)
    contributions.judge(user=world.user("a1", "coordinator"), contribution=reaction, agenda=True, on=date(2025, 4, 2))
    reaction.refresh_from_db()
    assert reaction.agenda == AgendaDecision.AGENDA
    with pytest.raises(Exception):  # noqa: B017 - a member's staff does not set the agenda (not in restrict(CHANGE))
        contributions.judge(user=world.user("a2"), contribution=reaction, agenda=False, on=date(2025, 4, 2))


def test_public_input_in_dutch_without_bsn_and_rate_limited(world, settings):
    settings.INKOOP_PUBLIC_RATE = "3/h"
    _t, _s, proposal = table_with_proposal(world)
    publish(proposal)
    anonymous = world.client(None, api=True)
    url = f"/api/v1/proposals/{proposal.pk}/reactions/"
    bsn = anonymous.post(url, {"text": "Mijn BSN is 111222333"}, format="json", REMOTE_ADDR="10.0.0.2")
    assert bsn.status_code == 400 and "burgerservicenummer" in bsn.json()["text"][0]
    huge = anonymous.post(url, {"text": "x" * 5000}, format="json", REMOTE_ADDR="10.0.0.2")
    assert huge.status_code == 400
    anonymous.post(url, {"text": "Derde poging"}, format="json", REMOTE_ADDR="10.0.0.2")
    flood = anonymous.post(url, {"text": "Vierde poging"}, format="json", REMOTE_ADDR="10.0.0.2")
    assert flood.status_code == 429 and "probeer het later" in flood.json()["detail"]
    assert Contribution.objects.unrestricted().count() == 1


def test_public_signal_page_and_honeypot(world):
    table_with_proposal(world)
    page = world.client(None)
    ok = page.post(
        "/ontwikkeltafel/",
        {"region": "regio-a", "text": "Lange wachttijden bij dagbesteding."},
        REMOTE_ADDR="10.0.0.3",
    )
    assert ok.status_code == 200 and "uw signaal is ontvangen" in ok.content.decode()
    robot = page.post(
        "/ontwikkeltafel/", {"region": "regio-a", "text": "spam spam", "website": "x"}, REMOTE_ADDR="10.0.0.4"
    )
    assert robot.status_code == 200
    bad = page.post("/ontwikkeltafel/", {"region": "regio-b", "text": ""}, REMOTE_ADDR="10.0.0.5")
    assert bad.status_code == 400
    assert list(Contribution.objects.unrestricted().values_list("kind", "text")) == [
        ("signal", "Lange wachttijden bij dagbesteding.")
    ]


def test_reactions_close_when_the_period_ended(world):
    _t, _s, proposal = table_with_proposal(world)
    publish(proposal, until=date(2025, 4, 30))
    response = world.client(None, api=True).post(
        f"/api/v1/proposals/{proposal.pk}/reactions/", {"text": "Te laat misschien"}, format="json"
    )
    assert response.status_code == 400 and "niet (meer)" in response.json()["text"][0]


def test_staff_pages_move_a_proposal_on(world, django_assert_max_num_queries):
    _t, _s, proposal = table_with_proposal(world)
    client = world.client("a1", "coordinator")
    with django_assert_max_num_queries(40):
        board = client.get("/inkoop/ontwikkeltafel/?regio=regio-a")
    assert board.status_code == 200 and "Minder administratie" in board.content.decode()
    response = client.post(
        f"/inkoop/ontwikkeltafel/voorstellen/{proposal.pk}/",
        {"form": "decide", "work_out": "ja", "on": "01-03-2025", "note": "Kansrijk"},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ELABORATING
    bad = client.post(
        f"/inkoop/ontwikkeltafel/voorstellen/{proposal.pk}/",
        {"form": "publish", "elaboration": "", "on": "01-01-9999", "reactions_until": "x"},
    )
    assert bad.status_code == 400 and "Er ging iets mis" in bad.content.decode()

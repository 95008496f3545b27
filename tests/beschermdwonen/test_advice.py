"""Advice requests, the member's own decision and disagreements (issue 13; WM-DVO annex 2 §2 and §4), and the
replacement in an untenable situation (annex 2 §3)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from beschermdwonen import selectors, services
from beschermdwonen.models import AdviceRequest, AdviceStatus, Replacement


@pytest.fixture
def team(world):
    return world.user("a1", "bw")


@pytest.fixture
def beek(world):
    return world.user("a2", "bw")


def _request(world, user, **kw):
    values = {
        "region": world.a,
        "requested_on": date(2025, 3, 1),
        "case_reference": "BEEK-2025-07",
        "question": "Begeleiding met B&B passend?",
        "situation": "Woont zelfstandig, dreigt uit huis te gaan.",
    } | kw
    return services.request_advice(user=user, **values)


def test_a_member_asks_the_team_advises_and_the_member_decides_itself(world, team, beek):
    advice = _request(world, beek)
    assert (advice.requested_by, advice.status) == (world.a2, AdviceStatus.REQUESTED)
    # The member's decision waits for the advice; the team does not decide for the member (annex 2 §2).
    with pytest.raises(ValidationError, match="nog geen advies"):
        services.record_member_decision(user=beek, advice=advice, decision="followed", decided_on=date(2025, 3, 5))
    with pytest.raises(PermissionDenied):
        services.give_advice(
            user=beek, advice=advice, advised_on=date(2025, 3, 10), begeleiding=True, bb="basis", text="Zelf?"
        )
    advice = services.give_advice(
        user=team, advice=advice, advised_on=date(2025, 3, 10), begeleiding=True, bb="basis", text="Begeleiding+B&B"
    )
    assert advice.status == AdviceStatus.ADVISED
    assert list(selectors.advice_awaiting_decision(team)) == [advice]
    with pytest.raises(PermissionDenied):
        services.record_member_decision(user=team, advice=advice, decision="followed", decided_on=date(2025, 3, 12))
    with pytest.raises(ValidationError, match="waarom"):
        services.record_member_decision(
            user=beek, advice=advice, decision="not_followed", decided_on=date(2025, 3, 12)
        )
    advice = services.record_member_decision(
        user=beek, advice=advice, decision="partly", decided_on=date(2025, 3, 12), note="Alleen begeleiding."
    )
    assert (advice.status, advice.decided_on) == (AdviceStatus.DECIDED, date(2025, 3, 12))
    assert not selectors.advice_awaiting_decision(team).exists()


def test_who_sees_an_advice_request(world, team, beek):
    advice = _request(world, beek)
    assert list(AdviceRequest.objects.visible_to(beek)) == [advice]
    assert list(AdviceRequest.objects.visible_to(team)) == [advice]
    for who in [("a3", "bw"), ("a2", "wethouder"), ("a1", "coordinator"), ("b1", "bw"), ("a2", "toezicht")]:
        assert not AdviceRequest.objects.visible_to(world.user(*who)).exists(), who


@pytest.mark.parametrize(
    "kw, field",
    [
        ({"case_reference": "111222333"}, "case_reference"),
        ({"question": "BSN 111.222.333"}, "question"),
        ({"situation": ""}, "situation"),
        ({"requested_on": date(2999, 1, 1)}, "requested_on"),
    ],
)
def test_a_bad_intake_is_refused_in_dutch_and_nothing_saved(world, beek, kw, field):
    with pytest.raises(ValidationError) as exc:
        _request(world, beek, **kw)
    assert field in exc.value.message_dict
    assert not AdviceRequest.objects.unrestricted().exists()


def test_the_coordinator_and_outsiders_do_not_ask(world, team):
    with pytest.raises(ValidationError, match="coördinerende"):
        _request(world, team)
    with pytest.raises(PermissionDenied):
        _request(world, world.user("a2", "wethouder"))
    with pytest.raises(ValidationError, match="geen lid"):
        _request(world, world.user("b1", "bw"))
    assert not AdviceRequest.objects.unrestricted().exists()


def _client(world, team):
    return services.register_client(user=team, region=world.a, municipality=world.a2, valid_from=date(2024, 1, 1))


def test_a_disagreement_follows_its_steps_and_closes_only_with_an_outcome(world, team, beek):
    client = _client(world, team)
    case = services.open_disagreement(user=team, client=client, opened_on=date(2025, 4, 1), subject="Wie betaalt?")
    services.add_disagreement_step(user=team, disagreement=case, taken_on=date(2025, 4, 8), step="Ambtelijk overleg")
    with pytest.raises(ValidationError):
        services.close_disagreement(user=team, disagreement=case, closed_on=date(2025, 4, 20), outcome="")
    with pytest.raises(PermissionDenied):
        services.close_disagreement(user=beek, disagreement=case, closed_on=date(2025, 4, 20), outcome="Beek")
    case = services.close_disagreement(
        user=team, disagreement=case, closed_on=date(2025, 4, 20), outcome="Bestuurlijk besloten: Beek."
    )
    assert [s.step for s in case.steps.all()] == ["Ambtelijk overleg"]
    with pytest.raises(ValidationError, match="afgesloten"):
        services.add_disagreement_step(user=team, disagreement=case, taken_on=date(2025, 4, 21), step="Nog een")


def test_a_replacement_cannot_be_closed_without_receiving_provider_and_handover(world, team):
    client = _client(world, team)
    rep = services.report_untenable(
        user=team, client=client, reported_on=date(2025, 5, 1), reason="Onhoudbaar", responsible_provider="Zorg A"
    )
    services.plan_case_meeting(user=team, replacement=rep, meeting_on=date(2025, 5, 6), invited_providers="B, C")
    assert list(selectors.replacements_without_handover(team)) == [rep]
    with pytest.raises(ValidationError, match="warme overdracht"):
        services.close_replacement(user=team, replacement=rep, closed_on=date(2025, 5, 20))
    with pytest.raises(ValidationError, match="andere aanbieder"):
        services.record_handover(user=team, replacement=rep, receiving_provider="Zorg A", handover_on=date(2025, 5, 9))
    services.record_handover(user=team, replacement=rep, receiving_provider="Zorg B", handover_on=date(2025, 5, 19))
    with pytest.raises(PermissionDenied):
        services.close_replacement(user=world.user("a2", "bw"), replacement=rep, closed_on=date(2025, 5, 20))
    rep = services.close_replacement(user=team, replacement=rep, closed_on=date(2025, 5, 20))
    assert rep.closed_on == date(2025, 5, 20)
    assert not selectors.replacements_without_handover(team).exists()
    assert Replacement.objects.unrestricted().get().responsible_provider == "Zorg A"


def test_retention_drops_the_case_texts_and_keeps_dates_and_decisions(world, team, beek, settings):
    from regio.tenancy import system_actor

    settings.BW_RETENTION_YEARS = 1
    client = _client(world, team)
    advice = _request(world, beek)
    services.give_advice(
        user=team, advice=advice, advised_on=date(2025, 3, 10), begeleiding=True, bb="", text="Geheim", client=client
    )
    services.record_member_decision(user=beek, advice=advice, decision="followed", decided_on=date(2025, 3, 12))
    services.report_untenable(
        user=team, client=client, reported_on=date(2025, 5, 1), reason="Onhoudbaar X", responsible_provider="Zorg A"
    )
    services.open_disagreement(user=team, client=client, opened_on=date(2025, 4, 1), subject="Geschil Y")
    services.close_client(user=team, client=client, closed_on=date(2025, 6, 30))
    assert services.reduce_client(user=system_actor("test"), client=client, today=date(2026, 7, 1))
    advice = AdviceRequest.objects.unrestricted().get()
    assert (advice.situation, advice.advice_text, advice.decision, advice.decided_on) == (
        "",
        "",
        "followed",
        date(2025, 3, 12),
    )
    assert not AdviceRequest.history.exclude(situation="").exists()
    assert Replacement.objects.unrestricted().get().reason == ""
    assert not Replacement.history.exclude(reason="").exists()
    from beschermdwonen.models import Disagreement

    assert not Disagreement.history.filter(subject="Geschil Y").exists()

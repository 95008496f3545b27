"""Governance rules of issue #15: disputes (WM-SO 14; BNO 17; MH 10.4), council consent steps (BNO 13.2-15.1),
publication (BNO 23), transfer of rights (WM-SO 12.4), information requests (BNO 10) and attendance (BNO 9)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements import services
from agreements.models import (
    Agreement,
    Dispute,
    DisputeStatus,
    Meeting,
    Party,
    Publication,
    Subregion,
)
from regio.deadlines import deadlines_for
from regio.tenancy import system_actor

SYSTEM = system_actor("test")
REASONS = "De afrekening 2025 verdeelt de juridische kosten niet volgens de sleutel van WM-SO 6.2."


def _agreement(world, code="A-SO-2025", kind="samenwerkingsovereenkomst", **extra) -> Agreement:
    agreement = Agreement.objects.create(
        code=code,
        kind=kind,
        title=f"Overeenkomst {code}",
        region=world.a,
        coordinator=world.a1,
        effective_from=date(2020, 1, 1),
        **extra,
    )
    Party.objects.create(agreement=agreement, municipality=world.a1, role="coordinerend")
    Party.objects.create(agreement=agreement, municipality=world.a2, role="deelnemer")
    return agreement


def _meeting(world, on: date) -> Meeting:
    return Meeting.objects.create(region=world.a, kind="bestuurlijk", date=on, title="Bestuurlijk overleg")


def _dispute(world, agreement, on=date(2026, 3, 2)) -> Dispute:
    return services.report_dispute(
        user=SYSTEM,
        agreement=agreement,
        raised_by=world.a2,
        reported_on=on,
        subject="Afrekening 2025",
        reasons=REASONS,
    )


def test_wm_so_14_3_dispute_goes_on_the_next_bestuurlijk_overleg(world):
    agreement = _agreement(world)
    _meeting(world, date(2026, 2, 1))  # before the report: not the next one
    later = _meeting(world, date(2026, 6, 11))
    _meeting(world, date(2026, 4, 16)).delete()
    nearest = _meeting(world, date(2026, 4, 16))
    dispute = _dispute(world, agreement)
    assert dispute.status == DisputeStatus.ON_AGENDA
    assert dispute.meeting == nearest != later


def test_wm_so_14_3_a_meeting_planned_later_takes_the_waiting_dispute(world):
    agreement = _agreement(world)
    dispute = _dispute(world, agreement)
    assert dispute.status == DisputeStatus.REPORTED and dispute.meeting is None
    meeting = _meeting(world, date(2026, 5, 7))
    dispute.refresh_from_db()
    assert (dispute.status, dispute.meeting) == (DisputeStatus.ON_AGENDA, meeting)


def test_wm_so_14_2_a_dispute_without_reasons_is_refused_and_nothing_saved(world):
    agreement = _agreement(world)
    with pytest.raises(ValidationError, match="deugdelijke onderbouwing"):
        services.report_dispute(
            user=SYSTEM,
            agreement=agreement,
            raised_by=world.a2,
            reported_on=date(2026, 3, 2),
            subject="x",
            reasons="kort",
        )
    with pytest.raises(ValidationError, match="geen partij"):
        services.report_dispute(
            user=SYSTEM,
            agreement=agreement,
            raised_by=world.a3,
            reported_on=date(2026, 3, 2),
            subject="x",
            reasons=REASONS,
        )
    assert Dispute.objects.unrestricted().count() == 0


def test_a_dispute_is_seen_by_the_parties_of_its_agreement_only(world):
    dispute = _dispute(world, _agreement(world))
    assert Dispute.objects.visible_to(world.user("a2")).filter(pk=dispute.pk).exists()
    assert Dispute.objects.visible_to(world.user("a1", "coordinator")).filter(pk=dispute.pk).exists()
    # a3 is a member of the region but no party to this agreement; b1 is another region
    assert not Dispute.objects.visible_to(world.user("a3")).exists()
    assert not Dispute.objects.visible_to(world.user("b1", "coordinator")).exists()
    assert not Dispute.objects.restrict(world.user("a2"), "change").exists()


def test_wm_so_14_3_joint_decision_books_legal_advice_costs_on_the_reckoning_once(world):
    from costsharing.models import ActualCostLine

    agreement = _agreement(world)
    _meeting(world, date(2026, 4, 16))
    dispute = _dispute(world, agreement)
    with pytest.raises(ValidationError):
        services.decide_dispute(
            user=SYSTEM,
            dispute=dispute,
            decided_on=date(2026, 4, 16),
            resolved=True,
            decision="Sleutel toegepast",
            legal_costs_amount=Decimal("1250.00"),
            legal_costs_split="afrekening",
            legal_costs_category="",
        )
    dispute = services.decide_dispute(
        user=SYSTEM,
        dispute=dispute,
        decided_on=date(2026, 4, 16),
        resolved=True,
        decision="Sleutel van WM-SO 6.2 toegepast",
        best_practices="Juridische kosten apart melden",
        legal_costs_amount=Decimal("1250.00"),
        legal_costs_split="afrekening",
        legal_costs_category="dispute_advice",
    )
    assert dispute.status == DisputeStatus.RESOLVED
    services.book_legal_costs(user=SYSTEM, dispute=dispute, booked_on=date(2026, 4, 20))
    line = ActualCostLine.objects.unrestricted().get(source=f"geschil {dispute.pk}")
    assert (line.category, line.amount, line.year, line.region) == (
        "dispute_advice",
        Decimal("1250.00"),
        2026,
        world.a,
    )
    with pytest.raises(ValidationError, match="al geboekt"):
        services.book_legal_costs(user=SYSTEM, dispute=dispute, booked_on=date(2026, 4, 21))
    assert ActualCostLine.objects.unrestricted().count() == 1


def test_legal_costs_are_not_booked_in_a_settled_year(world):
    from costsharing.models import ActualCostLine, Reckoning

    agreement = _agreement(world)
    _meeting(world, date(2026, 4, 16))
    dispute = services.decide_dispute(
        user=SYSTEM,
        dispute=_dispute(world, agreement),
        decided_on=date(2026, 4, 16),
        resolved=True,
        decision="Kosten via de afrekening",
        legal_costs_amount=Decimal("800.00"),
        legal_costs_split="afrekening",
        legal_costs_category="legal",
    )
    reckoning = Reckoning.objects.unrestricted().create(region=world.a, year=2026)
    reckoning.status = Reckoning.Status.APPROVED  # draft → approved, the one move forward the model allows
    reckoning.save()
    with pytest.raises(ValidationError, match="al vastgesteld"):
        services.book_legal_costs(user=SYSTEM, dispute=dispute, booked_on=date(2026, 5, 1))
    assert not ActualCostLine.objects.unrestricted().exists()
    dispute.refresh_from_db()
    assert dispute.legal_costs_booked_on is None


def test_escalation_offers_only_the_route_of_the_agreements_kind(world):
    so = _agreement(world)
    mh = _agreement(
        world,
        code="A-MH-2017",
        dispute_routes=[{"route": "mediation", "article": "MH 10.4"}, {"route": "rechter", "article": "MH 10.4"}],
    )
    gr = _agreement(world, code="A-CR-2020", kind="centrumregeling", dispute_routes=[{"route": "rechter"}])
    assert [r for r, *_ in services.escalation_routes(so)] == ["rechter"]
    assert [r for r, *_ in services.escalation_routes(mh)] == ["mediation", "rechter"]
    # a gemeenschappelijke regeling goes to Gedeputeerde Staten (art. 28 Wgr), whatever the file says
    assert services.escalation_routes(gr) == [("gedeputeerde_staten", "art. 28 Wgr", "")]
    _meeting(world, date(2026, 4, 16))
    dispute = _dispute(world, so)
    with pytest.raises(ValidationError, match="geen oplossing"):
        services.escalate_dispute(user=SYSTEM, dispute=dispute, route="rechter", started_on=date(2026, 5, 1))
    services.decide_dispute(
        user=SYSTEM, dispute=dispute, decided_on=date(2026, 4, 16), resolved=False, decision="Geen overeenstemming"
    )
    with pytest.raises(ValidationError, match="kent deze route niet"):
        services.escalate_dispute(
            user=SYSTEM, dispute=dispute, route="gedeputeerde_staten", started_on=date(2026, 5, 1)
        )
    escalation = services.escalate_dispute(
        user=SYSTEM, dispute=dispute, route="rechter", started_on=date(2026, 5, 1), forum="rechtbank Limburg"
    )
    assert escalation.forum == "rechtbank Limburg"
    closed = services.end_escalation(
        user=SYSTEM, escalation=escalation, ended_on=date(2026, 11, 1), outcome="Vonnis", closes=True
    )
    assert closed.status == DisputeStatus.CLOSED


def _bno(world) -> Agreement:
    agreement = _agreement(
        world,
        code="A-CR-2020",
        kind="centrumregeling",
        consent_needs_council=True,
        amendment_needs_advice=True,
        withdrawal_needs_council=True,
        amendment_rule="BNO 13.3",
    )
    return agreement


def test_bno_13_2_amendment_goes_to_the_colleges_only_after_positive_advice(world):
    agreement = _bno(world)
    amendment = services.propose_amendment(
        user=SYSTEM,
        agreement=agreement,
        title="Wijziging art. 11",
        proposed_by=world.a2,
        proposed_on=date(2026, 1, 10),
    )
    with pytest.raises(ValidationError, match="toegezonden"):
        services.record_decision(
            user=SYSTEM,
            subject=amendment,
            municipality=world.a1,
            in_favour=True,
            decided_on=date(2026, 3, 1),
            council_consent_on=date(2026, 2, 20),
        )
    with pytest.raises(ValidationError, match="positief advies"):
        services.send_amendment_to_colleges(user=SYSTEM, amendment=amendment, sent_on=date(2026, 2, 1))
    with pytest.raises(ValidationError, match="positief advies"):
        services.adopt_amendment(
            user=SYSTEM, amendment=amendment, adopted_on=date(2026, 4, 1), effective_from=date(2026, 5, 1)
        )
    services.record_amendment_advice(user=SYSTEM, amendment=amendment, advised_on=date(2026, 1, 20))
    services.send_amendment_to_colleges(user=SYSTEM, amendment=amendment, sent_on=date(2026, 1, 25))
    amendment.refresh_from_db()
    # BNO 13.3: each college decides after its council's consent: a later council date is refused
    with pytest.raises(ValidationError, match="na die toestemming"):
        services.record_decision(
            user=SYSTEM,
            subject=amendment,
            municipality=world.a1,
            in_favour=True,
            decided_on=date(2026, 3, 1),
            council_consent_on=date(2026, 3, 5),
        )
    for municipality in (world.a1, world.a2):
        services.record_decision(
            user=SYSTEM,
            subject=amendment,
            municipality=municipality,
            in_favour=True,
            decided_on=date(2026, 3, 1),
            council_consent_on=date(2026, 2, 20),
        )
    services.adopt_amendment(
        user=SYSTEM, amendment=amendment, adopted_on=date(2026, 3, 2), effective_from=date(2026, 5, 1)
    )
    publication = Publication.objects.unrestricted().get(amendment=amendment)
    # BNO 13.4 with 23.1: in force the day after publication, so published by the day before
    assert publication.due_on == date(2026, 4, 30)
    services.record_publication(
        user=SYSTEM,
        publication=publication,
        published_on=date(2026, 4, 20),
        medium="gemeenteblad",
        reference="Gmb. 2026, 1",
    )
    with pytest.raises(ValidationError, match="Al bekendgemaakt"):
        services.record_publication(
            user=SYSTEM, publication=publication, published_on=date(2026, 4, 21), medium="gemeenteblad", reference="x"
        )


def test_an_so_amendment_asks_no_advice_and_needs_no_publication(world):
    agreement = _agreement(world)
    amendment = services.propose_amendment(
        user=SYSTEM, agreement=agreement, title="Addendum", proposed_by=world.a2, proposed_on=date(2026, 1, 10)
    )
    for municipality in (world.a1, world.a2):
        services.record_decision(
            user=SYSTEM, subject=amendment, municipality=municipality, in_favour=True, decided_on=date(2026, 2, 1)
        )
    services.adopt_amendment(
        user=SYSTEM, amendment=amendment, adopted_on=date(2026, 2, 2), effective_from=date(2026, 3, 1)
    )
    assert not Publication.objects.unrestricted().exists()


def test_bno_15_1_withdrawal_takes_effect_only_after_college_decision_with_council_consent(world):
    agreement = _bno(world)
    agreement.exit_min_notice_months = 12
    agreement.exit_fixed_end_month, agreement.exit_fixed_end_day = 1, 1
    agreement.save()
    notice = services.receive_notice(
        user=SYSTEM, agreement=agreement, municipality=world.a2, received_on=date(2024, 6, 1), kind="uittreding"
    )
    notice = services.register_notice(user=SYSTEM, notice=notice, on=date(2024, 6, 2))
    with pytest.raises(ValidationError, match="BNO 15.1"):
        services.effect_notice(user=SYSTEM, notice=notice, on=notice.exit_date)
    with pytest.raises(ValidationError, match="na die toestemming"):
        services.record_withdrawal_decision(
            user=SYSTEM, notice=notice, council_consent_on=date(2024, 7, 10), college_decision_on=date(2024, 7, 1)
        )
    services.record_withdrawal_decision(
        user=SYSTEM, notice=notice, council_consent_on=date(2024, 6, 20), college_decision_on=date(2024, 7, 1)
    )
    notice = services.effect_notice(user=SYSTEM, notice=notice, on=notice.exit_date)
    assert notice.status == "uitgetreden"


def test_wm_so_12_4_transfer_only_with_prior_written_consent_of_the_others(world):
    agreement = _agreement(world)
    Party.objects.create(agreement=agreement, municipality=world.a3, role="deelnemer")
    transfer = services.request_transfer(
        user=SYSTEM,
        agreement=agreement,
        municipality=world.a2,
        transferee="Stichting X",
        description="Contractbeheer",
        requested_on=date(2026, 1, 5),
    )
    services.record_transfer_consent(
        user=SYSTEM, transfer=transfer, municipality=world.a1, in_favour=True, decided_on=date(2026, 1, 20)
    )
    services.record_transfer_consent(
        user=SYSTEM, transfer=transfer, municipality=world.a3, in_favour=True, decided_on=date(2026, 2, 10)
    )
    with pytest.raises(ValidationError, match="Landgraaf"):  # its consent came after the transfer date: not prior
        services.complete_transfer(user=SYSTEM, transfer=transfer, transferred_on=date(2026, 2, 1))
    transfer.refresh_from_db()
    assert transfer.status == "aangevraagd"
    done = services.complete_transfer(user=SYSTEM, transfer=transfer, transferred_on=date(2026, 2, 10))
    assert done.status == "overgedragen"


def test_bno_10_information_request_is_a_deadline_until_answered(world):
    agreement = _agreement(world)
    today = timezone.localdate()
    request = services.request_information(
        user=SYSTEM,
        agreement=agreement,
        requested_by=world.a1,
        addressed_to=world.a2,
        subject="Cliëntaantallen Q1",
        requested_on=today - timedelta(days=20),
        due_on=today - timedelta(days=1),
    )
    assert request.state() == "te_laat"
    keys = {d.key for d in deadlines_for(world.user("a2"))}
    assert f"agreements:information:{request.pk}" in keys
    with pytest.raises(ValidationError, match="zichzelf"):
        services.request_information(
            user=SYSTEM,
            agreement=agreement,
            requested_by=world.a2,
            addressed_to=world.a2,
            subject="x",
            requested_on=today,
            due_on=today,
        )
    services.answer_information_request(user=SYSTEM, request=request, answered_on=today, answer="Geleverd per e-mail")
    request.refresh_from_db()
    assert request.state() == "beantwoord"
    assert f"agreements:information:{request.pk}" not in {d.key for d in deadlines_for(world.user("a2"))}


def test_bno_9_attendance_shows_the_delegate_speaking_for_the_subregion(world):
    agreement = _agreement(world)
    subregion = Subregion.objects.create(agreement=agreement, name="Maasland", delegate="J. Jansen")
    subregion.members.set([world.a2, world.a3])
    meeting = _meeting(world, date(2026, 4, 16))
    services.record_attendance(
        user=SYSTEM, meeting=meeting, name="W. de Wit", municipality=world.a1, function="Wethouder"
    )
    services.record_attendance(
        user=SYSTEM, meeting=meeting, name="J. Jansen", municipality=world.a2, subregion=subregion
    )
    with pytest.raises(ValidationError, match="hoort niet bij subregio"):
        services.record_attendance(
            user=SYSTEM, meeting=meeting, name="P. Piet", municipality=world.a1, subregion=subregion
        )
    rows = {a.name: [m.name for m in ms] for a, ms in services.represented_by(meeting)}
    assert rows == {"W. de Wit": ["Sittard-Geleen"], "J. Jansen": ["Beek", "Landgraaf"]}


def test_bno_10_2_the_addressed_member_delivers_itself_the_others_only_read(world):
    from agreements.models import InformationRequest

    agreement = _agreement(world)
    Party.objects.create(agreement=agreement, municipality=world.a3, role="deelnemer")
    request = services.request_information(
        user=SYSTEM,
        agreement=agreement,
        requested_by=world.a1,
        addressed_to=world.a2,
        subject="Gegevens",
        requested_on=date(2026, 1, 5),
        due_on=date(2026, 2, 5),
    )
    for who, may in (("a2", True), ("a3", False)):
        assert InformationRequest.objects.visible_to(world.user(who)).filter(pk=request.pk).exists()
        assert InformationRequest.objects.restrict(world.user(who), "change").filter(pk=request.pk).exists() is may
    services.answer_information_request(
        user=world.user("a2"), request=request, answered_on=date(2026, 2, 1), answer="Geleverd"
    )
    with pytest.raises(ValidationError, match="al beantwoord"):
        services.answer_information_request(
            user=world.user("a2"), request=request, answered_on=date(2026, 2, 2), answer="Nogmaals"
        )

"""Workflows: notice, accession, amendment, extra meetings (WM-SO 12-13, 16; WM-2015 6; BNO 8, 13-15)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agreements import services
from agreements.models import AccessionStatus, AmendmentStatus, ExtraMeetingRequest, NoticeStatus, Party
from regio.deadlines import deadlines_for
from regio.models import Municipality, User


def m(code):
    return Municipality.objects.get(code=code)


@pytest.fixture
def coordinator(seeds):
    return User.objects.get(username="sittard-geleen-coordinator")


def test_accession_refused_until_every_party_consented_wm_so_13(seeds, coordinator):
    so = seeds["WM-SO-2025"]
    newcomer = (
        Municipality.objects.create(code="GM1954", name="Beekdaelen")
        if not Municipality.objects.filter(code="GM1954").exists()
        else m("GM1954")
    )
    accession = services.request_accession(
        user=coordinator, agreement=so, municipality=newcomer, requested_on=date(2026, 1, 5)
    )
    services.record_decision(
        user=coordinator, subject=accession, municipality=m("GM1883"), in_favour=True, decided_on=date(2026, 2, 1)
    )
    services.record_decision(
        user=coordinator, subject=accession, municipality=m("GM0971"), in_favour=True, decided_on=date(2026, 2, 3)
    )
    with pytest.raises(ValidationError, match="Beek"):
        services.complete_accession(user=coordinator, accession=accession, joined_on=date(2026, 3, 1))
    services.record_decision(
        user=coordinator, subject=accession, municipality=m("GM0888"), in_favour=True, decided_on=date(2026, 2, 9)
    )
    party = services.complete_accession(user=coordinator, accession=accession, joined_on=date(2026, 3, 1))
    assert party.joined_on == date(2026, 3, 1)
    accession.refresh_from_db()
    assert accession.status == AccessionStatus.JOINED
    events = list(so.events.unrestricted().filter(accession=accession).values_list("on", "by"))
    assert len(events) == 5 and all(by == coordinator.pk for _on, by in events)


def test_accession_refused_when_one_party_says_no(seeds, coordinator):
    accession = services.request_accession(
        user=coordinator, agreement=seeds["WM-SO-2025"], municipality=m("GM0962"), requested_on=date(2026, 1, 5)
    )
    for code in ("GM1883", "GM0971"):
        services.record_decision(
            user=coordinator, subject=accession, municipality=m(code), in_favour=True, decided_on=date(2026, 2, 1)
        )
    services.record_decision(
        user=coordinator, subject=accession, municipality=m("GM0888"), in_favour=False, decided_on=date(2026, 2, 1)
    )
    with pytest.raises(ValidationError, match="Niet unaniem"):
        services.complete_accession(user=coordinator, accession=accession, joined_on=date(2026, 3, 1))


def test_addendum_not_adopted_without_all_approvals_wm_so_12(seeds, coordinator):
    so = seeds["WM-SO-2025"]
    amendment = services.propose_amendment(
        user=coordinator,
        agreement=so,
        title="Addendum leerlingenvervoer",
        proposed_by=m("GM0971"),
        proposed_on=date(2026, 1, 10),
    )
    services.record_decision(
        user=coordinator, subject=amendment, municipality=m("GM1883"), in_favour=True, decided_on=date(2026, 2, 1)
    )
    with pytest.raises(ValidationError, match="ontbreekt"):
        services.adopt_amendment(
            user=coordinator, amendment=amendment, adopted_on=date(2026, 2, 2), effective_from=date(2026, 3, 1)
        )
    for code in ("GM0971", "GM0888"):
        services.record_decision(
            user=coordinator, subject=amendment, municipality=m(code), in_favour=True, decided_on=date(2026, 2, 5)
        )
    services.adopt_amendment(
        user=coordinator, amendment=amendment, adopted_on=date(2026, 2, 6), effective_from=date(2026, 3, 1)
    )
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.ADOPTED and amendment.effective_from == date(2026, 3, 1)
    with pytest.raises(ValidationError):
        services.record_decision(
            user=coordinator, subject=amendment, municipality=m("GM0888"), in_favour=True, decided_on=date(2026, 2, 7)
        )


def test_bno_13_3_approval_needs_council_consent(seeds):
    oss = User.objects.get(username="oss-coordinator")
    amendment = services.propose_amendment(
        user=oss,
        agreement=seeds["BNO-2020"],
        title="Wijziging",
        proposed_by=m("GM0828"),
        proposed_on=date(2021, 1, 10),
    )
    # BNO 13.2 (issue 15): the colleges decide only on a proposal sent after the portfolio holders' positive advice
    with pytest.raises(ValidationError, match="BNO 13.2"):
        services.record_decision(
            user=oss,
            subject=amendment,
            municipality=m("GM1721"),
            in_favour=True,
            decided_on=date(2021, 2, 1),
            council_consent_on=date(2021, 1, 28),
        )
    services.record_amendment_advice(user=oss, amendment=amendment, advised_on=date(2021, 1, 14))
    services.send_amendment_to_colleges(user=oss, amendment=amendment, sent_on=date(2021, 1, 15))
    amendment.refresh_from_db()
    with pytest.raises(ValidationError, match="raad"):
        services.record_decision(
            user=oss, subject=amendment, municipality=m("GM1721"), in_favour=True, decided_on=date(2021, 2, 1)
        )
    services.record_decision(
        user=oss,
        subject=amendment,
        municipality=m("GM1721"),
        in_favour=True,
        decided_on=date(2021, 2, 1),
        council_consent_on=date(2021, 1, 28),
    )


def test_only_the_coordinating_staff_run_workflows(seeds):
    stein = User.objects.get(username="stein-ambtenaar")
    with pytest.raises(PermissionDenied):
        services.receive_notice(
            user=stein, agreement=seeds["WM-SO-2025"], municipality=m("GM0971"), received_on=date(2027, 6, 1)
        )


def test_notice_bno_needs_registered_letter_then_computes_exit(seeds):
    oss = User.objects.get(username="oss-coordinator")
    notice = services.receive_notice(
        user=oss, agreement=seeds["BNO-2020"], municipality=m("GM0755"), received_on=date(2021, 3, 15)
    )
    with pytest.raises(ValidationError, match="aangetekende brief"):
        services.register_notice(user=oss, notice=notice, on=date(2021, 3, 16))
    services.add_registered_letter(user=oss, notice=notice, on=date(2021, 3, 16), reference="AB-1")
    notice = services.register_notice(user=oss, notice=notice, on=date(2021, 3, 16))
    assert notice.status == NoticeStatus.REGISTERED
    assert notice.exit_date == date(2023, 1, 1)
    assert notice.obligations_until == date(2024, 1, 1)
    with pytest.raises(ValidationError, match="pas in per"):
        services.effect_notice(user=oss, notice=notice, on=date(2022, 12, 31))
    # BNO 15.1 (issue 15): the withdrawal takes effect by the college's decision after the council's consent
    with pytest.raises(ValidationError, match="BNO 15.1"):
        services.effect_notice(user=oss, notice=notice, on=date(2023, 1, 1))
    services.record_withdrawal_decision(
        user=oss, notice=notice, council_consent_on=date(2021, 2, 25), college_decision_on=date(2021, 3, 9)
    )
    services.effect_notice(user=oss, notice=notice, on=date(2023, 1, 1))
    assert Party.objects.get(agreement=seeds["BNO-2020"], municipality=m("GM0755")).left_on == date(2023, 1, 1)


def test_notice_wm_2015_counts_from_the_decision(seeds, coordinator):
    notice = services.receive_notice(
        user=coordinator,
        agreement=seeds["WM-2015"],
        municipality=m("GM0962"),
        received_on=date(2015, 8, 1),
        registered_letter=True,
    )
    with pytest.raises(ValidationError, match="bekendmaking"):
        services.register_notice(user=coordinator, notice=notice, on=date(2015, 8, 2))
    notice.decision_announced_on = date(2015, 8, 20)
    notice.save()
    assert services.register_notice(user=coordinator, notice=notice, on=date(2015, 8, 21)).exit_date == date(
        2016, 2, 20
    )


def test_bno_8_3_extra_meeting_once_a_third_asked(seeds):
    oss = User.objects.get(username="oss-coordinator")
    request = ExtraMeetingRequest.objects.create(agreement=seeds["BNO-2020"], subject="Tekort begeleiding")
    # In 2021 the ten original municipalities are parties: a third is four.
    for i, code in enumerate(["GM1721", "GM0755", "GM0756"]):
        services.support_extra_meeting(
            user=oss, request=request, municipality=m(code), on=date(2021, 5, 3 + i), reasons="tekort"
        )
    request.refresh_from_db()
    assert request.due_on is None
    services.support_extra_meeting(
        user=oss, request=request, municipality=m("GM1684"), on=date(2021, 5, 10), reasons="tekort"
    )
    request.refresh_from_db()
    assert request.threshold_reached_on == date(2021, 5, 10)
    assert request.due_on == date(2021, 5, 24)
    found = deadlines_for(oss, start=date(2021, 5, 1), end=date(2021, 6, 30))
    assert any(d.key == f"agreements:extra-meeting:{request.pk}" and d.due == date(2021, 5, 24) for d in found)
    with pytest.raises(ValidationError, match="redenen"):
        services.support_extra_meeting(
            user=oss, request=request, municipality=m("GM0786"), on=date(2021, 5, 10), reasons=" "
        )
    services.hold_extra_meeting(user=oss, request=request, on=date(2021, 5, 20))
    found = deadlines_for(oss, start=date(2021, 5, 1), end=date(2021, 6, 30))
    assert not any(d.key == f"agreements:extra-meeting:{request.pk}" for d in found)
    assert services.meeting_compliance(agreement=seeds["BNO-2020"], year=2021).summary == "2021: bestuurlijk 1/3 ⚠"


def test_compliance_2025_shows_the_missing_meeting(seeds):
    result = services.meeting_compliance(agreement=seeds["WM-SO-2025"], year=2025)
    assert result.summary == "2025: bestuurlijk 1/1, ambtelijk beleid 1/2 ⚠, ambtelijk uitvoerend 2/2"
    assert not result.ok
    assert services.meeting_compliance(agreement=seeds["BNO-2020"], year=2021).summary == "2021: bestuurlijk 0/3 ⚠"


def test_plan_deadlines_bno_6_1_and_10_5(seeds):
    oss = User.objects.get(username="oss-ambtenaar")
    found = {(d.due, d.article) for d in deadlines_for(oss, start=date(2022, 1, 1), end=date(2022, 12, 31))}
    assert (date(2022, 3, 31), "BNO 6.1") in found
    assert (date(2022, 4, 30), "BNO 10.5-10.6") in found
    assert (date(2022, 6, 30), "BNO 21.1") in found
    # The purchasing plan is two-yearly: none in 2021.
    found_2021 = {(d.due, d.article) for d in deadlines_for(oss, start=date(2021, 1, 1), end=date(2021, 12, 31))}
    assert (date(2021, 3, 31), "BNO 6.1") not in found_2021
    # Last day to announce withdrawal per 1-1-2023 is 1-1-2022 (BNO 15.3).
    assert any(
        d.key.startswith("agreements:notice-window") and d.due == date(2022, 1, 1)
        for d in deadlines_for(oss, start=date(2021, 12, 1), end=date(2022, 1, 31))
    )


def test_wm_so_notice_window_deadline(seeds):
    stein = User.objects.get(username="stein-ambtenaar")
    found = deadlines_for(stein, start=date(2028, 3, 1), end=date(2028, 5, 1))
    assert any(d.due == date(2028, 4, 1) and d.article == "WM-SO 16.1" for d in found)


def test_submitted_plan_is_no_longer_a_deadline(seeds):
    from agreements.models import PlanObligation

    oss = User.objects.get(username="oss-coordinator")
    plan = PlanObligation.objects.unrestricted().get(agreement=seeds["BNO-2020"], key="inkoopplan")
    window = {"start": date(2022, 1, 1), "end": date(2022, 12, 31)}
    assert any(d.key == f"agreements:plan:{plan.pk}:2022" for d in deadlines_for(oss, **window))
    services.submit_plan(user=oss, obligation=plan, year=2022, submitted_on=date(2022, 3, 20))
    services.submit_plan(user=oss, obligation=plan, year=2022, submitted_on=date(2022, 3, 20))  # idempotent
    assert not any(d.key == f"agreements:plan:{plan.pk}:2022" for d in deadlines_for(oss, **window))
    with pytest.raises(ValidationError):
        services.submit_plan(user=oss, obligation=plan, year=2030, submitted_on=date(2022, 3, 20))


def test_dissolution_notice_uses_wm_so_16_2(seeds, coordinator):
    notice = services.receive_notice(
        user=coordinator,
        agreement=seeds["WM-SO-2025"],
        municipality=m("GM0888"),
        received_on=date(2026, 3, 2),
        kind="ontbinding",
    )
    notice = services.register_notice(user=coordinator, notice=notice, on=date(2026, 3, 3))
    assert notice.exit_date == date(2026, 4, 1)
    assert "WM-SO 16.2" in notice.explanation


def test_meeting_page_opens_on_the_latest_year_with_meetings(world):
    """Issue 17: "Overleg" opened on an empty year while the meetings were in the year before. Without ``?jaar=`` it
    opens on this year only once this year has a meeting; another tenant's meetings do not count."""
    from django.utils import timezone

    from agreements.models import Meeting
    from tests.tenancy.cases_agreements import _agreement

    this_year = timezone.localdate().year
    Meeting.objects.create(
        region=world.a, agreement=_agreement(world), kind="bestuurlijk", date=date(this_year - 1, 10, 9), title="Vorig"
    )
    client = world.client("a2")
    assert f"Overleg in {this_year - 1}" in client.get("/overleg/").content.decode()
    assert f"Overleg in {this_year}" in client.get(f"/overleg/?jaar={this_year}").content.decode()
    assert f"Overleg in {this_year}" in world.client("b1").get("/overleg/").content.decode()
    Meeting.objects.create(
        region=world.a, agreement=_agreement(world), kind="bestuurlijk", date=date(this_year, 1, 9), title="Dit jaar"
    )
    assert f"Overleg in {this_year}" in client.get("/overleg/").content.decode()

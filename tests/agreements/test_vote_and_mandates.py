"""BNO 6.2 weighted vote (SPEC §4 acceptance values) and may_act (SPEC §5)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from agreements.models import Mandate, MandatedBody, Power
from agreements.services import VoteError, end_agreement, may_act, weighted_vote
from regio.models import Municipality, Region
from regio.tenancy import system_actor

OSS, UDEN, BERNHEZE, BOXMEER = "GM0828", "GM0856", "GM1721", "GM0756"
SIX_SMALLEST = ["GM0755", "GM0815", "GM1702", "GM0786", "GM1685", "GM1684"]


@pytest.fixture
def bno(seeds):
    return Region.objects.get(code="brabant-noordoost-oost")


def test_bno_6_2_four_largest_adopted_0_6918(bno):
    result = weighted_vote(region=bno, year=2018, in_favour=[OSS, UDEN, BERNHEZE, BOXMEER])
    assert result.adopted is True
    assert result.share_text == "0.6918"
    assert result.in_favour_count == 4
    assert result.total_population == 277651
    assert isinstance(result.population_share, Decimal)


def test_bno_6_2_three_not_adopted_0_5879(bno):
    result = weighted_vote(region=bno, year=2018, in_favour=[OSS, UDEN, BERNHEZE])
    assert result.adopted is False
    assert result.share_text == "0.5879"
    assert result.in_favour_count == 3


def test_bno_6_2_six_smallest_not_adopted_0_3082(bno):
    result = weighted_vote(region=bno, year=2018, in_favour=SIX_SMALLEST)
    assert result.adopted is False
    assert result.share_text == "0.3082"
    assert result.in_favour_count == 6


def test_vote_names_unknown_and_non_member_codes(bno):
    with pytest.raises(VoteError, match="GM9999"):
        weighted_vote(region=bno, year=2018, in_favour=[OSS, "GM9999"])
    with pytest.raises(VoteError, match="GM1883"):
        weighted_vote(region=bno, year=2018, in_favour=[OSS, "GM1883"])
    # Land van Cuijk did not exist on 1-1-2018.
    with pytest.raises(VoteError, match="GM1982"):
        weighted_vote(region=bno, year=2018, in_favour=[OSS, "GM1982"])


def test_vote_without_population_figures_names_them(bno):
    with pytest.raises(VoteError, match="Geen inwonertal op 1-1-2025"):
        weighted_vote(region=bno, year=2025, in_favour=[OSS])


def test_vote_refuses_duplicates(bno):
    with pytest.raises(VoteError, match="Dubbel"):
        weighted_vote(region=bno, year=2018, in_favour=[OSS, OSS, UDEN, BERNHEZE])


def _m(code):
    return Municipality.objects.get(code=code)


def test_may_act_under_the_wm_mandate(seeds):
    result = may_act(
        acting_municipality=_m("GM1883"), on_behalf_of=_m("GM0971"), power=Power.INVOICING, on_date=date(2026, 1, 15)
    )
    assert result.allowed is True
    assert result.mandate is not None and result.mandate.agreement.code == "WM-SO-2025"
    assert "mandaat" in result.reason


def test_may_act_for_itself_needs_no_mandate(seeds):
    result = may_act(
        acting_municipality=_m("GM1883"), on_behalf_of=_m("GM1883"), power="invoicing", on_date=date(2026, 1, 1)
    )
    assert result.allowed is True and result.mandate is None


def test_may_act_refuses_without_mandate_and_outside_validity(seeds):
    # Stein holds no mandate from Beek.
    assert (
        may_act(
            acting_municipality=_m("GM0971"), on_behalf_of=_m("GM0888"), power="invoicing", on_date=date(2026, 1, 1)
        ).allowed
        is False
    )
    # Before the SO was in force (1-4-2025) and after WM-2015 ended: no mandate.
    before = may_act(acting_municipality="GM1883", on_behalf_of="GM0971", power="invoicing", on_date=date(2025, 3, 1))
    assert before.allowed is False and before.mandate is None
    # The burgemeester mandate covers framework contracts only; WM-2015 had no invoicing power.
    old = may_act(acting_municipality="GM1883", on_behalf_of="GM0971", power="purchasing", on_date=date(2016, 6, 1))
    assert old.allowed is True and old.mandate.agreement.code == "WM-2015"
    assert (
        may_act(
            acting_municipality="GM1883", on_behalf_of="GM0971", power="invoicing", on_date=date(2016, 6, 1)
        ).allowed
        is False
    )
    assert (
        may_act(acting_municipality="GM1883", on_behalf_of="GM0971", power="bogus", on_date=date(2026, 1, 1)).allowed
        is False
    )


def test_mandate_may_not_outlast_its_agreement(seeds):
    mandate = Mandate(
        agreement=seeds["WM-2015"],
        mandating=_m("GM0971"),
        mandated=_m("GM1883"),
        mandated_body=MandatedBody.COLLEGE,
        powers=["purchasing"],
        valid_from=date(2015, 1, 1),
        valid_until=date(2017, 6, 30),
    )
    with pytest.raises(ValidationError) as exc:
        mandate.full_clean()
    assert "WM-SO 15.3" in str(exc.value)
    mandate.valid_until = None
    with pytest.raises(ValidationError):
        mandate.full_clean()


def test_mandate_refuses_unknown_powers(seeds):
    mandate = Mandate(
        agreement=seeds["WM-SO-2025"],
        mandating=_m("GM0971"),
        mandated=_m("GM1883"),
        mandated_body="college",
        powers=["everything"],
        valid_from=date(2025, 4, 1),
    )
    with pytest.raises(ValidationError, match="everything"):
        mandate.full_clean()


def test_ending_the_so_ends_its_dvo_and_mandates_visibly(seeds):
    so = seeds["WM-SO-2025"]
    end_agreement(
        user=system_actor("test"), agreement=so, last_day=date(2029, 3, 31), reason="opgezegd door alle gemeenten"
    )
    so.refresh_from_db()
    dvo = seeds["WM-DVO-2025"]
    dvo.refresh_from_db()
    assert so.effective_until == date(2029, 3, 31)
    assert dvo.effective_until == date(2029, 3, 31)
    assert "WM-SO-2025" in dvo.end_reason
    assert dvo.history.first().history_change_reason.startswith("beëindigd per 01-04-2029")
    mandates = Mandate.objects.unrestricted().filter(agreement=so)
    assert mandates and all(m.valid_until == date(2029, 3, 31) for m in mandates)
    assert all("WM-SO 15.3" in m.history.first().history_change_reason for m in mandates)
    assert dvo.events.unrestricted().filter(article="WM-DVO 8.4").exists()
    after = may_act(acting_municipality="GM1883", on_behalf_of="GM0971", power="invoicing", on_date=date(2029, 4, 1))
    assert after.allowed is False

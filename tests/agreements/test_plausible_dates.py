"""Issue 10: every date of an act under an agreement lies in the plausible window and within the agreement's own
dates; a far date is a Dutch refusal, never an overflow (ending an agreement on 31-12-9999 was a 500)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from agreements import services
from regio.models import Municipality, User


@pytest.fixture
def coordinator(seeds):
    return User.objects.get(username="sittard-geleen-coordinator")


def test_a_notice_before_the_agreement_began_is_refused(seeds, coordinator):
    so = seeds["WM-SO-2025"]
    with pytest.raises(ValidationError, match="ligt te ver in het verleden"):
        services.receive_notice(
            user=coordinator,
            agreement=so,
            municipality=Municipality.objects.get(code="GM0971"),
            received_on=date(so.effective_from.year - 1, 6, 1),
        )


@pytest.mark.parametrize("far", [date(9999, 12, 31), date(1, 1, 1)])
def test_a_far_date_of_an_amendment_or_accession_is_refused_in_dutch(seeds, coordinator, far):
    so = seeds["WM-SO-2025"]
    with pytest.raises(ValidationError, match="ligt te ver in"):
        services.propose_amendment(
            user=coordinator,
            agreement=so,
            title="t",
            proposed_by=Municipality.objects.get(code="GM1883"),
            proposed_on=far,
        )
    with pytest.raises(ValidationError, match="ligt te ver in"):
        services.request_accession(
            user=coordinator, agreement=so, municipality=Municipality.objects.get(code="GM0888"), requested_on=far
        )


def test_ending_an_agreement_on_31_12_9999_is_a_form_error_not_a_500(seeds, coordinator, client):
    client.force_login(coordinator)
    response = client.post("/overeenkomsten/WM-SO-2025/beeindigen/", {"last_day": "31-12-9999", "reason": "x"})
    assert response.status_code == 200
    assert "31-12-9999 ligt te ver in de toekomst" in response.content.decode()

"""The BSN guard of regio/privacy.py (issue 13: no BSN in any field; a BSN-shaped number is refused)."""

import pytest
from django.core.exceptions import ValidationError

from regio.privacy import bsn_digits, contains_bsn, no_bsn, passes_eleven_test, pseudonymise_bsn

VALID = "111222333"  # 9*1+8*1+7*1+6*2+5*2+4*2+3*3+2*3-3 = 66, divisible by 11


def test_eleven_test():
    assert passes_eleven_test(VALID)
    assert not passes_eleven_test("111222334")
    assert not passes_eleven_test("000000000")
    assert not passes_eleven_test("11122233")


@pytest.mark.parametrize("text", [VALID, "111.222.333", "1112 22 333", "cliënt 111-222-333 belde", "bsn:111222333."])
def test_a_bsn_in_free_text_is_refused_with_a_dutch_message_that_does_not_repeat_it(text):
    assert contains_bsn(text)
    with pytest.raises(ValidationError) as exc:
        no_bsn(text)
    message = " ".join(exc.value.messages)
    assert "burgerservicenummer" in message
    assert "111" not in message


@pytest.mark.parametrize("text", ["111222334", "1112223330", "BW-2025-0001", "telefoon 046 477 77 77", "", None, 42])
def test_other_numbers_pass(text):
    assert not contains_bsn(text)
    no_bsn(text)


def test_pseudonym_is_keyed_stable_and_hides_the_number(settings):
    settings.BW_PSEUDONYM_SECRET = "een"
    first = pseudonymise_bsn("111.222.333")
    assert first == pseudonymise_bsn(VALID)
    assert first.startswith("P-") and VALID not in first
    settings.BW_PSEUDONYM_SECRET = "twee"
    assert pseudonymise_bsn(VALID) != first
    assert bsn_digits("111 222 333") == VALID


def test_an_invalid_bsn_is_refused_without_echoing_it():
    with pytest.raises(ValidationError) as exc:
        pseudonymise_bsn("123456789")
    assert "123456789" not in " ".join(exc.value.messages)

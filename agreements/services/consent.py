"""Council consent steps in the workflows, only where the agreement asks for them: the portfolio holders' positive
advice before an amendment goes to the colleges (BNO 13.2), each college's decision after its council's consent
(BNO 13.3, 14.1), and a withdrawal by the college's decision after the council's consent (BNO 15.1)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from agreements.models import Amendment, AmendmentStatus, Notice, NoticeKind, NoticeStatus
from agreements.services._common import _check, d
from agreements.services.parties import _event, _within_agreement
from regio.bounds import check_date


@transaction.atomic
def record_amendment_advice(*, user, amendment: Amendment, advised_on: date) -> Amendment:
    """The portfolio holders' meeting gave a positive advice on the proposal (BNO 13.2)."""
    amendment = Amendment.objects.unrestricted().select_for_update().select_related("agreement").get(pk=amendment.pk)
    _check(user, amendment)
    if amendment.status != AmendmentStatus.PROPOSED:
        raise ValidationError("Over deze wijziging is al besloten.")
    if amendment.advice_on:
        raise ValidationError(f"Het advies is al vastgelegd ({d(amendment.advice_on)}).")
    _within_agreement(amendment.agreement, advised_on, "De datum van het advies")
    check_date(advised_on, earliest=amendment.proposed_on, label="De datum van het advies")
    amendment.advice_on = advised_on
    amendment.save()
    _event(
        amendment.agreement,
        advised_on,
        "Positief advies van het portefeuillehoudersoverleg",
        "BNO 13.2",
        user,
        amendment=amendment,
    )
    return amendment


@transaction.atomic
def send_amendment_to_colleges(*, user, amendment: Amendment, sent_on: date) -> Amendment:
    """The centre municipality sends the proposal to the colleges, after the positive advice where the agreement asks
    for it (BNO 13.2)."""
    amendment = Amendment.objects.unrestricted().select_for_update().select_related("agreement").get(pk=amendment.pk)
    _check(user, amendment)
    if amendment.status != AmendmentStatus.PROPOSED:
        raise ValidationError("Over deze wijziging is al besloten.")
    if amendment.sent_to_colleges_on:
        raise ValidationError(f"Het voorstel is al op {d(amendment.sent_to_colleges_on)} aan de colleges gezonden.")
    if amendment.agreement.amendment_needs_advice and not amendment.advice_on:
        raise ValidationError(
            "Het voorstel gaat pas naar de colleges na een positief advies van het portefeuillehoudersoverleg "
            "(BNO 13.2); leg dat advies eerst vast."
        )
    check_date(sent_on, earliest=amendment.advice_on or amendment.proposed_on, label="De verzenddatum")
    amendment.sent_to_colleges_on = sent_on
    amendment.save()
    _event(amendment.agreement, sent_on, "Voorstel aan de colleges gezonden", "BNO 13.2", user, amendment=amendment)
    return amendment


def check_amendment_before_colleges(amendment: Amendment, decided_on: date) -> None:
    """A college decides on an amendment only after the proposal reached it, where the advice is required."""
    if amendment.agreement.amendment_needs_advice:
        if not amendment.sent_to_colleges_on:
            raise ValidationError(
                "De colleges besluiten pas nadat het voorstel hun na een positief advies van het "
                "portefeuillehoudersoverleg is toegezonden (BNO 13.2)."
            )
        if decided_on < amendment.sent_to_colleges_on:
            raise ValidationError(
                f"Het collegebesluit ligt voor de toezending van het voorstel ({d(amendment.sent_to_colleges_on)})."
            )


def check_council_first(*, municipality_name: str, decided_on: date, council_consent_on: date | None, rule: str):
    """The college decides after its council's consent (BNO 13.3, 14.1, 15.1): both dated, the council first."""
    if not council_consent_on:
        raise ValidationError(
            f"{municipality_name}: het college besluit na verkregen toestemming van de raad ({rule}); vul de datum "
            "van die toestemming in."
        )
    if council_consent_on > decided_on:
        raise ValidationError(
            f"{municipality_name}: de raad gaf toestemming op {d(council_consent_on)}, na het collegebesluit van "
            f"{d(decided_on)}; het college besluit pas na die toestemming ({rule})."
        )


def needs_withdrawal_consent(notice: Notice) -> bool:
    return notice.agreement.withdrawal_needs_council and notice.kind != NoticeKind.DISSOLUTION


@transaction.atomic
def record_withdrawal_decision(*, user, notice: Notice, council_consent_on: date, college_decision_on: date) -> Notice:
    """The withdrawing municipality's council consented and then its college decided (BNO 15.1), both dated."""
    notice = (
        Notice.objects.unrestricted().select_for_update().select_related("agreement", "municipality").get(pk=notice.pk)
    )
    _check(user, notice)
    if notice.status not in (NoticeStatus.RECEIVED, NoticeStatus.REGISTERED):
        raise ValidationError("Deze opzegging loopt niet meer.")
    check_date(council_consent_on, label="De datum van de toestemming van de raad")
    check_date(college_decision_on, not_in_future=True, label="De datum van het collegebesluit")
    check_council_first(
        municipality_name=notice.municipality.name,
        decided_on=college_decision_on,
        council_consent_on=council_consent_on,
        rule="BNO 15.1",
    )
    notice.council_consent_on = council_consent_on
    notice.college_decision_on = college_decision_on
    notice.save()
    _event(
        notice.agreement,
        college_decision_on,
        f"Collegebesluit tot uittreding van {notice.municipality.name} na toestemming van de raad "
        f"({d(council_consent_on)})",
        "BNO 15.1",
        user,
        notice=notice,
    )
    return notice


def check_withdrawal_consent(notice: Notice, on: date) -> None:
    """Refuse to let a withdrawal take effect without the college's decision after the council's consent."""
    if needs_withdrawal_consent(notice) and not (notice.college_decision_on and notice.council_consent_on):
        raise ValidationError(
            f"{notice.municipality.name} treedt pas uit door een besluit van het college na verkregen toestemming "
            "van de raad (BNO 15.1); leg beide data eerst vast."
        )

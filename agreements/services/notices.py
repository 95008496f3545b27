"""Notice of termination and withdrawal: receiving, registering, the registered letter, effecting and withdrawing a
notice. Articles: WM-SO 16.1, BNO 15.1.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from agreements.models import (
    Agreement,
    Notice,
    NoticeKind,
    NoticeStatus,
    Party,
)
from agreements.services._common import _check, _cite, d
from agreements.services.consent import check_withdrawal_consent
from agreements.services.exits import earliest_dissolution, earliest_exit
from agreements.services.parties import _event, _require_party, _within_agreement
from regio.models import Municipality

# --- notice of termination / withdrawal -------------------------------------------------------------------------


@transaction.atomic
def receive_notice(
    *,
    user,
    agreement: Agreement,
    municipality: Municipality,
    received_on: date,
    kind: str = NoticeKind.TERMINATION,
    registered_letter: bool = False,
    letter_reference: str = "",
    decision_announced_on: date | None = None,
) -> Notice:
    """Step 1: a notice arrives (WM-SO 16.1; WM-2015 6.4-6.5; BNO 15.1-15.3)."""
    agreement = Agreement.objects.unrestricted().select_for_update().get(pk=agreement.pk)
    _check(user, agreement)
    _within_agreement(agreement, received_on, "De ontvangstdatum")
    _require_party(agreement, municipality, received_on)
    if (
        Notice.objects.unrestricted()
        .filter(
            agreement=agreement, municipality=municipality, status__in=[NoticeStatus.RECEIVED, NoticeStatus.REGISTERED]
        )
        .exists()
    ):
        raise ValidationError(f"Er loopt al een opzegging van {municipality.name} voor {agreement.code}.")
    notice = Notice(
        agreement=agreement,
        municipality=municipality,
        kind=kind,
        received_on=received_on,
        registered_letter=registered_letter,
        letter_reference=letter_reference,
        decision_announced_on=decision_announced_on,
    )
    notice.save()
    letter = " per aangetekende brief" if registered_letter else ""
    _event(
        agreement,
        received_on,
        f"{notice.get_kind_display()} van {municipality.name} ontvangen{letter}",
        "",
        user,
        notice=notice,
    )
    return notice


@transaction.atomic
def register_notice(*, user, notice: Notice, on: date) -> Notice:
    """Step 2: check the form and compute the exit date and the obligations that run on."""
    notice = Notice.objects.unrestricted().select_for_update().select_related("agreement").get(pk=notice.pk)
    agreement = notice.agreement
    _check(user, notice)
    if notice.status != NoticeStatus.RECEIVED:
        raise ValidationError(f"Deze opzegging is al {notice.get_status_display().lower()}.")
    if (
        agreement.exit_requires_registered_letter
        and not notice.registered_letter
        and notice.kind != NoticeKind.DISSOLUTION
    ):
        raise ValidationError(
            f"De opzegging moet per aangetekende brief ({_cite(agreement, 'registered_letter')}); leg eerst de "
            "aangetekende brief vast."
        )
    start = notice.received_on
    if agreement.exit_min_months_after_decision is not None and notice.kind != NoticeKind.DISSOLUTION:
        if not notice.decision_announced_on:
            raise ValidationError(
                "De termijn loopt vanaf de bekendmaking van het uittredingsbesluit "
                f"({_cite(agreement, 'after_decision')}); vul die datum in."
            )
        start = notice.decision_announced_on
    if notice.kind == NoticeKind.DISSOLUTION:
        result = earliest_dissolution(agreement=agreement, default_notice_on=notice.received_on)
    else:
        result = earliest_exit(agreement=agreement, notice_received=start)
    if not result.decidable:
        raise ValidationError(result.explanation)
    notice.exit_date = result.date
    notice.obligations_until = result.obligations_until
    notice.explanation = result.explanation
    notice.status = NoticeStatus.REGISTERED
    notice._change_reason = "geregistreerd; uittredingsdatum berekend"
    notice.save()
    _event(
        agreement,
        on,
        f"Opzegging van {notice.municipality.name} geregistreerd: uittreding per {d(result.date)}",
        ", ".join(result.articles),
        user,
        notice=notice,
    )
    return notice


@transaction.atomic
def add_registered_letter(*, user, notice: Notice, on: date, reference: str = "") -> Notice:
    notice = Notice.objects.unrestricted().select_for_update().get(pk=notice.pk)
    _check(user, notice)
    if notice.status != NoticeStatus.RECEIVED:
        raise ValidationError("Alleen een ontvangen opzegging krijgt nog een aangetekende brief.")
    notice.registered_letter = True
    notice.letter_reference = reference
    notice.save()
    _event(
        notice.agreement,
        on,
        "Aangetekende brief ontvangen",
        _cite(notice.agreement, "registered_letter"),
        user,
        notice=notice,
    )
    return notice


@transaction.atomic
def effect_notice(*, user, notice: Notice, on: date) -> Notice:
    """Step 3: on or after the exit date the party leaves (``left_on``); the others decide whether they go on (WM-SO
    16.5)."""
    notice = (
        Notice.objects.unrestricted().select_for_update().select_related("agreement", "municipality").get(pk=notice.pk)
    )
    _check(user, notice)
    if notice.status != NoticeStatus.REGISTERED:
        raise ValidationError("Alleen een geregistreerde opzegging kan ingaan.")
    if on < notice.exit_date:
        raise ValidationError(f"De uittreding gaat pas in per {d(notice.exit_date)}.")
    check_withdrawal_consent(notice, on)
    party = (
        Party.objects.unrestricted()
        .select_for_update()
        .get(agreement=notice.agreement, municipality=notice.municipality)
    )
    party.left_on = notice.exit_date
    party._change_reason = f"uitgetreden per {d(notice.exit_date)}"
    party.save()
    notice.status = NoticeStatus.EFFECTED
    notice.save()
    _event(notice.agreement, notice.exit_date, f"{notice.municipality.name} uitgetreden", "", user, notice=notice)
    return notice


@transaction.atomic
def withdraw_notice(*, user, notice: Notice, on: date) -> Notice:
    notice = Notice.objects.unrestricted().select_for_update().get(pk=notice.pk)
    _check(user, notice)
    if notice.status not in (NoticeStatus.RECEIVED, NoticeStatus.REGISTERED):
        raise ValidationError("Deze opzegging kan niet meer worden ingetrokken.")
    notice.status = NoticeStatus.WITHDRAWN
    notice.save()
    _event(notice.agreement, on, f"Opzegging van {notice.municipality.name} ingetrokken", "", user, notice=notice)
    return notice

"""Accession and amendment: every current party decides (unanimity), completing an accession, adopting an amendment.
Articles: WM-SO 13, BNO 14.1, WM-SO 12.2, BNO 13.3, WM-SO 12.3.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from agreements.models import (
    Accession,
    AccessionStatus,
    Agreement,
    Amendment,
    AmendmentStatus,
    Decision,
    Party,
    PartyRole,
)
from agreements.services._common import _check, d
from agreements.services.consent import check_amendment_before_colleges, check_council_first
from agreements.services.parties import _event, _require_party, _within_agreement, current_parties
from agreements.services.register import publication_for_amendment
from regio.models import Municipality

# --- accession and amendment: every current party decides ------------------------------------------------------


@transaction.atomic
def request_accession(*, user, agreement: Agreement, municipality: Municipality, requested_on: date) -> Accession:
    agreement = Agreement.objects.unrestricted().select_for_update().get(pk=agreement.pk)
    _check(user, agreement)
    _within_agreement(agreement, requested_on, "De datum van het verzoek")
    if municipality.pk in {p.municipality_id for p in current_parties(agreement=agreement, on=requested_on)}:
        raise ValidationError(f"{municipality.name} is al partij bij {agreement.code}.")
    accession = Accession(agreement=agreement, municipality=municipality, requested_on=requested_on)
    accession.save()
    _event(
        agreement,
        requested_on,
        f"Verzoek tot toetreding van {municipality.name}",
        agreement.accession_rule,
        user,
        accession=accession,
    )
    return accession


@transaction.atomic
def propose_amendment(
    *,
    user,
    agreement: Agreement,
    title: str,
    proposed_by: Municipality,
    proposed_on: date,
    description: str = "",
    is_addendum: bool = True,
) -> Amendment:
    agreement = Agreement.objects.unrestricted().select_for_update().get(pk=agreement.pk)
    _check(user, agreement)
    _within_agreement(agreement, proposed_on, "De datum van het voorstel")
    _require_party(agreement, proposed_by, proposed_on)
    amendment = Amendment(
        agreement=agreement,
        title=title,
        proposed_by=proposed_by,
        proposed_on=proposed_on,
        description=description,
        is_addendum=is_addendum,
    )
    amendment.save()
    _event(
        agreement,
        proposed_on,
        f"{'Addendum' if is_addendum else 'Wijziging'} voorgesteld: {title}",
        "",
        user,
        amendment=amendment,
    )
    return amendment


@transaction.atomic
def record_decision(
    *,
    user,
    subject: Accession | Amendment,
    municipality: Municipality,
    in_favour: bool,
    decided_on: date,
    council_consent_on: date | None = None,
    note: str = "",
) -> Decision:
    """One party's consent (accession) or approval (amendment), dated and attributed."""
    model = type(subject)
    subject = model.objects.unrestricted().select_for_update().select_related("agreement").get(pk=subject.pk)
    _check(user, subject)
    agreement = subject.agreement
    open_status = AccessionStatus.REQUESTED if model is Accession else AmendmentStatus.PROPOSED
    if subject.status != open_status:
        raise ValidationError("Hierover is al besloten.")
    _require_party(agreement, municipality, decided_on)
    if model is Amendment:
        check_amendment_before_colleges(subject, decided_on)
    if in_favour and agreement.consent_needs_council:
        check_council_first(
            municipality_name=municipality.name,
            decided_on=decided_on,
            council_consent_on=council_consent_on,
            rule=(agreement.amendment_rule if model is Amendment else agreement.accession_rule) or "BNO 13.3, 14.1",
        )
    key = "accession" if model is Accession else "amendment"
    if Decision.objects.unrestricted().filter(**{key: subject}, municipality=municipality).exists():
        raise ValidationError(f"{municipality.name} heeft hierover al besloten.")
    decision = Decision(
        agreement=agreement,
        municipality=municipality,
        in_favour=in_favour,
        decided_on=decided_on,
        council_consent_on=council_consent_on,
        note=note,
        **{key: subject},
    )
    decision.save()
    verb = "stemt in" if in_favour else "stemt niet in"
    _event(agreement, decided_on, f"{municipality.name} {verb}", "", user, **{key: subject})
    return decision


def missing_consents(*, subject: Accession | Amendment, on: date) -> tuple[list[Party], list[Decision]]:
    """The current parties that have not yet consented, and the decisions against."""
    key = "accession" if isinstance(subject, Accession) else "amendment"
    decisions = list(Decision.objects.unrestricted().filter(**{key: subject}).select_related("municipality"))
    favour = {x.municipality_id for x in decisions if x.in_favour}
    parties = current_parties(agreement=subject.agreement, on=on)
    return [p for p in parties if p.municipality_id not in favour], [x for x in decisions if not x.in_favour]


def _require_unanimity(subject, on: date, rule: str) -> None:
    missing, against = missing_consents(subject=subject, on=on)
    if against:
        names = ", ".join(x.municipality.name for x in against)
        raise ValidationError(f"Niet unaniem: {names} stemt niet in ({rule}).")
    if missing:
        names = ", ".join(p.name for p in missing)
        raise ValidationError(f"Nog niet alle partijen hebben ingestemd ({rule}); ontbreekt: {names}.")


@transaction.atomic
def complete_accession(*, user, accession: Accession, joined_on: date) -> Party:
    """The new municipality joins only with the consent of every current party (WM-SO 13; WM-2015 6.1; BNO 14.1)."""
    accession = Accession.objects.unrestricted().select_for_update().select_related("agreement").get(pk=accession.pk)
    _check(user, accession)
    if accession.status != AccessionStatus.REQUESTED:
        raise ValidationError("Over deze toetreding is al besloten.")
    _require_unanimity(accession, joined_on, accession.agreement.accession_rule or "unanieme instemming")
    party = Party(
        agreement=accession.agreement, municipality=accession.municipality, role=PartyRole.MEMBER, joined_on=joined_on
    )
    party.save()
    accession.status = AccessionStatus.JOINED
    accession.joined_on = joined_on
    accession.save()
    _event(
        accession.agreement,
        joined_on,
        f"{accession.municipality.name} toegetreden",
        accession.agreement.accession_rule,
        user,
        accession=accession,
    )
    return party


@transaction.atomic
def adopt_amendment(*, user, amendment: Amendment, adopted_on: date, effective_from: date) -> Amendment:
    """Adopted only when every party approved (WM-SO 12.2; WM-2015 6.3; BNO 13.3), then attached to the agreement
    with its own effective date (WM-SO 12.3)."""
    amendment = Amendment.objects.unrestricted().select_for_update().select_related("agreement").get(pk=amendment.pk)
    _check(user, amendment)
    if amendment.status != AmendmentStatus.PROPOSED:
        raise ValidationError("Over deze wijziging is al besloten.")
    if amendment.agreement.amendment_needs_advice and not amendment.sent_to_colleges_on:
        raise ValidationError(
            "Zonder positief advies van het portefeuillehoudersoverleg en toezending aan de colleges komt de "
            "wijziging niet tot stand (BNO 13.2)."
        )
    _require_unanimity(amendment, adopted_on, amendment.agreement.amendment_rule or "goedkeuring van alle partijen")
    amendment.status = AmendmentStatus.ADOPTED
    amendment.adopted_on = adopted_on
    amendment.effective_from = effective_from
    amendment.save()
    _event(
        amendment.agreement,
        adopted_on,
        f"{'Addendum' if amendment.is_addendum else 'Wijziging'} vastgesteld en gehecht: {amendment.title} "
        f"(in werking per {d(effective_from)})",
        amendment.agreement.amendment_rule,
        user,
        amendment=amendment,
    )
    # A centrumregeling's amendment is published before it takes effect (BNO 13.4 with 23.1; Wgr art. 26).
    publication_for_amendment(amendment)
    return amendment

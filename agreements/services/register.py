"""Publication of a centrumregeling and its amendments with a deadline (BNO 23, 13.4; Wgr art. 26), and the transfer
of rights only with the other parties' prior written consent (WM-SO 12.4)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from agreements.models import (
    Agreement,
    AgreementKind,
    Amendment,
    Publication,
    PublicationMedium,
    RightsTransfer,
    TransferConsent,
    TransferStatus,
)
from agreements.services._common import _check, d
from agreements.services.parties import _event, _require_party, _within_agreement, current_parties
from regio.bounds import check_date
from regio.models import Municipality

PUBLICATION_ARTICLE = "BNO 23.1; art. 26 Wgr"


def needs_publication(agreement: Agreement) -> bool:
    """A gemeenschappelijke regeling (centrumregeling) and its amendments are published (Wgr art. 26; BNO 23, 13.4)."""
    return agreement.kind == AgreementKind.CENTRAL_SCHEME


def publication_for_amendment(amendment: Amendment) -> Publication | None:
    """The publication an adopted amendment of a centrumregeling needs: it takes effect the day after publication
    (BNO 23.1 with 13.4), so it is due the day before its effective date (not before its adoption). Once."""
    agreement = amendment.agreement
    if not needs_publication(agreement):
        return None
    existing = Publication.objects.unrestricted().filter(amendment=amendment).first()
    if existing:
        return existing
    due = max(amendment.adopted_on, (amendment.effective_from or amendment.adopted_on) - timedelta(days=1))
    publication = Publication(
        agreement=agreement,
        amendment=amendment,
        title=f"Bekendmaking wijziging: {amendment.title}",
        article=PUBLICATION_ARTICLE,
        due_on=due,
    )
    publication.save()
    return publication


@transaction.atomic
def plan_publication(*, user, agreement: Agreement, title: str, due_on: date) -> Publication:
    """The regulation itself (or another act) to be published by a date (BNO 23.1; Wgr art. 26)."""
    agreement = Agreement.objects.unrestricted().select_for_update().get(pk=agreement.pk)
    _check(user, agreement)
    if not needs_publication(agreement):
        raise ValidationError(
            f"{agreement.code} is geen gemeenschappelijke regeling: bekendmaking (art. 26 Wgr) is niet vereist."
        )
    check_date(due_on, label="De uiterste datum")
    if not (title or "").strip():
        raise ValidationError({"title": "Geef aan wat bekendgemaakt wordt."})
    publication = Publication(agreement=agreement, title=title.strip(), article=PUBLICATION_ARTICLE, due_on=due_on)
    publication.save()
    return publication


@transaction.atomic
def record_publication(
    *,
    user,
    publication: Publication,
    published_on: date,
    medium: str,
    reference: str,
    sent_to_province_on: date | None = None,
) -> Publication:
    """Where and when it was published (e.g. the Gemeenteblad or Staatscourant reference), and when the regulation
    was sent to Gedeputeerde Staten (BNO 23.2)."""
    publication = Publication.objects.unrestricted().select_for_update().get(pk=publication.pk)
    _check(user, publication)
    if publication.published_on:
        raise ValidationError(f"Al bekendgemaakt op {d(publication.published_on)}.")
    check_date(published_on, not_in_future=True, label="De datum van bekendmaking")
    if medium not in PublicationMedium.values:
        raise ValidationError({"medium": "Kies waar bekendgemaakt is."})
    if not (reference or "").strip():
        raise ValidationError({"reference": "Geef de vindplaats, bijv. Gmb. 2020, 12345."})
    if sent_to_province_on is not None:
        check_date(sent_to_province_on, earliest=published_on, not_in_future=True, label="De datum van toezending")
    publication.published_on = published_on
    publication.medium = medium
    publication.reference = reference.strip()[:200]
    publication.sent_to_province_on = sent_to_province_on
    publication.save()
    return publication


# --- transfer of rights (WM-SO 12.4) ----------------------------------------------------------------------------


@transaction.atomic
def request_transfer(
    *,
    user,
    agreement: Agreement,
    municipality: Municipality,
    transferee: str,
    description: str,
    requested_on: date,
) -> RightsTransfer:
    agreement = Agreement.objects.unrestricted().select_for_update().get(pk=agreement.pk)
    _check(user, agreement)
    _within_agreement(agreement, requested_on, "De datum van het verzoek")
    _require_party(agreement, municipality, requested_on)
    if not (transferee or "").strip() or not (description or "").strip():
        raise ValidationError("Geef aan wie de rechten overneemt en welke rechten en verplichtingen het betreft.")
    transfer = RightsTransfer(
        agreement=agreement,
        municipality=municipality,
        transferee=transferee.strip()[:300],
        description=description.strip(),
        requested_on=requested_on,
    )
    transfer.save()
    _event(agreement, requested_on, f"Verzoek tot overdracht van rechten door {municipality.name}", "WM-SO 12.4", user)
    return transfer


@transaction.atomic
def record_transfer_consent(
    *,
    user,
    transfer: RightsTransfer,
    municipality: Municipality,
    in_favour: bool,
    decided_on: date,
    reference: str = "",
) -> TransferConsent:
    """One other municipality's written consent or refusal (WM-SO 12.4)."""
    transfer = (
        RightsTransfer.objects.unrestricted().select_for_update().select_related("agreement").get(pk=transfer.pk)
    )
    _check(user, transfer)
    if transfer.status != TransferStatus.REQUESTED:
        raise ValidationError("Over deze overdracht is al besloten.")
    if municipality.pk == transfer.municipality_id:
        raise ValidationError("De overdragende gemeente geeft zelf geen toestemming; de andere gemeenten wel.")
    _require_party(transfer.agreement, municipality, decided_on)
    check_date(decided_on, earliest=transfer.requested_on, not_in_future=True, label="De datum van de brief")
    if TransferConsent.objects.unrestricted().filter(transfer=transfer, municipality=municipality).exists():
        raise ValidationError(f"{municipality.name} heeft hierover al besloten.")
    consent = TransferConsent(
        transfer=transfer, municipality=municipality, in_favour=in_favour, decided_on=decided_on, reference=reference
    )
    consent.save()
    return consent


def missing_transfer_consents(transfer: RightsTransfer, on: date) -> tuple[list, list]:
    """The other current parties that have not consented in writing by ``on``, and the refusals."""
    consents = list(TransferConsent.objects.unrestricted().filter(transfer=transfer).select_related("municipality"))
    given = {c.municipality_id for c in consents if c.in_favour and c.decided_on <= on}
    others = [
        p
        for p in current_parties(agreement=transfer.agreement, on=on)
        if p.municipality_id != transfer.municipality_id
    ]
    return [p for p in others if p.municipality_id not in given], [c for c in consents if not c.in_favour]


@transaction.atomic
def complete_transfer(*, user, transfer: RightsTransfer, transferred_on: date) -> RightsTransfer:
    """Only with the prior written consent of every other municipality (WM-SO 12.4): each dated on or before the
    transfer."""
    transfer = (
        RightsTransfer.objects.unrestricted().select_for_update().select_related("agreement").get(pk=transfer.pk)
    )
    _check(user, transfer)
    if transfer.status != TransferStatus.REQUESTED:
        raise ValidationError("Over deze overdracht is al besloten.")
    check_date(transferred_on, earliest=transfer.requested_on, label="De datum van overdracht")
    missing, refused = missing_transfer_consents(transfer, transferred_on)
    if refused:
        names = ", ".join(c.municipality.name for c in refused)
        raise ValidationError(f"Geen overdracht: {names} stemt niet in (WM-SO 12.4).")
    if missing:
        names = ", ".join(p.name for p in missing)
        raise ValidationError(
            f"Overdracht alleen met voorafgaande schriftelijke toestemming van de andere gemeenten (WM-SO 12.4); "
            f"ontbreekt op {d(transferred_on)}: {names}."
        )
    transfer.status = TransferStatus.TRANSFERRED
    transfer.transferred_on = transferred_on
    transfer.save()
    _event(
        transfer.agreement,
        transferred_on,
        f"Rechten van {transfer.municipality.name} overgedragen aan {transfer.transferee}",
        "WM-SO 12.4",
        user,
    )
    return transfer

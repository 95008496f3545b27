"""The provider register and file (WM-SO 2.4 d; MH 4.1, 5.2): providers, the requirements checked, contact persons
and their deputies, screening results, and an agreement's provider parties pointed at their records."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from inkoop.models import ContactPerson, Provider, ProviderParty, RequirementCheck, Screening
from inkoop.models.providers import compact
from inkoop.services.common import lock, lock_region, text, validated
from inkoop.services.documents import store_document
from regio.tenancy import ADD, CHANGE, VIEW, person, require

PROVIDER_FIELDS = (
    "name",
    "kvk_number",
    "vat_number",
    "agb_code",
    "city",
    "website",
    "in_kind",
    "personal_budget",
    "active",
)


def _apply(provider: Provider, fields: dict) -> None:
    for name in PROVIDER_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(provider, name, compact(value) if name in ("kvk_number", "vat_number", "agb_code") else value)
    if "domains" in fields:
        provider.set_domains(fields["domains"])


def _check_kvk(provider: Provider) -> None:
    if not provider.kvk_number:
        raise ValidationError({"kvk_number": "Vul het KvK-nummer in (8 cijfers)."})
    taken = Provider.objects.unrestricted("uniek KvK-nummer binnen de regio").filter(
        region_id=provider.region_id, kvk_number=provider.kvk_number
    )
    if taken.exclude(pk=provider.pk).exists():
        raise ValidationError({"kvk_number": "Deze regio heeft al een aanbieder met dit KvK-nummer."})


def create_provider(*, user, region, **fields) -> Provider:
    """A new provider in the region's register, kept by its coordinating municipality (WM-SO 2.4 d)."""
    with transaction.atomic():
        region = lock_region(region, user, ADD)
        provider = Provider(region=region)
        _apply(provider, fields)
        _check_kvk(provider)
        return validated(provider)


def update_provider(*, user, provider: Provider, **fields) -> Provider:
    with transaction.atomic():
        provider = lock(provider, user)
        _apply(provider, fields)
        _check_kvk(provider)
        return validated(provider)


def record_check(
    *, user, provider: Provider, kind, outcome, checked_on, valid_until=None, note="", evidence=None
) -> RequirementCheck:
    """A requirement checked with its date and evidence (WM-SO 2.4 d). ``evidence`` is (file name, PDF bytes)."""
    with transaction.atomic():
        provider = lock(provider, user)
        check = RequirementCheck(
            provider=provider,
            kind=kind,
            outcome=outcome,
            checked_on=checked_on,
            valid_until=valid_until,
            note=text(note, name="note", limit=500),
            checked_by=person(user),
        )
        if valid_until and checked_on and valid_until < checked_on:
            raise ValidationError({"valid_until": "De geldigheid eindigt niet vóór de toetsing."})
        check.full_clean(exclude=["evidence", "checked_by"])
        if evidence is not None:
            name, content = evidence
            check.evidence = store_document(
                user=user,
                region=provider.region,
                title=f"{provider.name}: {check.get_kind_display()}",
                name=name,
                content=content,
            )
        check.save()
        return check


def add_contact(*, user, provider: Provider, name, email, function="", topic="", phone="", deputy_for=None):
    """A contact person or, with ``deputy_for``, the deputy of one (MH 5.2)."""
    with transaction.atomic():
        provider = lock(provider, user)
        contact = ContactPerson(
            provider=provider,
            name=name,
            email=email,
            function=function,
            topic=topic,
            phone=phone,
            deputy_for=deputy_for,
        )
        return validated(contact)


def record_screening(
    *, user, region, kvk_number, source, reference, screened_on, outcome, summary=""
) -> Screening | None:
    """The recorder registered in ``regio.screening``: a screening result on the provider with this KvK number in the
    region (None when the register has no such provider). Idempotent per source and reference. The screener (a
    supervisor of a member, or the system actor) needs to see the region's register, not to keep it."""
    provider = Provider.objects.visible_to(user).filter(region=region, kvk_number=compact(kvk_number)).first()
    if provider is None:
        return None
    with transaction.atomic():
        provider = lock(provider, user, VIEW)
        screening, _created = Screening.objects.unrestricted(
            "de rij hoort bij het object dat hierboven met can() is vergrendeld"
        ).update_or_create(
            provider=provider,
            source=text(source, name="source", limit=40, required=True),
            reference=text(reference, name="reference", limit=100, required=True),
            defaults={
                "screened_on": screened_on,
                "outcome": text(outcome, name="outcome", limit=100, required=True),
                "summary": text(summary, name="summary", limit=500),
            },
        )
        return screening


def link_party(*, user, party, provider: Provider) -> ProviderParty:
    """Point an agreement's provider party at a provider of the same region (MH 4.1, bijlage 1)."""
    require(user, CHANGE, provider)
    if party.municipality_id or party.agreement.region_id != provider.region_id:
        raise ValidationError({"party": "Alleen een dienstverlener van een overeenkomst van dezelfde regio."})
    with transaction.atomic():
        provider = lock(provider, user)
        link, _created = ProviderParty.objects.unrestricted(
            "de rij hoort bij het object dat hierboven met can() is vergrendeld"
        ).update_or_create(party=party, defaults={"provider": provider})
        return link

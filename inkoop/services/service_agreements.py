"""Service agreements (DVO) under Maastricht-Heuvelland's agreement (MH 8.1-8.2)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from inkoop.models import CHECKLIST, ServiceAgreement
from inkoop.services.common import lock, lock_region, text, validated
from regio.tenancy import ADD

ITEM_FIELDS = tuple(field for _letter, field, _label in CHECKLIST)


def save_service_agreement(
    *,
    user,
    region,
    reference,
    title,
    providers,
    items: dict,
    agreement=None,
    starts_on=None,
    ends_on=None,
    service_agreement=None,
) -> ServiceAgreement:
    """Create or change a DVO; ``items`` maps the MH 8.2 fields (``has_…``) to whether the DVO covers them."""
    with transaction.atomic():
        if service_agreement is None:
            region = lock_region(region, user, ADD)
            row = ServiceAgreement(region=region, reference=text(reference, name="reference", limit=60, required=True))
        else:
            row = lock(service_agreement, user)
            region = row.region
        if any(p.region_id != region.pk for p in providers):
            raise ValidationError({"providers": "Kies dienstverleners uit het register van deze regio."})
        if agreement is not None and agreement.region_id != region.pk:
            raise ValidationError({"agreement": "Kies een overeenkomst van deze regio."})
        row.title, row.agreement, row.starts_on, row.ends_on = title, agreement, starts_on, ends_on
        for field in ITEM_FIELDS:
            setattr(row, field, bool(items.get(field)))
        validated(row)
        row.providers.set(providers)
        return row

"""Mandates and terms: may the issuer invoice for the region (the mandate service of agreements), the payment term and
interest kind of the agreement in force. Articles: SPEC §5, WM-SO 4.12, SPEC §6.6.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from regio.models import Municipality, Region

# --- mandates ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MandateCheck:
    allowed: bool
    mandate: object | None
    reason: str
    reference: str


def check_invoicing_mandate(*, issuer: Municipality, recipient: Municipality, on: date) -> MandateCheck:
    """May the issuer invoice on behalf of the region to this member today (SPEC §5, WM-SO 4.12)?

    The one place that asks the mandate service of agreements (issue #4).
    """
    from agreements.services import may_act

    if issuer.pk == recipient.pk:
        return MandateCheck(True, None, "", "")
    result = may_act(acting_municipality=issuer, on_behalf_of=recipient, power="invoicing", on_date=on)
    mandate = getattr(result, "mandate", None)
    return MandateCheck(bool(result.allowed), mandate, str(getattr(result, "reason", "") or ""), str(mandate or ""))


def agreement_terms(*, region: Region, on: date) -> tuple[int, str] | None:
    """Payment term and interest kind of the region's frame agreement in force (SPEC §6.6: a setting per agreement,
    30 days and art. 6:119 BW by default). None when agreements has no such agreement."""
    try:
        from agreements.models import Agreement
    except ImportError:
        return None
    from django.db.models import Q

    agreement = (
        Agreement.objects.unrestricted()
        .filter(region=region, effective_from__lte=on, kind__in=["samenwerkingsovereenkomst", "centrumregeling"])
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=on))
        .order_by("-effective_from")
        .first()
    )
    if agreement is None:
        return None
    return agreement.payment_term_days, agreement.interest_kind

"""Mandates and terms: may the issuer invoice for the region (the mandate service of agreements), the payment term,
interest kind and VAT treatment of the agreement in force. Articles: SPEC §5, WM-SO 4.12, SPEC §6.6, WM-SO 6.8.
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
    agreement = _agreement_in_force(region=region, on=on)
    if agreement is None:
        return None
    return agreement.payment_term_days, agreement.interest_kind


def _agreement_in_force(*, region: Region, on: date, or_last_ended: bool = False):
    """The region's frame agreement on the date (``agreements.selectors.frame_agreement``)."""
    from agreements.selectors import frame_agreement

    return frame_agreement(region=region, on=on, or_last_ended=or_last_ended)


@dataclass(frozen=True)
class VatTerms:
    rate: str  # a VatRate value: "21", "9", "0", "exempt", "outside"
    reason: str
    article: str
    exemption_code: str


DEFAULT_VAT = VatTerms(rate="21", reason="", article="", exemption_code="")


def agreement_vat(*, region: Region, on: date) -> VatTerms:
    """The VAT treatment of the region's agreement in force on the date (issue 12): WM-SO 6.8 "Over de dienstverlening
    van de gemeente Sittard-Geleen is BTW verschuldigd" gives 21 %; the BNO centrumregeling says nothing, the region
    records it as outside the scope (a task between public bodies). When no agreement is in force on the date (a
    year settled after the agreement ended), the last one that began before it decides. A region without any such
    agreement keeps the 21 % every invoice had before issue 12."""
    agreement = _agreement_in_force(region=region, on=on, or_last_ended=True)
    if agreement is None:
        return DEFAULT_VAT
    return VatTerms(
        rate=agreement.vat_rate,
        reason=agreement.vat_reason,
        article=agreement.vat_article,
        exemption_code=agreement.vat_exemption_code,
    )

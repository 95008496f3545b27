"""Read-side queries of agreements that other apps, the pages and the API share (STYLE.md: selectors; issue #11).
The ones taking a queryset get one the caller already restricted (``visible_to`` on a page, the viewset's
restricted queryset in the API) and add what both show, so both answer with the same rows in the same queries."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from agreements.models import Agreement, AgreementKind, Mandate, Party
from regio.models import Region

FRAME_KINDS = (AgreementKind.COOPERATION, AgreementKind.CENTRAL_SCHEME)


def frame_agreement(*, region: Region, on: date, or_last_ended: bool = False) -> Agreement | None:
    """The region's frame agreement (samenwerkingsovereenkomst or centrumregeling) in force on the date, the latest
    one first. With ``or_last_ended``, when none is in force, the last one that began before the date: a year
    settled after its agreement ended is still settled under it (BNO 15.4: obligations run on after the exit)."""
    frames = Agreement.objects.unrestricted(
        "a read helper of services: the region is the caller's, checked there"
    ).filter(region=region, effective_from__lte=on, kind__in=FRAME_KINDS)
    found = (
        frames.filter(Q(effective_until__isnull=True) | Q(effective_until__gte=on)).order_by("-effective_from").first()
    )
    if found is None and or_last_ended:
        found = frames.order_by("-effective_until", "-effective_from").first()
    return found


def vat_text(agreement: Agreement | None) -> str:
    """The agreement's VAT treatment in one Dutch sentence part: "buiten de reikwijdte van de btw (BNO ...): ..."."""
    if agreement is None:
        return "21 % btw"
    text = str(agreement.get_vat_rate_display())
    if agreement.vat_article:
        text += f" ({agreement.vat_article})"
    if agreement.vat_reason:
        text += f": {agreement.vat_reason}"
    return text


def with_parties(queryset: QuerySet[Agreement], *, user) -> QuerySet[Agreement]:
    """Agreements with their region, coordinator, the agreements they replace or elaborate and their parties (with
    the municipality, as far as the user may see them): what the agreement page and ``/api/agreements/`` show."""
    return queryset.select_related("region", "coordinator", "replaces", "elaborates").prefetch_related(
        Prefetch("parties", queryset=Party.objects.visible_to(user).select_related("municipality"))
    )


def mandates_with_parties(queryset: QuerySet[Mandate]) -> QuerySet[Mandate]:
    """Mandates with their agreement and the mandating and mandated body (the register, WM-SO 4.12, BNO 5)."""
    return queryset.select_related("agreement", "mandating", "mandated")

"""Read-side queries of agreements that pages, the API and other apps share (STYLE.md: selectors; issue #11). The
page and API helpers take a queryset the caller already restricted (``visible_to`` on a page, the viewset's restricted
queryset in the API) and add what both show, so both answer with the same rows in the same number of queries."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from agreements.models import Agreement, AgreementKind, Mandate, Party
from regio.models import Region

FRAME_KINDS = (AgreementKind.COOPERATION, AgreementKind.CENTRAL_SCHEME)


def with_parties(queryset: QuerySet[Agreement], *, user) -> QuerySet[Agreement]:
    """Agreements with their region, coordinator, the agreements they replace or elaborate and their parties (with
    the municipality, as far as the user may see them): what the agreement page and ``/api/agreements/`` show."""
    return queryset.select_related("region", "coordinator", "replaces", "elaborates").prefetch_related(
        Prefetch("parties", queryset=Party.objects.visible_to(user).select_related("municipality"))
    )


def mandates_with_parties(queryset: QuerySet[Mandate]) -> QuerySet[Mandate]:
    """Mandates with their agreement and the mandating and mandated body (the register, WM-SO 4.12, BNO 5)."""
    return queryset.select_related("agreement", "mandating", "mandated")


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


# --- governance (issue #15) -------------------------------------------------------------------------------------


def disputes_with_agreement(queryset, *, user):
    """Disputes with what the list, the detail page and ``/api/v1/disputes/`` show (queryset already restricted)."""
    from agreements.models import DisputeEscalation

    return queryset.select_related("agreement", "agreement__region", "raised_by", "meeting").prefetch_related(
        Prefetch("escalations", queryset=DisputeEscalation.objects.visible_to(user).order_by("started_on", "pk"))
    )


def processing_agreements_with_parties(queryset, *, user):
    """Privacy agreements with their region, the agreement they rest on and their parties' roles (WM-SO 11.1-11.2):
    the register page and ``/api/v1/processing-agreements/``."""
    from agreements.models import ProcessingParty

    return queryset.select_related("region", "agreement", "document").prefetch_related(
        Prefetch("parties", queryset=ProcessingParty.objects.visible_to(user).select_related("municipality"))
    )


def processing_agreements_for(user, *, domain: str, on: date | None = None):
    """The privacy agreements in force under which the user's regions process the data of a domain (beschermd wonen,
    toezicht): what those apps' pages show (WM-SO 11.2, annexes 5 and 6)."""
    from django.utils import timezone

    from agreements.models import ProcessingAgreement, ProcessingDomain

    on = on or timezone.localdate()
    domains = {domain}
    if domain in (ProcessingDomain.PROTECTED_HOUSING, ProcessingDomain.SUPERVISION):
        domains.add(ProcessingDomain.PROTECTED_HOUSING_AND_SUPERVISION)
    found = ProcessingAgreement.objects.visible_to(user).filter(
        Q(effective_until__isnull=True) | Q(effective_until__gte=on), domain__in=domains, effective_from__lte=on
    )
    return list(processing_agreements_with_parties(found, user=user))


def governance_of(user, agreement: Agreement) -> dict:
    """What the governance page of an agreement shows, each list restricted to what the user may see."""
    from agreements.models import (
        Dispute,
        InformationRequest,
        ProcessingAgreement,
        ProgressReport,
        Publication,
        RightsTransfer,
        Subregion,
    )

    return {
        "disputes": disputes_with_agreement(Dispute.objects.visible_to(user).filter(agreement=agreement), user=user),
        "information_requests": InformationRequest.objects.visible_to(user)
        .filter(agreement=agreement)
        .select_related("requested_by", "addressed_to"),
        "progress_reports": ProgressReport.objects.visible_to(user).filter(agreement=agreement),
        "publications": Publication.objects.visible_to(user).filter(agreement=agreement).select_related("amendment"),
        "transfers": RightsTransfer.objects.visible_to(user)
        .filter(agreement=agreement)
        .select_related("municipality"),
        "subregions": Subregion.objects.visible_to(user)
        .filter(agreement=agreement)
        .select_related("delegate_municipality")
        .prefetch_related("members"),
        "processing_agreements": processing_agreements_with_parties(
            ProcessingAgreement.objects.visible_to(user).filter(agreement=agreement), user=user
        ),
    }

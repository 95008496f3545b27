"""Governance deadlines for the one deadline service (issue #15): information requests and data deliveries until they
are answered (BNO 10.1-10.2; WM-DVO algemeen 3), progress reports until they went to the colleges (BNO 10.4), and
publications until they are published (BNO 23; Wgr art. 26). Overdue items stay on the list (overdue first)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.urls import reverse

from agreements.models import InformationRequest, ProgressReport, Publication
from regio.deadlines import Deadline
from regio.tenancy import Scope


def governance_deadlines(scope: Scope, start: date, end: date) -> Iterator[Deadline]:
    regions = scope.member_region_ids
    if not regions:
        return
    requests = (
        InformationRequest.objects.unrestricted("de termijnen van de regio's van de gebruiker")
        .filter(agreement__region__in=regions, answered_on__isnull=True, due_on__range=(start, end))
        .select_related("agreement", "addressed_to")
    )
    for request in requests:
        yield Deadline(
            key=f"agreements:information:{request.pk}",
            title=f"{request.get_kind_display().split(' (')[0]} van {request.addressed_to.name}: {request.subject}",
            due=request.due_on,
            source="agreements",
            article=request.article,
            url=reverse("information-request-detail", args=[request.pk]),
            municipality_id=request.addressed_to_id,
            region_id=request.agreement.region_id,
        )
    reports = (
        ProgressReport.objects.unrestricted("de termijnen van de regio's van de gebruiker")
        .filter(agreement__region__in=regions, sent_on__isnull=True, due_on__range=(start, end))
        .select_related("agreement")
    )
    for report in reports:
        yield Deadline(
            key=f"agreements:progress-report:{report.pk}",
            title=f"Voortgangsrapportage ter kennisname aan de colleges: {report.title}",
            due=report.due_on,
            source="agreements",
            article=report.article,
            url=reverse("agreement-governance", args=[report.agreement.code]),
            region_id=report.agreement.region_id,
        )
    publications = (
        Publication.objects.unrestricted("de termijnen van de regio's van de gebruiker")
        .filter(agreement__region__in=regions, published_on__isnull=True, due_on__range=(start, end))
        .select_related("agreement")
    )
    for publication in publications:
        yield Deadline(
            key=f"agreements:publication:{publication.pk}",
            title=f"Bekendmaken: {publication.title} ({publication.agreement.code})",
            due=publication.due_on,
            source="agreements",
            article=publication.article,
            url=reverse("agreement-governance", args=[publication.agreement.code]),
            region_id=publication.agreement.region_id,
        )

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


def _governance_url(item) -> str:
    return reverse("agreement-governance", args=[item.agreement.code])


# (model, key, the field that ends it, the title, the URL, the municipality it is due from)
SOURCES = (
    (
        InformationRequest,
        "information",
        "answered_on",
        lambda r: f"{r.get_kind_display().split(' (')[0]} van {r.addressed_to.name}: {r.subject}",
        lambda r: reverse("information-request-detail", args=[r.pk]),
        lambda r: r.addressed_to_id,
    ),
    (
        ProgressReport,
        "progress-report",
        "sent_on",
        lambda r: f"Voortgangsrapportage ter kennisname aan de colleges: {r.title}",
        _governance_url,
        lambda r: None,
    ),
    (
        Publication,
        "publication",
        "published_on",
        lambda p: f"Bekendmaken: {p.title} ({p.agreement.code})",
        _governance_url,
        lambda p: None,
    ),
)


def governance_deadlines(scope: Scope, start: date, end: date) -> Iterator[Deadline]:
    regions = scope.member_region_ids
    if not regions:
        return
    for model, key, done, title, url, municipality in SOURCES:
        related = ["agreement", "addressed_to"] if model is InformationRequest else ["agreement"]
        items = (
            model.objects.unrestricted("de termijnen van de regio's van de gebruiker: gefilterd op member_region_ids")
            .filter(agreement__region__in=regions, due_on__range=(start, end), **{f"{done}__isnull": True})
            .select_related(*related)
        )
        for item in items:
            yield Deadline(
                key=f"agreements:{key}:{item.pk}",
                title=title(item),
                due=item.due_on,
                source="agreements",
                article=item.article,
                url=url(item),
                municipality_id=municipality(item),
                region_id=item.agreement.region_id,
            )

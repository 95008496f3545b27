"""Read-side queries of toezicht that pages, the API and the annual report share (STYLE.md: selectors.py).

The annual report's figures are aggregates only (WM-DVO annex 4: the supervisors' secrecy limits what may be
reported): counts per category and hours, never a provider, a signal or a person.
"""

from __future__ import annotations

from django.db.models import Count, F, Q, Sum

from regio.formatting import format_number
from regio.tenancy import VIEW, require
from toezicht.models import (
    Approach,
    CollegeDecision,
    InformationRequest,
    Intervention,
    InterventionKind,
    Investigation,
    Outcome,
    Signal,
    SignalKind,
    SignalSource,
    Triage,
)
from toezicht.models.reports import AnnualReport


def _counted(rows: dict, choices) -> list[list]:
    """[code, label, count] for every choice, in the choices' order (zeros included: a report shows them)."""
    return [[code, str(label), int(rows.get(code, 0))] for code, label in choices]


def signal_figures(*, municipality, year: int) -> dict:
    """Signals received in ``year`` for the municipality, counted by source, kind and triage (WM-DVO annex 4).

    Three aggregate queries; the caller has checked that the user may see the municipality's report."""
    signals = Signal.objects.unrestricted("alleen tellingen voor het jaarverslag; rechten bij de aanroeper").filter(
        municipality=municipality, received_on__year=year
    )

    def by(field):
        return dict(signals.values_list(field).annotate(n=Count("pk")).values_list(field, "n"))

    by_source = by("source")
    return {
        "total": sum(by_source.values()),
        "by_source": _counted(by_source, SignalSource.choices),
        "by_kind": _counted(by("kind"), SignalKind.choices),
        "by_triage": _counted(by("triage"), Triage.choices),
    }


def casework_sections(*, municipality, year: int, today) -> list[dict]:
    """The annual report's tables of casework, as counts (WM-DVO annex 4; issue 14): investigations started and
    closed by approach, closed ones by outcome, interventions recommended to this college and its decisions, and the
    college's information requests with their answer times (14 days, annex 4). Five aggregate queries.

    Each section is ``{"title", "headings", "rows"}`` with plain cells, ready for the PDF."""
    investigations = Investigation.objects.unrestricted(
        "alleen tellingen voor het jaarverslag; rechten bij de aanroeper"
    ).filter(municipalities=municipality)
    started = dict(
        investigations.filter(started_on__year=year).values_list("approach").annotate(n=Count("pk", distinct=True))
    )
    closed = investigations.filter(closed_on__year=year)
    closed_by_approach = dict(closed.values_list("approach").annotate(n=Count("pk", distinct=True)))
    closed_by_outcome = dict(closed.values_list("outcome").annotate(n=Count("pk", distinct=True)))
    interventions = (
        Intervention.objects.unrestricted("alleen tellingen voor het jaarverslag; rechten bij de aanroeper")
        .filter(college=municipality, recommended_on__year=year)
        .values_list("kind", "decision")
        .annotate(n=Count("pk"))
    )
    by_kind: dict[str, dict[str, int]] = {}
    for kind, decision, n in interventions:
        by_kind.setdefault(kind, {})[decision] = n
    requests = InformationRequest.objects.unrestricted(
        "alleen tellingen voor het jaarverslag; rechten bij de aanroeper"
    ).filter(municipality=municipality, received_on__year=year)
    answered = Q(answered_on__isnull=False)
    totals = requests.aggregate(
        received=Count("pk"),
        answered=Count("pk", filter=answered),
        in_time=Count("pk", filter=answered & Q(answered_on__lte=F("due_on"))),
        late=Count(
            "pk", filter=(answered & Q(answered_on__gt=F("due_on"))) | Q(answered_on__isnull=True, due_on__lt=today)
        ),
    )
    days = [
        (a - r).days for r, a in requests.filter(answered).values_list("received_on", "answered_on").order_by("pk")
    ]
    average = format_number(_mean(days), decimals=1, locale="nl") if days else "–"
    return [
        {
            "title": "Onderzoeken naar vorm van toezicht",
            "headings": ["Vorm van toezicht", "Gestart", "Afgesloten"],
            "rows": [
                [str(label), int(started.get(code, 0)), int(closed_by_approach.get(code, 0))]
                for code, label in Approach.choices
            ],
        },
        {
            "title": "Afgesloten onderzoeken naar uitkomst",
            "headings": ["Uitkomst", "Aantal"],
            "rows": [[str(label), int(closed_by_outcome.get(code, 0))] for code, label in Outcome.choices if code],
        },
        {
            "title": "Interventies geadviseerd aan het college",
            "headings": ["Interventie", "Geadviseerd", "Overgenomen", "Niet overgenomen", "Nog niet besloten"],
            "rows": [
                [
                    str(label),
                    sum(by_kind.get(code, {}).values()),
                    by_kind.get(code, {}).get(CollegeDecision.ADOPTED, 0)
                    + by_kind.get(code, {}).get(CollegeDecision.AMENDED, 0),
                    by_kind.get(code, {}).get(CollegeDecision.REJECTED, 0),
                    by_kind.get(code, {}).get(CollegeDecision.PENDING, 0),
                ]
                for code, label in InterventionKind.choices
            ],
        },
        {
            "title": "Informatieverzoeken van het college (antwoord binnen 14 dagen)",
            "headings": ["", "Aantal"],
            "rows": [
                ["Ontvangen", totals["received"]],
                ["Beantwoord", totals["answered"]],
                ["Beantwoord binnen de termijn", totals["in_time"]],
                ["Te laat of nog open na de termijn", totals["late"]],
                ["Gemiddelde antwoordtijd in dagen", average],
            ],
        },
    ]


def _mean(values: list[int]):
    from decimal import Decimal

    return Decimal(sum(values)) / Decimal(len(values))


def information_requests_of_college(*, user, municipality):
    """The college's own information requests with their status (received, due, answered, overdue): never the
    answer or the case behind it (SPEC §8). For that municipality's people and the coordinating staff."""
    require(user, VIEW, municipality)
    return (
        InformationRequest.objects.unrestricted("status van de eigen verzoeken van dit college; gemeente getoetst")
        .filter(municipality=municipality)
        .only("pk", "reference", "municipality_id", "subject", "received_on", "due_on", "answered_on")
        .order_by("-received_on", "-pk")
    )


def reports_for(*, user, municipality=None):
    """The annual reports the user may read (the college's view, the report page, the API)."""
    reports = AnnualReport.objects.visible_to(user).select_related("municipality", "region").defer("pdf")
    if municipality is not None:
        require(user, VIEW, municipality)
        reports = reports.filter(municipality=municipality)
    return reports.order_by("-year", "municipality__name", "pk")


def year_figures(*, municipality_ids, year: int) -> list[dict]:
    """Supervision of ``year`` per municipality as aggregates only (the dashboards; WM-DVO annex 4): signals received,
    investigations started and still open, hours realised against the capacity (FTE × productive hours). No signal,
    case or provider; the caller decides which municipalities the user may see figures of. Five queries plus one per
    region for its productive hours."""
    from decimal import Decimal

    from regio.models import Municipality
    from toezicht.models import HoursEntry, InvestigationStatus, SupervisionCapacity
    from toezicht.services import productive_hours

    reason = "alleen tellingen per gemeente voor de dashboards; rechten bij de aanroeper"

    def per_municipality(queryset, value="pk", how=Count):
        return dict(queryset.values_list("municipality_id").annotate(n=how(value)).values_list("municipality_id", "n"))

    signals = per_municipality(
        Signal.objects.unrestricted(reason).filter(municipality_id__in=municipality_ids, received_on__year=year)
    )
    investigations = Investigation.objects.unrestricted(reason).filter(municipality_id__in=municipality_ids)
    started = per_municipality(investigations.filter(started_on__year=year))
    still_open = per_municipality(investigations.exclude(status=InvestigationStatus.CLOSED))
    hours = per_municipality(
        HoursEntry.objects.unrestricted(reason).filter(municipality_id__in=municipality_ids, week__year=year),
        "hours",
        Sum,
    )
    capacity: dict[int, Decimal] = {}
    per_fte: dict[int, Decimal] = {}
    for cap in (
        SupervisionCapacity.objects.unrestricted(reason)
        .filter(municipality_id__in=municipality_ids, year=year)
        .select_related("region")
    ):
        if cap.region_id not in per_fte:
            per_fte[cap.region_id] = productive_hours(region=cap.region, year=year)
        capacity[cap.municipality_id] = capacity.get(cap.municipality_id, Decimal("0")) + (
            cap.fte * per_fte[cap.region_id]
        ).quantize(Decimal("0.01"))
    names = dict(Municipality.objects.unrestricted(reason).filter(pk__in=municipality_ids).values_list("pk", "name"))
    return [
        {
            "municipality_id": pk,
            "municipality": names[pk],
            "signals": signals.get(pk, 0),
            "started": started.get(pk, 0),
            "open": still_open.get(pk, 0),
            "hours": hours.get(pk) or Decimal("0.00"),
            "capacity": capacity.get(pk, Decimal("0.00")),
        }
        for pk in sorted(names, key=names.get)
    ]

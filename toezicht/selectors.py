"""Read-side queries of toezicht that pages, the API and the annual report share (STYLE.md: selectors.py).

The annual report's figures are aggregates only (WM-DVO annex 4: the supervisors' secrecy limits what may be
reported): counts per category and hours, never a provider, a signal or a person.
"""

from __future__ import annotations

from django.db.models import Count

from regio.tenancy import VIEW, require
from toezicht.models import Signal, SignalKind, SignalSource, Triage
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


def reports_for(*, user, municipality=None):
    """The annual reports the user may read (the college's view, the report page, the API)."""
    reports = AnnualReport.objects.visible_to(user).select_related("municipality", "region").defer("pdf")
    if municipality is not None:
        require(user, VIEW, municipality)
        reports = reports.filter(municipality=municipality)
    return reports.order_by("-year", "municipality__name", "pk")

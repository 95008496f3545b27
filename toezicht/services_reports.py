"""Rules of the supervision reports (WM-DVO intro 6 and annex 4). Keyword-only, acting user first (STYLE.md rule 1).

- ``generate_annual_report``: the supervisors' annual report to a municipality's college and council, aggregated
  figures only, rendered to PDF; the same figures give the same bytes.
- ``record_joint_evaluation``: the yearly joint evaluation of supervision by the member municipalities.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from regio.bounds import check_date, check_year
from regio.privacy import refuse_bsn
from regio.roles import Role
from regio.tenancy import CHANGE, VIEW, is_system, person, require, scope_of
from toezicht import selectors
from toezicht.models.reports import AnnualReport, JointEvaluation


def _may_draw_up(user, municipality) -> bool:
    """Only the supervisors assigned to the municipality draw up its annual report (WM-DVO intro 6)."""
    if is_system(user):
        return True
    scope = scope_of(user)
    return (
        scope.has_role(Role.SUPERVISOR)
        and not scope.read_only
        and municipality.pk in scope.supervised_municipality_ids
    )


def annual_report_figures(*, user, region, municipality, year: int) -> dict:
    """The aggregated figures of one municipality's annual report (WM-DVO annex 4): signals by source, kind and
    triage, investigations by approach and outcome, interventions and the college's decisions, information requests
    with answer times, and realised hours against capacity. JSON-ready (amounts and hours as strings): the PDF is
    rendered from exactly this, so the same figures give the same document."""
    from toezicht import services  # the hours rules live there

    year = check_year(year)
    if not _may_draw_up(user, municipality):
        raise PermissionDenied("Alleen de toezichthouders van deze gemeente stellen het jaarverslag op.")
    if not region.members_on(date(year, 12, 31)).filter(pk=municipality.pk).exists():
        raise ValidationError({"municipality": f"{municipality.name} was eind {year} geen lid van {region.name}."})
    capacity = next(
        (
            row
            for row in services.hours_against_capacity(user=user, region=region, year=year)
            if row.municipality.pk == municipality.pk
        ),
        None,
    )
    return {
        "year": year,
        "region": {"code": region.code, "name": region.name},
        "municipality": {"code": municipality.code, "name": municipality.name},
        "signals": selectors.signal_figures(municipality=municipality, year=year),
        "sections": selectors.casework_sections(municipality=municipality, year=year, today=timezone.localdate()),
        "capacity": None
        if capacity is None
        else {
            "fte": str(capacity.fte),
            "productive_hours": str(services.productive_hours(region=region, year=year)),
            "capacity_hours": str(capacity.capacity_hours),
            "realised_hours": str(capacity.realised_hours),
            "deviation_percent": None if capacity.deviation_percent is None else str(capacity.deviation_percent),
            "flagged": capacity.flagged,
            "deviation_limit": str(settings.TOEZICHT_DEVIATION_PERCENT),
        },
    }


def render_annual_report(*, figures: dict) -> bytes:
    """The PDF of an annual report from its figures alone (WeasyPrint, house style). No clock, no user, no random id
    goes in, and the document's creation date is fixed to the end of the year reported on: the same figures give
    the same bytes."""
    from weasyprint import HTML

    with translation.override("nl"):
        html = render_to_string("toezicht/pdf/annual_report.html", {"figures": figures})
    return HTML(string=html, base_url=None).write_pdf()


def generate_annual_report(*, user, region, municipality, year: int) -> AnnualReport:
    """The supervisors draw up (or draw up again) the annual report of ``year`` for the college and the council of
    ``municipality`` (WM-DVO intro 6: "De toezichthouders Wmo bieden jaarlijks een jaarverslag aan bij de gemeenten";
    annex 4). Aggregated figures only. Drawing it up again with unchanged figures leaves the same document (same
    SHA-256); changed figures (a late signal) give a new version, and the history keeps the old figures."""
    figures = annual_report_figures(user=user, region=region, municipality=municipality, year=year)
    pdf = render_annual_report(figures=figures)
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        report = (
            AnnualReport.objects.unrestricted("vergrendelen; rechten hierboven getoetst")
            .select_for_update()
            .filter(municipality=municipality, year=figures["year"])
            .first()
        )
        if report is not None and report.content_hash == digest:
            return report
        if report is None:
            report = AnnualReport(region=region, municipality=municipality, year=figures["year"])
        report.figures = figures
        report.pdf = pdf
        report.content_hash = digest
        report.generated_at = timezone.now()
        report.generated_by = person(user)
        report.save()
    return report


def read_annual_report(*, user, report: AnnualReport) -> bytes:
    """The PDF, for whoever may read the report (its municipality, the coordinating staff, its supervisors)."""
    require(user, VIEW, report)
    return bytes(AnnualReport.objects.restrict(user, VIEW).filter(pk=report.pk).values_list("pdf", flat=True).get())


def record_joint_evaluation(
    *,
    user,
    region,
    year: int,
    held_on: date,
    conclusions: str,
    participants: str = "",
    looking_ahead: str = "",
) -> JointEvaluation:
    """The coordinating municipality records the yearly joint evaluation of supervision by the members (WM-DVO annex
    4: "Jaarlijks evalueren de drie gemeenten samen het toezicht en kijken zij vooruit"): its conclusions and the
    look ahead. One per region per year; recording again corrects it (the history keeps the earlier text)."""
    require(user, CHANGE, region, "Alleen de coördinerende gemeente legt de gezamenlijke evaluatie vast.")
    year = check_year(year)
    check_date(held_on, not_in_future=True, label="De datum van de evaluatie")
    problems = {}
    texts = {"conclusions": conclusions, "participants": participants, "looking_ahead": looking_ahead}
    limits = {"conclusions": 10000, "participants": 2000, "looking_ahead": 10000}
    for name in texts:
        texts[name] = (texts[name] or "").strip()
        if len(texts[name]) > limits[name]:
            problems[name] = f"Ten hoogste {limits[name]} tekens."
        else:
            try:
                refuse_bsn(texts[name])
            except ValidationError as exc:
                problems[name] = exc.messages[0]
    if not texts["conclusions"] and "conclusions" not in problems:
        problems["conclusions"] = "Leg de conclusies van de evaluatie vast."
    if held_on.year < year:
        problems["held_on"] = "De evaluatie van een jaar vindt plaats in of na dat jaar."
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        evaluation, _created = (
            JointEvaluation.objects.unrestricted("vergrendelen; rechten hierboven getoetst")
            .select_for_update()
            .update_or_create(
                region=region,
                year=year,
                defaults={**texts, "held_on": held_on, "recorded_by": person(user)},
            )
        )
    return evaluation


def evaluations_for(*, user):
    return JointEvaluation.objects.visible_to(user).select_related("region").order_by("region__name", "-year", "pk")

"""Issue 14 part B, the annual report (WM-DVO intro 6 and annex 4) and the joint evaluation (annex 4).

Aggregated figures only; the same year's figures give the same PDF; only the municipality's own college, the
coordinating staff and its supervisors read it."""

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from guardian.shortcuts import assign_perm

from tests.toezicht.builders import fresh
from toezicht.models import AnnualReport, HoursEntry, JointEvaluation, Signal, SupervisionCapacity
from toezicht.services_reports import (
    generate_annual_report,
    read_annual_report,
    record_joint_evaluation,
    render_annual_report,
)

PROVIDER = "Zorgbureau Geheim BV"


@pytest.fixture
def supervisor(world):
    user = world.user("a1", "toezichthouder")
    assign_perm("regio.supervise_municipality", user, world.a2)
    SupervisionCapacity.objects.create(region=world.a, municipality=world.a2, year=2025, fte=Decimal("0.35"))
    for i, (source, kind, triage) in enumerate(
        [("meldpunt", "quality", "investigate"), ("ikz", "lawfulness", "untriaged"), ("ggd", "quality", "monitor")]
    ):
        Signal.objects.create(
            reference=f"TZ-report-{i}",
            municipality=world.a2,
            received_on=date(2025, 3 + i, 10),
            source=source,
            kind=kind,
            triage=triage,
            provider_name=PROVIDER,
            description="Vertrouwelijke omschrijving van het signaal",
        )
    Signal.objects.create(  # another year and another municipality: not counted
        reference="TZ-report-old", municipality=world.a2, received_on=date(2024, 5, 1), source="ikz", kind="quality"
    )
    Signal.objects.create(
        reference="TZ-report-a3", municipality=world.a3, received_on=date(2025, 5, 1), source="ikz", kind="quality"
    )
    HoursEntry.objects.create(supervisor=user, municipality=world.a2, week=date(2025, 3, 3), hours=Decimal("12.5"))
    return fresh(user)


def test_wm_dvo_intro_6_the_report_counts_signals_and_hours_of_its_municipality_and_year(world, supervisor):
    report = generate_annual_report(user=supervisor, region=world.a, municipality=world.a2, year=2025)
    figures = report.figures
    assert figures["signals"]["total"] == 3
    by_source = {code: n for code, _label, n in figures["signals"]["by_source"]}
    assert by_source == {"meldpunt": 1, "ikz": 1, "ggd": 1, "college": 0, "own": 0, "provider": 0}
    assert {code: n for code, _l, n in figures["signals"]["by_kind"]}["quality"] == 2
    assert {code: n for code, _l, n in figures["signals"]["by_triage"]}["investigate"] == 1
    assert figures["capacity"]["realised_hours"] == "12.50"
    assert figures["capacity"]["fte"] == "0.3500"


def test_the_report_holds_aggregates_only_no_provider_reference_or_text(world, supervisor):
    report = generate_annual_report(user=supervisor, region=world.a, municipality=world.a2, year=2025)
    text = str(report.figures)
    for secret in (PROVIDER, "TZ-report-0", "Vertrouwelijke omschrijving"):
        assert secret not in text
    html = render_to_string("toezicht/pdf/annual_report.html", {"figures": report.figures})
    assert PROVIDER not in html and "TZ-report" not in html  # the PDF is rendered from exactly this


def test_generating_twice_gives_the_same_document(world, supervisor):
    first = generate_annual_report(user=supervisor, region=world.a, municipality=world.a2, year=2025)
    first_pdf, first_at = bytes(first.pdf), first.generated_at
    AnnualReport.objects.unrestricted().filter(pk=first.pk).delete()
    again = generate_annual_report(user=supervisor, region=world.a, municipality=world.a2, year=2025)
    assert bytes(again.pdf) == first_pdf
    assert again.content_hash == hashlib.sha256(first_pdf).hexdigest()
    # Unchanged figures: the stored report is left as it was (no new version in the history).
    same = generate_annual_report(user=supervisor, region=world.a, municipality=world.a2, year=2025)
    assert same.history.count() == 1
    assert first_at is not None


def test_a_late_signal_gives_a_new_version_and_the_history_keeps_the_old_figures(world, supervisor):
    report = generate_annual_report(user=supervisor, region=world.a, municipality=world.a2, year=2025)
    Signal.objects.create(
        reference="TZ-late", municipality=world.a2, received_on=date(2025, 12, 1), source="own", kind="both"
    )
    newer = generate_annual_report(user=supervisor, region=world.a, municipality=world.a2, year=2025)
    assert newer.pk == report.pk and newer.content_hash != report.content_hash
    assert newer.figures["signals"]["total"] == 4
    assert [h.figures["signals"]["total"] for h in newer.history.order_by("history_date")] == [3, 4]


def test_only_the_supervisors_of_the_municipality_draw_it_up(world, supervisor):
    for who in (("a2", "ambtenaar"), ("a1", "coordinator"), ("a2", "wethouder"), ("a3", "toezichthouder")):
        with pytest.raises(PermissionDenied):
            generate_annual_report(user=world.user(*who), region=world.a, municipality=world.a2, year=2025)
    with pytest.raises(PermissionDenied):  # a1 is not assigned to this supervisor
        generate_annual_report(user=supervisor, region=world.a, municipality=world.a1, year=2025)
    with pytest.raises(ValidationError):  # b1 is no member of region A
        assign_perm("regio.supervise_municipality", supervisor, world.b1)
        generate_annual_report(user=fresh(supervisor), region=world.a, municipality=world.b1, year=2025)
    assert not AnnualReport.objects.unrestricted().exists()


def test_the_college_reads_its_own_report_and_nobody_elses(world, supervisor, client):
    report = generate_annual_report(user=supervisor, region=world.a, municipality=world.a2, year=2025)
    url = reverse("toezicht-report-pdf", kwargs={"pk": report.pk})
    for who in (("a2", "wethouder"), ("a2", "ambtenaar"), ("a1", "coordinator")):
        client.force_login(world.user(*who))
        response = client.get(url)
        assert response.status_code == 200, who
        assert response.content.startswith(b"%PDF")
        assert response["Content-Type"] == "application/pdf"
    for who in (("a3", "ambtenaar"), ("b1", "coordinator"), ("a2", "bw"), ("a3", "toezichthouder")):
        client.force_login(world.user(*who))
        assert client.get(url).status_code == 404, who
        with pytest.raises(PermissionDenied):
            read_annual_report(user=world.user(*who), report=report)


def test_the_college_view_shows_reports_and_plans_never_a_case(world, supervisor, client):
    generate_annual_report(user=supervisor, region=world.a, municipality=world.a2, year=2025)
    client.force_login(world.user("a2", "wethouder"))
    page = client.get(reverse("toezicht-reports")).content.decode()
    assert "Jaarverslag 2025" in page
    for secret in ("TZ-report-0", PROVIDER, "Vertrouwelijke"):
        assert secret not in page
    client.force_login(world.user("a3", "ambtenaar"))
    assert "Jaarverslag 2025" not in client.get(reverse("toezicht-reports")).content.decode()


def test_the_supervisor_draws_up_the_report_on_the_page(world, supervisor, client):
    client.force_login(supervisor)
    response = client.post(reverse("toezicht-reports"), {"municipality": world.a2.code, "year": "2025"})
    assert response.status_code == 302
    assert AnnualReport.objects.unrestricted().filter(municipality=world.a2, year=2025).exists()
    client.force_login(world.user("a2", "ambtenaar"))
    response = client.post(reverse("toezicht-reports"), {"municipality": world.a2.code, "year": "2025"})
    assert response.status_code == 403


def test_the_pdf_is_rendered_from_the_figures_in_dutch(world, supervisor):
    report = generate_annual_report(user=supervisor, region=world.a, municipality=world.a2, year=2025)
    with translation.override("en"):  # the reader's language does not change the document
        html = render_to_string("toezicht/pdf/annual_report.html", {"figures": report.figures})
        assert render_annual_report(figures=report.figures) == bytes(report.pdf)
    assert "Jaarverslag toezicht Wmo 2025" in html
    assert "Meldpunt toezicht" in html and "Gerealiseerde uren" in html
    assert bytes(report.pdf).startswith(b"%PDF-") and bytes(report.pdf).rstrip().endswith(b"%%EOF")


def test_wm_dvo_annex_4_the_coordinating_municipality_records_the_joint_evaluation(world, supervisor):
    coordinator = world.user("a1", "coordinator")
    evaluation = record_joint_evaluation(
        user=coordinator,
        region=world.a,
        year=2025,
        held_on=date(2026, 2, 12),
        conclusions="Capaciteit Beek krap; pgb-steekproef voortzetten.",
        participants="a1, a2, a3",
    )
    assert evaluation.recorded_by == coordinator
    for who in (("a2", "ambtenaar"), ("a1", "toezichthouder"), ("b1", "coordinator")):
        with pytest.raises(PermissionDenied):
            record_joint_evaluation(
                user=world.user(*who), region=world.a, year=2025, held_on=date(2026, 2, 12), conclusions="Anders"
            )
    with pytest.raises(ValidationError) as exc:
        record_joint_evaluation(user=coordinator, region=world.a, year=2025, held_on=date(2024, 2, 1), conclusions="")
    assert set(exc.value.message_dict) == {"conclusions", "held_on"}
    assert list(JointEvaluation.objects.unrestricted().values_list("conclusions", flat=True)) == [
        "Capaciteit Beek krap; pgb-steekproef voortzetten."
    ]


def _casework(world, supervisor):
    """Two investigations (one closed with a violation and an intervention), two requests of a2's college."""
    from toezicht.models import InformationRequest, Intervention, Investigation

    opened = Investigation.objects.create(
        reference="OZ-report-1",
        municipality=world.a2,
        title="Steekproef pgb",
        kind="lawfulness",
        approach="structural",
        started_on=date(2025, 2, 1),
    )
    closed = Investigation.objects.create(
        reference="OZ-report-2",
        municipality=world.a1,
        title="Calamiteit " + PROVIDER,
        kind="quality",
        approach="reactive",
        started_on=date(2025, 3, 1),
        closed_on=date(2025, 9, 1),
        status="closed",
        outcome="violation",
    )
    opened.municipalities.set([world.a2])
    closed.municipalities.set([world.a1, world.a2])
    Intervention.objects.create(
        investigation=closed,
        college=world.a2,
        kind="penalty_order",
        recommendation="Last onder dwangsom",
        recommended_on=date(2025, 9, 1),
        decision="adopted",
    )
    InformationRequest.objects.create(
        reference="IV-report-1",
        municipality=world.a2,
        received_on=date(2025, 4, 1),
        due_on=date(2025, 4, 15),
        answered_on=date(2025, 4, 11),
        subject="Stand van zaken dagbesteding",
        question="Vraag",
        answer_summary="Geheim antwoord over " + PROVIDER,
    )
    InformationRequest.objects.create(
        reference="IV-report-2",
        municipality=world.a2,
        received_on=date(2025, 5, 1),
        due_on=date(2025, 5, 15),
        subject="Achterstand pgb-controles",
        question="Vraag",
    )


def test_the_report_counts_investigations_interventions_and_requests(world, supervisor):
    _casework(world, supervisor)
    report = generate_annual_report(user=supervisor, region=world.a, municipality=world.a2, year=2025)
    sections = {s["title"]: s["rows"] for s in report.figures["sections"]}
    by_approach = {row[0]: row[1:] for row in sections["Onderzoeken naar vorm van toezicht"]}
    assert by_approach["Structureel (steekproef zorg in natura en pgb)"] == [1, 0]
    assert by_approach["Reactief (signaal of calamiteit)"] == [1, 1]  # a1's case file, a2 concerned
    assert dict(sections["Afgesloten onderzoeken naar uitkomst"])["Overtreding vastgesteld"] == 1
    assert {r[0]: r[1:] for r in sections["Interventies geadviseerd aan het college"]}["Last onder dwangsom"] == [
        1,
        1,
        0,
        0,
    ]
    requests = dict(sections["Informatieverzoeken van het college (antwoord binnen 14 dagen)"])
    assert (requests["Ontvangen"], requests["Beantwoord binnen de termijn"]) == (2, 1)
    assert requests["Te laat of nog open na de termijn"] == 1
    assert requests["Gemiddelde antwoordtijd in dagen"] == "10,0"
    assert PROVIDER not in str(report.figures) and "OZ-report" not in str(report.figures)


def test_the_college_sees_the_status_of_its_requests_not_the_answer(world, supervisor, client):
    _casework(world, supervisor)
    client.force_login(world.user("a2", "wethouder"))
    page = client.get(reverse("toezicht-reports")).content.decode()
    assert "IV-report-1" in page and "Beantwoord op 11-04-2025" in page
    assert "IV-report-2" in page and "Termijn verstreken" in page
    assert "Geheim antwoord" not in page and "OZ-report" not in page
    client.force_login(world.user("a3", "ambtenaar"))
    page = client.get(reverse("toezicht-reports")).content.decode()
    assert "IV-report" not in page


def test_report_and_plan_lists_read_in_a_bounded_number_of_queries(
    world, supervisor, client, django_assert_max_num_queries
):
    from toezicht.models import SupervisionPlan

    for year in range(2019, 2026):
        AnnualReport.objects.create(
            region=world.a,
            municipality=world.a2,
            year=year,
            figures={},
            content_hash=str(year),
            pdf=b"%PDF",
            generated_at=timezone.now(),
        )
        SupervisionPlan.objects.create(region=world.a, kind="annual", year=year, title=f"Jaarplan {year}")
    client.force_login(world.user("a2", "wethouder"))
    for url in ("/api/v1/toezicht/annual-reports/", "/api/v1/toezicht/plans/", reverse("toezicht-reports")):
        with django_assert_max_num_queries(20):
            response = client.get(url)
        assert response.status_code == 200
    assert response.content.decode().count("(PDF)") == 7

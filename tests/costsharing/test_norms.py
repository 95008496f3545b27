"""Norm amounts, hourly rates, activity prices (WM-DVO annex 1, SPEC §6.2) and the CAO indexation (SPEC §6.3)."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core import mail

from costsharing import services, tasks
from costsharing.models import CaoStep, FormationLine, NormYear, Notice
from regio.tenancy import system_actor


def rates(wm, year):
    t = services.tariffs(region=wm.region, year=year)
    return {s.scale: t.rate(s.scale) for s in t.scales}, {a.code: price for a, _parts, price in t.activities}


def test_wm_dvo_annex_1_hourly_rate_scale_8_is_78_99(wm):
    assert rates(wm, 2024)[0][8] == Decimal("78.99")


def test_wm_dvo_annex_1_hourly_rate_scale_10_is_93_27(wm):
    assert rates(wm, 2024)[0][10] == Decimal("93.27")


def test_wm_dvo_annex_1_notification_intramural_is_731_87_not_731_86(wm):
    """652.87 + 78.99 = 731.86, yet the annex says 731.87: the price is rounded once, from unrounded parts."""
    assert rates(wm, 2024)[1]["bw-1-intramuraal"] == Decimal("731.87")


def test_wm_dvo_annex_1_notification_extramural_is_672_62(wm):
    assert rates(wm, 2024)[1]["bw-2-extramuraal"] == Decimal("672.62")


def test_wm_dvo_annex_1_recurring_per_indication_is_545_33(wm):
    assert rates(wm, 2024)[1]["bw-3-lopend"] == Decimal("545.33")


def test_overhead_is_derived_21_00_per_hour(wm):
    """SPEC §6.2: both scales differ from norm/hours by exactly 21.00 (derived, not in the annex text)."""
    exact = services.hourly_rate_exact(wm.norms, Decimal("97200"))
    assert exact - Fraction(97200, 1345) == 21


def test_overhead_as_percentage_of_the_norm(wm):
    wm.norms.overhead_per_hour = None
    wm.norms.overhead_percentage = Decimal("25")
    assert services.hourly_rate_exact(wm.norms, Decimal("1345")) == Fraction(125, 100)


def test_missing_year_is_a_clear_message(wm):
    with pytest.raises(Exception, match="geen normbedragen voor 2031"):
        services.tariffs(region=wm.region, year=2031)


def add_step(wm, day, pct=None, fixed=None, scales=None, source="cao"):
    return CaoStep.objects.create(
        region=wm.region,
        effective_date=day,
        percentage=pct,
        fixed_amount_per_month=fixed,
        scales=scales or [],
        source=source,
    )


def test_year_norm_is_the_average_of_twelve_monthly_levels(wm):
    """docs/indexation.md worked example: 97,200 at price level 1-1-2024; +4.75 % on 1-1-2024 is in the base;
    +1.25 % on 1-10-2024; (demo) +2.5 % on 1-6-2025. 2025 = (5 × 98,415 + 7 × 100,875.375) / 12 = 99,850.21875."""
    steps = [
        add_step(wm, date(2024, 1, 1), pct=Decimal("4.75")),
        add_step(wm, date(2024, 10, 1), pct=Decimal("1.25")),
        add_step(wm, date(2025, 6, 1), pct=Decimal("2.5")),
    ]
    exact, provenance = services.indexed_norm(
        base_norm=Decimal("97200"), scale=10, steps=steps, base_date=date(2024, 1, 1), year=2025
    )
    assert exact == Fraction("99850.21875")
    assert "telt 12 van 12 maanden" in provenance and "telt 7 van 12 maanden" in provenance
    assert f"#{steps[0].pk}" not in provenance  # the 1-1-2024 step is part of the base price level


def test_a_step_counts_from_the_month_it_takes_effect(wm):
    step = add_step(wm, date(2025, 6, 15), pct=Decimal("12"))
    levels = services.monthly_levels(
        base_norm=Decimal("1200"), scale=8, steps=[step], base_date=date(2024, 1, 1), year=2025
    )
    assert [lvl for _m, lvl, _u in levels] == [1200] * 5 + [1344] * 7


def test_fixed_amount_per_month_per_scale(wm):
    """cao 2025-2027: a structural € 35 a month from 1-1-2026 weighs more in low scales (SPEC §6.3)."""
    step = add_step(wm, date(2026, 1, 1), fixed=Decimal("35"), scales=[8])
    low, _ = services.indexed_norm(
        base_norm=Decimal("78000"), scale=8, steps=[step], base_date=date(2024, 1, 1), year=2026
    )
    high, _ = services.indexed_norm(
        base_norm=Decimal("97200"), scale=10, steps=[step], base_date=date(2024, 1, 1), year=2026
    )
    assert low == 78000 + 420 and high == 97200


def test_index_task_derives_later_years_keeps_2024_and_is_safe_to_run_twice(wm, django_capture_on_commit_callbacks):
    add_step(wm, date(2024, 10, 1), pct=Decimal("1.25"))
    FormationLine.objects.create(
        region=wm.region, year=2025, task_area="purchasing", function="Inkoper", scale=10, fte=Decimal("1")
    )
    changed = tasks.index_norms(wm.region.pk)
    assert 2025 in changed
    assert rates(wm, 2024)[0] == {8: Decimal("78.99"), 10: Decimal("93.27")}  # the base is never rewritten
    norm_2025 = NormYear.objects.unrestricted().current().get(region=wm.region, year=2025)
    assert norm_2025.origin == "indexed"
    assert norm_2025.scales.get(scale=10).norm == Decimal("98415.000000")
    assert "CAO-stap" in norm_2025.scales.get(scale=10).provenance
    # Members got the updated cost overview (WM-SO 6.6) as a PDF notice and an e-mail.
    notices = Notice.objects.unrestricted().filter(year=2025)
    assert notices.count() == 3
    assert bytes(notices.first().pdf).startswith(b"%PDF")
    assert any(m.attachments and m.attachments[0][0].endswith(".pdf") for m in mail.outbox)
    before = (NormYear.objects.unrestricted().count(), Notice.objects.unrestricted().count(), len(mail.outbox))
    assert tasks.index_norms(wm.region.pk) == []
    assert (NormYear.objects.unrestricted().count(), Notice.objects.unrestricted().count(), len(mail.outbox)) == before


def test_a_new_step_makes_a_new_revision_and_keeps_the_earlier_figures(wm):
    add_step(wm, date(2024, 10, 1), pct=Decimal("1.25"))
    services.index_norms(user=system_actor("test"), region=wm.region, through_year=2025)
    add_step(wm, date(2025, 7, 1), pct=Decimal("2"))
    result = services.index_norms(user=system_actor("test"), region=wm.region, through_year=2025)
    assert 2025 in result.changed_years
    revisions = NormYear.objects.unrestricted().filter(region=wm.region, year=2025).order_by("revision")
    assert [(r.revision, r.superseded_at is not None) for r in revisions] == [(1, True), (2, False)]
    assert revisions[0].scales.get(scale=10).norm == Decimal("98415.000000")
    assert rates(wm, 2025)[0][10] > Decimal("94.17")


def test_api_tariffs_2024(wm, django_assert_max_num_queries):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(wm.beek_user)
    with django_assert_max_num_queries(10):
        response = client.get("/api/v1/regions/westelijke-mijnstreek/tariffs/?year=2024")
    assert response.status_code == 200
    data = response.json()
    assert data["year"] == 2024
    assert {r["scale"]: r["rate"] for r in data["hourly_rates"]} == {8: "78.99", 10: "93.27"}
    assert sorted(a["price"] for a in data["activities"]) == ["545.33", "672.62", "731.87"]


@pytest.mark.parametrize("query, status", [("?year=abc", 400), ("", 400), ("?year=2031", 400)])
def test_api_tariffs_bad_input(wm, query, status):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(wm.beek_user)
    response = client.get("/api/v1/regions/westelijke-mijnstreek/tariffs/" + query)
    assert response.status_code == status
    assert response.json()


def test_api_tariffs_unknown_region_answers_like_another_tenants_404(wm):
    """An unknown region code and one the user may not see answer alike, so existence is not told (issue 11)."""
    from rest_framework.test import APIClient

    from tests.factories import RegionFactory

    RegionFactory(code="andere-regio", name="Andere regio")
    client = APIClient()
    client.force_login(wm.beek_user)
    unknown = client.get("/api/v1/regions/bestaat-niet/tariffs/?year=2024")
    other = client.get("/api/v1/regions/andere-regio/tariffs/?year=2024")
    assert unknown.status_code == other.status_code == 404
    assert unknown.json()["detail"].replace("bestaat-niet", "X") == other.json()["detail"].replace("andere-regio", "X")


def test_entering_a_step_runs_the_indexation_after_commit(wm, django_capture_on_commit_callbacks, client):
    FormationLine.objects.create(
        region=wm.region, year=2025, task_area="purchasing", function="Inkoper", scale=10, fte=Decimal("1")
    )
    client.force_login(wm.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/kostenverdeling/regio/westelijke-mijnstreek/tarieven/?jaar=2025",
            {"effective_date": "01-10-2024", "percentage": "1,25", "source": "cao 2024-2025"},
        )
    assert response.status_code == 302
    assert rates(wm, 2025)[0][10] == Decimal("94.17")  # 98,415 / 1,345 + 21.00
    assert Notice.objects.unrestricted().filter(year=2025).count() == 3


def test_a_step_needs_a_percentage_or_an_amount_and_a_coordinator(wm, client):
    client.force_login(wm.coordinator)
    page = client.post(
        "/kostenverdeling/regio/westelijke-mijnstreek/tarieven/", {"effective_date": "01-10-2024", "source": "cao"}
    )
    assert "Geef een percentage, een vast bedrag per maand of beide." in page.content.decode()
    client.force_login(wm.beek_user)
    response = client.post(
        "/kostenverdeling/regio/westelijke-mijnstreek/tarieven/",
        {"effective_date": "01-10-2024", "percentage": "1", "source": "cao"},
    )
    assert response.status_code == 403
    assert not CaoStep.objects.unrestricted().exists()


def test_wm_dvo_5_4_overhead_of_the_year_replaces_the_base_overhead(wm):
    from costsharing.models import OverheadYear

    add_step(wm, date(2024, 10, 1), pct=Decimal("1.25"))
    services.index_norms(user=system_actor("test"), region=wm.region, through_year=2025)
    assert rates(wm, 2025)[0][10] == Decimal("94.17")
    OverheadYear.objects.create(
        region=wm.region, year=2025, overhead_per_hour=Decimal("22.50"), source="begroting 2025 Sittard-Geleen (demo)"
    )
    result = services.index_norms(user=system_actor("test"), region=wm.region, through_year=2025)
    assert 2025 in result.changed_years
    assert rates(wm, 2025)[0][10] == Decimal("95.67")  # 98,415 / 1,345 + 22.50
    norm_year = NormYear.objects.unrestricted().current().get(region=wm.region, year=2025)
    assert "WM-DVO 5.4" in norm_year.provenance and norm_year.revision == 2

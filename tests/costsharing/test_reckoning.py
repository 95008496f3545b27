"""The December reckoning (WM-SO 6.7, WM-DVO 5-6, BNO 10.6): idempotent, frozen after approval, corrections as new
versions, a failure halfway leaves the previous state."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from costsharing import services
from costsharing.models import (
    ActualCostLine,
    BudgetLine,
    CaoStep,
    Fee,
    FormationLine,
    Reckoning,
    ReckoningItem,
    ReckoningLine,
    ReckoningPart,
)
from regio.tenancy import system_actor
from tests.costsharing.cycle_helpers import wm_calendar


@pytest.fixture
def wm25(wm):
    """WM 2025 with a CAO step, a formation, a budget, advances and some actual cost lines."""
    CaoStep.objects.create(
        region=wm.region, effective_date=date(2024, 10, 1), percentage=Decimal("1.25"), source="cao 2024-2025"
    )
    services.index_norms(user=system_actor("test"), region=wm.region, through_year=2025)
    FormationLine.objects.create(
        region=wm.region, year=2025, task_area="purchasing", function="Inkoper", scale=10, fte=Decimal("2")
    )
    FormationLine.objects.create(
        region=wm.region, year=2025, task_area="supervision", function="Toezichthouder", scale=10, fte=Decimal("2.9")
    )
    BudgetLine.objects.create(
        region=wm.region, year=2025, category="legal", description="Juridisch", amount=Decimal("10000.00")
    )
    # The fee 2025 as invoiced outside the product (the first year; WM-DVO 6.1): what the settlement subtracts.
    advances = services.compute_advances(user=wm.coordinator, region=wm.region, year=2025)
    services.record_outside_fees(
        user=wm.coordinator,
        region=wm.region,
        year=2025,
        amounts={a.municipality: a.amount for a in advances},
        reference="facturen december 2025 (test)",
    )
    for day, amount in ((date(2025, 3, 1), "4000.00"), (date(2025, 9, 1), "7000.01")):
        ActualCostLine.objects.create(
            region=wm.region,
            year=2025,
            date=day,
            category="legal",
            description=f"advies {day}",
            amount=Decimal(amount),
        )
    return wm


def run(wm, captured, user=None):
    with captured(execute=True):
        reckoning = services.request_reckoning(user=user or wm.coordinator, region=wm.region, year=2025)
    return services.latest_reckoning(region=wm.region, year=2025) or reckoning


def lines_of(reckoning):
    return {
        line.municipality.name: (line.share, line.advances, line.difference)
        for line in ReckoningLine.objects.unrestricted().filter(reckoning=reckoning).select_related("municipality")
    }


def test_reckoning_shares_minus_advances(wm25, django_capture_on_commit_callbacks):
    reckoning = run(wm25, django_capture_on_commit_callbacks)
    assert reckoning.run_state == "done" and reckoning.progress == 100 and reckoning.status == "draft"
    lines = lines_of(reckoning)
    assert sum(s for s, _a, _d in lines.values()) == reckoning.total
    advances = {a.municipality.name: a.amount for a in Fee.objects.unrestricted().select_related("municipality")}
    for name, (share, adv, diff) in lines.items():
        assert adv == advances[name] and diff == share - adv
    # Legal: 11,000.01 by 69/19/12 instead of the budgeted 10,000.00; staff 2025 at the indexed norm.
    legal = ReckoningPart.objects.unrestricted().get(reckoning=reckoning, category="legal")
    assert legal.amount == Decimal("11000.01")
    assert (legal.line_count, legal.lines_total, legal.cost_line_ids) == (2, Decimal("11000.01"), [])
    # Approval names every cost line the part came from (a draft keeps only their count and sum).
    services.approve_reckoning(user=wm25.coordinator, reckoning=reckoning)
    legal.refresh_from_db()
    assert sorted(legal.cost_line_ids) == sorted(ActualCostLine.objects.unrestricted().values_list("pk", flat=True))
    stored = Reckoning.objects.unrestricted().get(pk=reckoning.pk).inputs["parts"]
    assert [p["cost_lines"] for p in stored if p["category"] == "legal"] == [sorted(legal.cost_line_ids)]


def test_approval_refuses_inputs_changed_since_the_computation(wm25, django_capture_on_commit_callbacks):
    reckoning = run(wm25, django_capture_on_commit_callbacks)
    line = ActualCostLine.objects.unrestricted().first()
    line.amount += Decimal("0.01")
    line.save()
    with pytest.raises(ValidationError, match="gewijzigd sinds de berekening"):
        services.approve_reckoning(user=wm25.coordinator, reckoning=reckoning)
    assert Reckoning.objects.unrestricted().get(pk=reckoning.pk).status == "draft"
    approved = services.approve_reckoning(
        user=wm25.coordinator, reckoning=run(wm25, django_capture_on_commit_callbacks)
    )
    assert approved.status == "approved"


def test_every_euro_is_traceable(wm25, django_capture_on_commit_callbacks):
    reckoning = run(wm25, django_capture_on_commit_callbacks)
    staff = ReckoningPart.objects.unrestricted().get(reckoning=reckoning, category="staff_supervision")
    assert staff.key_version == wm25.fte_version
    assert staff.norm_year.year == 2025 and "CAO-stap" in staff.norm_year.scales.get(scale=10).provenance
    assert staff.weights == {"GM0888": "0.3500", "GM0971": "0.5500", "GM1883": "2.0000"}
    beek_items = ReckoningItem.objects.unrestricted().filter(reckoning=reckoning, municipality=wm25.beek)
    assert sum(i.amount for i in beek_items) == lines_of(reckoning)["Beek"][0]
    assert reckoning.inputs["norm_year"]["scales"]["10"] == "98415.000000"


def test_running_twice_gives_the_same_reckoning(wm25, django_capture_on_commit_callbacks):
    first = run(wm25, django_capture_on_commit_callbacks)
    before = lines_of(first)
    second = run(wm25, django_capture_on_commit_callbacks)
    assert second.pk == first.pk and second.version == 1
    assert lines_of(second) == before
    assert Reckoning.objects.unrestricted().count() == 1


def test_the_database_allows_one_reckoning_per_region_year_version(wm25):
    Reckoning.objects.create(region=wm25.region, year=2025, version=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reckoning.objects.create(region=wm25.region, year=2025, version=1)


def fail_halfway(monkeypatch):
    """The computation stops after the inputs were read (progress 50 %), as a worker killed halfway would: the step
    that computes a region raises (issue 11: no test seam in the services, a monkeypatched step instead)."""

    def boom(**kwargs):
        raise RuntimeError("de berekening is halverwege afgebroken")

    monkeypatch.setattr("costsharing.services.reckoning._compute_region", boom)  # where compute_reckonings looks it up


def test_a_failure_halfway_leaves_the_previous_state_and_a_rerun_completes(
    wm25, django_capture_on_commit_callbacks, monkeypatch
):
    reckoning = run(wm25, django_capture_on_commit_callbacks)
    before = lines_of(reckoning)
    ActualCostLine.objects.create(
        region=wm25.region,
        year=2025,
        date=date(2025, 11, 1),
        category="legal",
        description="nog een",
        amount=Decimal("1000.00"),
    )
    with monkeypatch.context() as patch:
        fail_halfway(patch)
        failed = services.perform_reckoning(reckoning_id=reckoning.pk)
    assert failed.run_state == "failed"
    assert failed.error.startswith("De berekening is mislukt: de berekening is halverwege afgebroken")
    assert "De vorige stand is bewaard" in failed.error
    assert lines_of(reckoning) == before
    done = run(wm25, django_capture_on_commit_callbacks)
    assert done.pk == reckoning.pk and done.run_state == "done" and done.error == ""
    assert done.total == reckoning.total + Decimal("1000.00")


def test_a_failure_while_writing_rolls_back(wm25, django_capture_on_commit_callbacks, monkeypatch):
    reckoning = run(wm25, django_capture_on_commit_callbacks)
    before = lines_of(reckoning)
    ActualCostLine.objects.create(
        region=wm25.region,
        year=2025,
        date=date(2025, 11, 1),
        category="legal",
        description="nog een",
        amount=Decimal("1000.00"),
    )

    def boom(*args, **kwargs):
        raise RuntimeError("worker gestopt")

    monkeypatch.setattr(ReckoningLine.objects, "bulk_create", boom)
    failed = services.perform_reckoning(reckoning_id=reckoning.pk)
    assert failed.run_state == "failed" and "worker gestopt" in failed.error
    assert lines_of(reckoning) == before  # the parts and items deleted inside the transaction are back too
    assert ReckoningPart.objects.unrestricted().filter(reckoning=reckoning).count() == 3


def test_a_missing_key_fails_in_words(wm25, django_capture_on_commit_callbacks):
    ActualCostLine.objects.create(
        region=wm25.region, year=2025, date=date(2025, 1, 5), category="legal", description="x", amount=Decimal("1.00")
    )
    wm25.key.versions.update(valid_from=date(2025, 2, 1))
    reckoning = run(wm25, django_capture_on_commit_callbacks)
    assert reckoning.run_state == "failed"
    assert "heeft geen versie die geldt op 01-01-2025" in reckoning.error


def test_approved_is_frozen_and_a_correction_is_a_new_version(wm25, django_capture_on_commit_callbacks):
    first = run(wm25, django_capture_on_commit_callbacks)
    services.approve_reckoning(user=wm25.coordinator, reckoning=first)
    first.refresh_from_db()
    assert first.status == "approved" and first.approved_by == wm25.coordinator
    line = ReckoningLine.objects.unrestricted().filter(reckoning=first).first()
    line.share = Decimal("1.00")
    with pytest.raises(ValidationError):
        line.save()
    with pytest.raises(ValidationError):
        ReckoningLine.objects.unrestricted().filter(reckoning=first).update(share=Decimal("0"))
    with pytest.raises(ValidationError):
        ReckoningLine.objects.unrestricted().filter(reckoning=first).delete()
    # Same inputs: the approved reckoning stays the answer, no second version.
    assert run(wm25, django_capture_on_commit_callbacks).pk == first.pk
    # Changed inputs after approval: a correction version that shows the differences (SPEC §6.5).
    ActualCostLine.objects.create(
        region=wm25.region,
        year=2025,
        date=date(2025, 12, 1),
        category="legal",
        description="na vaststelling",
        amount=Decimal("100.00"),
    )
    second = run(wm25, django_capture_on_commit_callbacks)
    assert second.version == 2 and second.previous_id == first.pk and second.status == "draft"
    beek = ReckoningLine.objects.unrestricted().get(reckoning=second, municipality=wm25.beek)
    assert beek.previous_share == lines_of(first)["Beek"][0]
    assert beek.correction == Decimal("12.00") and beek.to_settle == Decimal("12.00")
    first_beek = ReckoningLine.objects.unrestricted().get(reckoning=first, municipality=wm25.beek)
    assert first_beek.to_settle == first_beek.difference
    assert lines_of(first) != lines_of(second)
    # Once the correction is approved, running version 1 again (e.g. its task redelivered) changes nothing.
    services.approve_reckoning(user=wm25.coordinator, reckoning=second)
    assert services.perform_reckoning(reckoning_id=first.pk).pk == second.pk
    assert Reckoning.objects.unrestricted().count() == 2


def test_mark_settled_only_after_approval(wm25, django_capture_on_commit_callbacks):
    reckoning = run(wm25, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="Alleen een vastgestelde afrekening"):
        services.mark_settled(user=wm25.coordinator, reckoning=reckoning)
    services.approve_reckoning(user=wm25.coordinator, reckoning=reckoning)
    settled = services.mark_settled(user=wm25.coordinator, reckoning=reckoning)
    assert settled.status == "settled" and settled.settled_at is not None
    with pytest.raises(ValidationError, match="Alleen een concept"):
        services.approve_reckoning(user=wm25.coordinator, reckoning=settled)


def test_only_coordinating_staff_run_and_approve(wm25, django_capture_on_commit_callbacks):
    with pytest.raises(PermissionDenied):
        services.request_reckoning(user=wm25.stein_coordinator, region=wm25.region, year=2025)
    with pytest.raises(PermissionDenied):
        services.request_reckoning(user=wm25.beek_user, region=wm25.region, year=2025)
    reckoning = run(wm25, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        services.approve_reckoning(user=wm25.beek_user, reckoning=reckoning)
    with pytest.raises(PermissionDenied):
        services.mark_settled(user=wm25.stein_coordinator, reckoning=reckoning)


def test_queries_do_not_grow_with_cost_lines(wm25, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            services.compute_reckoning(region=wm25.region, year=2025)
        return len(ctx.captured_queries)

    few = count()
    ActualCostLine.objects.bulk_create(
        ActualCostLine(
            region=wm25.region,
            year=2025,
            date=date(2025, 1 + i % 12, 1 + i % 28),
            category=("legal", "hired", "pgax")[i % 3],
            description=f"regel {i}",
            amount=Decimal("1.23"),
        )
        for i in range(600)
    )
    assert count() == few


def test_api_post_twice_returns_the_same_reckoning(wm25, django_capture_on_commit_callbacks):
    client = APIClient()
    client.force_login(wm25.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/api/v1/reckonings/", {"region": "westelijke-mijnstreek", "year": 2025}, format="json")
    assert first.status_code == 201, first.content
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post("/api/v1/reckonings/", {"region": "westelijke-mijnstreek", "year": 2025}, format="json")
    assert second.status_code == 200
    a, b = first.json(), second.json()
    assert a["id"] == b["id"] and a["version"] == 1 and a["status"] == "draft"
    # (In tests the task runs when the capture block ends, so the first answer predates the computation.)
    assert len(b["lines"]) == 3 and client.get(f"/api/v1/reckonings/{a['id']}/").json()["lines"] == b["lines"]
    line = b["lines"][0]
    assert set(line) >= {"municipality", "share", "advances", "difference"}
    assert all(len(v.split(".")[1]) == 2 for v in (b["total"], line["share"], line["advances"], line["difference"]))


def test_api_member_sees_only_its_own_line_and_may_not_post(wm25, django_capture_on_commit_callbacks):
    run(wm25, django_capture_on_commit_callbacks)
    client = APIClient()
    client.force_login(wm25.beek_user)
    data = client.get("/api/v1/reckonings/").json()["results"]
    assert [line["municipality"] for line in data[0]["lines"]] == ["GM0888"]
    response = client.post("/api/v1/reckonings/", {"region": "westelijke-mijnstreek", "year": 2025}, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize(
    "payload, status",
    [
        ({"region": "bestaat-niet", "year": 2025}, 404),  # like another tenant's region: existence not told
        ({"region": "westelijke-mijnstreek", "year": "abc"}, 400),
        ({"region": "westelijke-mijnstreek"}, 400),
    ],
)
def test_api_post_bad_input_is_400(wm25, payload, status):
    client = APIClient()
    client.force_login(wm25.coordinator)
    response = client.post("/api/v1/reckonings/", payload, format="json")
    assert response.status_code == status
    assert response.json()


def test_beat_starts_the_december_reckoning():
    from celery.schedules import crontab

    from costsharing.schedule import BEAT_SCHEDULE

    # Daily: each agreement's settlement calendar says what starts on which day (issue 12).
    entry = BEAT_SCHEDULE["costsharing-settlement-calendar"]
    assert entry["task"] == "costsharing.start_calendar_steps"
    assert entry["schedule"] == crontab(minute=0, hour=6)
    from regio.celery import app

    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


def test_december_start_for_every_sharing_region(wm25, django_capture_on_commit_callbacks):
    wm_calendar(wm25.region, wm25.sg)
    with django_capture_on_commit_callbacks(execute=True):
        started = services.start_december_reckonings(year=2026)  # December 2026 settles 2025 (WM-SO 6.7)
    assert len(started) == 1
    assert Reckoning.objects.unrestricted().get(pk=started[0]).year == 2025
    assert Reckoning.objects.unrestricted().get(pk=started[0]).run_state == "done"


def test_pages_statement_pdf_excel_and_progress(wm25, django_capture_on_commit_callbacks, client):
    reckoning = run(wm25, django_capture_on_commit_callbacks)
    client.force_login(wm25.coordinator)
    page = client.get(f"/kostenverdeling/afrekeningen/{reckoning.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>" not in html and "onclick" not in html
    assert 'scope="col"' in html and "<caption" in html
    pdf = client.get(f"/kostenverdeling/afrekeningen/{reckoning.pk}/?formaat=pdf&gemeente=GM0888")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(f"/kostenverdeling/afrekeningen/{reckoning.pk}/?formaat=xlsx")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    progress = client.get(f"/kostenverdeling/afrekeningen/{reckoning.pk}/voortgang/").content.decode()
    assert 'value="100"' in progress and "hx-trigger" not in progress  # done: polling stops
    # A member gets its own statement only.
    client.force_login(wm25.beek_user)
    assert client.get(f"/kostenverdeling/afrekeningen/{reckoning.pk}/?formaat=pdf&gemeente=GM0888").status_code == 200
    assert client.get(f"/kostenverdeling/afrekeningen/{reckoning.pk}/?formaat=pdf&gemeente=GM0971").status_code == 404


def test_progress_bar_polls_while_running(wm25, client):
    reckoning = Reckoning.objects.create(region=wm25.region, year=2025, run_state="running", progress=50)
    client.force_login(wm25.beek_user)
    html = client.get(f"/kostenverdeling/afrekeningen/{reckoning.pk}/voortgang/").content.decode()
    assert 'hx-trigger="every 2s"' in html and 'value="50"' in html


def test_outsider_gets_404_on_downloads(wm25, django_capture_on_commit_callbacks, client, bno):
    reckoning = run(wm25, django_capture_on_commit_callbacks)
    client.force_login(bno.coordinator)
    for query in ("?formaat=pdf&gemeente=GM0888", "?formaat=xlsx"):
        assert client.get(f"/kostenverdeling/afrekeningen/{reckoning.pk}/{query}").status_code == 404


@pytest.mark.postgres
def test_postgresql_trigger_refuses_changes_to_an_approved_reckoning(wm25, django_capture_on_commit_callbacks):
    from django.db import DatabaseError, connection

    reckoning = run(wm25, django_capture_on_commit_callbacks)
    services.approve_reckoning(user=wm25.coordinator, reckoning=reckoning)
    for sql in (
        "UPDATE costsharing_reckoningline SET share = 0 WHERE reckoning_id = %s",
        "DELETE FROM costsharing_reckoningitem WHERE reckoning_id = %s",
        "UPDATE costsharing_reckoning SET total = 0 WHERE id = %s",
        "DELETE FROM costsharing_reckoning WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="vastgestelde afrekening"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [reckoning.pk])
    # Settling (approved → settled) and progress updates remain possible.
    services.mark_settled(user=wm25.coordinator, reckoning=reckoning)
    Reckoning.objects.unrestricted().filter(pk=reckoning.pk).update(progress=100)


def test_the_celery_task_failing_halfway_and_rerun(wm25, django_capture_on_commit_callbacks, monkeypatch):
    """The task itself (eager Celery): failing halfway keeps the previous lines; running it again completes."""
    from costsharing import tasks

    reckoning = run(wm25, django_capture_on_commit_callbacks)
    before = lines_of(reckoning)
    ActualCostLine.objects.create(
        region=wm25.region,
        year=2025,
        date=date(2025, 11, 1),
        category="legal",
        description="nog een",
        amount=Decimal("500.00"),
    )
    with monkeypatch.context() as patch:
        fail_halfway(patch)
        tasks.run_reckoning.apply(args=[reckoning.pk])
    reckoning.refresh_from_db()
    assert reckoning.run_state == "failed" and reckoning.progress == 50 and lines_of(reckoning) == before
    tasks.run_reckoning.apply(args=[reckoning.pk])
    reckoning.refresh_from_db()
    assert reckoning.run_state == "done" and reckoning.progress == 100
    assert sum(s for s, _a, _d in lines_of(reckoning).values()) == reckoning.total


def _second_region_with_a_gap():
    """A second region whose key starts on 1 February while a cost line is dated 15 January."""
    from costsharing.models import KeyVersion
    from tests.costsharing.builders import WM

    other = WM(code="tweede-regio")
    KeyVersion.objects.unrestricted().filter(pk=other.version.pk).update(valid_from=date(2025, 2, 1))
    ActualCostLine.objects.create(
        region=other.region, date=date(2025, 1, 15), category="legal", description="te vroeg", amount=Decimal("5.00")
    )
    return other


def test_the_december_run_reckons_all_regions_in_one_task(wm25, django_capture_on_commit_callbacks):
    other = _second_region_with_a_gap()
    wm_calendar(wm25.region, wm25.sg)
    wm_calendar(other.region, other.sg, code="WM-SO-ANDER")
    with django_capture_on_commit_callbacks(execute=True):
        started = services.start_december_reckonings(year=2026)
    done = {r.region_id: r for r in Reckoning.objects.unrestricted().filter(pk__in=started)}
    assert done[wm25.region.pk].run_state == "done" and done[wm25.region.pk].total > 0
    # The region with incomplete inputs fails in words; the other is not held back by it.
    assert done[other.region.pk].run_state == "failed"
    assert "heeft geen versie die geldt op 15-01-2025" in done[other.region.pk].error
    assert not ReckoningLine.objects.unrestricted().filter(reckoning=done[other.region.pk]).exists()


def test_queries_do_not_grow_with_regions(wm25):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    other = _second_region_with_a_gap()
    with CaptureQueriesContext(connection) as one:
        services.compute_reckonings(regions=[wm25.region], year=2025)
    with CaptureQueriesContext(connection) as two:
        result = services.compute_reckonings(regions=[wm25.region, other.region], year=2025)
    assert len(one.captured_queries) == len(two.captured_queries)
    assert isinstance(result[other.region.pk], ValidationError)


def test_a_key_change_mid_year_splits_each_line_by_the_version_of_its_date(wm25, django_capture_on_commit_callbacks):
    from costsharing.models import KeyShare, KeyVersion

    KeyVersion.objects.unrestricted().filter(pk=wm25.version.pk).update(valid_until=date(2025, 6, 30))
    second = KeyVersion.objects.create(key=wm25.key, basis="fixed", valid_from=date(2025, 7, 1))
    for m, w in ((wm25.sg, 50), (wm25.stein, 25), (wm25.beek, 25)):
        KeyShare.objects.create(version=second, municipality=m, weight=Decimal(w))
    reckoning = run(wm25, django_capture_on_commit_callbacks)
    assert reckoning.run_state == "done", reckoning.error
    legal = {
        p.key_version_id: (p.amount, p.line_count)
        for p in ReckoningPart.objects.unrestricted().filter(reckoning=reckoning, category="legal")
    }
    # March 4,000.00 by 69/19/12; September 7,000.01 by 50/25/25 (SPEC §6.1: the version valid on the cost's date).
    assert legal == {wm25.version.pk: (Decimal("4000.00"), 1), second.pk: (Decimal("7000.01"), 1)}
    beek = ReckoningItem.objects.unrestricted().filter(
        reckoning=reckoning, municipality=wm25.beek, part__category="legal"
    )
    assert sorted(i.amount for i in beek) == [Decimal("480.00"), Decimal("1750.00")]
    # Approval names the line of each period.
    services.approve_reckoning(user=wm25.coordinator, reckoning=reckoning)
    ids = {
        p.key_version_id: p.cost_line_ids
        for p in ReckoningPart.objects.unrestricted().filter(reckoning=reckoning, category="legal")
    }
    march = ActualCostLine.objects.unrestricted().get(date=date(2025, 3, 1))
    september = ActualCostLine.objects.unrestricted().get(date=date(2025, 9, 1))
    assert ids == {wm25.version.pk: [march.pk], second.pk: [september.pk]}


def test_overlapping_key_versions_fail_in_words(wm25, django_capture_on_commit_callbacks):
    from costsharing.models import KeyVersion

    KeyVersion.objects.create(key=wm25.key, basis="fixed", valid_from=date(2025, 6, 1))
    reckoning = run(wm25, django_capture_on_commit_callbacks)
    assert reckoning.run_state == "failed" and "overlappende versies" in reckoning.error


def test_api_approve(wm25, django_capture_on_commit_callbacks):
    reckoning = run(wm25, django_capture_on_commit_callbacks)
    url = f"/api/v1/reckonings/{reckoning.pk}/approve/"
    member, coordinator = APIClient(), APIClient()
    member.force_login(wm25.beek_user)
    coordinator.force_login(wm25.coordinator)
    assert member.get(url).json()["can_approve"] is False
    assert coordinator.get(url).json()["can_approve"] is True
    assert member.post(url).status_code == 403
    # Inputs changed since the computation: 400 in words, still a draft.
    ActualCostLine.objects.create(
        region=wm25.region, date=date(2025, 5, 5), category="legal", description="laat", amount=Decimal("9.99")
    )
    refused = coordinator.post(url)
    assert refused.status_code == 400 and "gewijzigd sinds de berekening" in refused.json()["detail"][0]
    reckoning = run(wm25, django_capture_on_commit_callbacks)
    approved = coordinator.post(url)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    again = coordinator.post(url)
    assert again.status_code == 400 and again.json()["detail"] == ["Alleen een concept kan worden vastgesteld."]


def test_a_part_page_lists_its_cost_lines_draft_and_approved(wm25, django_capture_on_commit_callbacks, client):
    reckoning = run(wm25, django_capture_on_commit_callbacks)
    legal = ReckoningPart.objects.unrestricted().get(reckoning=reckoning, category="legal")
    url = f"/kostenverdeling/afrekeningen/{reckoning.pk}/onderdelen/{legal.pk}/"
    client.force_login(wm25.beek_user)
    html = client.get(url).content.decode()
    assert "advies 2025-03-01" in html and "advies 2025-09-01" in html and "4.000,00" in html
    assert "Let op" not in html
    assert f'href="{url}"' in client.get(f"/kostenverdeling/afrekeningen/{reckoning.pk}/").content.decode()
    # A line added after the computation shows on the draft, with a warning; after a re-run and approval the page
    # lists exactly the recorded lines, also when yet another line is added later.
    ActualCostLine.objects.create(
        region=wm25.region, date=date(2025, 10, 1), category="legal", description="later", amount=Decimal("1.00")
    )
    assert "Let op" in client.get(url).content.decode()
    reckoning = run(wm25, django_capture_on_commit_callbacks)
    services.approve_reckoning(user=wm25.coordinator, reckoning=reckoning)
    legal = ReckoningPart.objects.unrestricted().get(reckoning=reckoning, category="legal")
    ActualCostLine.objects.create(
        region=wm25.region, date=date(2025, 11, 1), category="legal", description="na afloop", amount=Decimal("2.00")
    )
    html = client.get(f"/kostenverdeling/afrekeningen/{reckoning.pk}/onderdelen/{legal.pk}/").content.decode()
    assert "later" in html and "na afloop" not in html
    staff = ReckoningPart.objects.unrestricted().get(reckoning=reckoning, category="staff")
    staff_html = client.get(f"/kostenverdeling/afrekeningen/{reckoning.pk}/onderdelen/{staff.pk}/").content.decode()
    assert "Normjaar" in staff_html and "Inkoper" in staff_html
    # Another reckoning's id in the URL: 404.
    assert client.get(f"/kostenverdeling/afrekeningen/{reckoning.pk + 1000}/onderdelen/{legal.pk}/").status_code == 404

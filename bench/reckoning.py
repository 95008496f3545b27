"""Benchmark of the December reckoning at national scale (issue #5). Not a test: it prints figures.

342 municipalities in 40 regions, 10 years, 500,000 actual cost lines on PostgreSQL. Reports the reckoning time for
all 40 regions for one year, the queries per region (they must not grow with the number of cost lines) and the same
aggregation as one raw SQL query, as a ratio.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/regio_cs_bench uv run python bench/reckoning.py

The data set is generated once (deterministic, seed 5) and reused on the next run; ``--fresh`` drops and rebuilds it.
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/regio_cs_bench")
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regio.settings")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DEBUG", "0")  # DEBUG keeps every query of the generation, and a full log hides new ones
os.environ.setdefault("SECRET_KEY", "bench-only")

MUNICIPALITIES, REGIONS, YEARS, LINES = 342, 40, 10, 500_000
FIRST_YEAR = 2016
BENCH_YEAR = 2024
CATEGORIES = ["hired", "legal", "training", "pgax", "price_book", "dispute_advice", "annual_insight"]


def ensure_database(fresh: bool) -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(URL)
    with psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{config["NAME"]}"')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{config["NAME"]}"')


def generate() -> None:
    from django.db import connection

    from costsharing.models import (
        ActualCostLine,
        AllocationKey,
        Basis,
        CategoryKey,
        FormationLine,
        KeyShare,
        KeyVersion,
        NormScale,
        NormYear,
    )
    from regio.models import Membership, Municipality, Region

    if ActualCostLine.objects.unrestricted().count() >= LINES:
        print(f"data set present: {ActualCostLine.objects.unrestricted().count():,} cost lines")
        return
    rng = random.Random(5)
    started = time.perf_counter()
    municipalities = Municipality.objects.bulk_create(
        Municipality(code=f"GM{9000 - i:04d}" if i else "GM9000", name=f"Benchgemeente {i}")
        for i in range(MUNICIPALITIES)
    )
    regions = Region.objects.bulk_create(Region(code=f"bench-{r:02d}", name=f"Benchregio {r}") for r in range(REGIONS))
    members: dict[int, list] = {r.pk: [] for r in regions}
    for i, m in enumerate(municipalities):
        members[regions[i % REGIONS].pk].append(m)
    Membership.objects.bulk_create(
        Membership(region_id=rid, municipality=m, valid_from=date(2015, 1, 1), coordinating=k == 0)
        for rid, ms in members.items()
        for k, m in enumerate(ms)
    )
    for region in regions:
        key = AllocationKey.objects.create(region=region, code="sleutel", name="Inwonerssleutel")
        version = KeyVersion.objects.create(
            key=key, basis=Basis.POPULATION, valid_from=date(2015, 1, 1), reference_date=date(2015, 1, 1)
        )
        KeyShare.objects.bulk_create(
            KeyShare(version=version, municipality=m, weight=Decimal(rng.randint(5000, 200000)))
            for m in members[region.pk]
        )
        CategoryKey.objects.bulk_create(
            CategoryKey(region=region, category=c, key=key) for c in [*CATEGORIES, "staff"]
        )
        for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
            norms = NormYear.objects.create(
                region=region,
                year=year,
                productive_hours=Decimal("1345"),
                overhead_per_hour=Decimal("21.00"),
                price_level_date=date(year, 1, 1),
            )
            NormScale.objects.bulk_create(
                [
                    NormScale(norm_year=norms, scale=8, norm=Decimal("78000")),
                    NormScale(norm_year=norms, scale=10, norm=Decimal("97200")),
                ]
            )
            FormationLine.objects.bulk_create(
                [
                    FormationLine(
                        region=region,
                        year=year,
                        task_area="purchasing",
                        function="Inkoper",
                        scale=10,
                        fte=Decimal(rng.randint(10, 60)) / 10,
                    ),
                    FormationLine(
                        region=region,
                        year=year,
                        task_area="contract_management",
                        function="Contractmanager",
                        scale=10,
                        fte=Decimal(rng.randint(10, 40)) / 10,
                    ),
                ]
            )
    # Lines per region differ (weights 1-4) so the queries-per-region figure shows it does not follow the lines.
    weights = [rng.randint(1, 4) for _ in regions]
    total_weight = sum(weights) * YEARS
    batch = []
    made = 0
    for r, region in enumerate(regions):
        for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
            count = LINES * weights[r] // total_weight
            if r == REGIONS - 1 and year == FIRST_YEAR + YEARS - 1:
                count = LINES - made
            for _ in range(count):
                day = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
                cents = rng.randint(-5_000, 2_500_000)
                batch.append(
                    ActualCostLine(
                        region=region,
                        year=year,
                        date=day,
                        category=rng.choice(CATEGORIES),
                        description="benchregel",
                        amount=Decimal(cents) / 100,
                        source="bench",
                    )
                )
            made += count
            if len(batch) >= 20_000:
                ActualCostLine.objects.bulk_create(batch, batch_size=5_000)
                batch = []
    ActualCostLine.objects.bulk_create(batch, batch_size=5_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"generated {MUNICIPALITIES} municipalities, {REGIONS} regions, {YEARS} years, "
        f"{ActualCostLine.objects.unrestricted().count():,} cost lines in {time.perf_counter() - started:.1f} s"
    )


SAME_AGGREGATION = """
WITH sums AS (
    SELECT l.region_id, l.category, v.id AS version_id,
           SUM(l.amount) * CASE WHEN l.category = 'annual_insight' THEN 0.5 ELSE 1 END AS amount
    FROM costsharing_actualcostline l
    JOIN costsharing_categorykey c ON c.region_id = l.region_id AND c.category = l.category
    JOIN costsharing_keyversion v ON v.key_id = c.key_id AND v.valid_from <= l.date
         AND (v.valid_until IS NULL OR l.date <= v.valid_until)
    WHERE l.year = %s
    GROUP BY l.region_id, l.category, v.id
), totals AS (
    SELECT version_id, SUM(weight) AS weight FROM costsharing_keyshare GROUP BY version_id
)
SELECT s.region_id, k.municipality_id, SUM(ROUND(s.amount * k.weight / t.weight, 2))
FROM sums s
JOIN costsharing_keyshare k ON k.version_id = s.version_id
JOIN totals t ON t.version_id = s.version_id
GROUP BY s.region_id, k.municipality_id
"""
BARE_GROUP_BY = """
SELECT region_id, category, SUM(amount) FROM costsharing_actualcostline WHERE year = %s GROUP BY region_id, category
"""


def best_of(runs: int, work) -> float:
    best = None
    for _ in range(runs):
        t0 = time.perf_counter()
        work()
        elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
    return best


def main() -> None:
    fresh = "--fresh" in sys.argv
    ensure_database(fresh)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from costsharing import services
    from costsharing.models import ActualCostLine, Reckoning, ReckoningItem, ReckoningLine, ReckoningPart
    from regio.models import Region

    call_command("migrate", verbosity=0)
    generate()
    regions = list(Region.objects.unrestricted().filter(code__startswith="bench-").order_by("code"))
    year_lines = ActualCostLine.objects.unrestricted().filter(year=BENCH_YEAR).count()
    lines_per_region = [
        ActualCostLine.objects.unrestricted().filter(region=r, year=BENCH_YEAR).count() for r in regions
    ]

    def clear():
        for model in (ReckoningItem, ReckoningPart, ReckoningLine):
            model.objects.unrestricted().filter(reckoning__region__in=regions).delete()
        Reckoning.objects.unrestricted().filter(region__in=regions).delete()

    def queue():
        return [
            Reckoning.objects.unrestricted().get_or_create(region=r, year=BENCH_YEAR, version=1)[0].pk for r in regions
        ]

    def december_run():
        """What the December beat job does: all regions in one task (services.perform_reckonings)."""
        ids = queue()
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            done = services.perform_reckonings(reckoning_ids=ids)
            elapsed = time.perf_counter() - t0
        assert all(r.run_state == "done" for r in done), [r.error for r in done if r.error]
        return elapsed, len(ctx.captured_queries)

    def one_by_one():
        """What a coordinator's "bereken" button does: one region per task (services.perform_reckoning)."""
        queries = []
        t0 = time.perf_counter()
        for pk in queue():
            with CaptureQueriesContext(connection) as ctx:
                done = services.perform_reckoning(reckoning_id=pk)
            queries.append(len(ctx.captured_queries))
            assert done.run_state == "done", done.error
        return time.perf_counter() - t0, queries

    def compute_only():
        with CaptureQueriesContext(connection) as ctx:
            out = services.compute_reckonings(regions=regions, year=BENCH_YEAR)
        assert not [c for c in out.values() if isinstance(c, Exception)]
        return len(ctx.captured_queries)

    def cycle_only():
        """The December run of BENCH_YEAR + 1 computes the settlement of BENCH_YEAR and the fee of BENCH_YEAR + 1
        together (issue 12: WM-SO 6.7, WM-DVO 6.1)."""
        with CaptureQueriesContext(connection) as ctx:
            out = services.compute_cycle(regions=regions, year=BENCH_YEAR + 1)
        problems = [c for part in out.values() for c in part.values() if isinstance(c, Exception)]
        assert not problems, problems[:3]
        return len(ctx.captured_queries)

    def raw(sql):
        def work():
            with connection.cursor() as cursor:
                cursor.execute(sql, [BENCH_YEAR])
                cursor.fetchall()

        return work

    # Warm up the caches once (both sides), then take the best of three of everything, alternating.
    clear()
    compute_only()
    raw(SAME_AGGREGATION)()
    first_run, first_queries = december_run()  # no reckoning yet: everything is inserted
    rerun = best_of(3, december_run)  # the drafts are recomputed in place
    compute_queries = compute_only()
    compute = best_of(3, compute_only)
    cycle_queries = cycle_only()
    cycle = best_of(3, cycle_only)
    floor = best_of(3, raw(SAME_AGGREGATION))
    bare = best_of(3, raw(BARE_GROUP_BY))
    clear()
    single_total, single_queries = one_by_one()

    print(
        f"year {BENCH_YEAR}: {year_lines:,} cost lines in {len(regions)} regions "
        f"({min(lines_per_region):,}-{max(lines_per_region):,} per region)"
    )
    print(
        "floor: the same aggregation as one raw SQL query (sum per key version, split per member): "
        f"{floor * 1000:.1f} ms"
    )
    print(f"       (a bare GROUP BY region, category over the year: {bare * 1000:.1f} ms)")
    print(
        f"compute all regions (services.compute_reckonings): {compute * 1000:.1f} ms, {compute_queries} queries "
        f"in all -> {compute / floor:.2f}x the floor"
    )
    print(
        f"fee {BENCH_YEAR + 1} and settlement {BENCH_YEAR} together (services.compute_cycle): {cycle * 1000:.1f} ms, "
        f"{cycle_queries} queries in all -> {cycle / floor:.2f}x the floor"
    )
    print(
        f"December run, compute + write, all regions in one task: first {first_run:.2f} s ({first_queries} queries, "
        f"{first_queries / len(regions):.1f} per region), re-run {rerun:.2f} s -> {rerun / floor:.1f}x the floor"
    )
    print(
        f"one region per task (the button), all 40 in turn: {single_total:.2f} s; queries per region "
        f"{min(single_queries)}-{max(single_queries)} (independent of the number of cost lines)"
    )


if __name__ == "__main__":
    main()

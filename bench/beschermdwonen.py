"""Benchmark of beschermd wonen's money at national scale (issue 13). Not a test: it prints figures.

25,000 clients over 342 municipalities in 40 regions, 5 years of notifications and indications (2020-2024), 1 million
realised-cost lines, on PostgreSQL. Reports

* the fees (WM-DVO annex 1) and the financing (annex 3 §2-3) of all regions for one year, against a raw SQL floor of
  the same aggregations measured in the same run, as a ratio (the target: within 3x);
* the import of 100,000 declaration lines (iWmo WMO303: BSN pseudonymised at the door, all-or-nothing checks,
  double-booking check, bulk insert), as lines per second (the target: at least 20,000 lines/s).

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/regio_bw_bench uv run python bench/beschermdwonen.py

(add ``--quick`` for a run at a tenth of the scale).

``--quick`` scales everything down by 10 (2,500 clients, 100,000 cost lines; the import still reads 100,000 lines).
The data set is generated once per scale (deterministic, seed 13) and reused; ``--fresh`` drops and rebuilds it.
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
QUICK = "--quick" in sys.argv
URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/regio_bw_bench")
if QUICK:
    URL += "_quick"
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regio.settings")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only")

SCALE = 10 if QUICK else 1
MUNICIPALITIES, REGIONS = 342, 40
CLIENTS = 25_000 // SCALE
COST_LINES = 1_000_000 // SCALE
IMPORT_LINES = 100_000
RUNS = 3  # the import is measured a few times: the machine is shared
FIRST_YEAR, YEARS = 2020, 5
BENCH_YEAR = 2024
PRODUCTS = ["arrangement", "begeleiding", "bb_basis", "bb_intensief", "intramuraal"]


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


def bsn(n: int) -> str:
    """The n-th nine-digit number that passes the 11-test (test numbers only; no real person)."""
    base = 100_000_000 + n * 11
    while True:
        digits = f"{base:09d}"
        total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
        if total % 11 == 0:
            return digits
        base += 1


def generate() -> None:
    from django.db import connection

    from beschermdwonen.models import (
        Assessment,
        Client,
        CostImport,
        Indication,
        Notification,
        RealisedCost,
        RegionSetting,
        Residence,
    )
    from costsharing.models import Activity, ActivityComponent, NormScale, NormYear
    from regio.models import Membership, Municipality, Region

    if RealisedCost.objects.unrestricted("bench").count() >= COST_LINES:
        print(f"data set present: {RealisedCost.objects.unrestricted('bench').count():,} cost lines")
        return
    rng = random.Random(13)
    started = time.perf_counter()
    municipalities = Municipality.objects.bulk_create(
        Municipality(code=f"GM{9000 - i:04d}", name=f"Benchgemeente {i}") for i in range(MUNICIPALITIES)
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
    for r, region in enumerate(regions):
        # Half the regions started the objective model on 1-1-2023: they charge fees and have new clients.
        RegionSetting.objects.create(region=region, objective_model_start=date(2023, 1, 1) if r % 2 else None)
        norms = NormYear.objects.create(
            region=region,
            year=BENCH_YEAR,
            productive_hours=Decimal("1345"),
            overhead_per_hour=Decimal("21.00"),
            price_level_date=date(2024, 1, 1),
        )
        NormScale.objects.bulk_create(
            [
                NormScale(norm_year=norms, scale=8, norm=Decimal("78000")),
                NormScale(norm_year=norms, scale=10, norm=Decimal("97200")),
            ]
        )
        for code, h10, h8 in (
            ("bw-melding-intramuraal", "7", "1"),
            ("bw-melding-extramuraal", "7", "0.25"),
            ("bw-lopende-indicatie", "5", "1"),
        ):
            activity = Activity.objects.create(region=region, code=code, name=code)
            ActivityComponent.objects.bulk_create(
                [
                    ActivityComponent(activity=activity, function="Consulent", scale=10, hours=Decimal(h10)),
                    ActivityComponent(activity=activity, function="Beheer", scale=8, hours=Decimal(h8)),
                ]
            )
    clients, residences = [], []
    for n in range(CLIENTS):
        region = regions[n % REGIONS]
        clients.append(Client(region=region, reference=f"BENCH-{n:06d}"))
    clients = Client.objects.bulk_create(clients, batch_size=5000)
    homes = {}
    for client in clients:
        town = rng.choice(members[client.region_id])
        homes[client.pk] = town
        residences.append(Residence(client=client, municipality=town, valid_from=date(2019, 1, 1)))
    Residence.objects.bulk_create(residences, batch_size=5000)
    notifications, indications = [], []
    for client in clients:
        town = homes[client.pk]
        start = date(FIRST_YEAR, 1, 1) + timedelta(days=rng.randint(0, 365 * YEARS - 1))
        notifications.append(
            Notification(
                client=client,
                notified_on=start,
                kind=rng.choice(["intramural", "extramural"]),
                municipality=town,
                notified_by="bench",
            )
        )
        for _ in range(rng.randint(1, 2)):
            care_start = start + timedelta(days=rng.randint(10, 90))
            ends = care_start + timedelta(days=rng.randint(90, 1500)) if rng.random() < 0.5 else None
            indications.append(
                Indication(
                    client=client,
                    product=rng.choice(PRODUCTS),
                    decided_on=care_start - timedelta(days=5),
                    care_start=care_start,
                    ends_on=ends,
                    decided_by=members[client.region_id][0],
                    responsible_municipality=town,
                )
            )
    notifications = Notification.objects.bulk_create(notifications, batch_size=5000)
    Indication.objects.bulk_create(indications, batch_size=5000)
    Assessment.objects.bulk_create(
        (
            Assessment(
                notification=n,
                advice_kind="ggd" if i % 3 == 0 else "none",
                advice_cost=Decimal("450.00") if i % 3 == 0 else Decimal("0"),
                consultation_hours=Decimal("2.5") if i % 4 == 0 else Decimal("0"),
                consultation_requested_by=n.municipality if i % 4 == 0 else None,
            )
            for i, n in enumerate(notifications)
        ),
        batch_size=5000,
    )
    imports = {
        region.pk: CostImport.objects.create(
            region=region,
            municipality=members[region.pk][0],
            file_format="table",
            filename="bench",
            digest=f"{r:064d}",
        )
        for r, region in enumerate(regions)
    }
    batch, made = [], 0
    for i in range(COST_LINES):
        client = clients[i % CLIENTS]
        year = FIRST_YEAR + (i // CLIENTS) % YEARS
        month = 1 + (i // (CLIENTS * YEARS)) % 12
        batch.append(
            RealisedCost(
                region_id=client.region_id,
                municipality=homes[client.pk],
                client_key=client.reference,
                year=year,
                period_start=date(year, month, 1),
                period_end=date(year, month, 28),
                product="BW01",
                amount=Decimal(rng.randint(50_000, 900_000)) / 100,
                cost_import=imports[client.region_id],
                line_key=f"bench-{i}",
            )
        )
        if len(batch) >= 20_000:
            RealisedCost.objects.bulk_create(batch, batch_size=5000)
            made += len(batch)
            batch = []
    RealisedCost.objects.bulk_create(batch, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"generated {MUNICIPALITIES} municipalities, {REGIONS} regions, {CLIENTS:,} clients, {len(indications):,} "
        f"indications, {COST_LINES:,} cost lines in {time.perf_counter() - started:.1f} s"
    )


# The same aggregations as raw SQL: costs per member split into existing and new clients (the client's first care
# start against the region's start date), notifications and running indications counted per member from the start
# date, advice and consultation summed per member.
FLOOR = [
    """
    WITH first_start AS (
        SELECT c.region_id, c.reference, MIN(i.care_start) AS care_start
        FROM beschermdwonen_indication i JOIN beschermdwonen_client c ON c.id = i.client_id GROUP BY 1, 2
    )
    SELECT r.region_id, r.municipality_id,
           (s.objective_model_start IS NOT NULL AND f.care_start >= s.objective_model_start) AS is_new, SUM(r.amount)
    FROM beschermdwonen_realisedcost r
    LEFT JOIN beschermdwonen_regionsetting s ON s.region_id = r.region_id
    LEFT JOIN first_start f ON f.region_id = r.region_id AND f.reference = r.client_key
    WHERE r.year = %(year)s GROUP BY 1, 2, 3
    """,
    """
    SELECT c.region_id, n.municipality_id, n.kind, COUNT(*)
    FROM beschermdwonen_notification n JOIN beschermdwonen_client c ON c.id = n.client_id
    JOIN beschermdwonen_regionsetting s ON s.region_id = c.region_id
    WHERE n.notified_on BETWEEN GREATEST(s.objective_model_start, %(first)s) AND %(last)s GROUP BY 1, 2, 3
    """,
    """
    SELECT c.region_id, i.responsible_municipality_id, COUNT(*)
    FROM beschermdwonen_indication i JOIN beschermdwonen_client c ON c.id = i.client_id
    JOIN beschermdwonen_regionsetting s ON s.region_id = c.region_id
    WHERE s.objective_model_start <= %(last)s AND i.care_start <= %(last)s
      AND (i.ends_on IS NULL OR i.ends_on >= GREATEST(s.objective_model_start, %(first)s)) GROUP BY 1, 2
    """,
    """
    SELECT c.region_id, n.municipality_id, SUM(a.advice_cost), SUM(a.consultation_hours)
    FROM beschermdwonen_assessment a JOIN beschermdwonen_notification n ON n.id = a.notification_id
    JOIN beschermdwonen_client c ON c.id = n.client_id
    WHERE n.notified_on BETWEEN %(first)s AND %(last)s GROUP BY 1, 2
    """,
]


def declaration(run: int, lines: int) -> bytes:
    """A WMO303 of ``lines`` prestaties over lines/20 clients (valid test BSNs), unique per run."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?><Bericht xmlns="http://www.istandaarden.nl/iwmo/3_2/wmo303/schema">'
    ]
    parts.append("<Header><BerichtCode>447</BerichtCode><Ontvanger>9000</Ontvanger></Header>")
    per_client = 20
    for c in range(lines // per_client):
        parts.append(f"<Client><Bsn>{bsn(run * 100_000 + c)}</Bsn><Prestaties>")
        for p in range(per_client):
            month = 1 + p % 12
            parts.append(
                f"<Prestatie><ProductReferentie><ReferentieNummer>R{run}-{c}-{p}</ReferentieNummer>"
                f"</ProductReferentie><ToewijzingNummer>T{c}</ToewijzingNummer><ProductCategorie>41</ProductCategorie>"
                f"<ProductCode>BW01</ProductCode><ProductPeriode><Begindatum>2025-{month:02d}-01</Begindatum>"
                f"<Einddatum>2025-{month:02d}-28</Einddatum></ProductPeriode><GeleverdVolume>28</GeleverdVolume>"
                f"<Eenheid>14</Eenheid><IngediendBedrag><Bedrag>{100_000 + p}</Bedrag><DebetCredit>D</DebetCredit>"
                "</IngediendBedrag></Prestatie>"
            )
        parts.append("</Prestaties></Client>")
    parts.append("</Bericht>")
    return "".join(parts).encode()


def backend_cpu(connection):
    """A function answering the CPU seconds the PostgreSQL backend of this connection has used so far (from
    /proc/<pid>/stat when the server runs on this machine; else -1): the import's time in the database, apart from the
    waiting a loaded machine adds to the wall clock."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    stat = Path(f"/proc/{pid}/stat")
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def read() -> float:
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return -1.0
        return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime

    return read


def best_of(runs: int, work) -> float:
    best = None
    for _ in range(runs):
        t0 = time.perf_counter()
        work()
        elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
    return best


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)
    ensure_database("--fresh" in sys.argv)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from beschermdwonen import costimport
    from beschermdwonen.fees import money_of_regions
    from beschermdwonen.models import CostImport, RealisedCost
    from regio.models import Municipality, Region
    from regio.tenancy import system_actor

    call_command("migrate", verbosity=0)
    generate()
    regions = list(Region.objects.unrestricted("bench").filter(code__startswith="bench-").order_by("code"))
    year_lines = RealisedCost.objects.unrestricted("bench").filter(year=BENCH_YEAR).count()
    params = {"year": BENCH_YEAR, "first": date(BENCH_YEAR, 1, 1), "last": date(BENCH_YEAR, 12, 31)}

    def money():
        money_of_regions(regions=regions, year=BENCH_YEAR)

    def floor():
        with connection.cursor() as cursor:
            for sql in FLOOR:
                cursor.execute(sql, params)
                cursor.fetchall()

    money()
    floor()
    with CaptureQueriesContext(connection) as ctx:
        money()
    ours = best_of(3, money)
    raw = best_of(3, floor)
    print(f"year {BENCH_YEAR}: {year_lines:,} realised-cost lines, {CLIENTS:,} clients in {len(regions)} regions")
    print(f"floor: the same aggregations as {len(FLOOR)} raw SQL queries: {raw * 1000:.1f} ms")
    print(
        f"fees + financing of all regions (beschermdwonen.fees.money_of_regions): {ours * 1000:.1f} ms, "
        f"{len(ctx.captured_queries)} queries in all -> {ours / raw:.2f}x the floor (target: at most 3x)"
    )

    # The import: a fresh WMO303 of IMPORT_LINES prestaties per run, timed end to end, then removed again.
    settings.BW_IMPORT_MAX_BYTES = 200 * 1024 * 1024
    region = regions[0]
    town = Municipality.objects.unrestricted("bench").get(code="GM9000")
    actor = system_actor("bench")
    rates, cpu_rates = [], []
    leftovers = CostImport.objects.unrestricted("bench").filter(filename="b.xml").values_list("pk", flat=True)
    RealisedCost.objects.unrestricted("bench").filter(cost_import__in=list(leftovers))._raw_delete("default")
    CostImport.objects.unrestricted("bench").filter(pk__in=list(leftovers))._raw_delete("default")
    backend = backend_cpu(connection)
    for run in range(1, RUNS + 1):
        content = declaration(run, IMPORT_LINES)
        cpu0, db0 = time.process_time(), backend()
        t0 = time.perf_counter()
        result = costimport.import_costs(
            user=actor, region=region, municipality=town, filename="b.xml", content=content
        )
        elapsed = time.perf_counter() - t0
        cpu, db = time.process_time() - cpu0, (backend() - db0 if db0 >= 0 else -1.0)
        assert result.booked == IMPORT_LINES, result
        t1 = time.perf_counter()
        again = costimport.import_costs(
            user=actor, region=region, municipality=town, filename="b.xml", content=content
        )
        twice = time.perf_counter() - t1
        assert again.booked == 0 and again.duplicate_file
        rates.append(IMPORT_LINES / elapsed)
        # Remove the run's lines again without signals (history rows for 100,000 deletions are not the point here).
        RealisedCost.objects.unrestricted("bench").filter(cost_import=result.cost_import)._raw_delete("default")
        CostImport.objects.unrestricted("bench").filter(pk=result.cost_import.pk)._raw_delete("default")
        cpu_rates.append(IMPORT_LINES / (cpu + db) if db >= 0 else None)
        print(
            f"import run {run}: {IMPORT_LINES:,} WMO303 lines ({len(content) / 1e6:.1f} MB) in {elapsed:.2f} s "
            f"-> {IMPORT_LINES / elapsed:,.0f} lines/s; CPU: Python {cpu:.2f} s"
            + (f" + PostgreSQL backend {db:.2f} s -> {cpu_rates[-1]:,.0f} lines per CPU second" if db >= 0 else "")
            + f"; the same file again: {twice:.2f} s, nothing booked; load average {os.getloadavg()[0]:.1f}"
        )
    print(f"import: best {max(rates):,.0f} lines/s wall clock (target: at least 20,000 lines/s)", end="")
    known = [r for r in cpu_rates if r]
    print(f"; best {max(known):,.0f} lines per CPU second (what an idle core would do)" if known else "")


if __name__ == "__main__":
    main()

"""Benchmark of invoice PDFs (issue #6). Not a test: it prints figures.

Renders 342 invoices (one per municipality, one region coordinated by the first) to PDF the way the Celery task does
(database read, template, WeasyPrint, private-media file, document row) in one worker process, and reports invoices
per second per worker. Then it renders the very same HTML with bare WeasyPrint in a separate Python process without
Django, and reports the ratio. Goal: within 1.5x of bare WeasyPrint.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/regio_inv_bench \\
        uv run python bench/invoices.py [--count N] [--rounds R]

The database is dropped and rebuilt on every run (it takes seconds).
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/regio_inv_bench")
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regio.settings")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DEBUG", "0")  # DEBUG keeps every SQL query in memory
os.environ.setdefault("SECRET_KEY", "bench-only")

BARE = """
import sys, time
from pathlib import Path
from weasyprint import HTML
files = sorted(Path(sys.argv[1]).glob("*.html"))
HTML(string=files[0].read_text(encoding="utf-8")).write_pdf()  # warm-up (fonts, imports), as on the Django side
start = time.perf_counter_ns()
for f in files:
    HTML(string=f.read_text(encoding="utf-8")).write_pdf()
print(time.perf_counter_ns() - start)
"""


def recreate_database() -> None:
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
        conn.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
        conn.execute(f'CREATE DATABASE "{config["NAME"]}"')


def build(count: int, media: Path) -> list[int]:
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from agreements.models import Agreement, Mandate
    from invoicing import services
    from invoicing.models import InvoiceDocument, InvoicingProfile
    from regio.models import Membership, Municipality, Region, User

    settings.MEDIA_ROOT = media
    call_command("migrate", verbosity=0)
    services.issuing._render_later = lambda document_id: None  # render below, timed, not at issue (issuing.issue)
    region = Region.objects.unrestricted().create(code="bench", name="Benchregio")
    municipalities = [
        Municipality.objects.unrestricted().create(code=f"GM{1000 + i:04d}", name=f"Gemeente {i:03d}")
        for i in range(count)
    ]
    agreement = Agreement.objects.unrestricted().create(
        code="BENCH-SO-2025",
        kind="samenwerkingsovereenkomst",
        title="Bench",
        region=region,
        coordinator=municipalities[0],
        effective_from=date(2025, 1, 1),
    )
    for i, m in enumerate(municipalities):
        Membership.objects.unrestricted().create(
            region=region, municipality=m, valid_from=date(2025, 1, 1), coordinating=i == 0
        )
        InvoicingProfile.objects.unrestricted().create(
            municipality=m,
            legal_name=f"Gemeente {m.name}",
            street=f"Markt {i + 1}",
            postal_code="1234 AB",
            city=m.name,
            oin=f"{i + 1:020d}",
            vat_number="NL004495445B01",
            iban="NL91ABNA0417164300",
        )
        if i:
            Mandate.objects.unrestricted().create(
                agreement=agreement,
                mandating=m,
                mandated=municipalities[0],
                mandated_body="college",
                powers=["invoicing"],
                valid_from=date(2025, 1, 1),
            )
    user = User.objects.create(username="bench", municipality=municipalities[0])
    user.groups.add(Group.objects.get_or_create(name="coordinator")[0])
    documents = []
    for m in municipalities:  # the coordinator invoices itself too here: one invoice per municipality
        invoice = services.create_draft(
            user=user,
            region=region,
            recipient=m,
            subject="Uitvoeringskosten Wmo 2025",
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
        )
        for n in range(4):
            services.add_line(
                user=user,
                invoice=invoice,
                description=f"Kostensoort {n + 1} (aandeel {m.name})",
                quantity=Decimal("1"),
                unit_price=Decimal("1234.56") * (n + 1),
                vat_rate="21",
            )
        services.issue(user=user, invoice=invoice, on=date(2025, 12, 15))
        documents.append(InvoiceDocument.objects.unrestricted().get(invoice=invoice, kind="invoice").pk)
    return documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=342)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    recreate_database()
    import django

    django.setup()
    from invoicing import documents as docs
    from invoicing.models import InvoiceDocument
    from invoicing.tasks import render_document

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ids = build(args.count, tmp / "media")
        html_dir = tmp / "html"
        html_dir.mkdir()
        start = time.perf_counter()
        for pk in ids:
            document = InvoiceDocument.objects.unrestricted().select_related("invoice").get(pk=pk)
            (html_dir / f"{pk:06d}.html").write_text(docs.render_html(document.invoice, document.kind, document))
        html_seconds = time.perf_counter() - start
        gc.collect()
        gc.freeze()  # as a Celery worker does after start-up (invoicing/tasks.py)
        render_document(ids[0])  # warm-up (fonts, imports)
        django_runs, bare_runs = [], []
        # Rounds alternate between the two, and the best round of each counts: on a shared machine other load
        # only ever makes a round slower.
        for _round in range(args.rounds):
            InvoiceDocument.objects.unrestricted().filter(pk__in=ids).update(status="pending", file="")
            start = time.perf_counter()
            for pk in ids:
                assert render_document(pk) == "ready"
            django_runs.append(time.perf_counter() - start)
            out = subprocess.run(
                [sys.executable, "-c", BARE, str(html_dir)], check=True, capture_output=True, text=True
            )
            bare_runs.append(int(out.stdout.strip()) / 1e9)  # the child reports whole nanoseconds (a time, not money)
    n = len(ids)
    django_seconds, bare_seconds = min(django_runs), min(bare_runs)
    print(f"invoices rendered: {n} per round, {args.rounds} round(s); best round counts")
    print(
        f"Django task path : {django_seconds:7.2f} s  = {n / django_seconds:6.2f} invoices/s per worker"
        f"  (rounds: {', '.join(f'{r:.1f}' for r in django_runs)})"
    )
    print(f"  HTML part      : {html_seconds:7.2f} s  (database, template, interest; measured once)")
    print(
        f"bare WeasyPrint  : {bare_seconds:7.2f} s  = {n / bare_seconds:6.2f} invoices/s"
        f"  (rounds: {', '.join(f'{r:.1f}' for r in bare_runs)})"
    )
    ratio = django_seconds / bare_seconds
    print(f"ratio            : {ratio:.2f}x  ({'within' if ratio <= 1.5 else 'NOT within'} the 1.5x goal)")


if __name__ == "__main__":
    main()

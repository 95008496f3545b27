"""Backup and restore (issue 17): one archive with the PostgreSQL dump (custom format), the private documents and a
manifest of what it holds; a restore into a fresh database; and the check that compares the two.

The manifest has, for every table of the apps (the audit history's ``Historical*`` tables and the access log
included): the number of rows and the sum of every amount column (invoices, payments, reckonings, fees, ...), and
the SHA-256 of every file under ``MEDIA_ROOT`` (the private documents). ``manage.py backup_check`` prints it for the
current database or compares it with an archive's (exit status 1 and the differences in words when they differ).

Used by ``make backup`` / ``make restore`` (README, "Backups and restore"). PostgreSQL only: the embedded SQLite demo
is one file to copy.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, models

from regio.tenancy import TenantModel

APPS = ("regio", "agreements", "costsharing", "invoicing", "beschermdwonen", "toezicht")
DUMP = "database.dump"
MANIFEST = "manifest.json"
MEDIA = "private_media"
# The tables the README names, shown first in the summary.
HEADLINES = (
    "invoicing.Invoice",
    "invoicing.Payment",
    "invoicing.Payout",
    "costsharing.Reckoning",
    "costsharing.ReckoningLine",
    "regio.AccessLog",
)


def _tables() -> list[type[models.Model]]:
    return sorted(
        (m for m in apps.get_models() if m._meta.app_label in APPS and not m._meta.proxy and m._meta.managed),
        key=lambda m: m._meta.label,
    )


def _every_row(model) -> models.QuerySet:
    """The operator's check covers the whole database (it runs where pg_dump runs); only counts and sums leave it."""
    if issubclass(model, TenantModel):
        return model._default_manager.unrestricted("backup check: counts and sums of every row, for the operator")
    return model._default_manager.all()


def media_hashes(root: Path | None = None) -> dict[str, str]:
    root = Path(root or settings.MEDIA_ROOT)
    hashes: dict[str, str] = {}
    if not root.exists():
        return hashes
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        hashes[path.relative_to(root).as_posix()] = digest.hexdigest()
    return hashes


def manifest() -> dict:
    """Counts and amount sums of every table of the apps, and the hashes of the private documents."""
    tables: dict[str, dict] = {}
    for model in _tables():
        decimals = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.DecimalField)]
        aggregates = {"count": models.Count("pk")} | {f"sum:{n}": models.Sum(n) for n in decimals}
        row = _every_row(model).aggregate(**aggregates)
        tables[model._meta.label] = {
            "count": row["count"],
            "sums": {n: str(row[f"sum:{n}"] or Decimal("0")) for n in decimals},
        }
    history = sum(t["count"] for label, t in tables.items() if label.split(".")[1].startswith("Historical"))
    return {"tables": tables, "history_rows": history, "documents": media_hashes()}


def differences(expected: dict, actual: dict) -> list[str]:
    """What differs between two manifests, in words (empty: identical)."""
    found = []
    for label in sorted(set(expected["tables"]) | set(actual["tables"])):
        want, have = expected["tables"].get(label), actual["tables"].get(label)
        if want is None or have is None:
            found.append(f"tabel {label}: {'ontbreekt na herstel' if have is None else 'niet in de back-up'}")
            continue
        if want["count"] != have["count"]:
            found.append(f"tabel {label}: {want['count']} rijen verwacht, {have['count']} gevonden")
        for name, amount in want["sums"].items():
            if Decimal(have["sums"].get(name, "0")) != Decimal(amount):
                found.append(f"tabel {label}: som van {name} {amount} verwacht, {have['sums'].get(name)} gevonden")
    want_docs, have_docs = expected["documents"], actual["documents"]
    for name in sorted(set(want_docs) | set(have_docs)):
        if want_docs.get(name) != have_docs.get(name):
            state = "ontbreekt" if name not in have_docs else "extra" if name not in want_docs else "andere inhoud"
            found.append(f"document {name}: {state}")
    return found


def summary(data: dict) -> str:
    lines = []
    for label in HEADLINES:
        table = data["tables"].get(label)
        if table is not None:
            sums = ", ".join(f"{k} {v}" for k, v in table["sums"].items())
            lines.append(f"{label}: {table['count']} rijen{f' ({sums})' if sums else ''}")
    lines.append(f"auditgeschiedenis: {data['history_rows']} rijen")
    lines.append(f"documenten: {len(data['documents'])} bestanden")
    return "\n".join(lines)


# --- pg_dump / pg_restore ------------------------------------------------------------------------------------------


def _pg_env() -> dict[str, str]:
    """libpq's environment for the default database: no password on a command line."""
    if connection.vendor != "postgresql":
        raise CommandError("Back-up en herstel werken met PostgreSQL (DATABASE_URL); de SQLite-demo is één bestand.")
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGDATABASE": db["NAME"], "PGHOST": db.get("HOST") or "127.0.0.1"}
    env["PGPORT"] = str(db.get("PORT") or 5432)
    if db.get("USER"):
        env["PGUSER"] = db["USER"]
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _run(command: list[str]) -> None:
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise CommandError(f"{command[0]} mislukte: {result.stderr.strip()[-2000:]}")


def create_backup(archive: Path) -> dict:
    """Write the archive: dump, private documents, manifest. Returns the manifest."""
    archive = Path(archive)
    with tempfile.TemporaryDirectory(prefix="regio-backup-") as work:
        work = Path(work)
        data = manifest()  # before the dump: a row written in between shows up as a difference after a restore
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={work / DUMP}"])
        (work / MANIFEST).write_text(json.dumps(data, indent=1, sort_keys=True))
        archive.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(work / DUMP, arcname=DUMP)
            tar.add(work / MANIFEST, arcname=MANIFEST)
            root = Path(settings.MEDIA_ROOT)
            if root.exists():
                tar.add(root, arcname=MEDIA)
    return data


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile(MANIFEST)
        if member is None:
            raise CommandError(f"{archive} is geen back-up van Regio Wmo: {MANIFEST} ontbreekt.")
        return json.loads(member.read())


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        return cursor.fetchone()[0] == 0


def restore_backup(archive: Path) -> dict:
    """Restore the archive into the (fresh, empty) database of DATABASE_URL and MEDIA_ROOT; returns the manifest."""
    archive = Path(archive)
    if not archive.is_file():
        raise CommandError(f"Back-up {archive} bestaat niet.")
    _pg_env()
    if not _database_is_empty():
        raise CommandError(
            "De database is niet leeg: herstel alleen in een nieuwe, lege database (createdb), nooit over de "
            "lopende heen."
        )
    root = Path(settings.MEDIA_ROOT)
    if root.exists() and any(root.iterdir()):
        raise CommandError(f"De documentenmap {root} is niet leeg: herstel in een lege map (PRIVATE_MEDIA_ROOT).")
    with tempfile.TemporaryDirectory(prefix="regio-restore-") as work:
        work = Path(work)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work, filter="data")
        connection.close()  # pg_restore works on the database; this process reads it again afterwards
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                f"--dbname={_pg_env()['PGDATABASE']}",
                str(work / DUMP),
            ]
        )
        if (work / MEDIA).exists():
            shutil.copytree(work / MEDIA, root, dirs_exist_ok=True)
        return json.loads((work / MANIFEST).read_text())

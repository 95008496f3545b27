"""Backup and restore drill (issue 17): ``make backup`` and ``make restore`` exactly as the README says, into a fresh
database, and ``make backup-check`` proves counts and sums of invoices, payments, reckonings, the audit history and
the private documents identical; a changed amount or a lost document in the restored copy is named."""

from __future__ import annotations

import os
import subprocess
from datetime import date
from decimal import Decimal

import psycopg
import pytest
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection

from invoicing import services as invoicing
from regio.backup import differences, manifest, restore_backup
from tests.costsharing.reckonings import approved_reckoning
from tests.invoicing.helpers import coordinator, issued

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _admin(sql: str) -> None:
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(sql)


def _make(target: str, *, database: str, media, archive) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "regio.settings",
        "DATABASE_URL": _url(database),
        "PRIVATE_MEDIA_ROOT": str(media),
    }
    env.pop("REDIS_URL", None)
    return subprocess.run(
        ["make", "--no-print-directory", target, f"BACKUP={archive}"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_backup_restore_into_a_fresh_database_and_check(world, tmp_path):
    user = coordinator(world)
    reckoning = approved_reckoning(
        user=user, region=world.a, year=2025, figures={world.a1: ("600.00", "500.00"), world.a2: ("400.00", "300.00")}
    )
    invoice = issued(world)
    invoicing.register_payment(user=user, invoice=invoice, amount=Decimal("1000.50"), paid_on=date(2025, 12, 20))
    media = settings.MEDIA_ROOT
    (media / "toezicht").mkdir(parents=True)
    (media / "toezicht" / "verslag").write_bytes(b"%PDF-1.4 verslag")
    source = connection.settings_dict["NAME"]
    archive = tmp_path / "backups" / "regio.tar.gz"
    restored_db = f"{source}_restore"[:63]
    restored_media = tmp_path / "restored_media"
    expected = manifest()
    assert expected["tables"]["invoicing.Payment"]["sums"]["amount"] == "1000.50"
    assert expected["tables"]["costsharing.Reckoning"]["count"] == 1 and reckoning.pk
    assert expected["history_rows"] > 0 and "toezicht/verslag" in expected["documents"]

    done = _make("backup", database=source, media=media, archive=archive)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "invoicing.Invoice: 1 rijen" in done.stdout
    _admin(f'DROP DATABASE IF EXISTS "{restored_db}"')
    _admin(f'CREATE DATABASE "{restored_db}"')
    try:
        done = _make("restore", database=restored_db, media=restored_media, archive=archive)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Hersteld en gecontroleerd" in done.stdout  # restore ends with the check against the manifest
        assert (restored_media / "toezicht" / "verslag").read_bytes() == b"%PDF-1.4 verslag"

        # A restore over a database that is not empty is refused: never over the running one.
        with pytest.raises(CommandError, match="niet leeg"):
            restore_backup(archive)

        # The check command can fail: a changed amount and a lost document are named.
        with psycopg.connect(_url(restored_db), autocommit=True) as restored:
            restored.execute("ALTER TABLE invoicing_payment DISABLE TRIGGER USER")  # past the frozen guard
            restored.execute("UPDATE invoicing_payment SET amount = amount + 0.01")
        (restored_media / "toezicht" / "verslag").unlink()
        done = _make("backup-check", database=restored_db, media=restored_media, archive=archive)
        assert done.returncode != 0
        assert "invoicing.Payment: som van amount 1000.50 verwacht, 1000.51 gevonden" in done.stderr
        assert "document toezicht/verslag: ontbreekt" in done.stderr
        assert "Gelijk aan" not in done.stdout
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{restored_db}" WITH (FORCE)')
    assert differences(expected, manifest()) == []  # the backup itself changed nothing

"""Load the statutory interest rates since 2013 (art. 6:119 and 6:119a BW) from data/wettelijke-rente.csv.

The CSV is copied into this app so the migration does not depend on files outside the repository. Rows marked
``partly`` or ``no`` must be checked against the Staatsblad before production use (SPEC §6.6). Re-running loads
nothing twice (update_or_create on kind + start date).
"""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import migrations

CSV_PATH = Path(__file__).resolve().parent.parent / "data" / "wettelijke-rente.csv"
COLUMNS = {"non-commercial": "non_commercial_pct", "commercial": "commercial_pct"}


def rows():
    with CSV_PATH.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for kind, column in COLUMNS.items():
                yield {
                    "kind": kind,
                    "valid_from": date.fromisoformat(row["from"]),
                    "rate": Decimal(row[column]),
                    "verified": row["verified"].strip(),
                    "source": row["source"].strip(),
                }


def load(apps, schema_editor):
    Rate = apps.get_model("invoicing", "StatutoryInterestRate")
    for row in rows():
        Rate.objects.update_or_create(
            kind=row["kind"],
            valid_from=row["valid_from"],
            defaults={"rate": row["rate"], "verified": row["verified"], "source": row["source"]},
        )


def unload(apps, schema_editor):
    Rate = apps.get_model("invoicing", "StatutoryInterestRate")
    for row in rows():
        Rate.objects.filter(kind=row["kind"], valid_from=row["valid_from"]).delete()


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]

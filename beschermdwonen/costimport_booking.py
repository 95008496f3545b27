"""Booking the checked lines of a cost import (``beschermdwonen.costimport``): line keys, the municipality of residence
of the imported clients, and the insert that books each line once.

PostgreSQL: every line is streamed with one ``COPY`` (psycopg 3, text format, one buffer) into a temporary table,
then moved in one ``INSERT … SELECT … ON CONFLICT (region, line_key) DO NOTHING``: the database's unique constraint
``bw_cost_unique_line`` decides what was booked before (no per-row query, no 100.000-element array parameter) and
the same statement answers how many lines it booked and their total. Elsewhere (SQLite: the embedded demo, ``make
run``) the booked keys are read in chunks and the new lines go in with ``bulk_create(batch_size=...)``. Both run
inside the import's transaction: all or nothing.
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

from django.db import connection

from beschermdwonen.models import RealisedCost, Residence

CHUNK = 500  # keys per IN (...) on SQLite (its limit on variables), rows per INSERT of bulk_create
_STAGE = "bw_cost_stage"
_COLUMNS = ("municipality_id", "client_key", "year", "period_start", "period_end", "product", "amount", "line_key")
_COPY_SPECIAL = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def line_keys(lines) -> list[str]:
    """One key per line, the same for the same line in any later file: a WMO303 line by its receiver and the
    provider's reference with debit/credit, a table row by its values; repeats inside one file are numbered (the
    second identical row is a line of its own)."""
    seen: dict[str, int] = {}
    keys = []
    sha = hashlib.sha256
    for line in lines:
        if line.reference:
            basis = f"303|{line.municipality_code}|{line.reference}"
        else:
            basis = (
                f"t|{line.client_key}|{line.product}|{line.start}|{line.end}|{line.amount}|{line.municipality_code}"
            )
        n = seen[basis] = seen.get(basis, 0) + 1
        keys.append(sha(f"{basis}|{n}".encode()).hexdigest())
    return keys


def residences(region, client_keys: set[str]) -> dict[str, list[tuple]]:
    """{client reference: [(valid_from, valid_to, municipality pk), ...]} of the imported clients in the register."""
    out: dict[str, list[tuple]] = {}
    keys = sorted(client_keys)
    for i in range(0, len(keys), 5000):
        rows = (
            Residence.objects.unrestricted("the municipality of residence of imported clients (woonplaatsbeginsel)")
            .filter(client__region=region, client__reference__in=keys[i : i + 5000])
            .values_list("client__reference", "municipality_id", "valid_from", "valid_to")
        )
        for reference, municipality_id, valid_from, valid_to in rows:
            out.setdefault(reference, []).append((valid_from, valid_to, municipality_id))
    return out


def book(*, region_id: int, cost_import_id: int, rows: list[tuple]) -> tuple[int, Decimal]:
    """Book the rows (tuples in ``_COLUMNS`` order, validated and bounded by the caller) that are not booked yet in
    the region; answer (lines booked, their total). Runs inside the caller's transaction."""
    if connection.vendor == "postgresql":
        return _book_copy(region_id, cost_import_id, rows)
    return _book_portable(region_id, cost_import_id, rows)


def _copy_text(rows: list[tuple]) -> str:
    """The rows as PostgreSQL COPY text: one string, each distinct value formatted once (a client's key, a product
    code and a date recur on many lines)."""
    text: dict[object, str] = {}

    def fmt(value) -> str:
        found = text.get(value)
        if found is None:
            found = text[value] = (value.isoformat() if isinstance(value, date) else str(value)).translate(
                _COPY_SPECIAL
            )
        return found

    return "".join(
        f"{m}\t{fmt(client)}\t{year}\t{fmt(start)}\t{fmt(end)}\t{fmt(product)}\t{amount}\t{key}\n"
        for m, client, year, start, end, product, amount, key in rows
    )


def _book_copy(region_id: int, cost_import_id: int, rows: list[tuple]) -> tuple[int, Decimal]:
    table = RealisedCost._meta.db_table
    columns = ", ".join(_COLUMNS)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: same connection, same transaction
        raw.execute(f"DROP TABLE IF EXISTS {_STAGE}")
        raw.execute(
            f"CREATE TEMPORARY TABLE {_STAGE} (municipality_id bigint, client_key varchar(40), year smallint, "
            "period_start date, period_end date, product varchar(20), amount numeric(14, 2), line_key varchar(64)) "
            "ON COMMIT DROP"
        )
        with raw.copy(f"COPY {_STAGE} ({columns}) FROM STDIN") as copy:
            copy.write(_copy_text(rows))
        raw.execute(
            f"WITH booked AS (INSERT INTO {table} (region_id, cost_import_id, {columns}) "  # noqa: S608 fixed names
            f"SELECT %s, %s, {columns} FROM {_STAGE} ON CONFLICT (region_id, line_key) DO NOTHING RETURNING amount) "
            "SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM booked",
            [region_id, cost_import_id],
        )
        count, total = raw.fetchone()
        raw.execute(f"DROP TABLE {_STAGE}")
    return count, Decimal(total).quantize(Decimal("0.01"))


def _book_portable(region_id: int, cost_import_id: int, rows: list[tuple]) -> tuple[int, Decimal]:
    booked = RealisedCost.objects.unrestricted("line keys booked before (no record leaves)").filter(
        region_id=region_id
    )
    keys = [row[-1] for row in rows]
    known: set[str] = set()
    for i in range(0, len(keys), CHUNK):
        known.update(booked.filter(line_key__in=keys[i : i + CHUNK]).values_list("line_key", flat=True))
    new = [
        RealisedCost(region_id=region_id, cost_import_id=cost_import_id, **dict(zip(_COLUMNS, row, strict=True)))
        for row in rows
        if row[-1] not in known
    ]
    RealisedCost.objects.bulk_create(new, batch_size=CHUNK)
    return len(new), sum((cost.amount for cost in new), Decimal("0.00"))

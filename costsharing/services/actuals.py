"""Actual costs: the CSV/Excel import of actual cost lines and a line entered by hand. Articles: WM-SO 6.3."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from costsharing.models import (
    STAFF_CATEGORIES,
    ActualCostLine,
    Category,
)
from costsharing.services._common import require_coordinator
from regio.formatting import format_date
from regio.models import Region


@dataclass
class ImportProblem:
    row: int
    message: str

    def __str__(self) -> str:
        return f"rij {self.row}: {self.message}"


class ImportRefused(ValidationError):
    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__([str(p) for p in problems])


HEADERS = {
    "datum": "date",
    "date": "date",
    "kostensoort": "category",
    "categorie": "category",
    "category": "category",
    "omschrijving": "description",
    "description": "description",
    "bedrag": "amount",
    "amount": "amount",
}


def _category(value: str) -> str | None:
    text = (value or "").strip().lower()
    for choice in Category:
        if text in {choice.value, choice.label.lower(), choice.label.split(".")[0].lower()}:
            return choice.value
    return None


def _amount(value) -> Decimal:
    """A ledger amount: an Excel number (a binary float, taken by its shortest decimal form) or text typed the Dutch
    way, read by the product's one amount parser (regio.amounts; issue 10, finding 6: no "1e5", no 14+ digits)."""
    from django.core.exceptions import ValidationError as AmountError

    from regio.amounts import parse_dutch, parse_plain

    try:
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return parse_plain(value, minimum=None)
        return parse_dutch(str(value or ""), minimum=None)
    except AmountError:
        raise InvalidOperation from None


def _date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _rows(filename: str, content: bytes) -> list[tuple[int, dict]]:
    if filename.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ImportRefused([ImportProblem(1, f"het Excel-bestand is niet te lezen ({exc}).")]) from exc
        raw = [(i, list(r)) for i, r in enumerate(sheet.iter_rows(values_only=True), start=1)]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportRefused([ImportProblem(1, "het bestand is geen tekst in UTF-8.")]) from exc
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=";,\t")
        raw = [(i, r) for i, r in enumerate(csv.reader(io.StringIO(text), dialect), start=1)]
    raw = [(i, r) for i, r in raw if any(str(c or "").strip() for c in r)]
    if not raw:
        raise ImportRefused([ImportProblem(1, "het bestand is leeg.")])
    header_row, header = raw[0]
    columns = [HEADERS.get(str(h or "").strip().lower()) for h in header]
    missing = {"date", "category", "description", "amount"} - set(columns)
    if missing:
        names = {"date": "datum", "category": "kostensoort", "description": "omschrijving", "amount": "bedrag"}
        raise ImportRefused(
            [ImportProblem(header_row, "kolom ontbreekt: " + ", ".join(sorted(names[m] for m in missing)))]
        )
    return [(i, {c: r[k] if k < len(r) else None for k, c in enumerate(columns) if c}) for i, r in raw[1:]]


def import_actuals(*, user, region: Region, year: int, filename: str, content: bytes) -> list[ActualCostLine]:
    """Import actual cost lines from the coordinating municipality's ledger (CSV or Excel: datum, kostensoort,
    omschrijving, bedrag). Every bad row is reported with its row number; when any row is bad nothing is imported.
    A row imported before from the same file (same values) is not imported twice."""
    require_coordinator(user, region)
    problems: list[ImportProblem] = []
    parsed = []
    for row, values in _rows(filename, content):
        try:
            day = _date(values.get("date"))
        except ValueError:
            problems.append(ImportProblem(row, f"'{values.get('date')}' is geen datum (gebruik dd-mm-jjjj)."))
            day = None
        category = _category(str(values.get("category") or ""))
        if category is None:
            problems.append(ImportProblem(row, f"onbekende kostensoort '{values.get('category')}'."))
        elif category in STAFF_CATEGORIES:
            problems.append(
                ImportProblem(row, "personeelskosten komen uit de formatie tegen de geïndexeerde norm (WM-SO 6.3).")
            )
        description = str(values.get("description") or "").strip()
        if not description:
            problems.append(ImportProblem(row, "de omschrijving ontbreekt."))
        try:
            amount = _amount(values.get("amount"))
        except (InvalidOperation, ValueError):
            problems.append(ImportProblem(row, f"'{values.get('amount')}' is geen bedrag in euro's en centen."))
            amount = None
        if day is not None and day.year != year:
            problems.append(ImportProblem(row, f"de datum {format_date(day)} valt niet in {year}."))
        parsed.append((row, day, category, description[:300], amount))
    if problems:
        raise ImportRefused(problems)
    created = []
    with transaction.atomic():
        for row, day, category, description, amount in parsed:
            source = f"{filename} rij {row}"
            line, made = ActualCostLine.objects.unrestricted().get_or_create(
                region=region,
                year=day.year,
                date=day,
                category=category,
                description=description,
                amount=amount,
                source=source,
            )
            if made:
                created.append(line)
    return created


def add_actual(*, user, region: Region, day: date, category: str, description: str, amount: Decimal) -> ActualCostLine:
    """One actual cost line entered by hand by the coordinating municipality."""
    require_coordinator(user, region)
    if category in STAFF_CATEGORIES:
        raise ValidationError("Personeelskosten komen uit de formatie tegen de geïndexeerde norm (WM-SO 6.3).")
    line = ActualCostLine(
        region=region,
        year=day.year,
        date=day,
        category=category,
        description=description,
        amount=amount,
        source="ingevoerd",
    )
    line.full_clean()
    line.save()
    return line

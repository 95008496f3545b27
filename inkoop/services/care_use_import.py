"""The import of care use per member, product, provider and period (BNO 4: the centre municipality's half-yearly
monitoring). A table exported from a member's Wmo system, CSV or Excel (``.xlsx``), one line of care use a row:

``client`` (the pseudonymous reference) or ``bsn``, ``gemeente`` (CBS code; else the municipality chosen on the
form), ``product``, ``soort`` (the product kind, code or name), ``aanbieder`` (name) and/or ``agb`` (AGB code of the
provider), ``begindatum``, ``einddatum``, ``omvang`` (volume), ``eenheid`` (unit, optional), ``bedrag`` (cost).

Rules:

* a BSN is turned into its keyed pseudonym at the door (``regio.privacy.pseudonymise_bsn``) and nothing else of it is
  kept or echoed; a reference that looks like a BSN is refused;
* all or nothing: one bad row and nothing is imported, and every bad row is named by its number;
* bounded: the file size (``INKOOP_IMPORT_MAX_BYTES``, default 10 MB), its unpacked size for Excel and the number of
  rows (``INKOOP_IMPORT_MAX_ROWS``, default 100.000);
* a line's period lies within one half-year (the report's period), within the plausible window;
* the same file twice is recognised (SHA-256) and books nothing twice.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from inkoop.models import CareUse, CareUseImport, ProductKind, Provider
from regio import bounds
from regio.amounts import parse_dutch, parse_plain
from regio.privacy import bsn_digits, contains_bsn, pseudonymise_bsn
from regio.tenancy import ADD, person, require

SHOWN_PROBLEMS = 100


def max_bytes() -> int:
    return int(getattr(settings, "INKOOP_IMPORT_MAX_BYTES", 10 * 1024 * 1024))


def max_rows() -> int:
    return int(getattr(settings, "INKOOP_IMPORT_MAX_ROWS", 100_000))


class CareUseRefused(ValidationError):
    """Nothing was imported; ``problems`` names every bad row (never a BSN)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:SHOWN_PROBLEMS]
        if len(problems) > SHOWN_PROBLEMS:
            shown.append(f"en nog {len(problems) - SHOWN_PROBLEMS} fouten")
        super().__init__(shown)


@dataclass
class Imported:
    care_import: CareUseImport
    lines: int
    total: Decimal
    again: bool = False


COLUMNS = {
    "client": "client",
    "cliënt": "client",
    "clientreferentie": "client",
    "cliëntreferentie": "client",
    "bsn": "bsn",
    "burgerservicenummer": "bsn",
    "gemeente": "municipality",
    "product": "product",
    "productcode": "product",
    "soort": "kind",
    "productsoort": "kind",
    "aanbieder": "provider",
    "agb": "agb",
    "agb-code": "agb",
    "begindatum": "start",
    "einddatum": "end",
    "omvang": "volume",
    "volume": "volume",
    "eenheid": "unit",
    "bedrag": "amount",
    "kosten": "amount",
}
REQUIRED = {
    "product": "product",
    "kind": "soort",
    "start": "begindatum",
    "end": "einddatum",
    "volume": "omvang",
    "amount": "bedrag",
}
KINDS = {k.value: k.value for k in ProductKind} | {str(k.label).lower(): k.value for k in ProductKind}


def _rows(filename: str, content: bytes) -> list[list]:
    """The file's rows as lists of cells; refuses what is too big or unreadable."""
    if len(content) > max_bytes():
        raise CareUseRefused([f"het bestand is groter dan {max_bytes() // (1024 * 1024)} MB."])
    if filename.lower().endswith(".xlsx"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                if sum(i.file_size for i in archive.infolist()) > 10 * max_bytes():
                    raise CareUseRefused(["het Excel-bestand is uitgepakt te groot."])
            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
            rows = []
            for row in sheet.iter_rows(values_only=True):
                rows.append(list(row))
                if len(rows) > max_rows() + 1:
                    break
            return rows
        except CareUseRefused:
            raise
        except Exception as exc:  # a damaged archive raises many kinds
            raise CareUseRefused(["het Excel-bestand is niet te lezen."]) from exc
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CareUseRefused(["het bestand is geen CSV in UTF-8 en geen Excel-bestand (.xlsx)."]) from exc
    header = text.partition("\n")[0]
    dialect = ";" if header.count(";") >= header.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text), delimiter=dialect))
    except csv.Error as exc:
        raise CareUseRefused([f"het CSV-bestand is niet te lezen ({exc})."]) from exc


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()[:10]
    for pattern in ("%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            pass
    raise ValueError(text)


def _as_decimal(value, *, minimum) -> Decimal:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return parse_plain(Decimal(str(value)), minimum=minimum)
    return parse_dutch(str(value or ""), minimum=minimum)


def half_of(day: date) -> tuple[int, int]:
    return day.year, 1 if day.month <= 6 else 2


class _Row:
    """One row read against the header; collects its problems in the list it is given."""

    def __init__(self, number: int, cells: list, index: dict[str, int], problems: list[str]):
        self.where = f"rij {number}"
        self.cells, self.index, self.problems = cells, index, problems

    def cell(self, name: str) -> str:
        k = self.index.get(name)
        value = self.cells[k] if k is not None and k < len(self.cells) else None
        return value if isinstance(value, date | int | float | Decimal) else str(value or "").strip()

    def bad(self, message: str) -> None:
        self.problems.append(f"{self.where}: {message}")

    def client_key(self) -> str | None:
        bsn, reference = str(self.cell("bsn")), str(self.cell("client"))
        if bsn:
            if bsn_digits(bsn) is None:
                self.bad("het burgerservicenummer is ongeldig (de 11-proef klopt niet).")
                return None
            return pseudonymise_bsn(bsn)
        if not reference or len(reference) > 40 or contains_bsn(reference):
            self.bad("geef een pseudonieme cliëntreferentie (hoogstens 40 tekens, geen BSN).")
            return None
        return reference

    def text(self, name: str, label: str, limit: int, *, required: bool = True) -> str | None:
        value = str(self.cell(name))
        if (required and not value) or len(value) > limit or contains_bsn(value):
            self.bad(f"{label} ontbreekt of is te lang (hoogstens {limit} tekens, geen BSN).")
            return None
        return value

    def period(self) -> tuple[date, date] | None:
        try:
            start, end = _as_date(self.cell("start")), _as_date(self.cell("end"))
            bounds.check_date(start)
            bounds.check_date(end)
        except (ValueError, ValidationError):
            self.bad("begin- of einddatum is geen plausibele datum (dd-mm-jjjj).")
            return None
        if end < start:
            self.bad("de einddatum ligt voor de begindatum.")
            return None
        if half_of(start) != half_of(end):
            self.bad("de periode valt in twee halfjaren; splits haar per halfjaar.")
            return None
        return start, end

    def number(self, name: str, label: str, *, minimum) -> Decimal | None:
        try:
            return _as_decimal(self.cell(name), minimum=minimum)
        except ValidationError as exc:
            self.bad(f"{label}: {' '.join(exc.messages)}")
            return None


def parse(filename: str, content: bytes, *, members: dict[str, int], default_code: str, providers: dict[str, object]):
    """The rows as ``CareUse`` field dicts, or ``CareUseRefused`` naming every bad row."""
    rows = [(n, r) for n, r in enumerate(_rows(filename, content), start=1) if any(str(c or "").strip() for c in r)]
    if not rows:
        raise CareUseRefused(["het bestand is leeg."])
    if len(rows) > max_rows() + 1:
        raise CareUseRefused([f"het bestand heeft meer dan {max_rows()} regels; splits het."])
    header = [COLUMNS.get(str(h or "").strip().lower()) for h in rows[0][1]]
    index = {name: k for k, name in enumerate(header) if name}
    missing = [label for key, label in REQUIRED.items() if key not in index]
    if "client" not in index and "bsn" not in index:
        missing.append("client of bsn")
    if "provider" not in index and "agb" not in index:
        missing.append("aanbieder of agb")
    if missing:
        raise CareUseRefused([f"rij {rows[0][0]}: kolom ontbreekt: {', '.join(missing)}."])
    problems: list[str] = []
    lines = []
    for number, cells in rows[1:]:
        row = _Row(number, cells, index, problems)
        before = len(problems)
        client_key = row.client_key()
        code = str(row.cell("municipality")).upper() or default_code
        if code not in members:
            row.bad(f"de gemeente {code[:10]} is geen lid van de regio.")
        product = row.text("product", "de productcode", 20)
        kind = KINDS.get(str(row.cell("kind")).lower())
        if kind is None:
            row.bad("de soort product is onbekend (bijvoorbeeld begeleiding, dagbesteding, huishouden).")
        agb = str(row.cell("agb")).replace(" ", "")
        provider = providers.get(agb) if agb else None
        if agb and provider is None and not row.cell("provider"):
            row.bad("de AGB-code staat niet in het aanbiedersregister en er is geen naam van de aanbieder.")
        name = row.text("provider", "de naam van de aanbieder", 200, required=False)
        period = row.period()
        volume = row.number("volume", "de omvang", minimum=Decimal(0))
        amount = row.number("amount", "het bedrag", minimum=None)
        unit = row.text("unit", "de eenheid", 20, required=False)
        if len(problems) > before:
            continue
        lines.append(
            {
                "municipality_id": members[code],
                "client_key": client_key,
                "product": product,
                "kind": kind,
                "provider": provider,
                "provider_name": name or (provider.name if provider else ""),
                "year": half_of(period[0])[0],
                "half": half_of(period[0])[1],
                "period_start": period[0],
                "period_end": period[1],
                "volume": volume,
                "unit": unit,
                "amount": amount,
            }
        )
    if problems:
        raise CareUseRefused(problems)
    if not lines:
        raise CareUseRefused(["het bestand bevat geen regels zorggebruik."])
    return lines


def import_care_use(*, user, region, municipality, filename: str, content: bytes) -> Imported:
    """Import one file of care use for ``region`` (BNO 4); the acting user is the region's coordinating staff.

    ``municipality`` is the member whose system the file comes from (the default for rows without ``gemeente``).
    """
    require(user, ADD, region, "Alleen de centrumgemeente leest zorggebruik in voor de regio (BNO 4).")
    members = {m.code: m.pk for m in region.members_on()}
    if municipality.code not in members:
        raise ValidationError({"municipality": ["Deze gemeente is geen lid van de regio."]})
    providers = {
        p.agb_code: p
        for p in Provider.objects.restrict(user)
        .filter(region=region)
        .exclude(agb_code="")
        .only("pk", "agb_code", "name")
    }
    digest = hashlib.sha256(content[: max_bytes() + 1]).hexdigest()
    lines = parse(filename, content, members=members, default_code=municipality.code, providers=providers)
    with transaction.atomic():
        from regio.models import Region

        Region.objects.unrestricted("lock: one care-use import per region at a time").select_for_update().get(
            pk=region.pk
        )
        require(user, ADD, region)
        done = CareUseImport.objects.unrestricted("the same file twice").filter(region=region, digest=digest).first()
        if done is not None:
            return Imported(done, done.lines, done.total, again=True)
        total = sum((line["amount"] for line in lines), Decimal("0.00"))
        care_import = CareUseImport.objects.create(
            region=region,
            municipality=municipality,
            filename="bestand" if contains_bsn(filename) else filename[:200],
            digest=digest,
            lines=len(lines),
            total=total,
            created_by=person(user),
        )
        CareUse.objects.bulk_create(
            [CareUse(region=region, care_import=care_import, **line) for line in lines], batch_size=2000
        )
    return Imported(care_import, len(lines), total)

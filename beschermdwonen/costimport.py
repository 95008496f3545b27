"""The import of realised costs per client (issue 13; WM-DVO 7.1-7.2, annex 3 §2-3).

Two formats:

* a table (CSV, or Excel ``.xlsx``) exported from a municipality's Wmo system, one cost a row, columns
  ``bsn`` or ``client`` (the pseudonymous reference), ``product``, ``begindatum``, ``einddatum``, ``bedrag`` and
  optionally ``gemeente`` (CBS code of the responsible municipality);
* the iWmo declaration message WMO303 (iWmo 3.x, Zorginstituut Nederland): a ``Bericht`` with a ``Header``
  (``Ontvanger``: the municipality's code) and ``Client`` elements, each with its ``Bsn`` and ``Prestaties``; a
  ``Prestatie`` holds ``ProductReferentie/ReferentieNummer``, ``ProductCode``, ``ProductPeriode`` (``Begindatum``,
  ``Einddatum``) and ``IngediendBedrag`` (``Bedrag`` in eurocents, ``DebetCredit`` D or C).

Rules (issue 13, "Realised costs per client"):

* a BSN becomes its keyed pseudonym (``regio.privacy.pseudonymise_bsn``, HMAC with ``BW_PSEUDONYM_SECRET``) at the
  door; nothing else of it is kept, and no message repeats it;
* one bad record: nothing is imported, and every bad record is named (row or Prestatie number);
* the same file twice books nothing twice (the file's SHA-256), and a line booked before by another file neither
  (its ``line_key``: for WMO303 the provider's reference and debit/credit, for a table the row's values);
* the file size is bounded (``BW_IMPORT_MAX_BYTES``); XML with a DOCTYPE or entities is refused (no expansion
  bombs), an Excel file whose unpacked size exceeds the bound too;
* the responsible municipality is the client's municipality of residence in the register on the period's start
  (woonplaatsbeginsel, annex 3 §3), else the file's ``gemeente``/``Ontvanger``; it must be a member of the region.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from beschermdwonen import costimport_booking as booking
from beschermdwonen.models import CostImport, ImportFormat
from regio.amounts import parse_dutch
from regio.privacy import bsn_digits, contains_bsn, pseudonymise_bsn
from regio.tenancy import person

MAX_PROBLEMS = 200  # every bad record is named, up to this many (then: "en N meer")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "BW_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass
class ImportResult:
    cost_import: CostImport | None
    lines: int
    booked: int
    already: int
    total: Decimal
    duplicate_file: bool = False


class ImportRefused(ValidationError):
    """Nothing was imported: ``problems`` names every bad record (without any BSN)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(f"en nog {len(problems) - MAX_PROBLEMS} fouten")
        super().__init__(shown)


@dataclass(slots=True)
class Line:
    where: str
    client_key: str
    product: str
    start: date
    end: date
    amount: Decimal
    municipality_code: str
    reference: str = ""


@dataclass
class Parsed:
    lines: list[Line] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


# --- reading ------------------------------------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y%m%d")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if _ISO.match(text):
        return date.fromisoformat(text)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError


_PLAIN_AMOUNT = re.compile(r"^-?\d{1,12}(\.\d{1,2})?$")


def _amount(value) -> Decimal:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        text = str(Decimal(str(value)))
    else:
        text = str(value or "").strip()
    if _PLAIN_AMOUNT.match(text):  # a machine export: 1234.56
        return Decimal(text).quantize(Decimal("0.01"))
    return parse_dutch(text, minimum=None)


def _client_key(bsn: str, reference: str, where: str, problems: list[str]) -> str | None:
    if bsn:
        if bsn_digits(bsn) is None:
            problems.append(f"{where}: het burgerservicenummer is ongeldig (de 11-proef klopt niet).")
            return None
        return pseudonymise_bsn(bsn)
    if not reference:
        problems.append(f"{where}: geen burgerservicenummer en geen cliëntreferentie.")
        return None
    if contains_bsn(reference) or len(reference) > 40:
        problems.append(f"{where}: de cliëntreferentie is geen pseudoniem (hoogstens 40 tekens, geen BSN).")
        return None
    return reference


def _check_period(line_where: str, start, end, problems: list[str]) -> bool:
    if end < start:
        problems.append(f"{line_where}: de einddatum ligt voor de begindatum.")
        return False
    if start.year != end.year:
        problems.append(f"{line_where}: de periode valt in twee jaren; splits haar per jaar.")
        return False
    if not 2015 <= start.year <= 2100:
        problems.append(f"{line_where}: het jaar {start.year} valt buiten het mogelijke bereik.")
        return False
    return True


HEADERS = {
    "bsn": "bsn",
    "burgerservicenummer": "bsn",
    "client": "client",
    "cliënt": "client",
    "clientreferentie": "client",
    "cliëntreferentie": "client",
    "product": "product",
    "productcode": "product",
    "begindatum": "start",
    "van": "start",
    "einddatum": "end",
    "tot en met": "end",
    "bedrag": "amount",
    "gemeente": "municipality",
}


def _table_rows(filename: str, content: bytes) -> list[tuple[int, list]]:
    if filename.lower().endswith((".xlsx", ".xlsm")):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile as exc:
            raise ImportRefused(["het Excel-bestand is niet te lezen."]) from exc
        if unpacked > 10 * max_bytes():
            raise ImportRefused(["het Excel-bestand is uitgepakt te groot."])
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
            return [(i, list(r)) for i, r in enumerate(sheet.iter_rows(values_only=True), start=1)]
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ImportRefused(["het Excel-bestand is niet te lezen."]) from exc
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(["het bestand is geen tekst in UTF-8."]) from exc
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    return list(enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1))


def parse_table(filename: str, content: bytes) -> Parsed:
    rows = [(i, r) for i, r in _table_rows(filename, content) if any(str(c or "").strip() for c in r)]
    if not rows:
        raise ImportRefused(["het bestand is leeg."])
    header_row, header = rows[0]
    columns = [HEADERS.get(str(h or "").strip().lower()) for h in header]
    missing = {"product", "start", "end", "amount"} - set(columns)
    if "bsn" not in columns and "client" not in columns:
        missing.add("bsn of client")
    if missing:
        names = {"product": "product", "start": "begindatum", "end": "einddatum", "amount": "bedrag"}
        raise ImportRefused(
            [f"rij {header_row}: kolom ontbreekt: " + ", ".join(sorted(names.get(m, m) for m in missing))]
        )
    index = {c: k for k, c in enumerate(columns) if c}
    out = Parsed()
    problems = out.problems
    keys: dict[tuple[str, str], str | None] = {}  # (bsn, reference) -> client key: one HMAC per distinct BSN
    dates: dict[object, date | None] = {}

    def date_of(value) -> date | None:
        cache_key = value if isinstance(value, str | date) else repr(value)
        if cache_key not in dates:
            try:
                dates[cache_key] = _date(value)
            except ValueError:
                dates[cache_key] = None
        return dates[cache_key]

    for number, row in rows[1:]:
        where = f"rij {number}"

        def cell(name, row=row):
            k = index.get(name)
            return row[k] if k is not None and k < len(row) else None

        ids = (str(cell("bsn") or "").strip(), str(cell("client") or "").strip())
        if ids in keys:
            key = keys[ids]
            if key is None:
                _client_key(*ids, where, problems)  # names this row too
        else:
            key = keys[ids] = _client_key(*ids, where, problems)
        product = str(cell("product") or "").strip()
        if not product or len(product) > 20 or contains_bsn(product):
            problems.append(f"{where}: de productcode ontbreekt of is langer dan 20 tekens.")
            product = ""
        start, end = date_of(cell("start")), date_of(cell("end"))
        if start is None or end is None:
            problems.append(f"{where}: begin- of einddatum is geen datum (gebruik dd-mm-jjjj).")
        try:
            amount = _amount(cell("amount"))
        except ValidationError:
            problems.append(f"{where}: het bedrag is geen bedrag in euro's en centen.")
            amount = None
        code = str(cell("municipality") or "").strip().upper()
        if code and not re.fullmatch(r"GM\d{4}", code):
            problems.append(f"{where}: de gemeente is geen CBS-code (bijvoorbeeld GM1883).")
        if key is None or start is None or end is None or amount is None or not product:
            continue
        if _check_period(where, start, end, problems):
            out.lines.append(Line(where, key, product, start, end, amount, code))
    return out


_NINE_DIGITS = re.compile(r"\d(?:[ .\-]?\d){8}")  # what a BSN in a text needs at least (regio.privacy)
_DOCTYPE_OR_ENTITY = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# The leaves of a Prestatie that the import reads, each with the element it must sit in (the same name occurs
# elsewhere: ``Bedrag`` also in ``BerekendBedrag``, ``ReferentieNummer`` is not ``VorigReferentieNummer``).
_WMO303_LEAVES = {
    "Bsn": ("Client", "bsn"),
    "ReferentieNummer": ("ProductReferentie", "reference"),
    "ProductCode": ("Prestatie", "product"),
    "Begindatum": ("ProductPeriode", "start"),
    "Einddatum": ("ProductPeriode", "end"),
    "Bedrag": ("IngediendBedrag", "cents"),
    "DebetCredit": ("IngediendBedrag", "sign"),
}


def _wmo303_root(content: bytes):
    from lxml import etree

    if _DOCTYPE_OR_ENTITY.search(content):
        raise ImportRefused(["het bericht bevat een DOCTYPE of entiteiten; dat is in iWmo niet toegestaan."])
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise ImportRefused(["het bericht is geen geldige XML."]) from exc
    ns = root.tag[: root.tag.index("}") + 1] if isinstance(root.tag, str) and root.tag.startswith("{") else ""
    if root.tag != f"{ns}Bericht" or root.find(f"{ns}Header") is None:
        raise ImportRefused(["dit is geen iWmo-bericht (geen Bericht met Header)."])
    return root, ns


def _prestaties(root, ns: str):
    """Each Prestatie as a dict of the leaves the import reads, with its client's Bsn: one pass over the elements in
    C (``iter`` with the wanted tags), no ElementPath lookup per field."""
    prestatie, client = f"{ns}Prestatie", f"{ns}Client"
    leaves = {f"{ns}{name}": (f"{ns}{parent}", key) for name, (parent, key) in _WMO303_LEAVES.items()}
    current, bsn = None, ""
    for element in root.iter(client, prestatie, *leaves):
        tag = element.tag
        if tag == prestatie:
            if current is not None:
                yield current
            current = {"bsn": bsn}
        elif tag == client:
            if current is not None:
                yield current
            current, bsn = None, ""
        else:
            parent, key = leaves[tag]
            if element.getparent().tag != parent:
                continue
            text = (element.text or "").strip()
            if key == "bsn":
                bsn = text
            elif current is not None:
                current[key] = text
    if current is not None:
        yield current


def parse_wmo303(content: bytes) -> Parsed:
    """The WMO303 declaration (iWmo 3.x). Entities and DTDs are refused outright (no expansion bombs, no network).

    Each BSN is pseudonymised once (a dict of the distinct numbers: the HMAC is the costly part), each distinct date
    text parsed once."""
    root, ns = _wmo303_root(content)
    ontvanger = (root.findtext(f"{ns}Header/{ns}Ontvanger") or "").strip()
    code = f"GM{ontvanger}" if re.fullmatch(r"\d{4}", ontvanger) else ""
    if not code:
        raise ImportRefused(["Header: Ontvanger is geen gemeentecode van vier cijfers."])
    out = Parsed()
    problems = out.problems
    keys: dict[str, str | None] = {}
    dates: dict[str, date | None] = {}
    checked: dict[str, bool] = {}  # reference or product code -> acceptable
    number = 0

    def key_of(bsn: str) -> str | None:
        if bsn not in keys:
            keys[bsn] = pseudonymise_bsn(bsn) if bsn_digits(bsn) else None
        return keys[bsn]

    def date_of(text: str) -> date | None:
        if text not in dates:
            try:
                dates[text] = date.fromisoformat(text) if _ISO.match(text) else None
            except ValueError:
                dates[text] = None
        return dates[text]

    def fine(text: str, limit: int) -> bool:
        ok = checked.get(text)
        if ok is None:
            # Nine digits in a row (separators allowed) or no BSN at all: the 11-test only for those that have them.
            maybe_bsn = _NINE_DIGITS.search(text) is not None and contains_bsn(text)
            ok = checked[text] = bool(text) and len(text) <= limit and not maybe_bsn
        return ok

    for item in _prestaties(root, ns):
        number += 1
        where = f"prestatie {number}"
        bsn = item["bsn"]
        key = key_of(bsn)
        if key is None:
            _client_key(bsn, "", where, problems)  # names the record, never the number
        reference, product = item.get("reference", ""), item.get("product", "")
        start, end = date_of(item.get("start", "")), date_of(item.get("end", ""))
        if start is None or end is None:
            problems.append(f"{where}: de ProductPeriode heeft geen geldige datums (jjjj-mm-dd).")
        cents, sign = item.get("cents", ""), item.get("sign", "")
        amount = None
        if not cents.isdigit() or len(cents) > 12 or sign not in ("D", "C"):
            problems.append(f"{where}: IngediendBedrag heeft geen Bedrag in eurocenten met DebetCredit D of C.")
        else:
            amount = Decimal(int(cents) if sign == "D" else -int(cents)).scaleb(-2)
        if not fine(reference, 60):
            problems.append(f"{where}: ProductReferentie/ReferentieNummer ontbreekt.")
            reference = ""
        if not fine(product, 20):
            problems.append(f"{where}: de ProductCode ontbreekt.")
            product = ""
        if key is None or start is None or end is None or amount is None or not reference or not product:
            continue
        if _check_period(where, start, end, problems):
            out.lines.append(Line(where, key, product, start, end, amount, code, reference + sign))
    if number == 0:
        problems.append("het bericht bevat geen prestaties.")
    return out


# --- booking (beschermdwonen.costimport_booking) -----------------------------------------------------------------


def import_costs(*, user, region, municipality, filename: str, content: bytes) -> ImportResult:
    """Import a file of realised costs for ``region``, sent by or for ``municipality`` (WM-DVO 7.1-7.2, annex 3 §3).
    All or nothing: a bad record refuses the whole file and names every bad record."""
    from beschermdwonen.selectors import is_access_team

    if not is_access_team(user, region):
        raise PermissionDenied("Alleen de Toegang van de coördinerende gemeente leest gerealiseerde kosten in.")
    if len(content) > max_bytes():
        raise ImportRefused([f"het bestand is groter dan {max_bytes() // (1024 * 1024)} MB."])
    if not content:
        raise ImportRefused(["het bestand is leeg."])
    name = (filename or "bestand").rsplit("/", 1)[-1][:200]
    if contains_bsn(name):
        name = "bestand"
    digest = hashlib.sha256(content).hexdigest()
    done = CostImport.objects.unrestricted("the same file twice").filter(region=region, digest=digest).first()
    if done is not None:  # answered before reading it (checked again under the lock below)
        return ImportResult(done, done.lines, 0, done.lines, Decimal("0.00"), duplicate_file=True)
    is_xml = content.lstrip()[:1] == b"<"
    file_format = ImportFormat.WMO303 if is_xml else ImportFormat.TABLE
    parsed = parse_wmo303(content) if is_xml else parse_table(name, content)
    from regio.models import Membership

    members = {
        m.municipality.code: m.municipality
        for m in Membership.objects.unrestricted("the region's members of any period")
        .filter(region=region)
        .select_related("municipality")
    }
    periods = booking.residences(region, {line.client_key for line in parsed.lines})
    rows = []
    for line in parsed.lines:
        municipality_id = None
        for valid_from, valid_to, m_id in periods.get(line.client_key, ()):
            if valid_from <= line.start and (valid_to is None or line.start <= valid_to):
                municipality_id = m_id
        if municipality_id is None:
            code = line.municipality_code or municipality.code
            member = members.get(code)
            if member is None:
                parsed.problems.append(f"{line.where}: de gemeente {code} is geen lid van {region.name}.")
                continue
            municipality_id = member.pk
        rows.append(
            [municipality_id, line.client_key, line.start.year, line.start, line.end, line.product, line.amount, None]
        )
    if parsed.problems:
        raise ImportRefused(parsed.problems)
    for row, key in zip(rows, booking.line_keys(parsed.lines), strict=True):
        row[-1] = key
    with transaction.atomic():
        from regio.models import Region

        Region.objects.unrestricted("lock: one import of a region at a time").select_for_update().get(pk=region.pk)
        done = CostImport.objects.unrestricted("the same file twice").filter(region=region, digest=digest).first()
        if done is not None:
            return ImportResult(done, len(rows), 0, len(rows), Decimal("0.00"), duplicate_file=True)
        cost_import = CostImport.objects.create(
            region=region,
            municipality=municipality,
            file_format=file_format,
            filename=name,
            digest=digest,
            lines=len(rows),
            created_by=person(user),
        )
        booked, total = booking.book(region_id=region.pk, cost_import_id=cost_import.pk, rows=rows)
        CostImport.objects.unrestricted("the import just made").filter(pk=cost_import.pk).update(
            booked=booked, total=total
        )
        cost_import.booked, cost_import.total = booked, total
    return ImportResult(cost_import, len(rows), booked, len(rows) - booked, total)

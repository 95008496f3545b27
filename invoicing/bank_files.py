"""Reading bank statement files: CAMT.053 (ISO 20022, versions .001.02 to .001.08), MT940 and CSV, in the dialects
of the banks Dutch municipalities use (issue 17: BNG Bank, ING, ABN AMRO, Rabobank, Triodos, SNS, ASN, Knab; the
differences and how each is read are in docs/invoicing.md). Pure functions on bytes: nothing is stored here.

* A file that is really broken is refused whole with a Dutch message naming the line or element, never a library's
  own text. Anything a bank merely writes differently (a header block, an IBAN with its currency, a structured or a
  free :86:, a namespace version, a batch booking) is read.
* Bounded: at most ``MAX_FILE_BYTES``; XML without entity expansion or network access (lxml with
  ``resolve_entities=False``), and at most ``MAX_ENTRIES`` entries.
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree

from invoicing.models import StatementFormat
from regio.amounts import parse_dutch, parse_plain

ZERO_AMOUNT = Decimal("0.00")
CENT = Decimal("0.01")
MAX_FILE_BYTES = 5 * 1024 * 1024  # the upload form's bound, for every caller
MAX_ENTRIES = 20_000

logger = logging.getLogger(__name__)


class StatementError(ValueError):
    """A file that cannot be read; the message names the line or element (Dutch)."""


@dataclass
class Entry:
    position: int
    booked_on: date
    amount: Decimal  # always positive; ``debit`` says the money went out
    counterparty_name: str = ""
    counterparty_iban: str = ""
    remittance: str = ""
    reference: str = ""  # bank's entry reference or end-to-end id
    account: str = ""
    debit: bool = False


@dataclass
class Parsed:
    statement_id: str
    entries: list[Entry]


# --- CAMT.053 ----------------------------------------------------------------------------------------------------


def _local(el) -> str:
    return etree.QName(el).localname


def _child(el, *path):
    for name in path:
        if el is None:
            return None
        el = next((c for c in el if isinstance(c.tag, str) and _local(c) == name), None)
    return el


def _children(el, name):
    return [c for c in el if isinstance(c.tag, str) and _local(c) == name] if el is not None else []


def _text(el, *path) -> str:
    found = _child(el, *path)
    return (found.text or "").strip() if found is not None and found.text else ""


def _camt_amount(amount_el, where: str) -> Decimal:
    if amount_el is None or not (amount_el.text or "").strip():
        raise StatementError(_("%(where)s: <Amt> ontbreekt.") % {"where": where})
    try:
        amount = parse_plain(amount_el.text, minimum=ZERO_AMOUNT)  # xs:decimal, no exponent, two decimals
    except ValidationError as exc:
        raise StatementError(
            _("%(where)s: <Amt> '%(v)s' is geen bedrag.") % {"where": where, "v": amount_el.text.strip()[:40]}
        ) from exc
    if amount_el.get("Ccy", "EUR") != "EUR":
        raise StatementError(_("%(where)s: alleen bedragen in euro (EUR).") % {"where": where})
    return amount


def _camt_transactions(entry, where: str, amount: Decimal) -> list[tuple[object, Decimal]]:
    """The transactions of an entry with their amounts. A batch booking (several <TxDtls>, as ABN AMRO and Rabobank
    book a collective payment) is read per transaction, each with its own amount (``AmtDtls/TxAmt/Amt`` in .001.02,
    ``Amt`` in .001.08); a single transaction takes the entry's amount."""
    details = [tx for block in _children(entry, "NtryDtls") for tx in _children(block, "TxDtls")]
    if len(details) <= 1:
        return [(details[0] if details else None, amount)]
    out = []
    for tx in details:
        own = _child(tx, "AmtDtls", "TxAmt", "Amt")
        own = own if own is not None else _child(tx, "Amt")
        if own is None:  # a batch without amounts per transaction: one entry, as the bank booked it
            return [(details[0], amount)]
        out.append((tx, _camt_amount(own, f"{where} <TxDtls> regel {tx.sourceline}")))
    if sum((a for _tx, a in out), ZERO_AMOUNT) != amount:
        raise StatementError(
            _("%(where)s: de bedragen van de transacties tellen niet op tot het bedrag van de boeking.")
            % {"where": where}
        )
    return out


def parse_camt053(data: bytes) -> Parsed:
    """The fields of CAMT.053 (versions .001.02 to .001.08) we use: Stmt/Id, Acct/Id/IBAN (or Othr/Id), Ntry (Amt,
    CdtDbtInd, BookgDt/Dt or DtTm, AcctSvcrRef, AddtlNtryInf) and its TxDtls (RmtInf/Ustrd, RmtInf/Strd/CdtrRefInf/Ref,
    RltdPties/Dbtr/Nm or Dbtr/Pty/Nm (.001.08), DbtrAcct/Id/IBAN, Refs/EndToEndId); a batch per transaction."""
    if len(data) > MAX_FILE_BYTES:
        raise StatementError(_("Het bestand is groter dan 5 MB; vraag de bank om een afschrift per kortere periode."))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise StatementError(
            _("Het bestand is geen geldige XML: regel %(line)s, kolom %(col)s klopt niet.")
            % {"line": exc.lineno, "col": exc.offset}
        ) from exc
    if _local(root) != "Document" or "camt.053" not in (etree.QName(root).namespace or ""):
        raise StatementError(_("Dit is geen CAMT.053-bestand (verwacht <Document> in de camt.053-namespace)."))
    report = _child(root, "BkToCstmrStmt")
    statements = _children(report, "Stmt")
    if not statements:
        raise StatementError(_("Element <BkToCstmrStmt>/<Stmt> ontbreekt."))
    entries: list[Entry] = []
    ids = []
    for statement in statements:
        ids.append(_text(statement, "Id"))
        account = _text(statement, "Acct", "Id", "IBAN") or _text(statement, "Acct", "Id", "Othr", "Id")
        for entry in _children(statement, "Ntry"):
            where = f"<Ntry> regel {entry.sourceline}"
            amount = _camt_amount(_child(entry, "Amt"), where)
            indicator = _text(entry, "CdtDbtInd")
            if indicator not in ("CRDT", "DBIT"):
                raise StatementError(_("%(where)s: <CdtDbtInd> moet CRDT of DBIT zijn.") % {"where": where})
            booked = _text(entry, "BookgDt", "Dt") or _text(entry, "BookgDt", "DtTm")[:10]
            try:
                booked_on = date.fromisoformat(booked)
            except ValueError as exc:
                raise StatementError(
                    _("%(where)s: <BookgDt> '%(v)s' is geen datum.") % {"where": where, "v": booked[:40]}
                ) from exc
            debit = indicator == "DBIT"
            # Money in names the debtor (who paid us); money out the creditor (whom we paid).
            party, party_account = ("Cdtr", "CdtrAcct") if debit else ("Dbtr", "DbtrAcct")
            for index, (details, part) in enumerate(_camt_transactions(entry, where, amount), start=1):
                remittance = " ".join(
                    (u.text or "").strip() for u in _children(_child(details, "RmtInf"), "Ustrd")
                ) or _text(entry, "AddtlNtryInf")
                structured = _text(details, "RmtInf", "Strd", "CdtrRefInf", "Ref")
                end_to_end = _text(details, "Refs", "EndToEndId")
                end_to_end = "" if end_to_end.upper() == "NOTPROVIDED" else end_to_end
                entries.append(
                    Entry(
                        position=len(entries) + 1,
                        booked_on=booked_on,
                        amount=part,
                        counterparty_name=_text(details, "RltdPties", party, "Nm")
                        or _text(details, "RltdPties", party, "Pty", "Nm"),
                        counterparty_iban=_text(details, "RltdPties", party_account, "Id", "IBAN"),
                        remittance=" ".join(x for x in (structured, remittance) if x),
                        reference=(_text(entry, "AcctSvcrRef") or end_to_end)
                        + (f"/{index}" if part != amount else ""),  # a batch's transactions apart
                        account=account,
                        debit=debit,
                    )
                )
                if len(entries) > MAX_ENTRIES:
                    raise StatementError(_("Meer dan %(n)s boekingen in één bestand.") % {"n": MAX_ENTRIES})
    return Parsed(statement_id=";".join(i for i in ids if i), entries=entries)


# --- MT940 -------------------------------------------------------------------------------------------------------


# A statement line: value date, optional entry date, (reversal) credit/debit mark, optional funds code, the amount
# (with or without its decimal comma) and the rest (transaction type, references).
MT940_ENTRY = re.compile(r"^(?P<head>:61:\d{6}(?:\d{4})?R?[CD][A-Z]?)(?P<amount>\d+(?:,\d{0,2})?)(?P<rest>.*)$")


def _mt940_line_of(lines: list[str], numbers: list[int], exc: Exception) -> str:
    """Which line the mt-940 library could not read, in words ("regel 7 (:62F:)"), never the library's own text
    (it names its Python objects: "Unable to parse <mt940.tags.Statement object at 0x…>")."""
    value = exc.args[2] if len(exc.args) >= 3 and isinstance(exc.args[2], str) else None
    if value:
        for number, line in zip(numbers, lines, strict=True):
            if line.startswith(":") and value.strip() and value.strip().splitlines()[0] in line:
                return _("regel %(n)s (%(tag)s)") % {"n": number, "tag": f":{line.split(':')[1]}:"}
    return _("een veld")


# What banks put around the statement: SWIFT blocks ("{1:F01INGBNL2ABXXX0000000000}{2:I940…}{4:" … "-}": ING,
# Triodos, BNG), ABN AMRO's header lines ("ABNANL2A", "940", "ABNANL2A") and Rabobank's ":940:".
SWIFT_BLOCK = re.compile(r"^\{[1-5]:[^{}]*\}")
HEADER_LINE = re.compile(r"^(?:[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?|940|:940:)$")
CLOSING_TAGS = (":62F:", ":62M:", ":64:", ":65:")


def _mt940_lines(text: str) -> tuple[list[str], list[int]]:
    """The statement lines without the wrapping some banks write, and without the statement-level :86: that follows
    the closing balance (ING's "/SUM/…"): the library would add it to the last entry's text. With each line its
    number in the file, so that a message names the line the person sees."""
    out: list[str] = []
    numbers: list[int] = []
    in_statement, after_closing = False, False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        while (block := SWIFT_BLOCK.match(line)) is not None:
            line = line[block.end() :]
        if line.startswith("{4:"):
            line = line[3:]
        if line.strip() in ("-}", "}", "-"):
            if in_statement:
                out.append("-")
                numbers.append(number)
            in_statement = after_closing = False
            continue
        if not line.strip() or (not in_statement and HEADER_LINE.match(line.strip())):
            continue
        if line.startswith(":20:"):
            in_statement, after_closing = True, False
        elif line.startswith(CLOSING_TAGS):
            after_closing = True
        elif line.startswith(":61:"):
            after_closing = False
        elif after_closing and (line.startswith(":86:") or not line.startswith(":")):
            continue  # the statement-level :86: and its continuation lines
        out.append(line)
        numbers.append(number)
    return out, numbers


# The subfields of a structured :86: (SEPA "ING/Rabobank/BNG" style with //-separators, ABN AMRO's /TRTP/ style).
MT940_TAGS = (
    "TRCD", "TRTP", "EREF", "RTRN", "PREF", "BENM", "ORDP", "CNTP", "NAME", "IBAN", "BIC", "REMI", "CSID", "MARF",
    "SVCL", "PURP", "ULTC", "ULTD", "ULTB", "ISDT", "CDTRREFTP", "CDTRREF", "ADDR", "CHGS", "EXCH", "OAMT", "SUM",
    "RTYP", "ABSR", "ID",
)  # fmt: skip
STRUCTURED_86 = re.compile("/(" + "|".join(sorted(MT940_TAGS, key=len, reverse=True)) + ")/")
NUMBER_RE = re.compile(r"\b(20\d{2})[-/ ]?(\d{4})\b")


@dataclass
class Details:
    """What an entry's :86: says: the counterparty, the remittance text and the end-to-end reference."""

    name: str = ""
    iban: str = ""
    remittance: str = ""
    reference: str = ""


def _iban_in(text: str) -> str:
    match = re.search(r"\b[A-Z]{2}\d{2}[A-Z]{4}\d{10}(?=\b|[A-Z]{3}\b)", text or "")
    return match.group(0) if match else ""


def _structured_86(joined: str) -> Details:
    """``/EREF/…//CNTP/IBAN/BIC/name/city///REMI/USTD//text/`` (ING, Rabobank, BNG, Knab) and ``/TRTP/…/IBAN/…/BIC/…
    /NAME/…/REMI/…/EREF/…`` (ABN AMRO): the value of a tag runs up to the next known tag."""
    parts = STRUCTURED_86.split(joined)
    values: dict[str, str] = {}
    for tag, value in zip(parts[1::2], parts[2::2], strict=False):
        values.setdefault(tag, value)
    counterparty = values.get("CNTP", "").split("/")
    name = values.get("NAME", "").strip("/ ") or (counterparty[2].strip() if len(counterparty) > 2 else "")
    iban = values.get("IBAN", "").split("/")[0].strip() or counterparty[0].strip()
    remittance = values.get("REMI", "")
    for prefix in ("USTD//", "USTD/", "STRD/CUR//", "STRD/CUR/", "STRD//", "STRD/"):
        if remittance.startswith(prefix):
            remittance = remittance[len(prefix) :]
            break
    remittance = remittance.strip("/ ").replace("//", " ")
    reference = values.get("EREF", "").strip("/ ")
    reference = "" if reference.upper() == "NOTPROVIDED" else reference
    if reference and not NUMBER_RE.search(remittance):  # the invoice number given as end-to-end reference
        remittance = f"{remittance} {reference}".strip()
    return Details(name=name, iban=iban, remittance=remittance, reference=reference)


def _subfield_86(joined: str) -> Details:
    """Triodos' ``000>20text>21text>31IBAN>32name``: >20-29 the remittance, >31 the account, >32-33 the name."""
    parts = re.split(r">(\d{2})", joined)
    fields: dict[int, str] = {}
    for code, value in zip(parts[1::2], parts[2::2], strict=False):
        fields[int(code)] = fields.get(int(code), "") + value
    remittance = "".join(fields.get(code, "") for code in range(20, 30)).strip()
    name = (fields.get(32, "") + fields.get(33, "")).strip()
    return Details(name=name, iban=fields.get(31, "").strip(), remittance=" ".join(remittance.split()))


def _free_86(lines: list[str]) -> Details:
    """Free text: de Volksbank (SNS, ASN) starts with the counterparty's IBAN and name on the first line; ABN AMRO's
    older "GIRO 1234567 NAAM   OMSCHRIJVING" or "BEA …". All of the text is the remittance."""
    first = lines[0].strip() if lines else ""
    match = re.match(r"^([A-Z]{2}\d{2}[A-Z]{4}\d{10})\s+(.*)$", first)
    if match:
        return Details(
            name=match.group(2).strip(), iban=match.group(1), remittance=" ".join(" ".join(lines[1:]).split())
        )
    text = " ".join(" ".join(lines).split())
    giro = re.match(r"^GIRO\s+\d+\s+(.+?)\s{2,}", " ".join(lines))
    return Details(name=giro.group(1).strip() if giro else "", iban=_iban_in(text), remittance=text)


def parse_details(text: str) -> Details:
    """Read an entry's :86: in the dialect it is written in (see docs/invoicing.md)."""
    lines = [line for line in (text or "").splitlines() if line.strip()]
    joined = "".join(lines)  # structured fields are cut at 65 characters, mid-word
    if joined.startswith("/") and STRUCTURED_86.search(joined):
        return _structured_86(joined)
    if re.match(r"^\d{3}>\d{2}", joined) or re.match(r"^>\d{2}", joined):
        return _subfield_86(joined)
    return _free_86(lines)


def _account(raw: str) -> str:
    """:25: as banks write it: ``NL81RABO0312345678EUR`` (IBAN and currency: Rabobank, ING), ``BNGHNL2G/NL38…`` (BIC
    and account), a bare IBAN or an old account number."""
    raw = (raw or "").strip()
    return _iban_in(raw) or raw.split("/")[-1]


def parse_mt940(data: bytes) -> Parsed:
    import mt940

    if len(data) > MAX_FILE_BYTES:
        raise StatementError(_("Het bestand is groter dan 5 MB; vraag de bank om een afschrift per kortere periode."))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    if ":20:" not in text or ":61:" not in text and ":62F:" not in text:
        raise StatementError(_("Dit is geen MT940-bestand (velden :20: en :61:/:62F: ontbreken)."))
    lines, numbers = _mt940_lines(text)
    for index, line in enumerate(lines):
        if not line.startswith(":61:"):
            continue
        match = MT940_ENTRY.match(line)
        if match is None:
            raise StatementError(
                _("Regel %(n)s: ongeldige :61:-regel '%(line)s'.") % {"n": numbers[index], "line": line[:60]}
            )
        if "," not in match["amount"]:
            # Some banks write a whole amount without its decimal comma (":61:1407290729C500NTRF"): 500,00.
            lines[index] = f"{match['head']}{match['amount']},{match['rest']}"
    if sum(line.startswith(":61:") for line in lines) > MAX_ENTRIES:
        raise StatementError(_("Meer dan %(n)s boekingen in één bestand.") % {"n": MAX_ENTRIES})
    text = "\n".join(lines) + "\n"
    try:
        transactions = mt940.models.Transactions()
        transactions.parse(text)
    except Exception as exc:  # mt-940 raises several types on bad input; their text names its own classes
        logger.warning("MT940 niet te lezen", exc_info=exc)
        where = _mt940_line_of(lines, numbers, exc)
        raise StatementError(
            _(
                "Het MT940-bestand is niet te lezen: %(where)s volgt de MT940-opmaak niet. Vraag de bank om het "
                "afschrift opnieuw, of lees het als CAMT.053 in."
            )
            % {"where": where}
        ) from exc
    account = _account(str(transactions.data.get("account_identification", "")))
    entries = []
    for tx in transactions:
        amount = Decimal(str(tx.data["amount"].amount))
        if amount == 0:
            continue
        currency = tx.data.get("currency") or "EUR"
        if currency != "EUR":
            raise StatementError(_("Boeking %(n)s: alleen bedragen in euro (EUR).") % {"n": len(entries) + 1})
        raw = tx.data.get("transaction_details", "") or ""
        details = parse_details(raw)
        entries.append(
            Entry(
                position=len(entries) + 1,
                booked_on=tx.data.get("entry_date") or tx.data["date"],
                amount=abs(amount).quantize(CENT),  # "1250," is 1250,00
                debit=amount < 0,
                counterparty_name=details.name or tx.data.get("applicant_name") or "",
                # Rabobank writes the counterparty's account on the :61: line's second line.
                counterparty_iban=details.iban
                or _iban_in(tx.data.get("extra_details") or "")
                or tx.data.get("applicant_iban")
                or "",
                remittance=details.remittance or " ".join(str(tx.data.get("purpose") or raw).split()),
                reference=details.reference
                or tx.data.get("bank_reference")
                or (tx.data.get("customer_reference") or "").replace("NONREF", ""),
                account=account,
            )
        )
    return Parsed(statement_id=str(transactions.data.get("statement_number", "") or ""), entries=entries)


# --- CSV ---------------------------------------------------------------------------------------------------------

CSV_COLUMNS = ("datum", "bedrag", "omschrijving")


def _csv_amount(value: str) -> Decimal:
    """The product's one amount grammar (regio.amounts): 1.234,56 / -1234,56 / 1234.56; 12.000 is twelve thousand."""
    return parse_dutch(value, minimum=None)


def parse_csv(data: bytes) -> Parsed:
    """A simple CSV: header with datum, bedrag, omschrijving (and optional naam, iban, referentie, rekening);
    separator ; or ,; dates as JJJJ-MM-DD or DD-MM-JJJJ; amounts 1234,56 or 1234.56 (negative = debit)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StatementError(_("Het CSV-bestand is geen UTF-8.")) from exc
    dialect = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=";,")
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise StatementError(_("Regel 1: kolom(men) %(cols)s ontbreken.") % {"cols": ", ".join(missing)})
    entries = []
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        try:
            amount = _csv_amount(row["bedrag"])
        except ValidationError as exc:
            raise StatementError(
                _("Regel %(n)s: bedrag '%(v)s' is geen bedrag.") % {"n": number, "v": row["bedrag"]}
            ) from exc
        booked_on = None
        for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%Y%m%d"):
            try:
                booked_on = datetime.strptime(row["datum"], fmt).date()
                break
            except ValueError:
                continue
        if booked_on is None:
            raise StatementError(_("Regel %(n)s: datum '%(v)s' is geen datum.") % {"n": number, "v": row["datum"]})
        if amount == 0:
            continue
        entries.append(
            Entry(
                position=number,
                booked_on=booked_on,
                amount=abs(amount),
                debit=amount < 0,
                counterparty_name=row.get("naam", ""),
                counterparty_iban=row.get("iban", ""),
                remittance=row["omschrijving"],
                reference=row.get("referentie", ""),
                account=row.get("rekening", ""),
            )
        )
    return Parsed(statement_id="", entries=entries)


PARSERS = {StatementFormat.CAMT053: parse_camt053, StatementFormat.MT940: parse_mt940, StatementFormat.CSV: parse_csv}


def detect_format(data: bytes) -> str:
    head = data[:2000].lstrip()
    if head.startswith(b"<") or b"camt.053" in head:
        return StatementFormat.CAMT053
    if b":20:" in head or head.startswith(b"{1:"):
        return StatementFormat.MT940
    return StatementFormat.CSV

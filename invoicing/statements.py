"""Bank statements: CAMT.053 (ISO 20022, what Dutch banks export), MT940 and CSV; matched to invoices (WM-SO 6.9).

* A malformed file is refused whole, naming the line or element that is wrong; nothing is booked.
* Credit entries (money coming in) are payments on invoices; debit entries (money going out: CAMT.053
  ``CdtDbtInd=DBIT``, MT940 ``D``, a negative CSV amount) are payouts of refund credit notes (SPEC §6.5).
* A line matches when exactly one open document of the importing municipality is named (structured reference or in
  the remittance text): an invoice for money in, a refund credit note for money out. Partial payments and payouts
  are allowed; a payout is never more than is owed; money in above what is open is booked up to the open amount and
  the rest recorded as an overpayment with the reason "bankafschrift" (terug te betalen). A booking date in the
  future or implausibly far off is not booked. Otherwise the line stays listed for a person as unmatched or
  ambiguous: never dropped.
* Importing the same statement twice books nothing twice: the file digest is unique per municipality, and each entry
  has a fingerprint (account, date, amount, reference, text) so an overlapping statement skips known entries.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from lxml import etree

from invoicing.models import (
    BankStatement,
    BankStatementLine,
    Direction,
    DocumentType,
    Invoice,
    InvoiceStatus,
    LineStatus,
    StatementFormat,
)
from regio.amounts import parse_dutch, parse_plain
from regio.formatting import format_amount
from regio.jobs import database_lost
from regio.tenancy import ADD, can, person

ZERO_AMOUNT = Decimal("0.00")

NUMBER_RE = re.compile(r"\b(20\d{2})[-/ ]?(\d{4})\b")

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


def parse_camt053(data: bytes) -> Parsed:
    """The fields of CAMT.053 we use: Stmt/Id, Acct/Id/IBAN, Ntry (Amt, CdtDbtInd, BookgDt, AcctSvcrRef) and its
    TxDtls (RmtInf/Ustrd, RmtInf/Strd/CdtrRefInf/Ref, RltdPties/Dbtr/Nm, DbtrAcct/Id/IBAN, Refs/EndToEndId)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise StatementError(
            _("Het bestand is geen geldige XML (regel %(line)s): %(msg)s") % {"line": exc.lineno, "msg": exc.msg}
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
        account = _text(statement, "Acct", "Id", "IBAN")
        for entry in _children(statement, "Ntry"):
            where = f"<Ntry> regel {entry.sourceline}"
            amount_el = _child(entry, "Amt")
            if amount_el is None or not (amount_el.text or "").strip():
                raise StatementError(_("%(where)s: <Amt> ontbreekt.") % {"where": where})
            try:
                amount = parse_plain(amount_el.text, minimum=ZERO_AMOUNT)  # xs:decimal, no exponent, two decimals
            except ValidationError as exc:
                raise StatementError(
                    _("%(where)s: <Amt> '%(v)s' is geen bedrag.") % {"where": where, "v": amount_el.text.strip()}
                ) from exc
            if amount_el.get("Ccy", "EUR") != "EUR":
                raise StatementError(_("%(where)s: alleen bedragen in euro (EUR).") % {"where": where})
            indicator = _text(entry, "CdtDbtInd")
            if indicator not in ("CRDT", "DBIT"):
                raise StatementError(_("%(where)s: <CdtDbtInd> moet CRDT of DBIT zijn.") % {"where": where})
            booked = _text(entry, "BookgDt", "Dt") or _text(entry, "BookgDt", "DtTm")[:10]
            try:
                booked_on = date.fromisoformat(booked)
            except ValueError as exc:
                raise StatementError(
                    _("%(where)s: <BookgDt> '%(v)s' is geen datum.") % {"where": where, "v": booked}
                ) from exc
            debit = indicator == "DBIT"
            # Money in names the debtor (who paid us); money out the creditor (whom we paid).
            party, party_account = ("Cdtr", "CdtrAcct") if debit else ("Dbtr", "DbtrAcct")
            details = _child(entry, "NtryDtls", "TxDtls")
            remittance = " ".join(
                (u.text or "").strip() for u in _children(_child(details, "RmtInf"), "Ustrd")
            ) or _text(entry, "AddtlNtryInf")
            structured = _text(details, "RmtInf", "Strd", "CdtrRefInf", "Ref")
            entries.append(
                Entry(
                    position=len(entries) + 1,
                    booked_on=booked_on,
                    amount=amount,
                    counterparty_name=_text(details, "RltdPties", party, "Nm")
                    or _text(details, "RltdPties", party, "Pty", "Nm"),
                    counterparty_iban=_text(details, "RltdPties", party_account, "Id", "IBAN"),
                    remittance=" ".join(x for x in (structured, remittance) if x),
                    reference=_text(entry, "AcctSvcrRef") or _text(details, "Refs", "EndToEndId"),
                    account=account,
                    debit=debit,
                )
            )
    return Parsed(statement_id=";".join(i for i in ids if i), entries=entries)


# --- MT940 -------------------------------------------------------------------------------------------------------


# A statement line: value date, optional entry date, (reversal) credit/debit mark, optional funds code, the amount
# (with or without its decimal comma) and the rest (transaction type, references).
MT940_ENTRY = re.compile(r"^(?P<head>:61:\d{6}(?:\d{4})?R?[CD][A-Z]?)(?P<amount>\d+(?:,\d{0,2})?)(?P<rest>.*)$")


def _mt940_line_of(lines: list[str], exc: Exception) -> str:
    """Which line the mt-940 library could not read, in words ("regel 7 (:62F:)"), never the library's own text
    (it names its Python objects: "Unable to parse <mt940.tags.Statement object at 0x…>")."""
    value = exc.args[2] if len(exc.args) >= 3 and isinstance(exc.args[2], str) else None
    if value:
        for number, line in enumerate(lines, start=1):
            if line.startswith(":") and value.strip() and value.strip().splitlines()[0] in line:
                return _("regel %(n)s (%(tag)s)") % {"n": number, "tag": f":{line.split(':')[1]}:"}
    return _("een veld")


def parse_mt940(data: bytes) -> Parsed:
    import mt940

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    if ":20:" not in text or ":61:" not in text and ":62F:" not in text:
        raise StatementError(_("Dit is geen MT940-bestand (velden :20: en :61:/:62F: ontbreken)."))
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.startswith(":61:"):
            continue
        match = MT940_ENTRY.match(line)
        if match is None:
            raise StatementError(_("Regel %(n)s: ongeldige :61:-regel '%(line)s'.") % {"n": number, "line": line[:60]})
        if "," not in match["amount"]:
            # Some banks write a whole amount without its decimal comma (":61:1407290729C500NTRF"): 500,00.
            lines[number - 1] = f"{match['head']}{match['amount']},{match['rest']}"
    text = "\n".join(lines) + "\n"
    try:
        transactions = mt940.models.Transactions()
        transactions.parse(text)
    except Exception as exc:  # mt-940 raises several types on bad input; their text names its own classes
        logger.warning("MT940 niet te lezen", exc_info=exc)
        where = _mt940_line_of(lines, exc)
        raise StatementError(
            _(
                "Het MT940-bestand is niet te lezen: %(where)s volgt de MT940-opmaak niet. Vraag de bank om het "
                "afschrift opnieuw, of lees het als CAMT.053 in."
            )
            % {"where": where}
        ) from exc
    account = str(transactions.data.get("account_identification", ""))
    entries = []
    for tx in transactions:
        amount = Decimal(str(tx.data["amount"].amount))
        if amount == 0:
            continue
        details = tx.data.get("transaction_details", "") or ""
        remittance = tx.data.get("purpose") or details
        entries.append(
            Entry(
                position=len(entries) + 1,
                booked_on=tx.data.get("entry_date") or tx.data["date"],
                amount=abs(amount),
                debit=amount < 0,
                counterparty_name=tx.data.get("applicant_name") or "",
                counterparty_iban=tx.data.get("applicant_iban") or "",
                remittance=" ".join(str(remittance).split()),
                reference=tx.data.get("bank_reference") or tx.data.get("customer_reference") or "",
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


# --- matching ----------------------------------------------------------------------------------------------------


def fingerprint(entry: Entry, occurrence: int) -> str:
    key = "|".join(
        [
            entry.account,
            entry.booked_on.isoformat(),
            f"{entry.amount:.2f}",
            entry.reference,
            entry.remittance,
            entry.counterparty_iban,
            str(occurrence),
        ]
        # Debit entries (read since payouts are modelled) carry their direction; credit entries keep the key they
        # always had, so statements read before still recognise them.
        + (["DBIT"] if entry.debit else [])
    )
    return hashlib.sha256(key.encode()).hexdigest()


def candidates_for(entry: Entry, open_invoices: dict[str, Invoice]) -> list[Invoice]:
    numbers = {f"{y}-{n}" for y, n in NUMBER_RE.findall(entry.remittance)}
    return [open_invoices[n] for n in sorted(numbers) if n in open_invoices]


def open_amount(document: Invoice, on: date) -> Decimal:
    """What may still be booked on a document: the payout left on a refund credit note; on an invoice what is
    outstanding, collection costs and interest up to that day included (art. 6:44 BW)."""
    from invoicing import services

    if document.is_refund:
        return document.to_pay_out()
    return services.open_amount(document, on)


@dataclass
class ImportResult:
    statement: BankStatement
    matched: int = 0
    paid_out: int = 0
    needs_person: int = 0
    skipped_known: int = 0
    overpaid: int = 0  # of the matched payments, those that paid more than was open (terug te betalen)

    def summary(self) -> str:
        text = _(
            "%(file)s ingelezen: %(m)s betaling(en) en %(o)s uitbetaling(en) geboekt, %(p)s regel(s) voor u om te "
            "beoordelen, %(s)s al eerder ingelezen regel(s) overgeslagen."
        ) % {
            "file": self.statement.filename,
            "m": self.matched,
            "o": self.paid_out,
            "p": self.needs_person,
            "s": self.skipped_known,
        }
        if self.overpaid:
            text += " " + _(
                "%(n)s betaling(en) waren hoger dan het open bedrag: het meerdere staat als overbetaling "
                "(terug te betalen) bij de factuur."
            ) % {"n": self.overpaid}
        return text


def import_statement(*, user, municipality, filename: str, data: bytes, fmt: str | None = None) -> ImportResult:
    """Read a statement of the user's municipality, book the payments that match one invoice, keep the rest."""
    if not can(user, ADD, municipality):
        raise PermissionDenied(_("Alleen medewerkers van een coördinerende gemeente lezen bankafschriften in."))
    fmt = fmt or detect_format(data)
    parsed = PARSERS[fmt](data)  # raises StatementError before anything is stored
    digest = hashlib.sha256(data).hexdigest()
    # A dropped connection rolls everything back: the user reads that nothing was booked (regio/jobs.py).
    with database_lost(StatementError), transaction.atomic():
        if BankStatement.objects.unrestricted().filter(municipality=municipality, digest=digest).exists():
            raise StatementError(_("Dit afschrift is al eerder ingelezen; er is niets opnieuw geboekt."))
        try:
            with transaction.atomic():
                statement = BankStatement.objects.unrestricted().create(
                    municipality=municipality,
                    format=fmt,
                    filename=filename[:255],
                    digest=digest,
                    statement_id=parsed.statement_id[:100],
                    imported_by=person(user),
                )
        except IntegrityError as exc:
            raise StatementError(_("Dit afschrift is al eerder ingelezen; er is niets opnieuw geboekt.")) from exc
        result = ImportResult(statement=statement)
        open_invoices = {
            inv.number: inv
            for inv in Invoice.objects.unrestricted().filter(
                issuer=municipality,
                status__in=[InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID],
                document_type=DocumentType.INVOICE,
            )
        }
        open_refunds = {
            note.number: note
            for note in Invoice.objects.unrestricted().filter(
                issuer=municipality,
                status__in=[InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID_OUT],
                document_type=DocumentType.CREDIT_NOTE,
                credit_for__isnull=True,
            )
        }
        seen: dict[tuple, int] = {}
        known = set(
            BankStatementLine.objects.unrestricted()
            .filter(municipality=municipality)
            .values_list("fingerprint", flat=True)
        )
        for entry in parsed.entries:
            key = (entry.account, entry.booked_on, entry.amount, entry.reference, entry.remittance)
            seen[key] = seen.get(key, 0) + 1
            print_ = fingerprint(entry, seen[key])
            if print_ in known:
                result.skipped_known += 1
                continue
            known.add(print_)
            line = BankStatementLine.objects.unrestricted().create(
                statement=statement,
                municipality=municipality,
                position=entry.position,
                booked_on=entry.booked_on,
                amount=entry.amount,
                counterparty_name=entry.counterparty_name[:200],
                counterparty_iban=entry.counterparty_iban[:34],
                remittance=entry.remittance,
                bank_reference=entry.reference[:100],
                fingerprint=print_,
                direction=Direction.DEBIT if entry.debit else Direction.CREDIT,
            )
            found = candidates_for(entry, open_refunds if entry.debit else open_invoices)
            date_problem = _date_problem(entry.booked_on)
            if (
                len(found) == 1
                and not date_problem
                and found[0].invoice_date <= entry.booked_on
                # Money in above what is open is booked up to the open amount, the rest recorded as an overpayment
                # (reason "bankafschrift", terug te betalen): never lost, never a negative principal (issue 10).
                and (not entry.debit or entry.amount <= open_amount(found[0], entry.booked_on))
            ):
                overpaid = _book(user, line, found[0])
                line.status = LineStatus.MATCHED
                if overpaid is not None:
                    line.note = _("%(amount)s te veel betaald op %(n)s: terug te betalen.") % {
                        "amount": format_amount(overpaid.amount),
                        "n": found[0].number,
                    }
                    result.overpaid += 1
                line.save(update_fields=["status", "note"])
                if entry.debit:
                    result.paid_out += 1
                else:
                    result.matched += 1
            else:
                line.status = LineStatus.AMBIGUOUS if len(found) > 1 else LineStatus.UNMATCHED
                line.candidates = [inv.number for inv in found]
                line.note = (
                    _("Meer dan één factuurnummer in de omschrijving.")
                    if len(found) > 1
                    else date_problem
                    if found and date_problem
                    else _("Geboekt voor de datum van %(n)s.") % {"n": found[0].number}
                    if found and entry.booked_on < found[0].invoice_date
                    else _("Bedrag hoger dan het openstaande bedrag van %(n)s.") % {"n": found[0].number}
                    if found
                    else _("Geen openstaand nummer van een creditfactuur gevonden.")
                    if entry.debit
                    else _("Geen openstaand factuurnummer gevonden.")
                )
                line.save(update_fields=["status", "candidates", "note"])
                result.needs_person += 1
    return result


def _date_problem(booked_on: date) -> str:
    """Why a booking date cannot be a payment date (in the future, or implausibly far off), or ""."""
    from regio.bounds import check_date

    try:
        check_date(booked_on, not_in_future=True, label=_("De boekdatum"))
    except ValidationError as exc:
        return " ".join(exc.messages)[:300]
    return ""


def _book(user, line: BankStatementLine, document: Invoice):
    """Book a statement line on its document: money out is a payout of a credit note; money in a payment, and what it
    pays above what is open (or all of it, on a paid invoice) an overpayment with the reason "bankafschrift".
    Returns the overpayment, if any."""
    from invoicing import services

    if line.direction == Direction.DEBIT:
        services.register_payout(
            user=user,
            credit_note=document,
            amount=line.amount,
            paid_on=line.booked_on,
            reference=line.remittance[:200],
            statement_line=line,
        )
        return None
    locked = Invoice.objects.unrestricted().get(pk=document.pk)
    left = ZERO_AMOUNT if locked.status == InvoiceStatus.PAID else services.open_amount(locked, line.booked_on)
    if line.amount <= left:
        services.register_payment(
            user=user,
            invoice=document,
            amount=line.amount,
            paid_on=line.booked_on,
            reference=line.remittance[:200],
            statement_line=line,
        )
        return None
    _payment, overpayment = services.register_overpayment(
        user=user,
        invoice=document,
        amount=line.amount,
        received_on=line.booked_on,
        reason=services.STATEMENT_REASON,
        reference=line.remittance[:200],
        statement_line=line,
    )
    return overpayment


def resolve_line(*, user, line: BankStatementLine, invoice: Invoice | None, ignore: bool = False) -> BankStatementLine:
    """A person links an unmatched or ambiguous line to an invoice (money in) or to a refund credit note (money
    out), or marks it as not belonging to an invoice."""
    from django.core.exceptions import PermissionDenied

    from invoicing import services
    from regio.tenancy import CHANGE, can

    with transaction.atomic():
        locked = BankStatementLine.objects.unrestricted().select_for_update().get(pk=line.pk)
        if not can(user, CHANGE, locked):
            raise PermissionDenied(_("U mag dit afschrift niet verwerken."))
        if not locked.needs_person:
            raise services.InvoicingError(_("Deze regel is al verwerkt."))
        if ignore:
            locked.status = LineStatus.IGNORED
        else:
            if invoice is None or invoice.issuer_id != locked.municipality_id:
                raise services.InvoicingError({"invoice": _("Kies een factuur van uw gemeente.")})
            _book(user, locked, invoice)
            locked.status = LineStatus.RESOLVED
        locked.save(update_fields=["status"])
    return locked

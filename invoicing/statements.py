"""Bank statements: CAMT.053 (ISO 20022, what Dutch banks export), MT940 and CSV, read by ``invoicing.bank_files`` in
each bank's dialect; matched to invoices (WM-SO 6.9).

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

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from invoicing.bank_files import (
    MAX_FILE_BYTES,
    PARSERS,
    Entry,
    Parsed,
    StatementError,
    detect_format,
    parse_camt053,
    parse_csv,
    parse_mt940,
)
from invoicing.models import (
    BankStatement,
    BankStatementLine,
    Direction,
    DocumentType,
    Invoice,
    InvoiceStatus,
    LineStatus,
)
from regio.formatting import format_amount
from regio.jobs import database_lost
from regio.tenancy import ADD, can, person

ZERO_AMOUNT = Decimal("0.00")

NUMBER_RE = re.compile(r"\b(20\d{2})[-/ ]?(\d{4})\b")

__all__ = [
    "MAX_FILE_BYTES",
    "PARSERS",
    "Entry",
    "Parsed",
    "StatementError",
    "detect_format",
    "import_statement",
    "parse_camt053",
    "parse_csv",
    "parse_mt940",
    "resolve_line",
]


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
    if len(data) > MAX_FILE_BYTES:
        raise StatementError(_("Het bestand is groter dan 5 MB; vraag de bank om een afschrift per kortere periode."))
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

"""The rules of invoicing (SPEC §6.6, WM-SO 6.7-6.9): drafts, lines, issuing with an unbroken number, credit
invoices, payments, overdue marks, reminders and statutory interest.

Keyword-only functions, the acting user first (STYLE.md rule 1). Writes lock first and re-check the user's scope
inside the transaction (rule 2, 5); side effects (PDF render, e-mail) start on commit (rule 10).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Mandate
from invoicing import interest as interest_core
from invoicing.collection import BASIS as STATUTORY_BASIS
from invoicing.collection import check_collection_costs, statutory_collection_costs
from invoicing.models import (
    CollectionCost,
    DocumentKind,
    DocumentStatus,
    DocumentType,
    Invoice,
    InvoiceCounter,
    InvoiceDocument,
    InvoiceLine,
    InvoiceStatus,
    InvoicingProfile,
    Overpayment,
    Payment,
    Payout,
    SourceType,
    StatutoryInterestRate,
    Unit,
    VatRate,
)
from regio.amounts import MAX_AMOUNT
from regio.bounds import check_date
from regio.formatting import format_amount, round_cents
from regio.line_sources import is_line_source
from regio.models import Membership, Municipality, Region
from regio.tenancy import ADD, CHANGE, acting_region_ids, can, is_system, person, scope_of

ZERO = Decimal("0.00")
REMINDER_TERM_DAYS = 14  # WM-SO 6.9: pay within 14 days of the letter's date


class InvoicingError(ValidationError):
    """A rule of invoicing refused the action; the message is for the person (Dutch)."""


class InvoiceIsIssued(InvoicingError):
    """The invoice was issued: it never changes again (Wet OB art. 35a). The API answers 409."""


# --- statutory interest ------------------------------------------------------------------------------------------


def rate_table(kind: str) -> list[interest_core.Rate]:
    return [
        interest_core.Rate(valid_from=r.valid_from, rate=r.rate)
        for r in StatutoryInterestRate.objects.unrestricted().filter(kind=kind).order_by("valid_from")
    ]


def statutory_interest(
    *,
    principal: Decimal,
    start: date,
    end: date,
    kind: str = interest_core.NON_COMMERCIAL,
    payments: Iterable[tuple[date, Decimal] | interest_core.Payment] = (),
    costs: Decimal = ZERO,
    costs_on: date | None = None,
    rates: Iterable[interest_core.Rate] | None = None,
) -> interest_core.InterestResult:
    """Statutory interest (art. 6:119 / 6:119a BW, WM-SO 6.9) as SPEC §6.6 describes; see ``interest.compute``.

    ``rates`` defaults to the table in the database (loaded from data/wettelijke-rente.csv, kept by administrators).
    Raises ``interest.InterestError`` (a ValueError with a Dutch message) on bad input.
    """
    if kind not in interest_core.KINDS:
        raise interest_core.InterestError(
            "Kies 'non-commercial' (art. 6:119 BW) of 'commercial' (art. 6:119a BW).", field="kind"
        )
    # Plausible dates only (issue 10, finding 7): "to=9999-12-31" was a 500 ("year 10000 is out of range").
    for day, field, label in ((start, "from", _("De begindatum")), (end, "to", _("De einddatum"))):
        try:
            check_date(day, label=label)
        except ValidationError as exc:
            raise interest_core.InterestError(" ".join(exc.messages), field=field) from None
    table = list(rates) if rates is not None else rate_table(kind)
    pays = [p if isinstance(p, interest_core.Payment) else interest_core.Payment(*p) for p in payments]
    return interest_core.compute(
        principal=principal,
        start=start,
        end=end,
        kind=kind,
        rates=table,
        payments=pays,
        costs=costs,
        costs_on=costs_on,
    )


# --- mandates ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MandateCheck:
    allowed: bool
    mandate: object | None
    reason: str
    reference: str


def check_invoicing_mandate(*, issuer: Municipality, recipient: Municipality, on: date) -> MandateCheck:
    """May the issuer invoice on behalf of the region to this member today (SPEC §5, WM-SO 4.12)?

    The one place that asks the mandate service of agreements (issue #4).
    """
    from agreements.services import may_act

    if issuer.pk == recipient.pk:
        return MandateCheck(True, None, "", "")
    result = may_act(acting_municipality=issuer, on_behalf_of=recipient, power="invoicing", on_date=on)
    mandate = getattr(result, "mandate", None)
    return MandateCheck(bool(result.allowed), mandate, str(getattr(result, "reason", "") or ""), str(mandate or ""))


def agreement_terms(*, region: Region, on: date) -> tuple[int, str] | None:
    """Payment term and interest kind of the region's frame agreement in force (SPEC §6.6: a setting per agreement,
    30 days and art. 6:119 BW by default). None when agreements has no such agreement."""
    try:
        from agreements.models import Agreement
    except ImportError:
        return None
    from django.db.models import Q

    agreement = (
        Agreement.objects.unrestricted()
        .filter(region=region, effective_from__lte=on, kind__in=["samenwerkingsovereenkomst", "centrumregeling"])
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=on))
        .order_by("-effective_from")
        .first()
    )
    if agreement is None:
        return None
    kind = interest_core.COMMERCIAL if agreement.interest_kind == "handelsrente" else interest_core.NON_COMMERCIAL
    return agreement.payment_term_days, kind


# --- drafts ------------------------------------------------------------------------------------------------------


def _is_issuer_staff(user) -> bool:
    """Staff of a municipality that coordinates a region today (they issue invoices and register payments)."""
    return bool(acting_region_ids(user))


def _require_issuer_staff(user, region: Region) -> Municipality:
    if not can(user, ADD, region):
        raise PermissionDenied(_("Alleen medewerkers van de coördinerende gemeente van deze regio maken facturen."))
    if is_system(user):
        return region.coordinator_on()
    return Municipality.objects.unrestricted().get(pk=user.municipality_id)


def create_draft(
    *,
    user,
    region: Region,
    recipient: Municipality,
    subject: str,
    period_start: date,
    period_end: date,
    source_key: str = "",
    document_type: str = DocumentType.INVOICE,
    credit_reason: str = "",
    credit_reference: str = "",
) -> Invoice:
    """A draft invoice of the user's (coordinating) municipality to a member of the region (WM-SO 6.7).

    The issuer comes from the user's membership, never from the request (STYLE.md rule 5). With a ``source_key``
    a second call returns the existing invoice instead of a new one. A credit note of its own (``document_type``
    credit note, no invoice it corrects) needs its reason (e.g. a refund from the reckoning).
    """
    issuer = _require_issuer_staff(user, region)
    if not subject.strip():
        raise InvoicingError({"subject": _("Geef een omschrijving.")})
    if document_type == DocumentType.CREDIT_NOTE and not credit_reason.strip():
        raise InvoicingError(
            {"credit_reason": _("Een creditfactuur zonder oorspronkelijke factuur noemt haar reden.")}
        )
    if period_end < period_start:
        raise InvoicingError({"period_end": _("De leveringsperiode eindigt voor ze begint.")})
    if not Membership.objects.unrestricted().filter(region=region, municipality=recipient).exists():
        raise InvoicingError({"recipient": _("Deze gemeente is geen lid van de regio.")})
    if source_key:
        existing = Invoice.objects.unrestricted().filter(issuer=issuer, source_key=source_key).first()
        if existing:
            return existing
    profile = InvoicingProfile.objects.unrestricted().filter(municipality=issuer).first()
    invoice = Invoice(
        region=region,
        issuer=issuer,
        recipient=recipient,
        subject=subject.strip(),
        period_start=period_start,
        period_end=period_end,
        source_key=source_key,
        document_type=document_type,
        credit_reason=credit_reason.strip()[:300],
        credit_reference=credit_reference[:100],
    )
    terms = agreement_terms(region=region, on=period_end)
    if terms:
        invoice.payment_term_days, invoice.interest_kind = terms
    elif profile:
        invoice.payment_term_days = profile.payment_term_days
        invoice.interest_kind = profile.interest_kind
    invoice.save()
    return invoice


LINE_FIELDS = ("description", "quantity", "unit", "unit_price", "vat_rate", "source_type", "source_id")


def _check_line(invoice: Invoice, values: dict, other_rates: set[str]) -> None:
    """The rules of a line (Decimal only; EN 16931 BR-27: the price is not negative; an invoice has positive
    quantities, a credit note negative ones, so its total has one sign; BR-O-11: lines outside the scope of VAT go
    on an invoice of their own)."""
    for name in ("quantity", "unit_price"):
        if not isinstance(values[name], Decimal):
            raise TypeError("bedragen zijn Decimal, geen float")
    errors = {}
    if not str(values["description"]).strip():
        errors["description"] = _("Geef een omschrijving.")
    if values["unit_price"] < 0:
        errors["unit_price"] = _(
            "De prijs per eenheid is niet negatief (EN 16931 BR-27); crediteer met een creditfactuur."
        )
    if invoice.is_credit_note and values["quantity"] >= 0:
        errors["quantity"] = _("Op een creditfactuur is het aantal negatief.")
    elif not invoice.is_credit_note and values["quantity"] <= 0:
        errors["quantity"] = _("Het aantal is groter dan nul; een bedrag terug gaat met een creditfactuur.")
    if values["unit"] not in Unit.values:
        errors["unit"] = _("Kies een eenheid uit de lijst.")
    if values["vat_rate"] not in VatRate.values:
        errors["vat_rate"] = _("Kies een btw-tarief uit de lijst.")
    elif (
        other_rates and (VatRate.OUTSIDE in other_rates | {values["vat_rate"]}) and other_rates != {values["vat_rate"]}
    ):
        errors["vat_rate"] = _(
            "Regels buiten de reikwijdte van de btw staan op een aparte factuur (EN 16931 BR-O-11)."
        )
    if not is_line_source(values["source_type"]):
        errors["source_type"] = _("Kies een soort bron uit de lijst.")
    if errors:
        raise InvoicingError(errors)


def _locked_draft(user, invoice: Invoice, verb: str) -> Invoice:
    locked = Invoice.objects.unrestricted().select_for_update().get(pk=invoice.pk)
    if not can(user, CHANGE, locked):
        raise PermissionDenied(_("U mag deze factuur niet wijzigen."))
    if not locked.is_draft:
        raise InvoiceIsIssued(
            _("Een verzonden factuur verandert niet meer (%(verb)s kan niet); maak een creditfactuur.")
            % {"verb": verb}
        )
    return locked


def _store_totals(locked: Invoice) -> None:
    excl, vat, incl = locked.computed_totals(list(locked.lines.unrestricted()))
    Invoice.objects.unrestricted().filter(pk=locked.pk).update(total_excl=excl, total_vat=vat, total_incl=incl)
    locked.total_excl, locked.total_vat, locked.total_incl = excl, vat, incl


def add_line(
    *,
    user,
    invoice: Invoice,
    description: str,
    quantity: Decimal,
    unit_price: Decimal,
    unit: str = "stuk",
    vat_rate: str = "21",
    source_type: str = SourceType.MANUAL,
    source_id: str = "",
) -> InvoiceLine:
    """A line on a draft (amounts are Decimal; the line amount is rounded once, half up)."""
    values = {
        "description": description,
        "quantity": quantity,
        "unit": unit,
        "unit_price": unit_price,
        "vat_rate": vat_rate,
        "source_type": source_type,
        "source_id": str(source_id),
    }
    with transaction.atomic():
        locked = _locked_draft(user, invoice, _("een regel toevoegen"))
        rates = set(locked.lines.unrestricted().values_list("vat_rate", flat=True))
        _check_line(locked, values, rates)
        position = (max(locked.lines.unrestricted().values_list("position", flat=True), default=0) or 0) + 1
        line = InvoiceLine(invoice=locked, position=position, **values)
        line.description = line.description.strip()
        line.full_clean(exclude=["invoice", "total_excl"])
        line.save()
        _store_totals(locked)
    return line


def update_line(*, user, line: InvoiceLine, **changes) -> InvoiceLine:
    """Change a line of a draft (only the fields of ``LINE_FIELDS``); the totals follow."""
    unknown = set(changes) - set(LINE_FIELDS)
    if unknown:
        raise TypeError(f"onbekende velden: {sorted(unknown)}")
    with transaction.atomic():
        locked = _locked_draft(user, line.invoice, _("een regel wijzigen"))
        current = InvoiceLine.objects.unrestricted().select_for_update().get(pk=line.pk, invoice=locked)
        values = {name: getattr(current, name) for name in LINE_FIELDS}
        values.update({k: (str(v) if k == "source_id" else v) for k, v in changes.items()})
        rates = set(locked.lines.unrestricted().exclude(pk=current.pk).values_list("vat_rate", flat=True))
        _check_line(locked, values, rates)
        for name, value in values.items():
            setattr(current, name, value.strip() if name == "description" else value)
        current.full_clean(exclude=["invoice", "total_excl"])
        current.save()
        _store_totals(locked)
    return current


def remove_line(*, user, line: InvoiceLine) -> None:
    """Remove a line of a draft; the other lines keep their order and the totals follow."""
    with transaction.atomic():
        locked = _locked_draft(user, line.invoice, _("een regel verwijderen"))
        InvoiceLine.objects.unrestricted().filter(pk=line.pk, invoice=locked).delete()
        _store_totals(locked)


def invoicing_regions(user) -> list[Region]:
    """The regions whose invoices the user makes: those their municipality coordinates today (SPEC §1)."""
    return list(Region.objects.unrestricted().filter(pk__in=acting_region_ids(user)).order_by("name"))


def new_draft(
    *,
    user,
    recipient: Municipality,
    subject: str,
    period_start: date,
    period_end: date,
    region: Region | None = None,
    on: date | None = None,
) -> Invoice:
    """A draft made by hand (page "Nieuwe conceptfactuur", ``POST /api/v1/invoices/``): to a member of a region the
    user's municipality coordinates, under a valid invoicing mandate of that member (SPEC §5, checked here so the
    person hears it now, and again at issue)."""
    on = on or timezone.localdate()
    regions = invoicing_regions(user)
    if not regions:
        raise PermissionDenied(_("Alleen medewerkers van de coördinerende gemeente maken facturen."))
    if region is not None and region.pk not in {r.pk for r in regions}:
        raise PermissionDenied(_("Uw gemeente coördineert deze regio niet."))
    member_regions = set(
        Membership.objects.unrestricted()
        .filter(municipality=recipient, region__in=[region] if region else regions)
        .values_list("region_id", flat=True)
    )
    if not member_regions:
        raise InvoicingError(
            {
                "recipient": _("%(name)s is geen lid van een regio die uw gemeente coördineert.")
                % {"name": recipient.name}
            }
        )
    if region is None:
        if len(member_regions) > 1:
            raise InvoicingError(
                {
                    "region": _("%(name)s is lid van meer regio's die u coördineert: kies de regio.")
                    % {"name": recipient.name}
                }
            )
        region = next(r for r in regions if r.pk in member_regions)
    if recipient.pk == scope_of(user).municipality_id:
        raise InvoicingError({"recipient": _("De coördinerende gemeente factureert zichzelf niet.")})
    issuer = Municipality.objects.unrestricted().get(pk=scope_of(user).municipality_id)
    mandate = check_invoicing_mandate(issuer=issuer, recipient=recipient, on=on)
    if not mandate.allowed:
        raise InvoicingError(
            {
                "recipient": _("Geen geldig mandaat om namens %(name)s te factureren: %(reason)s")
                % {"name": recipient.name, "reason": mandate.reason or _("geen mandaat voor facturering")}
            }
        )
    return create_draft(
        user=user,
        region=region,
        recipient=recipient,
        subject=subject,
        period_start=period_start,
        period_end=period_end,
    )


# --- issuing -----------------------------------------------------------------------------------------------------


def _next_number(issuer_id: int, year: int) -> tuple[int, str]:
    """The next number of the issuer's unbroken sequence for the year, under a row lock held until commit."""
    InvoiceCounter.objects.unrestricted().bulk_create(
        [InvoiceCounter(issuer_id=issuer_id, year=year, last=0)], ignore_conflicts=True
    )
    counter = InvoiceCounter.objects.unrestricted().select_for_update().get(issuer_id=issuer_id, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, f"{year}-{counter.last:04d}"


def issue(*, user, invoice: Invoice, on: date | None = None) -> Invoice:
    """Issue a draft: number, date, parties' details and totals are fixed in one transaction (Wet OB art. 35a).

    The draft row is locked first, so issuing the same draft twice at once gives one number; the counter row is
    locked next, so concurrent issues of one issuer get consecutive numbers without gaps (a rollback returns the
    number with the transaction). When the issuer acts for another municipality the invoicing mandate is checked
    and recorded (SPEC §5).
    """
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = Invoice.objects.unrestricted().select_for_update().get(pk=invoice.pk)
        if not can(user, CHANGE, locked):
            raise PermissionDenied(_("U mag deze factuur niet verzenden."))
        if not locked.is_draft:
            raise InvoicingError(_("Factuur %(number)s is al verzonden.") % {"number": locked.number})
        lines = list(locked.lines.unrestricted())
        if not lines:
            raise InvoicingError(_("Een factuur zonder regels kan niet worden verzonden."))
        profiles = {
            p.municipality_id: p
            for p in InvoicingProfile.objects.unrestricted()
            .select_related("municipality")
            .filter(municipality_id__in=[locked.issuer_id, locked.recipient_id])
        }
        missing = [m.name for m in (locked.issuer, locked.recipient) if m.pk not in profiles]
        if missing:
            raise InvoicingError(
                _("Vul eerst de factuurgegevens (adres, OIN of KvK, btw-nummer) in van: %(names)s.")
                % {"names": ", ".join(missing)}
            )
        mandate = check_invoicing_mandate(issuer=locked.issuer, recipient=locked.recipient, on=on)
        if not mandate.allowed:
            raise InvoicingError(
                _("Geen geldig mandaat om namens %(name)s te factureren: %(reason)s")
                % {"name": locked.recipient.name, "reason": mandate.reason}
            )
        sequence, number = _next_number(locked.issuer_id, on.year)
        excl, vat, incl = locked.computed_totals(lines)
        locked.number = number
        locked.year = on.year
        locked.sequence = sequence
        locked.invoice_date = on
        locked.due_on = locked.due_date_for(on)
        locked.issuer_details = profiles[locked.issuer_id].details()
        locked.recipient_details = profiles[locked.recipient_id].details()
        locked.total_excl, locked.total_vat, locked.total_incl = excl, vat, incl
        locked.mandate = mandate.mandate if isinstance(mandate.mandate, Mandate) else None
        locked.mandate_reference = mandate.reference[:300]
        locked.issued_at = timezone.now()
        locked.issued_by = person(user)
        locked.status = InvoiceStatus.ISSUED
        locked.save()
        document, _created = InvoiceDocument.objects.unrestricted().get_or_create(
            invoice=locked, kind=DocumentKind.INVOICE
        )
        transaction.on_commit(lambda: _render_later(document.pk))
        if locked.credit_for_id:
            original = Invoice.objects.unrestricted().select_for_update().get(pk=locked.credit_for_id)
            _settle_status(original)
    return locked


def _render_later(document_id: int) -> None:
    from invoicing.tasks import render_document

    render_document.delay(document_id)


def credit(*, user, invoice: Invoice, reason: str) -> Invoice:
    """A draft credit invoice for an issued invoice: the same lines, negative (SPEC §6.6; Wet OB art. 35a lid 1 h)."""
    if not reason.strip():
        raise InvoicingError({"reason": _("Geef de reden van de creditering.")})
    with transaction.atomic():
        original = Invoice.objects.unrestricted().select_for_update().get(pk=invoice.pk)
        if not can(user, CHANGE, original):
            raise PermissionDenied(_("U mag deze factuur niet crediteren."))
        if original.is_draft:
            raise InvoicingError(_("Een concept wordt niet gecrediteerd maar aangepast of verwijderd."))
        if original.is_credit_note:
            raise InvoicingError(_("Een creditfactuur wordt niet opnieuw gecrediteerd."))
        note = Invoice(
            region=original.region,
            issuer=original.issuer,
            recipient=original.recipient,
            subject=_("Creditering van factuur %(number)s") % {"number": original.number},
            period_start=original.period_start,
            period_end=original.period_end,
            payment_term_days=original.payment_term_days,
            interest_kind=original.interest_kind,
            credit_for=original,
            credit_reason=reason.strip(),
            document_type=DocumentType.CREDIT_NOTE,
        )
        note.save()
        for line in original.lines.unrestricted():
            InvoiceLine(
                invoice=note,
                position=line.position,
                description=line.description,
                quantity=-line.quantity,
                unit=line.unit,
                unit_price=line.unit_price,
                vat_rate=line.vat_rate,
                source_type=SourceType.CREDIT,
                source_id=str(line.pk),
            ).save()
        _store_totals(note)
        note.refresh_from_db()
    return note


def delete_draft(*, user, invoice: Invoice) -> None:
    """Delete a draft with its lines; an issued invoice is never deleted (a credit invoice corrects it)."""
    with transaction.atomic():
        locked = _locked_draft(user, invoice, _("verwijderen"))
        locked.lines.unrestricted().delete()
        locked.documents.unrestricted().delete()
        locked.delete()


# --- payments ----------------------------------------------------------------------------------------------------


def _settle_status(invoice: Invoice) -> None:
    """The only way the status moves after issue.

    An invoice: issued → partly paid → paid, from what the payments settled. Payments settle the collection costs
    first, then the interest, then the principal (art. 6:44 BW), so an invoice is paid once nothing of the three is
    left on the day of its last payment. A refund credit note: issued → partly paid out → paid out, from the payouts.
    """
    if invoice.is_refund:
        paid_out = invoice.paid_out_amount()
        if paid_out > 0 and paid_out >= invoice.payable_out():
            status = InvoiceStatus.PAID_OUT
        elif paid_out > 0:
            status = InvoiceStatus.PARTLY_PAID_OUT
        else:
            status = InvoiceStatus.ISSUED
    elif invoice.is_credit_note:
        return
    else:
        payments = list(invoice.payments.unrestricted().order_by("paid_on"))
        if not payments:
            status = InvoiceStatus.ISSUED
        else:
            left = settlement(invoice, until=payments[-1].paid_on, payments=payments).total_outstanding
            status = InvoiceStatus.PAID if invoice.total_incl > 0 and left <= 0 else InvoiceStatus.PARTLY_PAID
    if status != invoice.status:
        invoice.status = status
        invoice.save(update_fields=["status", "updated_at"])


def _check_money(amount: Decimal, what: str) -> None:
    """An amount a service takes: Decimal, positive, within the 14-digit column (issue 10, finding 5)."""
    if not isinstance(amount, Decimal):
        raise TypeError("bedragen zijn Decimal, geen float")
    if not amount.is_finite() or amount <= 0:
        raise InvoicingError({"amount": _("%(what)s is een positief bedrag.") % {"what": what}})
    if amount > MAX_AMOUNT:
        raise InvoicingError(
            {"amount": _("Dit bedrag is te groot: hoogstens %(max)s.") % {"max": format_amount(MAX_AMOUNT)}}
        )


def _check_money_date(day: date, *, not_before: date | None, field: str, label: str, before_message: str) -> None:
    """A payment, payout or refund date: within the plausible window and not in the future (money that has not
    moved yet is not registered), and not before the document it belongs to (issue 10, findings 5 and 7)."""
    try:
        check_date(day, not_in_future=True, label=label)
    except ValidationError as exc:
        raise InvoicingError({field: exc.messages}) from None
    if not_before is not None and day < not_before:
        raise InvoicingError({field: before_message})


def open_amount(invoice: Invoice, on: date) -> Decimal:
    """What a payment on ``on`` may still settle on an invoice: the collection costs, the interest up to that day and
    the principal (art. 6:44 BW); never below zero. A payment above it is an overpayment (``register_overpayment``)."""
    payments = list(invoice.payments.unrestricted().order_by("paid_on"))
    until = max([on, *(p.paid_on for p in payments)])
    left = settlement(invoice, until=until, payments=payments).total_outstanding
    return max(left, invoice.outstanding(), ZERO)


def register_payment(
    *, user, invoice: Invoice, amount: Decimal, paid_on: date, reference: str = "", statement_line=None
) -> Payment:
    """Register a (partial) payment on an issued invoice; the coordinating municipality's staff do this (SPEC §1).

    Never more than is open, never on a paid invoice, never dated in the future or before the invoice (issue 10,
    finding 5): money received above what is open is an overpayment, a separate act with its reason."""
    _check_money(amount, _("Een betaling"))
    with transaction.atomic():
        locked = Invoice.objects.unrestricted().select_for_update().get(pk=invoice.pk)
        if not can(user, ADD, locked):
            raise PermissionDenied(_("U mag op deze factuur geen betaling registreren."))
        if locked.is_draft:
            raise InvoicingError(_("Op een concept kan niet worden betaald."))
        if locked.is_credit_note:
            raise InvoicingError(
                _("Op een creditfactuur wordt niet betaald; registreer een uitbetaling aan de gemeente.")
            )
        _check_money_date(
            paid_on,
            not_before=locked.invoice_date,
            field="paid_on",
            label=_("De betaaldatum"),
            before_message=_("De betaaldatum ligt voor de factuurdatum."),
        )
        if locked.status == InvoiceStatus.PAID:
            raise InvoicingError(
                {
                    "amount": _(
                        "Factuur %(number)s is al betaald: een nieuwe betaling is een overbetaling. Registreer die "
                        "apart, met de reden; het bedrag staat dan als terug te betalen."
                    )
                    % {"number": locked.number}
                }
            )
        left = open_amount(locked, paid_on)
        if amount > left:
            raise InvoicingError(
                {
                    "amount": _(
                        "Op factuur %(number)s staat nog %(left)s open; %(amount)s is meer. Registreer een betaling "
                        "van hoogstens het open bedrag, en wat te veel is apart als overbetaling met de reden."
                    )
                    % {"number": locked.number, "left": format_amount(left), "amount": format_amount(amount)}
                }
            )
        payment = Payment.objects.unrestricted().create(
            invoice=locked,
            amount=amount,
            paid_on=paid_on,
            reference=reference,
            statement_line=statement_line,
            registered_by=person(user),
        )
        _settle_status(locked)
    return payment


def register_payout(
    *, user, credit_note: Invoice, amount: Decimal, paid_on: date, reference: str = "", statement_line=None
) -> Payout:
    """Register a (partial) payout of a refund credit note: the coordinating municipality pays the member what the
    reckoning gives back (SPEC §6.5, WM-SO 6.7). issued → partly paid out → paid out; never more than is owed."""
    _check_money(amount, _("Een uitbetaling"))
    with transaction.atomic():
        locked = Invoice.objects.unrestricted().select_for_update().get(pk=credit_note.pk)
        if not can(user, ADD, locked):
            raise PermissionDenied(_("U mag op deze creditfactuur geen uitbetaling registreren."))
        if locked.is_draft:
            raise InvoicingError(_("Een concept wordt niet uitbetaald; verzend de creditfactuur eerst."))
        if not locked.is_refund:
            raise InvoicingError(
                _(
                    "Alleen een creditfactuur die een bedrag teruggeeft (zonder oorspronkelijke factuur) wordt "
                    "uitbetaald."
                )
            )
        _check_money_date(
            paid_on,
            not_before=locked.invoice_date,
            field="paid_on",
            label=_("De datum van uitbetaling"),
            before_message=_("De datum van uitbetaling ligt voor de datum van de creditfactuur."),
        )
        left = locked.to_pay_out()
        if amount > left:
            raise InvoicingError(
                {
                    "amount": _("Er staat nog %(left)s uit te betalen op creditfactuur %(number)s.")
                    % {"left": format_amount(left), "number": locked.number}
                }
            )
        payout = Payout.objects.unrestricted().create(
            invoice=locked,
            amount=amount,
            paid_on=paid_on,
            reference=reference[:200],
            statement_line=statement_line,
            registered_by=person(user),
        )
        _settle_status(locked)
    return payout


STATEMENT_REASON = "bankafschrift"


def register_overpayment(
    *,
    user,
    invoice: Invoice,
    amount: Decimal,
    received_on: date,
    reason: str,
    reference: str = "",
    statement_line=None,
) -> tuple[Payment | None, Overpayment]:
    """Money received on an invoice above what is open (issue 10, finding 5): a deliberate act with its reason.

    ``amount`` is all that was received: what is still open is booked as a payment, the rest is recorded as an
    overpayment that the coordinating municipality owes back ("terug te betalen"; onverschuldigde betaling, art.
    6:203 BW) until the refund is registered (``refund_overpayment``). On a paid invoice all of it is an overpayment.
    A bank-statement line that pays too much comes here with the reason "bankafschrift", so nothing is lost."""
    _check_money(amount, _("Een overbetaling"))
    reason = (reason or "").strip()
    if not reason:
        raise InvoicingError({"reason": _("Geef de reden van de overbetaling, bijvoorbeeld 'dubbel betaald'.")})
    with transaction.atomic():
        locked = Invoice.objects.unrestricted().select_for_update().get(pk=invoice.pk)
        if not can(user, ADD, locked):
            raise PermissionDenied(_("U mag op deze factuur geen betaling registreren."))
        if locked.is_draft or locked.is_credit_note:
            raise InvoicingError(_("Een overbetaling hoort bij een verzonden factuur."))
        _check_money_date(
            received_on,
            not_before=locked.invoice_date,
            field="received_on",
            label=_("De ontvangstdatum"),
            before_message=_("De ontvangstdatum ligt voor de factuurdatum."),
        )
        left = ZERO if locked.status == InvoiceStatus.PAID else open_amount(locked, received_on)
        if amount <= left:
            raise InvoicingError(
                {
                    "amount": _(
                        "Op factuur %(number)s staat nog %(left)s open: %(amount)s is geen overbetaling. Registreer "
                        "het als gewone betaling."
                    )
                    % {"number": locked.number, "left": format_amount(left), "amount": format_amount(amount)}
                }
            )
        payment = None
        if left > 0:
            payment = register_payment(
                user=user,
                invoice=locked,
                amount=left,
                paid_on=received_on,
                reference=reference[:200],
                statement_line=statement_line,
            )
        overpayment = Overpayment.objects.unrestricted().create(
            invoice=locked,
            amount=amount - left,
            received_on=received_on,
            reason=reason[:300],
            reference=reference[:200],
            statement_line=statement_line,
            registered_by=user,
        )
    return payment, overpayment


def refund_overpayment(*, user, overpayment: Overpayment, paid_on: date, reference: str = "") -> Overpayment:
    """Record that the coordinating municipality paid an overpayment back to the member (art. 6:203 BW)."""
    with transaction.atomic():
        locked = (
            Overpayment.objects.unrestricted().select_for_update().select_related("invoice").get(pk=overpayment.pk)
        )
        if not can(user, ADD, locked.invoice):
            raise PermissionDenied(_("U mag deze terugbetaling niet registreren."))
        if locked.refunded_on is not None:
            raise InvoicingError(_("Deze overbetaling is al terugbetaald."))
        _check_money_date(
            paid_on,
            not_before=locked.received_on,
            field="paid_on",
            label=_("De datum van terugbetaling"),
            before_message=_("De terugbetaling ligt voor de ontvangst van het te veel betaalde."),
        )
        locked.refunded_on, locked.refund_reference, locked.refunded_by = paid_on, reference[:200], user
        locked.save(update_fields=["refunded_on", "refund_reference", "refunded_by"])
    return locked


def to_refund(invoice: Invoice) -> Decimal:
    """What the coordinating municipality still owes back on an invoice's overpayments ("terug te betalen")."""
    return sum((o.to_refund for o in invoice.overpayments.unrestricted().all()), ZERO)


def offsettable_invoices(credit_note: Invoice) -> list[Invoice]:
    """The issuer's open invoices to the same member that a refund credit note can be offset against."""
    if not credit_note.is_refund or credit_note.is_draft or credit_note.to_pay_out() <= 0:
        return []
    candidates = (
        Invoice.objects.unrestricted()
        .filter(issuer=credit_note.issuer, recipient=credit_note.recipient, document_type=DocumentType.INVOICE)
        .exclude(status__in=[InvoiceStatus.DRAFT, InvoiceStatus.PAID])
        .order_by("invoice_date", "number")
    )
    return [i for i in candidates if i.outstanding() > 0]


def offset(*, user, credit_note: Invoice, invoice: Invoice, on: date | None = None) -> tuple[Payment, Payout]:
    """Offset (verrekenen, art. 6:127 BW) a refund credit note against an open invoice of the same issuer to the
    same member: one transaction books a payment on the invoice and a payout on the credit note of the same amount,
    each naming the other. The amount is what the invoice still asks on that day (collection costs and interest
    first, art. 6:44 BW) or what the credit note still owes, whichever is less."""
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = {
            i.pk: i
            for i in Invoice.objects.unrestricted().select_for_update().filter(pk__in=[credit_note.pk, invoice.pk])
        }
        note, target = locked[credit_note.pk], locked[invoice.pk]
        if not (can(user, ADD, note) and can(user, ADD, target)):
            raise PermissionDenied(_("Alleen de coördinerende gemeente die de facturen maakte, verrekent ze."))
        if target.pk not in {i.pk for i in offsettable_invoices(note)}:
            raise InvoicingError(
                {
                    "invoice": _(
                        "Factuur %(invoice)s kan niet met creditfactuur %(note)s worden verrekend: het moet een "
                        "openstaande factuur van dezelfde uitgever aan dezelfde gemeente zijn, en op de "
                        "creditfactuur moet nog iets uit te betalen zijn."
                    )
                    % {"invoice": target.number, "note": note.number}
                }
            )
        owed = settlement(target, until=on).total_outstanding
        amount = min(owed, note.to_pay_out())
        payment = register_payment(
            user=user,
            invoice=target,
            amount=amount,
            paid_on=max(on, target.invoice_date, note.invoice_date),
            reference=_("Verrekend met creditfactuur %(n)s") % {"n": note.number},
        )
        payout = register_payout(
            user=user,
            credit_note=note,
            amount=amount,
            paid_on=payment.paid_on,
            reference=_("Verrekend met factuur %(n)s") % {"n": target.number},
        )
    return payment, payout


# --- overdue, reminder, interest (WM-SO 6.9) ---------------------------------------------------------------------


def mark_overdue_and_remind(*, today: date | None = None) -> dict:
    """The daily job: mark invoices overdue after their payment term and prepare, once per invoice, the written
    request to pay within 14 days of the letter's date (WM-SO 6.9). Running it twice changes nothing more."""
    today = today or timezone.localdate()
    counts = {"overdue": 0, "reminded": 0}
    candidates = (
        Invoice.objects.unrestricted()
        .filter(status__in=[InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID], document_type=DocumentType.INVOICE)
        .filter(due_on__lt=today)
        .values_list("pk", flat=True)
    )
    for pk in list(candidates):
        with transaction.atomic():
            invoice = Invoice.objects.unrestricted().select_for_update().get(pk=pk)
            if (
                invoice.is_credit_note
                or invoice.status not in (InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID)
                or invoice.outstanding() <= 0
            ):
                continue
            fields = []
            if invoice.overdue_on is None:
                invoice.overdue_on = today
                fields.append("overdue_on")
                counts["overdue"] += 1
            if invoice.reminded_on is None:
                invoice.reminded_on = today
                invoice.reminder_due_on = today + timedelta(days=REMINDER_TERM_DAYS)
                fields += ["reminded_on", "reminder_due_on"]
                document, created = InvoiceDocument.objects.unrestricted().get_or_create(
                    invoice=invoice, kind=DocumentKind.REMINDER, defaults={"letter_date": today}
                )
                if created:
                    transaction.on_commit(lambda d=document.pk: _render_later(d))
                counts["reminded"] += 1
            if fields:
                invoice.save(update_fields=[*fields, "updated_at"])
    return counts


@dataclass
class Settlement:
    """What the payments on an invoice settled up to a day, in the order of art. 6:44 BW: collection costs, then
    interest, then principal (SPEC §6.6)."""

    until: date
    principal: Decimal  # what the invoice asks (after credit invoices), less payments within the term
    costs: Decimal
    interest: Decimal  # statutory interest accrued up to ``until`` (0 before the reminder's term passed)
    paid: Decimal  # all payments up to ``until``
    costs_paid: Decimal
    interest_paid: Decimal
    costs_outstanding: Decimal
    interest_outstanding: Decimal
    principal_outstanding: Decimal  # never below zero (issue 10, finding 5): what was paid too much is ``overpaid``
    overpaid: Decimal = ZERO

    @property
    def total_outstanding(self) -> Decimal:
        return self.costs_outstanding + self.interest_outstanding + self.principal_outstanding


def _interest_start_applies(invoice: Invoice, end: date) -> bool:
    return bool(invoice.reminder_due_on and invoice.due_on and end > invoice.reminder_due_on)


def settlement(invoice: Invoice, *, until: date | None = None, payments=None) -> Settlement:
    """Allocate the payments up to ``until`` over costs, interest and principal (art. 6:44 BW)."""
    until = until or timezone.localdate()
    if payments is None:
        payments = list(invoice.payments.unrestricted().order_by("paid_on"))
    payments = [p for p in payments if p.paid_on <= until]
    record = invoice.collection_cost_record()
    costs = record.amount if record else ZERO
    costs_on = record.incurred_on if record else None
    due_on = invoice.due_on or until
    principal = invoice.amount_due() - sum((p.amount for p in payments if p.paid_on <= due_on), ZERO)
    later = [p for p in payments if p.paid_on > due_on]
    paid = sum((p.amount for p in payments), ZERO)
    if principal > 0 and _interest_start_applies(invoice, until) and until > due_on:
        result = statutory_interest(
            principal=principal,
            start=due_on,
            end=until,
            kind=invoice.interest_kind,
            payments=[(p.paid_on, p.amount) for p in later],
            costs=costs,
            costs_on=costs_on,
        )
        return Settlement(
            until=until,
            principal=principal,
            costs=costs,
            interest=result.interest,
            paid=paid,
            costs_paid=result.costs_paid,
            interest_paid=result.interest_paid,
            costs_outstanding=result.costs_outstanding,
            interest_outstanding=result.interest_outstanding,
            principal_outstanding=result.principal_outstanding,
            overpaid=max(
                sum((p.amount for p in later), ZERO)
                - result.costs_paid
                - result.interest_paid
                - result.principal_paid,
                ZERO,
            ),
        )
    costs_left, principal_left, costs_paid = costs, principal, ZERO
    for payment in later:
        left = payment.amount
        if costs_on is not None and payment.paid_on >= costs_on:
            to_costs = min(left, costs_left)
            costs_left -= to_costs
            costs_paid += to_costs
            left -= to_costs
        principal_left -= left
    # Payments are bounded by what is open, but a credit invoice issued after payment (or a payment registered before
    # the bounds) can leave more paid than asked: that is shown as overpaid, never as a negative principal.
    overpaid = max(-principal_left, ZERO)
    principal_left = max(principal_left, ZERO)
    return Settlement(
        until=until,
        principal=principal,
        costs=costs,
        interest=ZERO,
        paid=paid,
        costs_paid=costs_paid,
        interest_paid=ZERO,
        costs_outstanding=costs_left,
        interest_outstanding=ZERO,
        principal_outstanding=principal_left,
        overpaid=overpaid,
    )


def interest_on_invoice(invoice: Invoice, *, until: date | None = None) -> interest_core.InterestResult | None:
    """Interest due on an overdue invoice (WM-SO 6.9): only once the 14-day term of the reminder has passed, from the
    last payment day (the invoice's due date) to the day of payment (or ``until``). Payments after the due date
    settle the collection costs first, then interest, then the principal (art. 6:44 BW)."""
    if invoice.is_draft or invoice.is_credit_note or not invoice.reminder_due_on or not invoice.due_on:
        return None
    until = until or timezone.localdate()
    payments = list(invoice.payments.unrestricted().order_by("paid_on"))
    principal = invoice.amount_due() - sum((p.amount for p in payments if p.paid_on <= invoice.due_on), ZERO)
    later = [p for p in payments if p.paid_on > invoice.due_on]
    end = until
    if invoice.status == InvoiceStatus.PAID and later:
        end = later[-1].paid_on
    if end <= invoice.reminder_due_on or principal <= 0:
        return None
    record = invoice.collection_cost_record()
    return statutory_interest(
        principal=principal,
        start=invoice.due_on,
        end=end,
        kind=invoice.interest_kind,
        payments=[(p.paid_on, p.amount) for p in later if p.paid_on <= end],
        costs=record.amount if record else ZERO,
        costs_on=record.incurred_on if record else None,
    )


def suggested_collection_costs(invoice: Invoice, *, on: date | None = None) -> Decimal:
    """The statutory scale over the principal still unpaid (Besluit vergoeding voor buitengerechtelijke
    incassokosten art. 2): a suggestion the coordinating staff may override."""
    return statutory_collection_costs(max(invoice.outstanding(), ZERO))


def record_collection_costs(
    *, user, invoice: Invoice, amount: Decimal | None = None, incurred_on: date | None = None, basis: str = ""
) -> CollectionCost:
    """Record (or change) the extrajudicial collection costs of an overdue invoice (art. 6:96 lid 2 sub c BW).

    Without an ``amount`` the statutory scale applies. Stored beside the invoice, which itself stays unchanged
    (Wet OB art. 35a); payments settle these costs first (art. 6:44 BW). History-audited like every model.
    """
    incurred_on = incurred_on or timezone.localdate()
    if amount is not None and not isinstance(amount, Decimal):
        raise TypeError("bedragen zijn Decimal, geen float")
    with transaction.atomic():
        locked = Invoice.objects.unrestricted().select_for_update().get(pk=invoice.pk)
        if not can(user, CHANGE, locked):
            raise PermissionDenied(_("U mag voor deze factuur geen incassokosten vastleggen."))
        if locked.is_draft or locked.is_credit_note:
            raise InvoicingError(_("Incassokosten horen alleen bij een verzonden factuur."))
        if locked.overdue_on is None:
            raise InvoicingError(
                _("Incassokosten horen bij een factuur die te laat is betaald; deze is niet te laat.")
            )
        if incurred_on < locked.overdue_on:
            raise InvoicingError({"incurred_on": _("De datum ligt voor de dag waarop de factuur te laat was.")})
        if incurred_on > timezone.localdate():
            raise InvoicingError({"incurred_on": _("De datum ligt in de toekomst.")})
        principal = max(locked.outstanding(), ZERO)
        statutory = statutory_collection_costs(principal)
        if principal <= 0 and amount is None:
            raise InvoicingError(_("Er staat geen hoofdsom meer open: er zijn geen incassokosten volgens de staffel."))
        amount = statutory if amount is None else round_cents(amount)
        if amount <= 0:
            raise InvoicingError({"amount": _("Het bedrag moet groter zijn dan nul.")})
        # Besluit vergoeding voor buitengerechtelijke incassokosten: above the scale only with a recorded reason,
        # and never beyond a sane ceiling (issue 10, finding 5).
        check_collection_costs(amount=amount, principal=principal, reason=basis)
        basis = basis.strip() or (
            STATUTORY_BASIS if amount == statutory else _("Bedrag vastgesteld door de coördinerende gemeente")
        )
        record, _created = (
            CollectionCost.objects.unrestricted()
            .select_for_update()
            .get_or_create(
                invoice=locked,
                defaults={
                    "amount": amount,
                    "incurred_on": incurred_on,
                    "basis": basis[:300],
                    "statutory_amount": statutory,
                    "principal": principal,
                    "registered_by": person(user),
                },
            )
        )
        if not _created:
            record.amount, record.incurred_on, record.basis = amount, incurred_on, basis[:300]
            record.statutory_amount, record.principal, record.registered_by = statutory, principal, person(user)
            record.save()
        _settle_status(locked)
    return record


def claim_interest(*, user, invoice: Invoice, on: date | None = None) -> InvoiceDocument:
    """Mark the invoice interest-claimed and prepare the interest claim letter (PDF), once (WM-SO 6.9)."""
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = Invoice.objects.unrestricted().select_for_update().get(pk=invoice.pk)
        if not can(user, CHANGE, locked):
            raise PermissionDenied(_("U mag voor deze factuur geen rente vorderen."))
        if interest_on_invoice(locked, until=on) is None:
            raise InvoicingError(_("Er is (nog) geen wettelijke rente verschuldigd op deze factuur."))
        document, created = InvoiceDocument.objects.unrestricted().get_or_create(
            invoice=locked, kind=DocumentKind.INTEREST_CLAIM, defaults={"letter_date": on}
        )
        if locked.interest_claimed_on is None:
            locked.interest_claimed_on = on
            locked.save(update_fields=["interest_claimed_on", "updated_at"])
        if created:
            transaction.on_commit(lambda: _render_later(document.pk))
    return document


def retry_document(*, user, document: InvoiceDocument) -> InvoiceDocument:
    """Render a failed (or stuck) PDF again; the invoice itself is not touched."""
    if not can(user, CHANGE, document.invoice):
        raise PermissionDenied(_("U mag dit document niet opnieuw laten maken."))
    if document.status == DocumentStatus.READY:
        return document
    InvoiceDocument.objects.unrestricted().filter(pk=document.pk).update(status=DocumentStatus.PENDING, error="")
    transaction.on_commit(lambda: _render_later(document.pk))
    document.refresh_from_db()
    return document


# --- invoicing a reckoning (WM-SO 6.7, WM-DVO 6) -----------------------------------------------------------------


@dataclass
class ReckoningInvoicing:
    invoices: list[Invoice]
    created: int
    skipped: list[str]


def _refund_reference(reckoning, member) -> str:
    """The preceding document a refund credit note names (EN 16931 BT-25; NLCIUS BR-NL-9 asks one on every credit
    note): the member's invoice or credit note of the nearest earlier version of this reckoning, else the reckoning
    itself (its advances were not invoiced in this product)."""
    previous = getattr(reckoning, "previous", None)
    while previous is not None:
        earlier = (
            Invoice.objects.unrestricted()
            .filter(source_key=f"reckoning:{previous.pk}:{member.code}")
            .exclude(status=InvoiceStatus.DRAFT)
            .first()
        )
        if earlier is not None:
            return earlier.number
        previous = getattr(previous, "previous", None)
    return f"afrekening-{reckoning.region.code}-{reckoning.year}-v{reckoning.version}"[:100]


def invoice_reckoning(*, user, reckoning, on: date | None = None, progress=None) -> ReckoningInvoicing:
    """One action: the invoices of all members for an approved reckoning, issued, and the reckoning marked settled
    (WM-SO 6.7: once a year, in December at the latest; WM-DVO 6.1). Doing it twice creates nothing new: each
    document carries the natural key ``reckoning:<id>:<CBS code>`` (unique per issuer).

    One line per member: its share of the actual costs minus the advances it paid (the difference of the reckoning
    line), at 21 % VAT on the coordinating municipality's services (WM-SO 6.8). For a correction version only the
    change against the previous version is invoiced (``ReckoningLine.to_settle``): the previous version's difference
    was settled by its own invoices (SPEC §6.5). A member that gets money back (a negative amount to settle) gets a
    credit note of its own (EN 16931 code 381, same number sequence) that the coordinating municipality pays out
    (``register_payout``). The coordinating municipality does not invoice itself; a member with nothing to settle
    gets nothing.
    """
    from costsharing import services as costsharing_services
    from costsharing.models import Reckoning, ReckoningLine

    on = on or timezone.localdate()
    region = reckoning.region
    issuer = _require_issuer_staff(user, region)
    result = ReckoningInvoicing(invoices=[], created=0, skipped=[])
    with transaction.atomic():
        # The reckoning row is the lock: two runs at once wait for each other, the second finds everything done.
        reckoning = Reckoning.objects.unrestricted().select_for_update().get(pk=reckoning.pk)
        if reckoning.status == Reckoning.Status.DRAFT:
            raise InvoicingError(_("Alleen een vastgestelde afrekening wordt gefactureerd."))
        lines = list(
            ReckoningLine.objects.unrestricted()
            .filter(reckoning=reckoning)
            .select_related("municipality")
            .order_by("pk")
        )
        for index, line in enumerate(lines, start=1):
            member = line.municipality
            amount = line.to_settle
            if member.pk == issuer.pk or amount == 0:
                result.skipped.append(member.name)
                continue
            key = f"reckoning:{reckoning.pk}:{member.code}"
            refund = amount < 0
            invoice = Invoice.objects.unrestricted().filter(issuer=issuer, source_key=key).first()
            if invoice is None:
                values = {"year": reckoning.year, "v": reckoning.version}
                invoice = create_draft(
                    user=user,
                    region=region,
                    recipient=member,
                    subject=(
                        _("Terugbetaling afrekening Wmo %(year)s (versie %(v)s)")
                        if refund
                        else _("Afrekening Wmo %(year)s (versie %(v)s)")
                    )
                    % values,
                    period_start=date(reckoning.year, 1, 1),
                    period_end=date(reckoning.year, 12, 31),
                    source_key=key,
                    document_type=DocumentType.CREDIT_NOTE if refund else DocumentType.INVOICE,
                    credit_reason=(
                        _("Afrekening %(year)s (versie %(v)s), afrekeningsregel %(line)s: %(name)s krijgt geld terug")
                        % {**values, "line": line.pk, "name": member.name}
                        if refund
                        else ""
                    ),
                    credit_reference=_refund_reference(reckoning, member) if refund else "",
                )
                result.created += 1
            if invoice.is_draft and not invoice.lines.unrestricted().exists():
                if line.previous_share is None:
                    description = _(
                        "Afrekening %(year)s: aandeel in de werkelijke kosten %(share)s min betaalde voorschotten "
                        "%(advances)s"
                    ) % {
                        "year": reckoning.year,
                        "share": format_amount(line.share),
                        "advances": format_amount(line.advances),
                    }
                else:
                    description = _(
                        "Correctie afrekening %(year)s (versie %(v)s): aandeel in de werkelijke kosten %(share)s, "
                        "eerder afgerekend %(previous)s"
                    ) % {
                        "year": reckoning.year,
                        "v": reckoning.version,
                        "share": format_amount(line.share),
                        "previous": format_amount(line.previous_share),
                    }
                add_line(
                    user=user,
                    invoice=invoice,
                    description=description,
                    # A credit note keeps the sign convention of every credit invoice: negative quantity, positive
                    # price; documents and the e-invoice present the amounts as a positive credit.
                    quantity=Decimal("-1") if refund else Decimal("1"),
                    unit_price=abs(amount),
                    unit="jaar",
                    vat_rate="21",
                    source_type=SourceType.RECKONING_LINE,
                    source_id=str(line.pk),
                )
            if invoice.is_draft:
                invoice = issue(user=user, invoice=invoice, on=on)
            result.invoices.append(invoice)
            if progress:
                progress(index, len(lines))
        if reckoning.status == Reckoning.Status.APPROVED:
            costsharing_services.mark_settled(user=user, reckoning=reckoning)
    return result

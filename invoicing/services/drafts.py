"""Draft invoices and their lines: creating, editing, removing, a new draft from the region's data. Articles:
WM-SO 6.7, SPEC §1, SPEC §5.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from invoicing.models import (
    DocumentType,
    Invoice,
    InvoiceLine,
    InvoicingProfile,
    SourceType,
    Unit,
    VatRate,
)
from invoicing.services._common import InvoiceIsIssued, InvoicingError
from invoicing.services.mandates import agreement_terms, agreement_vat, check_invoicing_mandate
from regio.line_sources import is_line_source
from regio.models import Membership, Municipality, Region
from regio.tenancy import ADD, CHANGE, acting_region_ids, can, is_system, scope_of

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
    memberships = Membership.objects.unrestricted().filter(region=region, municipality=recipient)
    if not memberships.exists():
        raise InvoicingError({"recipient": _("Deze gemeente is geen lid van de regio.")})
    # A member is billed for a supply period in which it was a member (a leaver still for its last period; a
    # municipality that ended in 2018 not for 2026).
    if not memberships.filter(valid_from__lte=period_end).exclude(valid_until__lt=period_start).exists():
        raise InvoicingError({"recipient": _("Deze gemeente was in de leveringsperiode geen lid van de regio.")})
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
    # The VAT treatment of the agreement, kept on the draft and frozen at issue (issue 12, WM-SO 6.8): new lines take
    # its rate, the PDF and the e-invoice its reason.
    vat = agreement_vat(region=region, on=period_end)
    invoice.vat_rate, invoice.vat_reason = vat.rate, vat.reason[:400]
    invoice.vat_article, invoice.vat_exemption_code = vat.article[:100], vat.exemption_code[:30]
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
    vat_rate: str | None = None,
    source_type: str = SourceType.MANUAL,
    source_id: str = "",
) -> InvoiceLine:
    """A line on a draft (amounts are Decimal; the line amount is rounded once, half up). Without a ``vat_rate`` the
    line takes the draft's, which came from its agreement (issue 12; WM-SO 6.8)."""
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
        if values["vat_rate"] is None:
            values["vat_rate"] = locked.vat_rate
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

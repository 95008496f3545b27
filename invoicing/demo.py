"""Demo steps (issues #6 and 12): the yearly WM cycle over 2025-2026, then a correction, so that every state can be
seen in the demo.

- December 2025 (WM-DVO 6.1): the fee 2025 on budget basis invoiced to Stein and Beek (Sittard-Geleen's own share on
  its statement); one invoice paid, the other overdue with a reminder and collection costs.
- December 2026 (WM-SO 6.7 "over het afgelopen kalenderjaar"): the settlement of 2025 computed and approved and, on
  one invoice per member, the fee 2026 beside the settlement 2025. Today is 2026-12-05, so that run has happened.
- Then a supplier's credit on 2025 booked after settlement makes correction version 2, whose refunds are credit
  notes (one paid out, one still to pay out).

Registered in ``InvoicingConfig.ready()``; ``load_demo`` runs it after importing ``demo/*.yaml`` (the 2025 and 2026
formation, budget and the 2025 actuals of ``demo/30-costsharing-westelijke-mijnstreek.yaml``, the invoicing mandates
and the settlement calendar of ``demo/20-agreements-westelijke-mijnstreek.yaml`` and the invoicing details of
``demo/40-invoicing-westelijke-mijnstreek.yaml``). It uses the services only, acting as the coordinating
municipality's demo user, and is idempotent: a second run changes nothing.
"""

from __future__ import annotations

from datetime import date

REGION = "westelijke-mijnstreek"
YEAR = 2025
ACTING_USER = "sittard-geleen-coordinator"
# The fee 2025 is invoiced in December 2025 (WM-DVO 6.1), so the 30-day payment term of WM-SO 2025 has long passed
# today. One member paid within the term; the other did not and gets the written reminder (WM-SO 6.9).
INVOICE_DATE = date(YEAR, 12, 10)
PAID_ON = date(YEAR + 1, 1, 9)
# December 2026: the settlement 2025 beside the fee 2026 (WM-SO 6.7, WM-DVO 6.1), within its payment term today.
CYCLE_DATE = date(YEAR + 1, 12, 3)
# After settlement the supplier of the hired contract manager credits part of its 2025 invoices (demo): the year is
# recomputed as a correction version (SPEC §6.5) and every member gets money back by credit note.
SUPPLIER_CREDIT = ("Creditnota leverancier inhuur contractmanager 2025 (demo)", date(YEAR, 12, 10), "-12000.00")
CORRECTION_DATE = date(YEAR + 1, 12, 4)
PAID_OUT_ON = date(YEAR + 1, 12, 5)


def _prefix(reckoning) -> str:
    return f"WM {reckoning.year}" if reckoning.version == 1 else f"WM {reckoning.year} (versie {reckoning.version})"


def _numbers(invoices) -> str:
    return ", ".join(f"{i.number} {i.recipient.name}" for i in invoices) or "geen facturen"


def _run(label: str, body) -> str:
    """Run a step in one transaction with the region and the acting user. A rule that refuses (no invoicing
    details, no mandate, a reckoning that cannot be computed) rolls the whole step back and is reported in the
    line, so ``load_demo`` still finishes and a next run tries again."""
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.db import transaction

    from regio.models import Region, User

    region = Region.objects.unrestricted().filter(code=REGION).first()
    user = User.objects.filter(username=ACTING_USER).first()
    if region is None or user is None:
        return f"{label}: overgeslagen (regio {REGION} of gebruiker {ACTING_USER} ontbreekt)"
    try:
        with transaction.atomic():
            return body(region, user)
    except (ValidationError, PermissionDenied) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return f"{label}: niet gefactureerd: {reason}"


def invoice_westelijke_mijnstreek() -> str:
    """December 2025: the fee 2025 invoiced to the members (WM-DVO 6.1); one invoice paid, the other overdue with a
    reminder and collection costs."""
    return _run(f"WM {YEAR}", _invoice_westelijke_mijnstreek)


def _invoice_westelijke_mijnstreek(region, user) -> str:
    from costsharing import services as costsharing_services
    from invoicing import services
    from invoicing.models import Invoice
    from regio.formatting import format_amount

    done = list(
        Invoice.objects.unrestricted()
        .filter(source_key__startswith=f"cycle:{region.pk}:{YEAR}:")
        .select_related("recipient")
        .order_by("number", "pk")
    )
    if done and all(not i.is_draft for i in done):
        return f"WM {YEAR}: bijdrage {YEAR} al gefactureerd ({_numbers(done)})"
    result = services.invoice_cycle(user=user, region=region, year=YEAR, on=INVOICE_DATE)
    fees = costsharing_services.fees_of(region=region, year=YEAR)
    prefix = f"WM {YEAR}"
    own = next((f for f in fees if f.origin == "own_share"), None)
    parts = [f"{prefix}: bijdrage {YEAR} gefactureerd ({_numbers(result.invoices)})"]
    if own is not None:
        parts.append(f"eigen aandeel {own.municipality.name} {format_amount(own.amount)} op haar overzicht")
    # Only invoices with something to pay can be paid or overdue (a member that receives money gets a negative one).
    payable = sorted(
        (i for i in result.invoices if i.total_incl > 0 and not i.is_credit_note),
        key=lambda i: (i.recipient.name, i.pk),
    )
    if payable:
        paid = payable[0]
        if not paid.payments.unrestricted().exists():
            services.register_payment(
                user=user,
                invoice=paid,
                amount=paid.outstanding(),
                paid_on=max(PAID_ON, paid.invoice_date),
                reference=f"Betaling factuur {paid.number} (demo)",
            )
        parts.append(f"{paid.number} {paid.recipient.name} betaald ({format_amount(paid.total_incl)})")
    if len(payable) > 1:
        services.mark_overdue_and_remind()
        reminded = (
            Invoice.objects.unrestricted()
            .filter(pk__in=[i.pk for i in payable[1:]], reminded_on__isnull=False)
            .select_related("recipient")
            .order_by("number")
        )
        for late in reminded:
            # The coordinating municipality also claims the statutory collection costs on the late invoice
            # (Besluit vergoeding voor buitengerechtelijke incassokosten), so the invoice page shows them.
            costs = services.record_collection_costs(user=user, invoice=late)
            parts.append(
                f"{late.number} {late.recipient.name} te laat, aanmaning verstuurd "
                f"({format_amount(late.total_incl)}), incassokosten {format_amount(costs.amount)}"
            )
    return "; ".join(parts)


def cycle_westelijke_mijnstreek() -> str:
    """December 2026 (WM-SO 6.7): the settlement of 2025 computed as the calendar's beat job does, approved, and
    invoiced beside the fee 2026 on one invoice per member. Idempotent."""
    return _run(f"WM {YEAR + 1}", _cycle_westelijke_mijnstreek)


def _cycle_westelijke_mijnstreek(region, user) -> str:
    from django.core.exceptions import ValidationError

    from costsharing import services as costsharing_services
    from costsharing.models import Reckoning
    from invoicing import services
    from invoicing.models import Invoice

    done = list(
        Invoice.objects.unrestricted()
        .filter(source_key__startswith=f"cycle:{region.pk}:{YEAR + 1}:")
        .select_related("recipient")
        .order_by("number", "pk")
    )
    if done and all(not i.is_draft for i in done):
        return f"WM {YEAR + 1}: bijdrage {YEAR + 1} en afrekening {YEAR} al gefactureerd ({_numbers(done)})"
    reckoning = costsharing_services.latest_reckoning(region=region, year=YEAR)
    if reckoning is None or reckoning.status == Reckoning.Status.DRAFT:
        # The beat job of 1 December 2026 starts this (costsharing.start_calendar_steps); the demo needs the result
        # now, in this transaction, so it runs the task's body itself.
        reckoning = costsharing_services.request_reckoning(user=user, region=region, year=YEAR, start=False)
        reckoning = costsharing_services.perform_reckoning(reckoning_id=reckoning.pk)
        if reckoning.run_state != Reckoning.RunState.DONE:
            raise ValidationError(reckoning.error or "de afrekening is niet berekend")
        if reckoning.status == Reckoning.Status.DRAFT:
            reckoning = costsharing_services.approve_reckoning(user=user, reckoning=reckoning)
    result = services.invoice_cycle(user=user, region=region, year=YEAR + 1, on=CYCLE_DATE)
    return (
        f"WM {YEAR + 1}: afrekening {YEAR} vastgesteld en met de bijdrage {YEAR + 1} gefactureerd "
        f"({_numbers(result.invoices)}); {result.own_share}"
    )


def correct_westelijke_mijnstreek() -> str:
    """Book the supplier's credit on the settled WM 2025 reckoning, compute and approve the correction version,
    invoice it (every member gets a refund credit note) and pay out one of them. Idempotent: once the correction is
    settled a second run changes nothing; a refusal rolls the step back and is reported."""
    return _run(f"WM {YEAR} correctie", _correct_westelijke_mijnstreek)


def _correct_westelijke_mijnstreek(region, user) -> str:
    from decimal import Decimal

    from django.core.exceptions import ValidationError

    from costsharing import services as costsharing_services
    from costsharing.models import ActualCostLine, Reckoning
    from invoicing import services
    from regio.formatting import format_amount

    latest = costsharing_services.latest_reckoning(region=region, year=YEAR)
    if latest is None or latest.status != Reckoning.Status.SETTLED:
        return f"WM {YEAR} correctie: overgeslagen (de afrekening {YEAR} is nog niet gefactureerd)"
    if latest.version > 1:
        return f"{_prefix(latest)}: correctie al gefactureerd"

    description, day, amount = SUPPLIER_CREDIT
    if not ActualCostLine.objects.unrestricted().filter(region=region, description=description).exists():
        costsharing_services.add_actual(
            user=user, region=region, day=day, category="hired", description=description, amount=Decimal(amount)
        )
    costsharing_services.request_reckoning(user=user, region=region, year=YEAR)
    correction = costsharing_services.perform_reckoning(reckoning_id=latest.pk)
    if correction.pk == latest.pk or correction.run_state != Reckoning.RunState.DONE:
        raise ValidationError(correction.error or "de correctieversie is niet berekend")
    correction = costsharing_services.approve_reckoning(user=user, reckoning=correction)
    result = services.invoice_reckoning(user=user, reckoning=correction, on=CORRECTION_DATE)
    parts = [f"{_prefix(correction)}: creditnota leverancier verwerkt, creditfacturen ({_numbers(result.invoices)})"]
    refunds = sorted((i for i in result.invoices if i.is_refund), key=lambda i: (i.recipient.name, i.pk))
    if refunds:
        paid_out, owed = refunds[0], refunds[0].to_pay_out()
        services.register_payout(
            user=user,
            credit_note=paid_out,
            amount=owed,
            paid_on=PAID_OUT_ON,
            reference=f"Uitbetaling creditfactuur {paid_out.number} (demo)",
        )
        parts.append(f"{paid_out.number} {paid_out.recipient.name} uitbetaald ({format_amount(owed)})")
        parts += [f"{i.number} {i.recipient.name} nog uit te betalen" for i in refunds[1:]]
    return "; ".join(parts)


def invoice_registered_sources() -> str:
    """Draft invoices of the lines other apps registered as billable for WM 2025 (``regio.line_sources``), e.g. the
    access fees of beschermd wonen: one draft per member, each line linked to its source record."""

    def body(region, user):
        from invoicing import services
        from regio.line_sources import billable_sources

        made = []
        for source in billable_sources():
            invoices = services.invoice_billables(user=user, region=region, source_type=source.code, year=YEAR)
            made.extend(f"{source.code}: {i.recipient.name}" for i in invoices)
        return f"WM {YEAR} bronnen: " + (", ".join(made) or "niets te factureren")

    return _run(f"WM {YEAR} bronnen", body)

"""The leaver's bill: a member reckoned pro rata temporis until its exit date, and the final statement of what it
still owes under its agreement's exit articles. Articles: WM-SO 16.3, WM-SO 16.4, WM-SO 16.6, WM-2015 6.7,
BNO 15.4, SPEC §6.1.

Pro rata temporis: the year is cut into periods at every day a party joins or leaves; each period's part of the
amount (its share of the year, counted in months as the fee is a yearly amount: a whole month is a twelfth, a part of
a month its days over that month's days) is split over the parties of that period by their key weights. The exact
result is one weight per party, and the amount is split by those weights through the one split service
(``costsharing.split``), so the parts add up to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agreements.models import Agreement, Notice, NoticeStatus, Party
from costsharing.models import (
    AllocationKey,
    Category,
    ExitLineKind,
    ExitScenario,
    ExitStatement,
    ExitStatementLine,
    ExitStatus,
    KeyVersion,
)
from costsharing.services._common import require_coordinator
from costsharing.services.budgets import category_keys
from costsharing.services.keys import version_on, weights_of
from costsharing.split import CENT, Part, as_fraction, split_weights
from regio.formatting import format_amount, format_date, format_number
from regio.models import Municipality, Region

# The amounts a person enters on a statement; the database column holds 14 digits.
MAX_AMOUNT = Decimal("999999999999.99")


# --- pro rata temporis ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A party's days in the agreement: from ``start`` up to (not including) ``end``; ``end`` None: still a party."""

    start: date
    end: date | None


def party_periods(*, agreement: Agreement) -> dict[int, Period]:
    """Every municipality party's period in the agreement, by municipality id (joined on, else the agreement's start;
    ``left_on`` is the first day it is no longer a party)."""
    parties = Party.objects.unrestricted("read helper: the agreement was restricted by the caller").filter(
        agreement=agreement, municipality__isnull=False
    )
    return {p.municipality_id: Period(p.joined_on or agreement.effective_from, p.left_on) for p in parties}


def year_fraction(start: date, end: date) -> Fraction:
    """The share of a year from ``start`` up to (not including) ``end``, both in one year or ``end`` the next
    1 January, counted in months: each whole month is 1/12, a part of a month its days over that month's days, over
    12. So 1 January to 1 July is exactly one half, in any year."""
    total = Fraction(0)
    day = start
    while day < end:
        next_month = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        month_days = (next_month - date(day.year, day.month, 1)).days
        stop = min(end, next_month)
        total += Fraction((stop - day).days, month_days * 12)
        day = stop
    return total


def pro_rata_weights(
    *, weights: Sequence[tuple[Municipality, Decimal]], periods: dict[int, Period], year: int
) -> list[tuple[Municipality, Fraction]]:
    """The exact pro rata temporis weights of a year: per period of the year in which the same parties take part,
    its days over the year's days, split over those parties by their key weights. A municipality without a known
    period counts the whole year. Parties that take part all year keep their key ratio among themselves; a party
    that left on 1 July gets exactly half its key share."""
    first, last = date(year, 1, 1), date(year + 1, 1, 1)
    cuts = {first, last}
    for m, _w in weights:
        period = periods.get(m.pk)
        if period is None:
            continue
        for day in (period.start, period.end):
            if day is not None and first < day < last:
                cuts.add(day)
    edges = sorted(cuts)
    out: dict[int, Fraction] = {m.pk: Fraction(0) for m, _w in weights}
    for start, end in zip(edges, edges[1:], strict=False):
        present = []
        for m, w in weights:
            period = periods.get(m.pk)
            if period is None or (period.start <= start and (period.end is None or start < period.end)):
                present.append((m, as_fraction(w)))
        total = sum((w for _m, w in present), Fraction(0))
        if total <= 0:
            continue
        share_of_year = year_fraction(start, end)
        for m, w in present:
            out[m.pk] += share_of_year * w / total
    return [(m, out[m.pk]) for m, _w in weights]


def pro_rata_split(*, amount: Decimal, version: KeyVersion, year: int, agreement: Agreement) -> list[Part]:
    """Split a year's amount by a key version pro rata temporis of the agreement's parties (WM-SO 16.3: the leaver
    pays until its exit; SPEC §6.1: through the one split service, the parts add up)."""
    weights = weights_of(version=version, year=year)
    exact = pro_rata_weights(weights=weights, periods=party_periods(agreement=agreement), year=year)
    return split_weights(amount=amount, weights=exact)


def pro_rata_parts(
    *, amount: Decimal, weights: Sequence[tuple[Municipality, Decimal]], periods: dict[int, Period], year: int
) -> list[Part]:
    """Split ``amount`` by key weights pro rata temporis of ``periods`` (the settlement of a year in which a member
    left or joined): the amounts by the exact ratios, through the one split service so that they add up to the cent;
    each part's ``weight`` is its exact share of the year's amount in percent (six decimals), as stored and shown."""
    exact = pro_rata_weights(weights=weights, periods=periods, year=year)
    return [
        replace(p, weight=fraction_to_decimal(p.weight * 100)) for p in split_weights(amount=amount, weights=exact)
    ]


def fraction_to_decimal(value: Fraction) -> Decimal:
    """An exact share as the six decimals a stored weight has (``choices.WEIGHT``)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.000001"))


# --- the statement -------------------------------------------------------------------------------------------------


def _article(agreement: Agreement, rule: str, fallback: str) -> str:
    return (agreement.exit_citations or {}).get(rule) or fallback


def _main_key(region: Region) -> AllocationKey:
    """The key that splits a region-wide total on a statement: the key of the formation (staff) category, the
    agreement's own key (WM-SO 6.2; BNO art. 1 and the annex)."""
    keys = category_keys(region=region)
    key = keys.get(Category.STAFF) or next(iter(keys.values()), None)
    if key is None:
        raise ValidationError(f"{region.name} heeft geen verdeelsleutel: een aandeel via de sleutel kan niet.")
    return key


def _lock_statement(user, statement: ExitStatement) -> ExitStatement:
    locked = (
        ExitStatement.objects.unrestricted("service: the coordinator check follows on the locked row")
        .select_for_update()
        .select_related("region", "agreement", "municipality")
        .get(pk=statement.pk)
    )
    require_coordinator(user, locked.region)
    return locked


def _next_position(statement: ExitStatement) -> int:
    positions = ExitStatementLine.objects.unrestricted("children of the locked statement").filter(statement=statement)
    return (max(positions.values_list("position", flat=True), default=0) or 0) + 1


def _pro_rata_lines(statement: ExitStatement) -> list[str]:
    """The leaver's share of its exit year's fee until the exit date (WM-SO 16.3: "komt in ieder geval haar
    (financiële) verplichtingen na tot het moment van beëindiging"; WM-2015 6.7; BNO 15.4), per cost category: the
    fee of the exit year on budget basis (WM-DVO 6.1, "exclusief beschermd wonen"), which is pro rata temporis for a
    member that left during the year, so the line is exactly the leaver's part of that fee.

    Every euro of the exit year is charged once: the statement takes the fee's place for that year (the December
    cycle does not invoice the leaver's fee of its exit year once a statement carries it, ``exit_charged_members``).
    When the fee was already invoiced before the notice took effect (WM-DVO 6.1: in December of the year), the
    statement lists it as a deduction, so that it charges only the difference; an issued fee invoice is never edited
    (a net refund becomes a credit note when the statement is invoiced). Returns the notes for the explanation."""
    from costsharing.models import Fee
    from costsharing.services.cycle import compute_fee

    region, agreement, year = statement.region, statement.agreement, statement.exit_date.year
    if statement.exit_date == date(year, 1, 1):
        return [f"Uittreding per {format_date(statement.exit_date)}: in {year} geen dagen als partij, geen aandeel."]
    computation = compute_fee(region=region, year=year)
    if not computation.categories:
        return [f"Geen begroting voor {year}: het aandeel tot de uittredingsdatum is nog niet te berekenen."]
    periods = party_periods(agreement=agreement)
    leaver = periods.get(statement.municipality_id)
    start = max(leaver.start, date(year, 1, 1)) if leaver else date(year, 1, 1)
    months = year_fraction(start, statement.exit_date) * 12
    months_text = format_number(Decimal(months.numerator) / Decimal(months.denominator), decimals=2)
    article = _article(agreement, "obligations", agreement.code)
    share = Decimal("0.00")
    for category, version, amount, parts in computation.categories:
        part = next((p for p in parts if p.municipality.pk == statement.municipality_id), None)
        if part is None:
            continue
        share += part.amount
        ExitStatementLine.objects.create(
            statement=statement,
            position=_next_position(statement),
            kind=ExitLineKind.PRO_RATA,
            description=f"{Category(category).label} {year} tot {format_date(statement.exit_date)}",
            basis=(
                f"Bijdrage {year} op basis van de begroting {format_amount(amount)}, verdeeld met {version.key.name} "
                f"(versie van {format_date(version.valid_from)}) naar rato van de tijd: {statement.municipality.name} "
                f"was {months_text} van de 12 maanden partij."
            ),
            article=article,
            total=amount,
            key_version=version,
            amount=part.amount,
        )
    notes = [f"Aandeel {year} naar rato van {months_text} van de 12 maanden ({article})."]
    fee = (
        Fee.objects.unrestricted("the leaver's fee of its exit year, under the locked notice")
        .filter(region=region, municipality_id=statement.municipality_id, year=year)
        .first()
    )
    if fee is not None and fee.invoiced > 0:
        ExitStatementLine.objects.create(
            statement=statement,
            position=_next_position(statement),
            kind=ExitLineKind.FEE_INVOICED,
            description=f"Al gefactureerde bijdrage {year} ({fee.reference})"[:300],
            basis=(
                f"De bijdrage {year} van {format_amount(fee.invoiced)} is gefactureerd voordat de uittreding inging "
                f"(WM-DVO 6.1); die factuur verandert niet. Hier verrekend, zodat het aandeel tot de "
                f"uittredingsdatum ({format_amount(share)}) één keer wordt betaald."
            ),
            article=article,
            amount=-fee.invoiced,
        )
        notes.append(f"Al gefactureerde bijdrage {year} ({fee.reference}) verrekend: {format_amount(-fee.invoiced)}.")
    return notes


def exit_charged_members(*, region: Region, year: int) -> set[int]:
    """The members whose fee of ``year`` a leaver's statement carries (its share of its exit year until the exit
    date): the December cycle does not invoice their fee of that year (one owner, every euro charged once)."""
    return set(
        ExitStatementLine.objects.unrestricted("the region's own exit statements, for its December cycle")
        .filter(
            statement__region=region,
            statement__scenario=ExitScenario.LEAVER,
            statement__exit_date__year=year,
            kind=ExitLineKind.PRO_RATA,
        )
        .values_list("statement__municipality_id", flat=True)
    )


@transaction.atomic
def draw_up_exit_statement(*, user, notice: Notice) -> ExitStatement:
    """Draw up the final statement of a member whose notice took effect (WM-SO 16.3-16.4; WM-2015 6.7; BNO 15.4):
    its share of the exit year's costs pro rata until the exit date, computed; what it owes beyond that (staff taken
    over or their cost, BNO's execution costs and contract obligations until 1-1-2024, its key share of the
    liquidation costs) is entered with ``enter_exit_amount``. Drawing it up twice returns the same statement."""
    notice = (
        Notice.objects.unrestricted("service: the coordinator check follows on the locked row")
        .select_for_update()
        .select_related("agreement__region", "municipality")
        .get(pk=notice.pk)
    )
    agreement = notice.agreement
    require_coordinator(user, agreement.region)
    if notice.status != NoticeStatus.EFFECTED:
        raise ValidationError(
            "De eindafrekening wordt opgesteld als de opzegging is ingegaan; deze opzegging is "
            f"{notice.get_status_display().lower()}."
        )
    existing = (
        ExitStatement.objects.unrestricted("the same statement, under the locked notice")
        .filter(agreement=agreement, municipality=notice.municipality, scenario=ExitScenario.LEAVER)
        .filter(exit_date=notice.exit_date)
        .first()
    )
    if existing is not None:
        return existing
    statement = ExitStatement.objects.create(
        region=agreement.region,
        agreement=agreement,
        notice=notice,
        municipality=notice.municipality,
        scenario=ExitScenario.LEAVER,
        exit_date=notice.exit_date,
        obligations_until=notice.obligations_until,
    )
    notes = _pro_rata_lines(statement)
    if agreement.exit_obligations_text:
        notes.append(f"Wat de overeenkomst zegt: {agreement.exit_obligations_text}")
    statement.explanation = "\n".join(notes)
    statement.save(update_fields=["explanation"])
    return statement


@transaction.atomic
def draw_up_full_termination(*, user, agreement: Agreement, end_date: date) -> list[ExitStatement]:
    """WM-SO 16.6: "Indien de Samenwerkingsovereenkomst geheel opgezegd wordt, worden zowel de financiële als de
    personele consequenties volgens de verdeelsleutel tussen de gemeenten verdeeld." One statement per municipality
    that is a party on the day before the end; the consequences are entered once with
    ``enter_termination_consequences`` and split over all of them. Twice gives the same statements."""
    agreement = (
        Agreement.objects.unrestricted("service: the coordinator check follows on the locked row")
        .select_for_update()
        .select_related("region")
        .get(pk=agreement.pk)
    )
    require_coordinator(user, agreement.region)
    if end_date <= agreement.effective_from:
        raise ValidationError("De einddatum ligt niet na de ingangsdatum van de overeenkomst.")
    last_day = end_date - timedelta(days=1)
    periods = party_periods(agreement=agreement)
    members = Municipality.objects.unrestricted("the parties of the locked agreement").filter(
        pk__in=[pk for pk, p in periods.items() if p.start <= last_day and (p.end is None or last_day < p.end)]
    )
    out = []
    for municipality in members.order_by("code"):
        statement, _created = ExitStatement.objects.unrestricted("children of the locked agreement").get_or_create(
            agreement=agreement,
            municipality=municipality,
            scenario=ExitScenario.FULL,
            exit_date=end_date,
            defaults={
                "region": agreement.region,
                "explanation": (
                    f"Gehele beëindiging van {agreement.code} per {format_date(end_date)}: de financiële en personele "
                    f"gevolgen worden volgens de verdeelsleutel verdeeld "
                    f"({_article(agreement, 'full', 'WM-SO 16.6')})."
                ),
            },
        )
        out.append(statement)
    if not out:
        raise ValidationError(f"Op {format_date(last_day)} heeft {agreement.code} geen gemeenten als partij.")
    return out


def _check_amount(amount) -> Decimal:
    if not isinstance(amount, Decimal):
        raise ValidationError("Het bedrag is geen geldig bedrag.")
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise ValidationError("Het bedrag heeft hoogstens twee decimalen.")
    if amount < 0:
        raise ValidationError(
            "Het bedrag kan niet negatief zijn; wat de gemeente terugkrijgt, loopt via de afrekening."
        )
    if amount > MAX_AMOUNT:
        raise ValidationError("Het bedrag is te groot.")
    return amount


_ENTERED_ARTICLE = {
    ExitLineKind.STAFF: ("staff", "obligations"),
    ExitLineKind.OBLIGATIONS: ("obligations",),
    ExitLineKind.LIQUIDATION: ("liquidation", "obligations"),
    ExitLineKind.CONSEQUENCES: ("full",),
}


@transaction.atomic
def enter_exit_amount(
    *,
    user,
    statement: ExitStatement,
    kind: str,
    description: str,
    basis: str,
    amount: Decimal,
    by_key: bool = False,
) -> ExitStatementLine:
    """Enter what the leaver still owes, with its basis (WM-SO 16.4: surplus staff taken over, or their cost;
    WM-2015 6.7: "de financiële gevolgen van uittreding, inclusief de kosten van het arbeidspotentieel"; BNO 15.4: the
    execution costs and contract obligations until 1-1-2024, and "via de afgesproken verdeelsleutel" the actual
    liquidation costs). ``by_key``: the amount is the region-wide total and the leaver owes its key share, split by
    the key version valid on the day before its exit (it is still a party then) through the one split service."""
    statement = _lock_statement(user, statement)
    if statement.status != ExitStatus.DRAFT:
        raise ValidationError("Een vastgestelde eindafrekening verandert niet.")
    if kind not in _ENTERED_ARTICLE:
        raise ValidationError("Kies wat voor bedrag het is: personeel, verplichtingen, liquidatiekosten of gevolgen.")
    description, basis = (description or "").strip(), (basis or "").strip()
    errors = []
    if not description:
        errors.append("Geef een omschrijving.")
    if not basis:
        errors.append("Geef de grondslag van het bedrag (waarop het rust).")
    if len(description) > 300:
        errors.append("De omschrijving is te lang (hoogstens 300 tekens).")
    if len(basis) > 2000:
        errors.append("De grondslag is te lang (hoogstens 2000 tekens).")
    if errors:
        raise ValidationError(errors)
    amount = _check_amount(amount)
    if kind == ExitLineKind.CONSEQUENCES and statement.scenario != ExitScenario.FULL:
        raise ValidationError("De gevolgen van gehele opzegging horen bij een gehele beëindiging (WM-SO 16.6).")
    rules = _ENTERED_ARTICLE[kind]
    citations = statement.agreement.exit_citations or {}
    article = next((citations[r] for r in rules if citations.get(r)), statement.agreement.code)
    total, version, owed = None, None, amount
    if by_key:
        version = version_on(key=_main_key(statement.region), on=statement.exit_date - timedelta(days=1))
        parts = split_weights(amount=amount, weights=weights_of(version=version, year=statement.exit_date.year))
        part = next((p for p in parts if p.municipality.pk == statement.municipality_id), None)
        if part is None:
            raise ValidationError(f"{statement.municipality.name} heeft geen aandeel in {version.key.name}.")
        total, owed = amount, part.amount
        basis = (
            f"{basis} — totaal {format_amount(amount)}, aandeel volgens {version.key.name} (versie van "
            f"{format_date(version.valid_from)}): {format_amount(owed)}"
        )
    return ExitStatementLine.objects.create(
        statement=statement,
        position=_next_position(statement),
        kind=kind,
        description=description,
        basis=basis,
        article=article,
        total=total,
        key_version=version,
        amount=owed,
        entered=True,
    )


@transaction.atomic
def enter_termination_consequences(
    *, user, agreement: Agreement, end_date: date, description: str, basis: str, amount: Decimal
) -> list[ExitStatementLine]:
    """WM-SO 16.6: one total of the financial and staff consequences of a full termination, split by the key over
    every party's statement at once (one split: the shares add up to the total)."""
    statements = draw_up_full_termination(user=user, agreement=agreement, end_date=end_date)
    if any(s.status != ExitStatus.DRAFT for s in statements):
        raise ValidationError("Een vastgestelde eindafrekening verandert niet.")
    amount = _check_amount(amount)
    description, basis = (description or "").strip(), (basis or "").strip()
    if not description or not basis:
        raise ValidationError("Geef een omschrijving en de grondslag van het bedrag.")
    version = version_on(key=_main_key(agreement.region), on=end_date - timedelta(days=1))
    parts = {p.municipality.pk: p for p in split_weights(amount=amount, weights=weights_of(version=version))}
    article = _article(agreement, "full", "WM-SO 16.6")
    lines = []
    for statement in statements:
        part = parts.get(statement.municipality_id)
        if part is None:
            raise ValidationError(f"{statement.municipality.name} heeft geen aandeel in {version.key.name}.")
        lines.append(
            ExitStatementLine.objects.create(
                statement=statement,
                position=_next_position(statement),
                kind=ExitLineKind.CONSEQUENCES,
                description=description[:300],
                basis=f"{basis[:2000]} — totaal {format_amount(amount)}, aandeel volgens {version.key.name}",
                article=article,
                total=amount,
                key_version=version,
                amount=part.amount,
                entered=True,
            )
        )
    return lines


@transaction.atomic
def remove_exit_line(*, user, line: ExitStatementLine) -> None:
    """Remove an entered line of a draft statement (computed lines follow from the figures and stay)."""
    statement = _lock_statement(user, line.statement)
    if statement.status != ExitStatus.DRAFT:
        raise ValidationError("Een vastgestelde eindafrekening verandert niet.")
    line = ExitStatementLine.objects.unrestricted("children of the locked statement").get(
        pk=line.pk, statement=statement
    )
    if not line.entered:
        raise ValidationError("Een berekende regel volgt uit de begroting en de sleutel; die verwijdert u niet.")
    line.delete()


@transaction.atomic
def finalise_exit_statement(*, user, statement: ExitStatement) -> ExitStatement:
    """Draft → final: from now on the statement does not change (STYLE.md rule 8); it can be invoiced."""
    statement = _lock_statement(user, statement)
    if statement.status != ExitStatus.DRAFT:
        raise ValidationError(f"Deze eindafrekening is al {statement.get_status_display().lower()}.")
    if not ExitStatementLine.objects.unrestricted("children of the locked statement").filter(statement=statement):
        raise ValidationError("Een eindafrekening zonder regels stelt u niet vast.")
    statement.status = ExitStatus.FINAL
    statement.finalised_at = timezone.now()
    statement._change_reason = "vastgesteld"
    statement.save()
    return statement


@transaction.atomic
def mark_exit_invoiced(*, user, statement: ExitStatement) -> ExitStatement:
    """Final → invoiced, by invoicing once the statement's invoice is issued."""
    statement = _lock_statement(user, statement)
    if statement.status == ExitStatus.INVOICED:
        return statement
    if statement.status != ExitStatus.FINAL:
        raise ValidationError("Alleen een vastgestelde eindafrekening wordt gefactureerd.")
    statement.status = ExitStatus.INVOICED
    statement.invoiced_at = timezone.now()
    statement._change_reason = "gefactureerd"
    statement.save()
    return statement


def statement_total(statement: ExitStatement) -> Decimal:
    """What the statement asks in all (the lines' amounts, each already rounded once)."""
    lines = ExitStatementLine.objects.unrestricted("children of the statement the caller reached").filter(
        statement=statement
    )
    return sum((line.amount for line in lines), Decimal("0.00"))

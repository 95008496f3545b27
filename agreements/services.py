"""The rules of agreements, mandates and governance (SPEC §3-§5). Plain keyword-only functions; views, the API,
the region-file loader and tasks only call these.

Dates: an agreement's ``effective_until`` is its last day in force; an exit date ("per 1 april 2029") is the first
day a party is no longer bound.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from agreements.models import (
    Accession,
    AccessionStatus,
    Agreement,
    Amendment,
    AmendmentStatus,
    Decision,
    ExtraMeetingRequest,
    ExtraMeetingSupport,
    Mandate,
    Meeting,
    MeetingKind,
    Notice,
    NoticeKind,
    NoticeStatus,
    Party,
    PartyRole,
    Power,
    WorkflowEvent,
)
from regio.bounds import check_date
from regio.models import Membership, Municipality, PopulationFigure, Region
from regio.tenancy import CHANGE, can, person, system_actor


def d(value: date | None) -> str:
    """A date the Dutch way in explanations: 01-04-2029."""
    return value.strftime("%d-%m-%Y") if value else ""


def add_months(start: date, months: int) -> date:
    """``start`` plus whole months; the 31st becomes the last day of a shorter month (art. 1:? BW practice)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _months_text(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return "één jaar" if years == 1 else f"{years} jaar"
    return f"{months} maanden"


def _cite(agreement: Agreement, rule: str) -> str:
    return (agreement.exit_citations or {}).get(rule) or agreement.code


def _check(user, obj, action: str = CHANGE) -> None:
    """Writes re-check the user's scope inside the transaction (STYLE.md rule 5); a job passes ``system_actor``."""
    if not can(user, action, obj):
        raise PermissionDenied("U mag dit niet wijzigen.")


# --- earliest exit (SPEC §3) ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExitDate:
    """The earliest exit date for a notice received on a date, with the articles it rests on.

    ``date`` is None when the rules do not decide it; ``explanation`` then says why, never a wrong date.
    """

    date: date | None
    explanation: str
    decidable: bool
    obligations_until: date | None = None
    articles: tuple[str, ...] = field(default_factory=tuple)


def _has_own_exit_rules(agreement: Agreement) -> bool:
    return any(
        v is not None
        for v in (
            agreement.exit_min_notice_months,
            agreement.exit_first_possible_end,
            agreement.exit_fixed_end_month,
            agreement.exit_only_on,
            agreement.exit_min_months_after_decision,
        )
    )


def earliest_exit(*, agreement: Agreement, notice_received: date) -> ExitDate:
    """The earliest date a party can leave when its notice (or, WM-2015 6.6, its announced withdrawal decision) is
    received on ``notice_received``.

    Rules, each data on the agreement and each cited in the explanation:
    * a minimum notice period in months (WM-SO 16.1: one year; BNO 15.3: one year; MH 3.5: six months);
    * a minimum number of months after the announced withdrawal decision (WM-2015 6.6: six);
    * a first possible end date (WM-SO 16.1: 1 april 2029): the exit is the later of the two;
    * exit only on a fixed day of the year (BNO 15.2: 1 januari): the next such day on or after that;
    * a fixed term (WM-2015 7.1, MH 3.4, BNO 22.2): the agreement ends by itself at its end, so no exit is later;
    * a service agreement without rules of its own ends by law with the agreement it elaborates (WM-DVO 8.4).
    """
    used: list[str] = []
    natural_end = agreement.effective_until + timedelta(days=1) if agreement.effective_until else None

    if not _has_own_exit_rules(agreement) and agreement.elaborates_id:
        parent = earliest_exit(agreement=agreement.elaborates, notice_received=notice_received)
        article = _cite(agreement, "ends_with")
        text = (
            f"{agreement.code} kent geen eigen opzegging: beëindiging van {agreement.elaborates.code} beëindigt deze "
            f"overeenkomst van rechtswege ({article}). {parent.explanation}"
        )
        return ExitDate(parent.date, text, parent.decidable, parent.obligations_until, (article, *parent.articles))

    if agreement.effective_until and notice_received > agreement.effective_until:
        return ExitDate(
            None,
            f"{agreement.code} is op {d(agreement.effective_until)} al geëindigd ({_cite(agreement, 'term')}); "
            "opzeggen kan niet meer.",
            False,
        )

    if not _has_own_exit_rules(agreement):
        if natural_end:
            article = _cite(agreement, "term")
            return ExitDate(
                natural_end,
                f"{agreement.code} regelt geen tussentijdse opzegging; zij eindigt door het verlopen van haar "
                f"looptijd per {d(natural_end)} ({article}).",
                True,
                natural_end,
                (article,),
            )
        return ExitDate(
            None,
            f"{agreement.code} is voor onbepaalde tijd gesloten en regelt geen opzegging. Het systeem beslist dit "
            "niet: vraag de jurist (opzegging van een duurovereenkomst met een redelijke termijn).",
            False,
        )

    lines: list[str] = []
    earliest = notice_received
    if agreement.exit_min_notice_months is not None:
        article = _cite(agreement, "notice")
        by_notice = add_months(notice_received, agreement.exit_min_notice_months)
        lines.append(
            f"opzegtermijn van minimaal {_months_text(agreement.exit_min_notice_months)} na ontvangst op "
            f"{d(notice_received)}: {d(by_notice)} ({article})"
        )
        used.append(article)
        earliest = max(earliest, by_notice)
    if agreement.exit_min_months_after_decision is not None:
        article = _cite(agreement, "after_decision")
        by_decision = add_months(notice_received, agreement.exit_min_months_after_decision)
        lines.append(
            f"niet eerder dan {_months_text(agreement.exit_min_months_after_decision)} na de bekendmaking van het "
            f"uittredingsbesluit op {d(notice_received)}: {d(by_decision)} ({article}; korter alleen als alle "
            "deelnemers dat overeenkomen)"
        )
        used.append(article)
        earliest = max(earliest, by_decision)
    if agreement.exit_first_possible_end is not None:
        article = _cite(agreement, "first_end")
        lines.append(f"voor het eerst per {d(agreement.exit_first_possible_end)} ({article})")
        if article not in used:
            used.append(article)
        earliest = max(earliest, agreement.exit_first_possible_end)
    if agreement.exit_fixed_end_month is not None:
        article = _cite(agreement, "fixed_day")
        month, day = agreement.exit_fixed_end_month, agreement.exit_fixed_end_day
        candidate = date(earliest.year, month, min(day, calendar.monthrange(earliest.year, month)[1]))
        if candidate < earliest:
            year = earliest.year + 1
            candidate = date(year, month, min(day, calendar.monthrange(year, month)[1]))
        lines.append(
            f"uittreden kan uitsluitend per {day} {_MONTHS[month]}: eerstvolgende is {d(candidate)} ({article})"
        )
        used.append(article)
        earliest = candidate
    if agreement.exit_only_on is not None:
        article = _cite(agreement, "only_on")
        if earliest > agreement.exit_only_on:
            return ExitDate(
                None,
                f"{agreement.code} kan alleen per {d(agreement.exit_only_on)} eindigen ({article}), maar volgens "
                f"de regels kan dat niet eerder dan {d(earliest)}: die datum is dan al voorbij. De overeenkomst zegt "
                "niet wat dan geldt; het systeem beslist dit niet. Overleg met de andere partijen.",
                False,
                articles=(article, *used),
            )
        lines.append(f"uittreden kan alleen per {d(agreement.exit_only_on)} ({article})")
        used.append(article)
        earliest = agreement.exit_only_on

    if natural_end and earliest >= natural_end:
        article = _cite(agreement, "term")
        lines.append(f"maar de looptijd eindigt eerder: de overeenkomst eindigt per {d(natural_end)} ({article})")
        used.append(article)
        earliest = natural_end

    if len(lines) >= 2 and agreement.exit_first_possible_end is not None and agreement.exit_min_notice_months:
        # WM-SO 16.1 as SPEC §3 writes it: max(first possible end, notice + period).
        by_notice = add_months(notice_received, agreement.exit_min_notice_months)
        summary = (
            f"Vroegste uittreding: {d(earliest)} = de laatste van {d(agreement.exit_first_possible_end)} en "
            f"{d(by_notice)}."
        )
    else:
        summary = f"Vroegste uittreding: {d(earliest)}."
    conditions = []
    if agreement.exit_requires_registered_letter:
        conditions.append(f"de opzegging moet per aangetekende brief ({_cite(agreement, 'registered_letter')})")
    if agreement.exit_requires_special_circumstances:
        conditions.append(
            f"alleen wegens bijzondere omstandigheden en gemotiveerd ({_cite(agreement, 'special_circumstances')})"
        )
    obligations_until = earliest
    if agreement.exit_obligations_until and agreement.exit_obligations_until > earliest:
        obligations_until = agreement.exit_obligations_until
    obligations = ""
    if agreement.exit_obligations_until or agreement.exit_obligations_text:
        article = _cite(agreement, "obligations")
        obligations = f" Verplichtingen lopen door tot {d(obligations_until)} ({article})"
        obligations += f": {agreement.exit_obligations_text}" if agreement.exit_obligations_text else "."
        used.append(article)
    text = f"{agreement.code}: " + "; ".join(lines) + ". " + summary
    if conditions:
        text += " Voorwaarde: " + "; ".join(conditions) + "."
    text += obligations
    return ExitDate(earliest, text, True, obligations_until, tuple(dict.fromkeys(used)))


def earliest_dissolution(*, agreement: Agreement, default_notice_on: date) -> ExitDate:
    """WM-SO 16.2: after a written default notice (ingebrekestelling) giving at least N days to comply, a party may
    dissolve the agreement at once and without notice period if the default continues. The earliest day is the
    default notice's date plus N days; whether the default continued is for the people to establish."""
    if agreement.default_notice_days is None:
        return ExitDate(
            None,
            f"{agreement.code} regelt geen ontbinding na ingebrekestelling; het systeem beslist dit niet "
            "(de wet geldt: art. 6:265 BW).",
            False,
        )
    article = _cite(agreement, "default_notice")
    earliest = default_notice_on + timedelta(days=agreement.default_notice_days)
    text = (
        f"{agreement.code}: na de schriftelijke ingebrekestelling van {d(default_notice_on)} met een termijn van ten "
        f"minste {agreement.default_notice_days} dagen kan de overeenkomst, als de tekortkoming voortduurt, vanaf "
        f"{d(earliest)} onmiddellijk en zonder opzegtermijn schriftelijk worden ontbonden ({article})."
    )
    return ExitDate(earliest, text, True, earliest, (article,))


_MONTHS = {
    1: "januari",
    2: "februari",
    3: "maart",
    4: "april",
    5: "mei",
    6: "juni",
    7: "juli",
    8: "augustus",
    9: "september",
    10: "oktober",
    11: "november",
    12: "december",
}


# --- mandates (SPEC §5) -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MayAct:
    allowed: bool
    mandate: Mandate | None
    reason: str


def _as_municipality(value) -> Municipality | None:
    if isinstance(value, Municipality):
        return value
    return Municipality.objects.unrestricted().filter(code=str(value)).first()


def may_act(*, acting_municipality, on_behalf_of, power: str, on_date: date) -> MayAct:
    """Whether ``acting_municipality`` may use ``power`` for ``on_behalf_of`` on ``on_date``, and the mandate it rests
    on (SPEC §5; WM-SO 4.12, 15.3; BNO 5). A municipality acting for itself needs no mandate.

    Accepts Municipality objects or CBS codes. Called by invoicing, contracts and beschermd wonen.
    """
    acting, principal = _as_municipality(acting_municipality), _as_municipality(on_behalf_of)
    if acting is None or principal is None:
        missing = acting_municipality if acting is None else on_behalf_of
        return MayAct(False, None, f"Onbekende gemeente: {missing}.")
    if acting.pk == principal.pk:
        return MayAct(True, None, f"{acting.name} handelt voor zichzelf; daarvoor is geen mandaat nodig.")
    if power not in Power.values:
        return MayAct(False, None, f"Onbekende bevoegdheid '{power}' (kies uit: {', '.join(Power.values)}).")
    label = Power(power).label
    candidates = list(
        Mandate.objects.unrestricted()
        .filter(mandating=principal, mandated=acting)
        .select_related("agreement")
        .order_by("valid_from", "pk")
    )
    covering = [m for m in candidates if power in m.powers]
    for mandate in covering:
        if mandate.is_valid_on(on_date) and mandate.agreement.is_in_force_on(on_date):
            return MayAct(
                True,
                mandate,
                f"{acting.name} handelt voor {principal.name} onder mandaat {mandate.pk} ({mandate.agreement.code}, "
                f"{label.lower()}, geldig {d(mandate.valid_from)} – {d(mandate.valid_until) or 'onbepaald'}).",
            )
    if covering:
        return MayAct(
            False,
            None,
            f"Het mandaat van {principal.name} aan {acting.name} voor {label.lower()} geldt niet op {d(on_date)} "
            "(buiten de geldigheid van het mandaat of van zijn overeenkomst, WM-SO 15.3).",
        )
    if candidates:
        return MayAct(
            False, None, f"{principal.name} heeft {acting.name} wel mandaat gegeven, maar niet voor {label.lower()}."
        )
    return MayAct(False, None, f"{principal.name} heeft {acting.name} geen mandaat gegeven.")


# --- weighted vote (BNO 6.2) ------------------------------------------------------------------------------------


class VoteError(ValueError):
    """A vote that cannot be counted: the message names the code(s) at fault."""


@dataclass(frozen=True)
class VoteResult:
    adopted: bool
    population_share: Decimal  # exact
    in_favour_count: int
    in_favour_population: int
    total_population: int
    voters: tuple[tuple[str, str, int], ...]  # (code, name, inhabitants) of every municipality that may vote
    explanation: str

    @property
    def share_text(self) -> str:
        """Four decimals, half up (SPEC §4): 0.6918."""
        return str(self.population_share.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def voters_of(*, region: Region, year: int) -> list[Municipality]:
    """The municipalities that vote in ``year``: those of the region that existed on 1 January of that year (CBS
    municipality list) and had not left the region before that day.

    A membership that starts later than 1 January does not exclude a municipality: the region's recorded
    memberships may begin with a later agreement (the BNO demo records the 2020 centrumregeling, while its key uses
    the 1-1-2018 figures, BNO bijlage).
    """
    reference = date(year, 1, 1)
    memberships = list(Membership.objects.unrestricted().filter(region=region).select_related("municipality"))
    by_municipality: dict[int, list[Membership]] = {}
    for m in memberships:
        by_municipality.setdefault(m.municipality_id, []).append(m)
    voters = []
    for items in by_municipality.values():
        municipality = items[0].municipality
        if municipality.active_from and municipality.active_from > reference:
            continue
        if municipality.active_until and municipality.active_until < reference:
            continue
        if all(m.valid_until is not None and m.valid_until < reference for m in items):
            continue
        voters.append(municipality)
    return sorted(voters, key=lambda m: m.name)


def weighted_vote(*, region: Region, year: int, in_favour: list[str], min_count: int = 4) -> VoteResult:
    """BNO 6.2: adopted when the municipalities in favour hold more than half of the population (CBS, 1 January of
    that calendar year) **and** number at least four. Shares come from the inhabitants, not from rounded
    percentages (SPEC §4). Raises VoteError naming an unknown, non-member or duplicate code, or a missing figure.
    """
    if not isinstance(year, int) or not 1900 <= year <= 2200:
        raise VoteError(f"'{year}' is geen geldig jaar.")
    codes = [str(c).strip().upper() for c in in_favour]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise VoteError(f"Dubbel opgegeven: {', '.join(duplicates)}.")
    voters = voters_of(region=region, year=year)
    by_code = {m.code: m for m in voters}
    known = set(Municipality.objects.unrestricted().filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise VoteError(f"Onbekende gemeentecode: {', '.join(unknown)}.")
    outsiders = [c for c in codes if c not in by_code]
    if outsiders:
        raise VoteError(
            f"Geen deelnemer van {region.name} op 1-1-{year}: {', '.join(outsiders)}; zij stemmen niet mee."
        )
    figures = dict(
        PopulationFigure.objects.unrestricted()
        .filter(municipality__in=voters, reference_date=date(year, 1, 1))
        .values_list("municipality__code", "inhabitants")
    )
    missing = [f"{m.name} ({m.code})" for m in voters if m.code not in figures]
    if missing:
        raise VoteError(f"Geen inwonertal op 1-1-{year} voor: {', '.join(missing)}.")
    total = sum(figures[m.code] for m in voters)
    if total == 0:
        raise VoteError(f"Het totaal aantal inwoners op 1-1-{year} is 0.")
    in_favour_population = sum(figures[c] for c in codes)
    share = Decimal(in_favour_population) / Decimal(total)
    majority = in_favour_population * 2 > total  # exact: more than half, no rounding
    enough = len(codes) >= min_count
    adopted = majority and enough
    result_text = "aangenomen" if adopted else "niet aangenomen"
    share_display = share.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    explanation = (
        f"{len(codes)} gemeenten voor met {in_favour_population} van {total} inwoners op 1-1-{year} "
        f"(aandeel {share_display}): {'meer' if majority else 'niet meer'} dan de helft en "
        f"{'wel' if enough else 'niet'} ten minste {min_count} gemeenten, dus {result_text} (BNO 6.2)."
    )
    return VoteResult(
        adopted=adopted,
        population_share=share,
        in_favour_count=len(codes),
        in_favour_population=in_favour_population,
        total_population=total,
        voters=tuple((m.code, m.name, figures[m.code]) for m in voters),
        explanation=explanation,
    )


# --- ending an agreement ----------------------------------------------------------------------------------------


def _event(agreement, on, action, article="", user=None, **subject) -> WorkflowEvent:
    event = WorkflowEvent(agreement=agreement, on=on, action=action, article=article, by=person(user), **subject)
    event.save()
    return event


@transaction.atomic
def end_agreement(*, user, agreement: Agreement, last_day: date, reason: str, article: str = "") -> Agreement:
    """End an agreement after ``last_day``: its mandates end with it (WM-SO 15.3) and every agreement that elaborates
    it (a DVO over its SO) ends by law too (WM-DVO 8.4). Each change is in the audit history with its reason."""
    agreement = Agreement.objects.unrestricted().select_for_update().get(pk=agreement.pk)
    _check(user, agreement)
    if last_day < agreement.effective_from:
        raise ValidationError({"last_day": "De einddatum ligt voor de ingangsdatum van de overeenkomst."})
    if agreement.effective_until is None or agreement.effective_until > last_day:
        agreement.effective_until = last_day
        agreement.end_reason = reason
        agreement._change_reason = f"beëindigd per {d(last_day + timedelta(days=1))}: {reason}"
        agreement.save()
        _event(agreement, last_day, f"Overeenkomst eindigt na {d(last_day)}: {reason}", article, user)
    for mandate in Mandate.objects.unrestricted().select_for_update().filter(agreement=agreement):
        if mandate.valid_until is None or mandate.valid_until > last_day:
            # WM-SO 15.3: the (sub)mandate holds at most for the duration of the agreement.
            mandate.valid_until = max(last_day, mandate.valid_from)
            mandate.end_reason = f"overeenkomst {agreement.code} beëindigd (WM-SO 15.3)"
            mandate._change_reason = mandate.end_reason
            mandate.save()
    for child in Agreement.objects.unrestricted().filter(elaborates=agreement):
        end_agreement(
            user=system_actor(f"van rechtswege met {agreement.code} beëindigd (WM-DVO 8.4)"),
            agreement=child,
            last_day=last_day,
            reason=f"van rechtswege met {agreement.code} beëindigd",
            article=_cite(child, "ends_with") if child.exit_citations.get("ends_with") else "WM-DVO 8.4",
        )
    return agreement


# --- parties ----------------------------------------------------------------------------------------------------


def _within_agreement(agreement: Agreement, day: date, label: str) -> None:
    """A date of an act under an agreement lies within the plausible window and the agreement's own dates (issue 10:
    plausible ranges for every date, "and the agreement's own dates")."""
    check_date(day, earliest=agreement.effective_from, latest=agreement.effective_until, label=label)


def current_parties(*, agreement: Agreement, on: date) -> list[Party]:
    """The municipalities that are party on ``on`` (providers do not consent to accession or amendments)."""
    parties = (
        Party.objects.unrestricted()
        .filter(agreement=agreement, municipality__isnull=False)
        .select_related("municipality", "agreement")
    )
    return [p for p in parties if p.is_party_on(on)]


def _require_party(agreement: Agreement, municipality: Municipality, on: date) -> None:
    if municipality.pk not in {p.municipality_id for p in current_parties(agreement=agreement, on=on)}:
        raise ValidationError(f"{municipality.name} is op {d(on)} geen partij bij {agreement.code}.")


# --- notice of termination / withdrawal -------------------------------------------------------------------------


@transaction.atomic
def receive_notice(
    *,
    user,
    agreement: Agreement,
    municipality: Municipality,
    received_on: date,
    kind: str = NoticeKind.TERMINATION,
    registered_letter: bool = False,
    letter_reference: str = "",
    decision_announced_on: date | None = None,
) -> Notice:
    """Step 1: a notice arrives (WM-SO 16.1; WM-2015 6.4-6.5; BNO 15.1-15.3)."""
    agreement = Agreement.objects.unrestricted().select_for_update().get(pk=agreement.pk)
    _check(user, agreement)
    _within_agreement(agreement, received_on, "De ontvangstdatum")
    _require_party(agreement, municipality, received_on)
    if (
        Notice.objects.unrestricted()
        .filter(
            agreement=agreement, municipality=municipality, status__in=[NoticeStatus.RECEIVED, NoticeStatus.REGISTERED]
        )
        .exists()
    ):
        raise ValidationError(f"Er loopt al een opzegging van {municipality.name} voor {agreement.code}.")
    notice = Notice(
        agreement=agreement,
        municipality=municipality,
        kind=kind,
        received_on=received_on,
        registered_letter=registered_letter,
        letter_reference=letter_reference,
        decision_announced_on=decision_announced_on,
    )
    notice.save()
    letter = " per aangetekende brief" if registered_letter else ""
    _event(
        agreement,
        received_on,
        f"{notice.get_kind_display()} van {municipality.name} ontvangen{letter}",
        "",
        user,
        notice=notice,
    )
    return notice


@transaction.atomic
def register_notice(*, user, notice: Notice, on: date) -> Notice:
    """Step 2: check the form and compute the exit date and the obligations that run on."""
    notice = Notice.objects.unrestricted().select_for_update().select_related("agreement").get(pk=notice.pk)
    agreement = notice.agreement
    _check(user, notice)
    if notice.status != NoticeStatus.RECEIVED:
        raise ValidationError(f"Deze opzegging is al {notice.get_status_display().lower()}.")
    if (
        agreement.exit_requires_registered_letter
        and not notice.registered_letter
        and notice.kind != NoticeKind.DISSOLUTION
    ):
        raise ValidationError(
            f"De opzegging moet per aangetekende brief ({_cite(agreement, 'registered_letter')}); leg eerst de "
            "aangetekende brief vast."
        )
    start = notice.received_on
    if agreement.exit_min_months_after_decision is not None and notice.kind != NoticeKind.DISSOLUTION:
        if not notice.decision_announced_on:
            raise ValidationError(
                "De termijn loopt vanaf de bekendmaking van het uittredingsbesluit "
                f"({_cite(agreement, 'after_decision')}); vul die datum in."
            )
        start = notice.decision_announced_on
    if notice.kind == NoticeKind.DISSOLUTION:
        result = earliest_dissolution(agreement=agreement, default_notice_on=notice.received_on)
    else:
        result = earliest_exit(agreement=agreement, notice_received=start)
    if not result.decidable:
        raise ValidationError(result.explanation)
    notice.exit_date = result.date
    notice.obligations_until = result.obligations_until
    notice.explanation = result.explanation
    notice.status = NoticeStatus.REGISTERED
    notice._change_reason = "geregistreerd; uittredingsdatum berekend"
    notice.save()
    _event(
        agreement,
        on,
        f"Opzegging van {notice.municipality.name} geregistreerd: uittreding per {d(result.date)}",
        ", ".join(result.articles),
        user,
        notice=notice,
    )
    return notice


@transaction.atomic
def add_registered_letter(*, user, notice: Notice, on: date, reference: str = "") -> Notice:
    notice = Notice.objects.unrestricted().select_for_update().get(pk=notice.pk)
    _check(user, notice)
    if notice.status != NoticeStatus.RECEIVED:
        raise ValidationError("Alleen een ontvangen opzegging krijgt nog een aangetekende brief.")
    notice.registered_letter = True
    notice.letter_reference = reference
    notice.save()
    _event(
        notice.agreement,
        on,
        "Aangetekende brief ontvangen",
        _cite(notice.agreement, "registered_letter"),
        user,
        notice=notice,
    )
    return notice


@transaction.atomic
def effect_notice(*, user, notice: Notice, on: date) -> Notice:
    """Step 3: on or after the exit date the party leaves (``left_on``); the others decide whether they go on (WM-SO
    16.5)."""
    notice = (
        Notice.objects.unrestricted().select_for_update().select_related("agreement", "municipality").get(pk=notice.pk)
    )
    _check(user, notice)
    if notice.status != NoticeStatus.REGISTERED:
        raise ValidationError("Alleen een geregistreerde opzegging kan ingaan.")
    if on < notice.exit_date:
        raise ValidationError(f"De uittreding gaat pas in per {d(notice.exit_date)}.")
    party = (
        Party.objects.unrestricted()
        .select_for_update()
        .get(agreement=notice.agreement, municipality=notice.municipality)
    )
    party.left_on = notice.exit_date
    party._change_reason = f"uitgetreden per {d(notice.exit_date)}"
    party.save()
    notice.status = NoticeStatus.EFFECTED
    notice.save()
    _event(notice.agreement, notice.exit_date, f"{notice.municipality.name} uitgetreden", "", user, notice=notice)
    return notice


@transaction.atomic
def withdraw_notice(*, user, notice: Notice, on: date) -> Notice:
    notice = Notice.objects.unrestricted().select_for_update().get(pk=notice.pk)
    _check(user, notice)
    if notice.status not in (NoticeStatus.RECEIVED, NoticeStatus.REGISTERED):
        raise ValidationError("Deze opzegging kan niet meer worden ingetrokken.")
    notice.status = NoticeStatus.WITHDRAWN
    notice.save()
    _event(notice.agreement, on, f"Opzegging van {notice.municipality.name} ingetrokken", "", user, notice=notice)
    return notice


# --- accession and amendment: every current party decides ------------------------------------------------------


@transaction.atomic
def request_accession(*, user, agreement: Agreement, municipality: Municipality, requested_on: date) -> Accession:
    agreement = Agreement.objects.unrestricted().select_for_update().get(pk=agreement.pk)
    _check(user, agreement)
    _within_agreement(agreement, requested_on, "De datum van het verzoek")
    if municipality.pk in {p.municipality_id for p in current_parties(agreement=agreement, on=requested_on)}:
        raise ValidationError(f"{municipality.name} is al partij bij {agreement.code}.")
    accession = Accession(agreement=agreement, municipality=municipality, requested_on=requested_on)
    accession.save()
    _event(
        agreement,
        requested_on,
        f"Verzoek tot toetreding van {municipality.name}",
        agreement.accession_rule,
        user,
        accession=accession,
    )
    return accession


@transaction.atomic
def propose_amendment(
    *,
    user,
    agreement: Agreement,
    title: str,
    proposed_by: Municipality,
    proposed_on: date,
    description: str = "",
    is_addendum: bool = True,
) -> Amendment:
    agreement = Agreement.objects.unrestricted().select_for_update().get(pk=agreement.pk)
    _check(user, agreement)
    _within_agreement(agreement, proposed_on, "De datum van het voorstel")
    _require_party(agreement, proposed_by, proposed_on)
    amendment = Amendment(
        agreement=agreement,
        title=title,
        proposed_by=proposed_by,
        proposed_on=proposed_on,
        description=description,
        is_addendum=is_addendum,
    )
    amendment.save()
    _event(
        agreement,
        proposed_on,
        f"{'Addendum' if is_addendum else 'Wijziging'} voorgesteld: {title}",
        "",
        user,
        amendment=amendment,
    )
    return amendment


@transaction.atomic
def record_decision(
    *,
    user,
    subject: Accession | Amendment,
    municipality: Municipality,
    in_favour: bool,
    decided_on: date,
    council_consent_on: date | None = None,
    note: str = "",
) -> Decision:
    """One party's consent (accession) or approval (amendment), dated and attributed."""
    model = type(subject)
    subject = model.objects.unrestricted().select_for_update().select_related("agreement").get(pk=subject.pk)
    _check(user, subject)
    agreement = subject.agreement
    open_status = AccessionStatus.REQUESTED if model is Accession else AmendmentStatus.PROPOSED
    if subject.status != open_status:
        raise ValidationError("Hierover is al besloten.")
    _require_party(agreement, municipality, decided_on)
    if in_favour and agreement.consent_needs_council and not council_consent_on:
        raise ValidationError(
            f"{municipality.name}: het college stemt in na verkregen toestemming van de raad "
            f"({agreement.amendment_rule if model is Amendment else agreement.accession_rule}); vul de datum van "
            "die toestemming in."
        )
    key = "accession" if model is Accession else "amendment"
    if Decision.objects.unrestricted().filter(**{key: subject}, municipality=municipality).exists():
        raise ValidationError(f"{municipality.name} heeft hierover al besloten.")
    decision = Decision(
        agreement=agreement,
        municipality=municipality,
        in_favour=in_favour,
        decided_on=decided_on,
        council_consent_on=council_consent_on,
        note=note,
        **{key: subject},
    )
    decision.save()
    verb = "stemt in" if in_favour else "stemt niet in"
    _event(agreement, decided_on, f"{municipality.name} {verb}", "", user, **{key: subject})
    return decision


def missing_consents(*, subject: Accession | Amendment, on: date) -> tuple[list[Party], list[Decision]]:
    """The current parties that have not yet consented, and the decisions against."""
    key = "accession" if isinstance(subject, Accession) else "amendment"
    decisions = list(Decision.objects.unrestricted().filter(**{key: subject}).select_related("municipality"))
    favour = {x.municipality_id for x in decisions if x.in_favour}
    parties = current_parties(agreement=subject.agreement, on=on)
    return [p for p in parties if p.municipality_id not in favour], [x for x in decisions if not x.in_favour]


def _require_unanimity(subject, on: date, rule: str) -> None:
    missing, against = missing_consents(subject=subject, on=on)
    if against:
        names = ", ".join(x.municipality.name for x in against)
        raise ValidationError(f"Niet unaniem: {names} stemt niet in ({rule}).")
    if missing:
        names = ", ".join(p.name for p in missing)
        raise ValidationError(f"Nog niet alle partijen hebben ingestemd ({rule}); ontbreekt: {names}.")


@transaction.atomic
def complete_accession(*, user, accession: Accession, joined_on: date) -> Party:
    """The new municipality joins only with the consent of every current party (WM-SO 13; WM-2015 6.1; BNO 14.1)."""
    accession = Accession.objects.unrestricted().select_for_update().select_related("agreement").get(pk=accession.pk)
    _check(user, accession)
    if accession.status != AccessionStatus.REQUESTED:
        raise ValidationError("Over deze toetreding is al besloten.")
    _require_unanimity(accession, joined_on, accession.agreement.accession_rule or "unanieme instemming")
    party = Party(
        agreement=accession.agreement, municipality=accession.municipality, role=PartyRole.MEMBER, joined_on=joined_on
    )
    party.save()
    accession.status = AccessionStatus.JOINED
    accession.joined_on = joined_on
    accession.save()
    _event(
        accession.agreement,
        joined_on,
        f"{accession.municipality.name} toegetreden",
        accession.agreement.accession_rule,
        user,
        accession=accession,
    )
    return party


@transaction.atomic
def adopt_amendment(*, user, amendment: Amendment, adopted_on: date, effective_from: date) -> Amendment:
    """Adopted only when every party approved (WM-SO 12.2; WM-2015 6.3; BNO 13.3), then attached to the agreement
    with its own effective date (WM-SO 12.3)."""
    amendment = Amendment.objects.unrestricted().select_for_update().select_related("agreement").get(pk=amendment.pk)
    _check(user, amendment)
    if amendment.status != AmendmentStatus.PROPOSED:
        raise ValidationError("Over deze wijziging is al besloten.")
    _require_unanimity(amendment, adopted_on, amendment.agreement.amendment_rule or "goedkeuring van alle partijen")
    amendment.status = AmendmentStatus.ADOPTED
    amendment.adopted_on = adopted_on
    amendment.effective_from = effective_from
    amendment.save()
    _event(
        amendment.agreement,
        adopted_on,
        f"{'Addendum' if amendment.is_addendum else 'Wijziging'} vastgesteld en gehecht: {amendment.title} "
        f"(in werking per {d(effective_from)})",
        amendment.agreement.amendment_rule,
        user,
        amendment=amendment,
    )
    return amendment


# --- meetings (WM-SO 3; BNO 8) ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplianceRow:
    kind: str
    label: str
    required: int
    held: int
    article: str

    @property
    def ok(self) -> bool:
        return self.held >= self.required


@dataclass(frozen=True)
class Compliance:
    agreement: Agreement
    year: int
    rows: tuple[ComplianceRow, ...]

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows)

    @property
    def summary(self) -> str:
        """ "2025: bestuurlijk 1/1, ambtelijk beleid 1/2 ⚠"."""
        short = {
            MeetingKind.ADMINISTRATIVE: "bestuurlijk",
            MeetingKind.POLICY: "ambtelijk beleid",
            MeetingKind.OPERATIONAL: "ambtelijk uitvoerend",
            MeetingKind.DEVELOPMENT_TABLE: "ontwikkeltafel",
        }
        parts = [f"{short[r.kind]} {r.held}/{r.required}" + ("" if r.ok else " ⚠") for r in self.rows]
        return f"{self.year}: " + ", ".join(parts)


def meeting_compliance(*, agreement: Agreement, year: int) -> Compliance:
    """Meetings held in ``year`` against the agreement's minimum frequencies (WM-SO 3.1-3.2; BNO 8.2)."""
    order = list(MeetingKind.values)
    requirements = sorted(agreement.meeting_requirements.unrestricted(), key=lambda r: order.index(r.kind))
    meetings = (
        Meeting.objects.unrestricted()
        .filter(region=agreement.region_id, date__year=year)
        .filter(Q(agreement__isnull=True) | Q(agreement=agreement))
    )
    held: dict[str, int] = {}
    for kind in meetings.values_list("kind", flat=True):
        held[kind] = held.get(kind, 0) + 1
    rows = tuple(
        ComplianceRow(r.kind, str(MeetingKind(r.kind).label), r.per_year, held.get(r.kind, 0), r.article)
        for r in requirements
    )
    return Compliance(agreement, year, rows)


@transaction.atomic
def support_extra_meeting(
    *, user, request: ExtraMeetingRequest, municipality: Municipality, on: date, reasons: str
) -> ExtraMeetingRequest:
    """BNO 8.3-8.4: a portfolio holder asks, with reasons, for an extra meeting; once a third of them asked, the
    centre holds it within two weeks."""
    request = (
        ExtraMeetingRequest.objects.unrestricted().select_for_update().select_related("agreement").get(pk=request.pk)
    )
    _check(user, request)
    if not reasons.strip():
        raise ValidationError("Een verzoek om extra overleg noemt de redenen (BNO 8.3).")
    _require_party(request.agreement, municipality, on)
    if ExtraMeetingSupport.objects.unrestricted().filter(request=request, municipality=municipality).exists():
        # A second click was a 500 (the unique constraint); the request row is locked above, so this check holds.
        raise ValidationError(f"{municipality.name} steunt dit verzoek om extra overleg al.")
    ExtraMeetingSupport(request=request, municipality=municipality, on=on, reasons=reasons).save()
    supporters = ExtraMeetingSupport.objects.unrestricted().filter(request=request).count()
    holders = len(current_parties(agreement=request.agreement, on=on))
    if request.threshold_reached_on is None and supporters * 3 >= holders:
        request.threshold_reached_on = on
        request.due_on = on + timedelta(days=14)
        request.save()
        _event(
            request.agreement,
            on,
            f"Een derde van de portefeuillehouders ({supporters} van {holders}) vraagt extra overleg over "
            f"'{request.subject}': uiterlijk {d(request.due_on)} houden",
            "BNO 8.3-8.4",
            user,
        )
    return request


def extra_meeting_threshold(holders: int) -> int:
    """How many portfolio holders make a third (BNO 8.3): 10 → 4, 5 → 2."""
    return math.ceil(holders / 3)


# --- plans and reports -----------------------------------------------------------------------------------------


@transaction.atomic
def submit_plan(*, user, obligation, year: int, submitted_on: date):
    """Record that a plan or report was delivered for ``year``; it then no longer shows as a deadline
    (BNO 6.1, 10.5; WM-SO 3.3, 12.1)."""
    from agreements.models import PlanObligation, PlanSubmission

    obligation = PlanObligation.objects.unrestricted().select_for_update().get(pk=obligation.pk)
    _check(user, obligation)
    if year < obligation.first_year or (obligation.last_year and year > obligation.last_year):
        raise ValidationError(f"Voor {year} is '{obligation.title}' niet verschuldigd.")
    submission, created = PlanSubmission.objects.unrestricted().get_or_create(
        obligation=obligation, year=year, defaults={"submitted_on": submitted_on}
    )
    if created:
        _event(obligation.agreement, submitted_on, f"{obligation.title} ({year}) ingediend", obligation.article, user)
    return submission


@transaction.atomic
def open_extra_meeting_request(*, user, agreement: Agreement, subject: str) -> ExtraMeetingRequest:
    """Start a request for an extra bestuurlijk overleg (BNO 8.3); supporters are added with
    ``support_extra_meeting``."""
    agreement = Agreement.objects.unrestricted().select_for_update().get(pk=agreement.pk)
    _check(user, agreement)
    request = ExtraMeetingRequest(agreement=agreement, subject=subject)
    request.save()
    return request


@transaction.atomic
def hold_extra_meeting(*, user, request: ExtraMeetingRequest, on: date, agenda: str = "") -> Meeting:
    """Record the extra bestuurlijk overleg held for a request (BNO 8.4); it then leaves the deadlines."""
    request = (
        ExtraMeetingRequest.objects.unrestricted().select_for_update().select_related("agreement").get(pk=request.pk)
    )
    _check(user, request)
    if request.threshold_reached_on is None:
        raise ValidationError("Nog geen derde van de portefeuillehouders heeft om dit overleg gevraagd (BNO 8.3).")
    if on < request.threshold_reached_on:
        raise ValidationError("Het overleg ligt voor het verzoek.")
    agreement = request.agreement
    meeting = Meeting(
        region_id=agreement.region_id,
        agreement=agreement,
        kind=MeetingKind.ADMINISTRATIVE,
        date=on,
        title=f"Extra bestuurlijk overleg: {request.subject}"[:200],
        agenda=agenda or request.subject,
        extra_request=request,
    )
    meeting.full_clean()
    meeting.save()
    late = f" (na de termijn van {d(request.due_on)})" if request.due_on and on > request.due_on else ""
    _event(agreement, on, f"Extra bestuurlijk overleg gehouden over '{request.subject}'{late}", "BNO 8.4", user)
    return meeting

"""Exit rules: the earliest exit (notice, withdrawal) and the earliest dissolution of a party, with the article that
rules it. Articles: SPEC §3, WM-SO 16.1, BNO 15.3, BNO 15.2, BNO 22.2, WM-DVO 8.4, WM-SO 16.2.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from agreements.models import (
    Agreement,
)
from agreements.services._common import _MONTHS, _cite, _months_text, add_months, d

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

    if notice_received < agreement.effective_from:
        return ExitDate(
            None,
            f"{agreement.code} gold op {d(notice_received)} nog niet (in werking per {d(agreement.effective_from)}): "
            "een opzegging kan pas vanaf die datum.",
            False,
        )

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

"""Weighted votes: who votes and the weighted result (population figures). Articles: BNO 6.2, SPEC §4."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import ngettext

from agreements.models import Agreement, AgreementKind
from regio.formatting import format_number
from regio.models import Membership, Municipality, PopulationFigure, Region

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
        """Four decimals, half up (SPEC §4): 0.6918 (the API's value; pages show ``share_percent``)."""
        return str(self.population_share.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))

    @property
    def share_percent(self) -> str:
        """The share as a Dutch percentage to two decimals, as a person reads it: 69,18 %."""
        return f"{format_number(Decimal(self.share_text) * 100, decimals=2)} %"


def weighted_vote_agreements(region: Region):
    """The region's agreements that carry the weighted vote: a centrumregeling (BNO 6.2). Other cooperations (the
    Westelijke Mijnstreek's three members could never reach "at least four") do not vote this way."""
    return Agreement.objects.unrestricted("whether a rule exists; the caller checked the region").filter(
        region=region, kind=AgreementKind.CENTRAL_SCHEME
    )


def has_weighted_vote(region: Region) -> bool:
    return weighted_vote_agreements(region).exists()


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
    if not has_weighted_vote(region):
        raise VoteError(f"{region.name} kent geen gewogen stemming: die regelt alleen een centrumregeling (BNO 6.2).")
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
    municipalities = ngettext("%(count)d gemeente", "%(count)d gemeenten", len(codes)) % {"count": len(codes)}
    percent = format_number(share_display * 100, decimals=2)
    explanation = (
        f"{municipalities} voor met {format_number(in_favour_population, decimals=0)} van "
        f"{format_number(total, decimals=0)} inwoners op 1-1-{year} (aandeel {percent} %): "
        f"{'meer' if majority else 'niet meer'} dan de helft en {'wel' if enough else 'niet'} ten minste "
        f"{min_count} gemeenten, dus {result_text} (BNO 6.2)."
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

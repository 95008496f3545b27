"""Allocation keys (verdeelsleutels): versions, validation, weights on a date, the population key, merging
municipalities. Articles: SPEC §6.1, WM-SO 6.2, BNO 1.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from costsharing.models import (
    AllocationKey,
    Basis,
    KeyShare,
    KeyVersion,
    ReckoningPart,
)
from costsharing.services._common import HUNDRED, require_coordinator
from costsharing.split import Part, split_weights
from regio.formatting import format_date, format_number
from regio.models import Municipality, PopulationFigure
from regio.weights import provided_weights, weight_provider

# --- Allocation keys ---------------------------------------------------------------------------------------------


def fmt_pct(value: Decimal) -> str:
    return format_number(value, decimals=2)


def validate_version(
    *,
    key: AllocationKey,
    basis: str,
    valid_from: date,
    valid_until: date | None,
    shares: dict[Municipality, Decimal],
    exclude_pk: int | None = None,
) -> None:
    """Refuse a bad key version with clear Dutch messages (issue #5): percentages that do not add up to 100 (and by
    how much), a member missing, a non-member present, an overlapping validity."""
    errors: list[str] = []
    if valid_until is not None and valid_until < valid_from:
        errors.append("Het einde van de geldigheid ligt voor het begin.")
    if basis == Basis.FIXED:
        total = sum(shares.values(), Decimal(0))
        if total != HUNDRED:
            diff = HUNDRED - total
            errors.append(
                f"De percentages tellen op tot {fmt_pct(total)} % in plaats van 100 %: "
                f"{fmt_pct(abs(diff))} procentpunt te {'weinig' if diff > 0 else 'veel'}."
            )
    if any(w < 0 for w in shares.values()):
        errors.append("Een aandeel kan niet negatief zijn.")
    provider = weight_provider(basis)
    if provider is None:
        members = set(key.region.members_on(valid_from))
        missing = sorted(members - set(shares), key=lambda m: m.code)
        extra = sorted(set(shares) - members, key=lambda m: m.code)
        for m in missing:
            errors.append(
                f"{m.name} ({m.code}) is op {format_date(valid_from)} lid van {key.region.name} maar ontbreekt."
            )
        for m in extra:
            errors.append(f"{m.name} ({m.code}) is op {format_date(valid_from)} geen lid van {key.region.name}.")
    elif shares:
        errors.append(provider.no_own_shares)
    others = KeyVersion.objects.unrestricted().filter(key=key).exclude(pk=exclude_pk)
    for other in others:
        if (other.valid_until is None or valid_from <= other.valid_until) and (
            valid_until is None or other.valid_from <= valid_until
        ):
            until = format_date(other.valid_until) if other.valid_until else "onbepaald"
            errors.append(
                f"De geldigheid overlapt met de versie van {format_date(other.valid_from)} tot en met {until}."
            )
    if errors:
        raise ValidationError(errors)


def create_version(
    *,
    user,
    key: AllocationKey,
    basis: str,
    valid_from: date,
    valid_until: date | None = None,
    reference_date: date | None = None,
    shares: dict[Municipality, Decimal] | None = None,
    note: str = "",
) -> KeyVersion:
    """A new key version with its exact weights (SPEC §6.1). Fixed versions are typed in; see also
    ``generate_population_version`` and ``merge_municipalities``."""
    require_coordinator(user, key.region)
    shares = shares or {}
    with transaction.atomic():
        AllocationKey.objects.unrestricted().select_for_update().get(pk=key.pk)
        validate_version(key=key, basis=basis, valid_from=valid_from, valid_until=valid_until, shares=shares)
        version = KeyVersion.objects.create(
            key=key,
            basis=basis,
            valid_from=valid_from,
            valid_until=valid_until,
            reference_date=reference_date,
            note=note,
        )
        KeyShare.objects.bulk_create(KeyShare(version=version, municipality=m, weight=w) for m, w in shares.items())
    return version


def version_on(*, key: AllocationKey, on: date) -> KeyVersion:
    """The key version valid on a date: a cost is split by the version valid on its date (SPEC §6.1)."""
    version = (
        KeyVersion.objects.unrestricted()
        .filter(key=key, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .first()
    )
    if version is None:
        raise ValidationError(f"Sleutel {key.code} heeft geen versie die geldt op {format_date(on)}.")
    return version


def _ordered_weights(
    version: KeyVersion,
    *,
    provided: list[tuple[Municipality, Decimal]],
    shares: list[tuple[Municipality, Decimal]],
    year,
) -> list[tuple[Municipality, Decimal]]:
    """The weights a version splits by, ordered by CBS code: for a basis with a registered provider
    (``regio.weights``: the FTE basis from toezicht's supervision capacity, WM-DVO annex 4) what it provides, else
    the version's own shares. One rule for ``weights_of`` and the reckoning's preloaded inputs."""
    provider = weight_provider(version.basis)
    if provider is not None:
        if not provided:
            raise ValidationError(provider.missing(year))
        return sorted(provided, key=lambda mw: mw[0].code)
    return sorted(shares, key=lambda mw: mw[0].code)


def weights_of(*, version: KeyVersion, year: int | None = None) -> list[tuple[Municipality, Decimal]]:
    """The exact weights of a version, ordered by CBS code. A basis with a registered provider (the FTE basis:
    toezicht's supervision capacity of the year, WM-DVO annex 4) reads it from there: one source of truth."""
    if weight_provider(version.basis) is not None:
        year = year or version.valid_from.year
        provided = provided_weights(versions=[version], year=year).get(version.pk, [])
        return _ordered_weights(version, provided=provided, shares=[], year=year)
    shares = KeyShare.objects.unrestricted().filter(version=version).select_related("municipality")
    return _ordered_weights(version, provided=[], shares=[(s.municipality, s.weight) for s in shares], year=year)


def split(*, amount: Decimal, version: KeyVersion, year: int | None = None) -> list[Part]:
    """Split an amount by a key version: exact ratios, cents by largest remainder, parts add up (SPEC §6.1)."""
    return split_weights(amount=amount, weights=weights_of(version=version, year=year))


def generate_population_version(
    *, user, key: AllocationKey, reference_year: int, valid_from: date | None = None
) -> KeyVersion:
    """A population version from the CBS inhabitants on 1 January of ``reference_year`` (WM-SO 6.2: "het aantal
    inwoners op 1 januari van het toepasselijke jaar"; BNO art. 1: CBS 1-1-2018). One action for a new year: the
    open previous version ends the day before; regenerating the same start replaces its weights."""
    require_coordinator(user, key.region)
    reference = date(reference_year, 1, 1)
    valid_from = valid_from or reference
    members = list(key.region.members_on(valid_from))
    figures = {
        f.municipality_id: f.inhabitants
        for f in PopulationFigure.objects.unrestricted().filter(municipality__in=members, reference_date=reference)
    }
    missing = [m for m in members if m.pk not in figures]
    if missing:
        raise ValidationError(
            [f"Geen inwonertal op {format_date(reference)} voor {m.name} ({m.code})." for m in missing]
        )
    shares = {m: Decimal(figures[m.pk]) for m in members}
    with transaction.atomic():
        AllocationKey.objects.unrestricted().select_for_update().get(pk=key.pk)
        same = KeyVersion.objects.unrestricted().filter(key=key, valid_from=valid_from).first()
        if same is not None:
            _refuse_if_used(same)
            validate_version(
                key=key,
                basis=Basis.POPULATION,
                valid_from=valid_from,
                valid_until=same.valid_until,
                shares=shares,
                exclude_pk=same.pk,
            )
            current = {s.municipality_id: s for s in KeyShare.objects.unrestricted().filter(version=same)}
            for m, w in shares.items():
                share = current.pop(m.pk, None)
                if share is None:
                    KeyShare.objects.create(version=same, municipality=m, weight=w)
                elif share.weight != w:
                    share.weight = w
                    share.save()
            for share in current.values():
                share.delete()
            if same.basis != Basis.POPULATION or same.reference_date != reference:
                same.basis, same.reference_date = Basis.POPULATION, reference
                same.save()
            return same
        previous = (
            KeyVersion.objects.unrestricted()
            .filter(key=key, valid_from__lt=valid_from)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
            .first()
        )
        if previous is not None:
            previous.valid_until = valid_from - timedelta(days=1)
            previous.save()
        return create_version(
            user=user,
            key=key,
            basis=Basis.POPULATION,
            valid_from=valid_from,
            reference_date=reference,
            shares=shares,
            note=f"Inwoners CBS {format_date(reference)}",
        )


def merge_municipalities(
    *,
    user,
    key: AllocationKey,
    on: date,
    merged: list[Municipality] | None = None,
    into: Municipality | None = None,
    mergers: list[tuple[list[Municipality], Municipality]] | None = None,
) -> KeyVersion:
    """ "These municipalities merged into X on date D": the next key version adds their shares together
    (BNO considerans: "bij samenvoeging van gemeenten worden de percentages opgeteld"). Several mergers on one day
    (BNO 1-1-2022: Land van Cuijk and Maashorst) go in one version via ``mergers``. A split of a municipality needs a
    new version typed in by hand after the members consulted (same considerans)."""
    require_coordinator(user, key.region)
    mergers = list(mergers or []) + ([(list(merged), into)] if merged and into else [])
    if not mergers:
        raise ValidationError("Geef aan welke gemeenten in welke gemeente zijn opgegaan.")
    with transaction.atomic():
        AllocationKey.objects.unrestricted().select_for_update().get(pk=key.pk)
        previous = version_on(key=key, on=on - timedelta(days=1))
        provider = weight_provider(previous.basis)
        if provider is not None:
            raise ValidationError(provider.not_mergeable)
        weights = dict(weights_of(version=previous))
        new = dict(weights)
        notes = []
        for group, target in mergers:
            not_in = [m for m in group if m not in weights]
            if not_in:
                raise ValidationError(
                    [f"{m.name} ({m.code}) heeft geen aandeel in de huidige versie." for m in not_in]
                )
            new[target] = sum((new.pop(m) for m in group if m in new), new.pop(target, Decimal(0)))
            notes.append(f"{', '.join(m.name for m in group)} opgegaan in {target.name}")
        if previous.valid_until is None or previous.valid_until >= on:
            previous.valid_until = on - timedelta(days=1)
            previous.save()
        return create_version(
            user=user,
            key=key,
            basis=previous.basis,
            valid_from=on,
            reference_date=previous.reference_date,
            shares=new,
            note=f"Herindeling per {format_date(on)}: {'; '.join(notes)} (aandelen opgeteld)",
        )


def _refuse_if_used(version: KeyVersion) -> None:
    if ReckoningPart.objects.unrestricted().filter(key_version=version).exclude(reckoning__status="draft").exists():
        raise ValidationError(
            "Deze sleutelversie is gebruikt in een vastgestelde afrekening en verandert niet; maak een nieuwe versie."
        )

"""Rules of the supervision FTE split (WM-DVO annex 4). Keyword-only, acting user first (STYLE.md rule 1)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from regio.tenancy import CHANGE, can
from toezicht.models import SupervisionCapacity

SHARE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class FteShare:
    municipality: object
    fte: Decimal
    exact: Fraction  # fte / total fte, kept exact

    @property
    def share(self) -> Decimal:
        """The share shown to four decimals (WM 2025: Beek 0.1207, Stein 0.1897, Sittard-Geleen 0.6897)."""
        value = Decimal(self.exact.numerator) / Decimal(self.exact.denominator)
        return value.quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def capacities(*, region, year: int) -> list[SupervisionCapacity]:
    return list(
        SupervisionCapacity.objects.unrestricted()
        .filter(region=region, year=year)
        .select_related("municipality")
        .order_by("municipality__name")
    )


def fte_split(*, region, year: int) -> list[FteShare]:
    """Each member's share of the supervision capacity: FTE / total FTE (WM-DVO annex 4). Exact inside."""
    rows = capacities(region=region, year=year)
    total = sum((Fraction(r.fte) for r in rows), Fraction(0))
    if total == 0:
        return []
    return [FteShare(r.municipality, r.fte, Fraction(r.fte) / total) for r in rows]


def fte_weights(*, region, year: int) -> list[tuple[object, Decimal]]:
    """The FTE key's weights for a year: what costsharing splits supervision costs by (one source of truth)."""
    return [(r.municipality, r.fte) for r in capacities(region=region, year=year)]


def fte_weights_by_region(*, region_ids, year: int) -> dict[int, list[tuple[object, Decimal]]]:
    """``fte_weights`` of many regions in one query (the December reckoning of all regions at once)."""
    out: dict[int, list[tuple[object, Decimal]]] = {pk: [] for pk in region_ids}
    rows = (
        SupervisionCapacity.objects.unrestricted()
        .filter(region_id__in=list(region_ids), year=year)
        .select_related("municipality")
        .order_by("municipality__name")
    )
    for row in rows:
        out[row.region_id].append((row.municipality, row.fte))
    return out


def set_capacity(*, user, region, municipality, year: int, fte: Decimal, source: str = "") -> SupervisionCapacity:
    """The coordinating municipality enters a member's supervision capacity for a year (WM-DVO annex 4)."""
    if not can(user, CHANGE, region):
        raise PermissionDenied("Alleen de coördinerende gemeente legt de toezichtcapaciteit vast.")
    if not region.memberships.unrestricted().filter(municipality=municipality).exists():
        raise ValidationError(f"{municipality.name} is geen lid van {region.name}.")
    with transaction.atomic():
        obj, _created = (
            SupervisionCapacity.objects.unrestricted()
            .select_for_update()
            .get_or_create(
                region=region, municipality=municipality, year=year, defaults={"fte": fte, "source": source}
            )
        )
        if obj.fte != fte or (source and obj.source != source):
            obj.fte = fte
            obj.source = source or obj.source
            obj.full_clean()
            obj.save()
    return obj

"""Access fees of beschermd wonen (WM-DVO annex 1; annex 2 §2; annex 3 §1). Business rules as keyword-only functions.

What a member pays the coordinating municipality for a year, at the year's indexed activity prices from cost sharing
(``regio.prices``; prijspeil 2024: € 731,87 intramural notification, € 672,62 extramural notification, € 545,33 per
running indication per year):

* per notification (intramural / extramural) and per running indication, only from the objective model's start
  date: "De gemeenten Stein en Beek dragen geen kosten voor beschermd wonen tot aan het moment van de invoering van
  het objectieve verdeelmodel" (annex 1; annex 3 §1). While the date is empty these are zero;
* GGD/external advice passed on in full, from that date too (annex 2 §2; SPEC §7);
* consultation hours (sparring) a member asked for, at the actual hours × the hourly rate of scale 10 (Allround
  consulent Wmo, annex 1). SPEC §7 charges them without the start-date condition ("the actual consultation hours are
  charged to them"): a member that asks for advice pays for it.

The coordinating municipality charges nobody for itself. Amounts are rounded once per line (quantity × price).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db import transaction
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Greatest

from beschermdwonen.models import Assessment, Fee, FeeKind, Indication, Notification, NotificationKind
from beschermdwonen.stored import StoredRecords
from costsharing.split import fraction_to_cents
from regio.models import Region
from regio.prices import prices_of
from regio.tenancy import is_system, scope_of

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
# The activity codes of WM-DVO annex 1 in the region file (costsharing section "activities").
ACTIVITY_CODES = {
    FeeKind.INTRAMURAL: "bw-melding-intramuraal",
    FeeKind.EXTRAMURAL: "bw-melding-extramuraal",
    FeeKind.RUNNING: "bw-lopende-indicatie",
}
CONSULTATION_SCALE = 10  # Allround consulent Wmo (annex 1)


@dataclass(frozen=True)
class FeeLine:
    kind: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal

    @property
    def label(self) -> str:
        return FeeKind(self.kind).label


@dataclass
class MemberFees:
    municipality: object
    lines: list[FeeLine]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    def line(self, kind: str) -> FeeLine | None:
        return next((line for line in self.lines if line.kind == kind), None)


@dataclass
class RegionFees:
    region: Region
    year: int
    objective_start: date | None
    prices_known: bool
    members: list[MemberFees]


def _amount(quantity: Decimal, price: Decimal) -> Decimal:
    return (quantity * price).quantize(CENT, rounding=ROUND_HALF_UP)


def fees_of_regions(*, regions, year: int, context=None) -> dict[int, RegionFees]:
    """The fees of many regions for a year in a fixed number of queries (the benchmark runs every region)."""
    from beschermdwonen.financing import regions_context

    regions = list(regions)
    ids = [r.pk for r in regions]
    context = context or regions_context(region_ids=ids, year=year)
    starts, members, coordinators = context.starts, context.members, context.coordinators
    prices = prices_of(region_ids=ids, year=year)
    first, last = date(year, 1, 1), date(year, 12, 31)
    notifications: dict[tuple, int] = {}
    indications: dict[tuple, int] = {}
    advice: dict[tuple, Decimal] = {}
    started = [pk for pk, on in starts.items() if on is not None and on <= last]
    if started:
        # The start date is joined in (RegionSetting, one per region), so each count is one plain query.
        start = F("client__region__bw_setting__objective_model_start")
        for row in (
            Notification.objects.unrestricted("counts per member for fees; no record leaves")
            .filter(client__region_id__in=started, notified_on__range=(first, last), notified_on__gte=start)
            .values("client__region_id", "municipality_id", "kind")
            .annotate(n=Count("pk"))
        ):
            notifications[(row["client__region_id"], row["municipality_id"], row["kind"])] = row["n"]
        for row in (
            Indication.objects.unrestricted("counts per member for fees; no record leaves")
            .filter(client__region_id__in=started, care_start__lte=last)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=Greatest(start, Value(first))))
            .values("client__region_id", "responsible_municipality_id")
            .annotate(n=Count("pk"))
        ):
            indications[(row["client__region_id"], row["responsible_municipality_id"])] = row["n"]
        for row in (
            Assessment.objects.unrestricted("sums per member for fees; no record leaves")
            .filter(
                notification__client__region_id__in=started,
                notification__notified_on__range=(first, last),
                notification__notified_on__gte=F("notification__client__region__bw_setting__objective_model_start"),
                advice_cost__gt=0,
            )
            .values("notification__client__region_id", "notification__municipality_id")
            .annotate(total=Sum("advice_cost"))
        ):
            advice[(row["notification__client__region_id"], row["notification__municipality_id"])] = row["total"]
    consultation: dict[tuple, Decimal] = {}
    for row in (
        Assessment.objects.unrestricted("sums per member for fees; no record leaves")
        .filter(
            notification__client__region_id__in=ids,
            notification__notified_on__range=(first, last),
            consultation_hours__gt=0,
            consultation_requested_by__isnull=False,
        )
        .values(region_id=F("notification__client__region_id"), municipality_id=F("consultation_requested_by_id"))
        .annotate(hours=Sum("consultation_hours"))
    ):
        consultation[(row["region_id"], row["municipality_id"])] = row["hours"]
    out = {}
    for region in regions:
        region_prices = prices.get(region.pk)
        activity = region_prices.activities if region_prices else {}
        rate = region_prices.rates.get(CONSULTATION_SCALE, ZERO) if region_prices else ZERO
        exact_rate = region_prices.exact_rates.get(CONSULTATION_SCALE, Fraction(0)) if region_prices else Fraction(0)
        rows = []
        for municipality in members[region.pk]:
            if municipality.pk == coordinators.get(region.pk):
                continue
            key = (region.pk, municipality.pk)
            lines = []
            for kind, count in (
                (FeeKind.INTRAMURAL, notifications.get((*key, NotificationKind.INTRAMURAL), 0)),
                (FeeKind.EXTRAMURAL, notifications.get((*key, NotificationKind.EXTRAMURAL), 0)),
                (FeeKind.RUNNING, indications.get(key, 0)),
            ):
                price = activity.get(ACTIVITY_CODES[kind], ZERO)
                lines.append(FeeLine(kind, Decimal(count), price, _amount(Decimal(count), price)))
            passed_on = advice.get(key, ZERO)
            lines.append(FeeLine(FeeKind.ADVICE, Decimal(1) if passed_on else ZERO, passed_on, passed_on))
            hours = consultation.get(key, ZERO)
            # Hours × the exact rate, rounded once (SPEC §6.2): 2,5 h × 93,2677 = 233,17 (not 2,5 × 93,27).
            lines.append(FeeLine(FeeKind.CONSULTATION, hours, rate, fraction_to_cents(Fraction(hours) * exact_rate)))
            rows.append(MemberFees(municipality, lines))
        out[region.pk] = RegionFees(region, year, starts.get(region.pk), region_prices is not None, rows)
    return out


def fees(*, user, region: Region, year: int) -> RegionFees:
    """The access fees of a region's members for a year (annex 1), for a user who may see the region. A member's
    staff sees only its own municipality's fees (annex 3 §6: every figure is per member)."""
    from beschermdwonen.financing import require_money_view
    from beschermdwonen.selectors import is_access_team

    require_money_view(user, region)
    result = fees_of_regions(regions=[region], year=year)[region.pk]
    scope = scope_of(user)
    if not (is_system(user) or is_access_team(user, region) or region.pk in scope.coordinated_region_ids):
        result.members = [m for m in result.members if m.municipality.pk == scope.municipality_id]
    return result


def store_fees(*, user, region: Region, year: int) -> StoredRecords:
    """Store the year's fees as ``Fee`` records (the source an invoice line of type ``bw_fee`` points to): one per
    member and kind with an amount. Only the access team; a second run with the same figures changes nothing. A fee
    whose invoice line is on an issued invoice is frozen: it is left as billed and listed in ``frozen`` (with the
    figure computed now), so the page can say so."""
    from django.core.exceptions import PermissionDenied

    from beschermdwonen.selectors import is_access_team

    if not is_access_team(user, region):
        raise PermissionDenied("Alleen de Toegang van de coördinerende gemeente stelt de vergoedingen vast.")
    computed = fees_of_regions(regions=[region], year=year)[region.pk]
    stored = StoredRecords()
    with transaction.atomic():
        Region.objects.unrestricted("lock: one computation of a region at a time").select_for_update().get(
            pk=region.pk
        )
        existing = Fee.objects.unrestricted("the access team's own fee records").filter(region=region, year=year)
        billed = {(f.municipality_id, f.kind): f for f in existing.filter(pk__in=existing.billed_ids())}
        for member in computed.members:
            for line in member.lines:
                frozen = billed.get((member.municipality.pk, line.kind))
                if frozen is not None:  # on an issued invoice: left as billed (STYLE.md rule 8)
                    label = f"{member.municipality.name}, {line.label}"
                    stored.keep_frozen(frozen, label=label, computed=line.amount)
                    continue
                if line.amount == ZERO:
                    continue
                fee, _made = Fee.objects.unrestricted("the access team's own fee records").update_or_create(
                    region=region,
                    municipality=member.municipality,
                    year=year,
                    kind=line.kind,
                    defaults={"quantity": line.quantity, "unit_price": line.unit_price, "amount": line.amount},
                )
                stored.append(fee)
    return stored


def money_of_regions(*, regions, year: int):
    """The fees and the financing of many regions for a year, reading what both need once (the benchmark)."""
    from beschermdwonen.financing import financing_of_regions, regions_context

    regions = list(regions)
    context = regions_context(region_ids=[r.pk for r in regions], year=year)
    return (
        fees_of_regions(regions=regions, year=year, context=context),
        financing_of_regions(regions=regions, year=year, context=context),
    )

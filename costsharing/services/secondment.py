"""Secondment (detachering): staff a member seconds to the coordinating municipality are part of the formation, and
their cost is owed to that member, as a credit of its own or set off against its fee, as the region chooses.
Articles: WM-SO 4.10, WM-SO 6.1, WM-SO 6.3.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from costsharing.models import Secondment, SecondmentSetting, SecondmentSettlement
from costsharing.services._common import require_coordinator
from costsharing.split import CENT
from regio.bounds import check_year
from regio.models import Municipality, Region

MAX_AMOUNT = Decimal("999999999999.99")
MAX_FTE = Decimal("1000")


def secondment_settlement(*, region: Region) -> str:
    """The region's choice (WM-SO 4.10 leaves it open): a credit of its own (the default) or set off against the
    fee."""
    setting = SecondmentSetting.objects.unrestricted("read helper: the region was restricted by the caller").filter(
        region=region
    )
    found = setting.first()
    return found.settlement if found else SecondmentSettlement.CREDIT


@transaction.atomic
def set_secondment_settlement(*, user, region: Region, settlement: str) -> SecondmentSetting:
    """Record how the region settles secondment costs (a region setting, also in the region file)."""
    require_coordinator(user, region)
    if settlement not in SecondmentSettlement.values:
        raise ValidationError("Kies 'credit' (aparte creditregel) of 'offset' (verrekenen met de bijdrage).")
    setting, _created = SecondmentSetting.objects.unrestricted("service: the coordinator was checked").get_or_create(
        region=region
    )
    if setting.settlement != settlement:
        setting.settlement = settlement
        setting.save()
    return setting


@transaction.atomic
def record_secondment(
    *,
    user,
    region: Region,
    year: int,
    municipality: Municipality,
    function: str,
    fte: Decimal,
    amount: Decimal,
    basis: str,
    scale: int | None = None,
) -> Secondment:
    """Staff that ``municipality`` seconds to the coordinating municipality in ``year`` (WM-SO 4.10): they fill part
    of the formation, so the fee counts them (WM-SO 6.3); the amount is what the coordinating municipality owes the
    seconding member for them, with its basis. Recording the same function again updates it."""
    Region.objects.unrestricted("service: the coordinator check follows on the locked row").select_for_update().get(
        pk=region.pk
    )
    require_coordinator(user, region)
    year = check_year(year)
    errors = []
    if not isinstance(fte, Decimal) or not fte.is_finite() or fte <= 0 or fte > MAX_FTE:
        errors.append("Het aantal fte is groter dan 0 en hoogstens 1000.")
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        errors.append("Het bedrag is een bedrag van 0 of meer.")
    elif amount != amount.quantize(CENT):
        errors.append("Het bedrag heeft hoogstens twee decimalen.")
    function, basis = (function or "").strip(), (basis or "").strip()
    if not function or len(function) > 200:
        errors.append("Geef de functie (hoogstens 200 tekens).")
    if not basis:
        errors.append("Geef de grondslag van het bedrag (bijv. de loonkosten volgens de detacheringsovereenkomst).")
    if municipality not in region.members_on(date(year, 1, 1)) and municipality not in region.members_on(
        date(year, 12, 31)
    ):
        errors.append(f"{municipality.name} is in {year} geen lid van {region.name}.")
    elif municipality == region.coordinator_on(date(year, 12, 31)):
        errors.append("De coördinerende gemeente detacheert niet bij zichzelf.")
    if errors:
        raise ValidationError(errors)
    secondment, created = Secondment.objects.unrestricted("service: the coordinator was checked").get_or_create(
        region=region,
        year=year,
        municipality=municipality,
        function=function,
        defaults={"fte": fte, "amount": amount, "basis": basis, "scale": scale},
    )
    if not created and (secondment.fte, secondment.amount, secondment.basis, secondment.scale) != (
        fte,
        amount,
        basis,
        scale,
    ):
        secondment.fte, secondment.amount, secondment.basis, secondment.scale = fte, amount, basis, scale
        secondment.save()
    return secondment


def secondments_of(*, region: Region, year: int) -> dict[Municipality, list[Secondment]]:
    """The year's secondments per seconding member (what its statement shows as owed to it)."""
    rows = (
        Secondment.objects.unrestricted("read helper: the region was restricted by the caller")
        .filter(region=region, year=year)
        .select_related("municipality")
        .order_by("municipality__code", "function")
    )
    out: dict[Municipality, list[Secondment]] = defaultdict(list)
    for row in rows:
        out[row.municipality].append(row)
    return dict(out)

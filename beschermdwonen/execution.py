"""Invoicing the execution costs of beschermd wonen (WM-DVO annex 3 §4). Business rules as keyword-only functions.

"Voor de uitvoeringskosten die door de gemeente Sittard-Geleen worden gemaakt ... Hierbij wordt op begrotingsbasis de
benodigde formatie bepaald ... Op basis van de aantallen cliënten worden deze kosten vervolgens verdeeld over de drie
individuele gemeenten. Aan het einde van het begrotingsjaar vindt op basis van een nacalculatie de definitieve
afrekening plaats."

* ``settle_execution_costs``: the access team settles a year that is over: the recalculated amount (``realised``),
  or while that is not known the formation on budget basis, split by the clients resident per member on the
  reference date (``money_selectors.execution_split``, the one split service: the shares add up to the cent). One
  ``ExecutionShare`` per member and year; run again, it recomputes what is not billed yet and leaves a billed share
  as it is (``models.billed``), saying so.
* With the region's other key (``wmo_key``) nothing is settled here: cost sharing's reckoning splits them (category
  ``staff_bw``) and invoicing bills that reckoning.
* ``execution_billables`` / ``execution_links``: the shares as invoice lines of source ``bw_execution``
  (``regio.line_sources``); invoicing makes one draft per member and year and never bills a share twice. The
  coordinating municipality's own share is not invoiced (invoicing leaves the issuer out).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from beschermdwonen.models import ExecutionBasis, ExecutionCost, ExecutionKey, ExecutionShare
from beschermdwonen.money_selectors import execution_split
from beschermdwonen.stored import StoredRecords
from regio.line_sources import Billable, Link
from regio.models import Region

LINE_SOURCE = "bw_execution"
NOT_TEAM = "Alleen de Toegang van de coördinerende gemeente rekent de uitvoeringskosten af."


def settle_execution_costs(*, user, region: Region, year: int, today=None) -> StoredRecords:
    """Store each member's share of a year's execution costs (annex 3 §4), after the year ("Aan het einde van het
    begrotingsjaar"). Only the access team. Idempotent: the same figures again change nothing; a share on an issued
    invoice stays as billed and is listed in ``frozen``."""
    from beschermdwonen.selectors import is_access_team

    if not is_access_team(user, region):
        raise PermissionDenied(NOT_TEAM)
    if year >= (today or timezone.localdate()).year:
        raise ValidationError({"year": f"De uitvoeringskosten van {year} worden na afloop van het jaar afgerekend."})
    stored = StoredRecords()
    with transaction.atomic():
        Region.objects.unrestricted("lock: one computation of a region at a time").select_for_update().get(
            pk=region.pk
        )
        execution = (
            ExecutionCost.objects.unrestricted("the access team's own region, checked above")
            .filter(region=region, year=year)
            .first()
        )
        if execution is None:
            raise ValidationError({"year": f"Er zijn geen uitvoeringskosten van {year} vastgelegd."})
        if execution.key != ExecutionKey.CLIENTS:
            raise ValidationError(
                {
                    "year": "Deze regio verdeelt de uitvoeringskosten met de verdeelsleutel van de overige "
                    "Wmo-producten: ze gaan mee in de afrekening van de kostenverdeling, niet hier."
                }
            )
        parts = execution_split(execution)
        if not parts:
            raise ValidationError(
                {"year": f"Op de peildatum {execution.reference_date:%d-%m-%Y} staat geen cliënt in het register."}
            )
        basis = ExecutionBasis.REALISED if execution.realised is not None else ExecutionBasis.BUDGETED
        existing = ExecutionShare.objects.unrestricted("the access team's own shares").filter(execution=execution)
        billed = {share.municipality_id: share for share in existing.filter(pk__in=existing.billed_ids())}
        for part in parts:
            frozen = billed.get(part.municipality.pk)
            if frozen is not None:  # on an issued invoice: left as billed (STYLE.md rule 8)
                stored.keep_frozen(frozen, label=part.municipality.name, computed=part.amount)
                continue
            share, _made = ExecutionShare.objects.unrestricted("the access team's own shares").update_or_create(
                execution=execution,
                municipality=part.municipality,
                defaults={
                    "region": region,
                    "year": year,
                    "clients": int(part.weight),
                    "basis": basis,
                    "amount": part.amount,
                },
            )
            stored.append(share)
    return stored


def execution_billables(*, region, year: int) -> list[Billable]:
    """The stored shares of a year as lines to bill; invoicing asks, its service checks who invoices."""
    from regio.formatting import format_date

    shares = (
        ExecutionShare.objects.unrestricted("what invoicing bills for the region; its service checks the issuer")
        .filter(region=region, year=year, amount__gt=0)
        .select_related("municipality", "execution")
        .order_by("municipality__code")
    )
    return [
        Billable(
            recipient=share.municipality,
            description=(
                f"Uitvoeringskosten beschermd wonen {year}, {share.get_basis_display()}: "
                f"{share.clients} cliënten op {format_date(share.execution.reference_date)}"
            ),
            quantity=Decimal("1"),
            unit_price=share.amount,
            source_id=str(share.pk),
        )
        for share in shares
    ]


def execution_links(user, source_ids: list[str]) -> dict[str, Link]:
    """The financing page of each share the user may see (one query); others are left out (no link, no leak)."""
    from beschermdwonen.money_registry import record_links

    return record_links(
        ExecutionShare.objects.visible_to(user).select_related("region", "municipality"),
        source_ids,
        lambda share: Link(
            url=f"{reverse('bw-financing')}?regio={share.region.code}&jaar={share.year}",
            text=f"Uitvoeringskosten {share.year}, {share.municipality.name}",
        ),
    )


def shares_for(user, *, region: Region, year: int):
    """The stored shares of a year the user may see (a member its own; the coordinating municipality all)."""
    return (
        ExecutionShare.objects.visible_to(user)
        .filter(region=region, year=year)
        .select_related("municipality")
        .order_by("municipality__code")
    )

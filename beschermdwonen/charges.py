"""Charges of WM-DVO annex 3 §5 (seed 001): the actual cost of assessments a member ordered itself, charged to that
member, and the cost of objections against them, charged to it in addition. Keyword-only functions, acting user
first. They become invoice lines of source ``bw_charge`` through ``regio.line_sources`` (``charge_billables``).

    "De kosten van de onderzoeken die in opdracht van de gemeenten Beek en Beek worden uitgevoerd zullen op basis van
    nacalculatie worden doorbelast aan de opdracht gevende gemeente. Mochten er naar aanleiding van de onderzoeken
    bezwaren worden ingediend dan zullen deze aanvullend verrekend worden met de individuele gemeenten."

How the article is read here:

* "in opdracht van de gemeenten (Stein en) Beek": the municipality that ordered the assessment is a member of the
  region other than the coordinating municipality (the seed's "Beek en Beek" is read as the two members that are
  not Sittard-Geleen; the coordinating municipality runs the assessments and charges nobody for itself);
* "op basis van nacalculatie": the actual cost, recorded after the fact (its date not in the future), in full;
* "doorbelast aan de opdracht gevende gemeente": charged to that municipality;
* "bezwaren ... aanvullend verrekend met de individuele gemeenten": an objection follows one ordered assessment and
  its cost is charged *in addition* to the same municipality (never to another member, annex 3 §6: no shared pool).

Unlike the access fees, §5 sets no start date: a member that orders an assessment pays for it (as consultation
hours, SPEC §7), also before the objective model starts.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from beschermdwonen.models import Assessment, ChargeKind, MemberCharge
from beschermdwonen.services.common import field_date, field_text
from regio.amounts import check_bounds
from regio.line_sources import Billable
from regio.models import Region
from regio.tenancy import person

NOT_TEAM = "Alleen de Toegang van de coördinerende gemeente legt doorbelastingen van onderzoeken en bezwaren vast."


def _require_team(user, region: Region) -> None:
    from beschermdwonen.selectors import is_access_team

    if not is_access_team(user, region):
        raise PermissionDenied(NOT_TEAM)


def _amount(amount) -> Decimal:
    if not isinstance(amount, Decimal):
        raise ValidationError({"amount": "Vul de werkelijke kosten in euro's en centen in."})
    try:
        return check_bounds(amount, label="De werkelijke kosten")
    except ValidationError as exc:
        raise ValidationError({"amount": exc.messages}) from None


def _ordering_member(region: Region, municipality, on: date):
    """The ordering municipality: a member of the region on that date, not the coordinating one."""
    members = region.members_on(on)
    if not members.filter(pk=municipality.pk).exists():
        raise ValidationError({"municipality": f"{municipality.name} is op die datum geen lid van {region.name}."})
    coordinator = region.coordinator_on(on)
    if coordinator is not None and coordinator.pk == municipality.pk:
        raise ValidationError(
            {"municipality": f"{municipality.name} voert de onderzoeken zelf uit en belast niets aan zichzelf door."}
        )
    return municipality


def _create(user, *, region_id: int, incurred_on: date, **fields) -> MemberCharge:
    with transaction.atomic():
        Region.objects.unrestricted("lock: the region's charges").select_for_update().get(pk=region_id)
        return MemberCharge.objects.create(
            region_id=region_id, incurred_on=incurred_on, year=incurred_on.year, created_by=person(user), **fields
        )


def record_ordered_assessment(
    *,
    user,
    region: Region,
    municipality,
    incurred_on: date,
    amount: Decimal,
    description: str,
    assessment: Assessment | None = None,
) -> MemberCharge:
    """Record the actual cost of an assessment ``municipality`` ordered (annex 3 §5, first sentence)."""
    _require_team(user, region)
    field_date(incurred_on, "incurred_on", "De datum van de nacalculatie", not_in_future=True)
    amount = _amount(amount)
    description = field_text(description, "description", "De omschrijving", max_length=200)
    _ordering_member(region, municipality, incurred_on)
    if assessment is not None and assessment.notification.client.region_id != region.pk:
        raise ValidationError({"assessment": "Dit onderzoek staat niet in het register van deze regio."})
    return _create(
        user,
        region_id=region.pk,
        municipality_id=municipality.pk,
        kind=ChargeKind.ASSESSMENT,
        incurred_on=incurred_on,
        description=description,
        amount=amount,
        assessment=assessment,
    )


def record_objection_cost(
    *, user, charge: MemberCharge, incurred_on: date, amount: Decimal, description: str
) -> MemberCharge:
    """Record the cost of an objection against an ordered assessment: charged in addition to the municipality that
    ordered it (annex 3 §5, second sentence)."""
    _require_team(user, charge.region)
    if charge.kind != ChargeKind.ASSESSMENT:
        raise ValidationError({"objection_to": "Een bezwaar volgt op een onderzoek in opdracht, niet op een bezwaar."})
    field_date(incurred_on, "incurred_on", "De datum van de nacalculatie", not_in_future=True)
    if incurred_on < charge.incurred_on:
        raise ValidationError({"incurred_on": "Het bezwaar volgt op het onderzoek: de datum ligt niet ervoor."})
    amount = _amount(amount)
    description = field_text(description, "description", "De omschrijving", max_length=200)
    return _create(
        user,
        region_id=charge.region_id,
        municipality_id=charge.municipality_id,
        kind=ChargeKind.OBJECTION,
        incurred_on=incurred_on,
        description=description,
        amount=amount,
        objection_to=charge,
    )


def charge_billables(*, region, year: int) -> list[Billable]:
    """The year's charges as lines to bill, each to the municipality that ordered the assessment; invoicing asks,
    its service checks who invoices and bills a record once."""
    charges = (
        MemberCharge.objects.unrestricted("what invoicing bills for the region; its service checks the issuer")
        .filter(region=region, year=year)
        .select_related("municipality", "objection_to")
        .order_by("municipality__code", "incurred_on", "pk")
    )
    out = []
    for charge in charges:
        what = "Onderzoek in opdracht" if charge.kind == ChargeKind.ASSESSMENT else "Bezwaar na onderzoek"
        out.append(
            Billable(
                recipient=charge.municipality,
                description=f"{what} (bijlage 3 §5), {charge.incurred_on:%d-%m-%Y}: {charge.description}"[:300],
                quantity=Decimal("1"),
                unit_price=charge.amount,
                source_id=str(charge.pk),
            )
        )
    return out

"""Indications of beschermd wonen (WM-DVO annex 2 §1-2, annex 3 §1-3; WM-SO 1.1 a): the access team records them."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from beschermdwonen.models import Client, Delivery, Indication, IndicationProduct, Residence
from beschermdwonen.services.common import field_date
from beschermdwonen.services.register import NOT_ACCESS_TEAM, _check_member
from regio.models import Membership
from regio.tenancy import ADD, CHANGE, can, person

__all__ = ["end_indication", "record_indication", "report_own_contribution"]


def _coordinator(region, on: date):
    membership = (
        Membership.objects.unrestricted("the coordinating member of the region the caller reached")
        .active_on(on)
        .filter(region=region, coordinating=True)
        .select_related("municipality")
        .first()
    )
    if membership is None:
        raise ValidationError({"decided_on": "Op die datum heeft de regio geen coördinerende gemeente."})
    return membership.municipality


def _resident_on(client: Client, on: date):
    period = (
        Residence.objects.unrestricted("children of the locked client")
        .filter(client=client, valid_from__lte=on)
        .order_by("-valid_from")
        .select_related("municipality")
        .first()
    )
    if period is None or (period.valid_to is not None and period.valid_to < on):
        raise ValidationError({"care_start": "Op de startdatum heeft de cliënt geen woonplaats in het register."})
    return period.municipality


def record_indication(
    *,
    user,
    client: Client,
    product: str,
    decided_on: date,
    care_start: date,
    ends_on: date | None = None,
    decided_by=None,
    responsible_municipality=None,
    delivery: str = Delivery.IN_KIND,
    own_contribution_reported_on: date | None = None,
) -> Indication:
    """Record an indication (WM-DVO annex 2 §1-2).

    The arrangement (Begeleiding + B&B + Intramuraal wonen, WM-SO 1.1 a) is decided by the coordinating municipality
    for every member (annex 2 §1: "stelt de gemeente Sittard-Geleen voor alle ... gemeenten ... de indicaties vast");
    Begeleiding and B&B of new clients by the member itself (annex 2 §2: "die zelfstandig een besluit neemt"), by
    default the responsible municipality. The responsible municipality is where the client lives on the care start
    date (woonplaatsbeginsel, annex 3 §3) unless given."""
    if product not in IndicationProduct.values:
        raise ValidationError({"product": "Kies een product van beschermd wonen."})
    if delivery not in Delivery.values:
        raise ValidationError({"delivery": "Kies zorg in natura of pgb."})
    field_date(decided_on, "decided_on", "De datum van het besluit", not_in_future=True)
    field_date(care_start, "care_start", "De startdatum van de zorg")
    field_date(ends_on, "ends_on", "De einddatum", required=False)
    if ends_on is not None and ends_on < care_start:
        raise ValidationError({"ends_on": "De einddatum ligt voor de startdatum van de zorg."})
    field_date(
        own_contribution_reported_on,
        "own_contribution_reported_on",
        "De datum van de melding eigen bijdrage",
        required=False,
        not_in_future=True,
    )
    if own_contribution_reported_on is not None and own_contribution_reported_on < decided_on:
        raise ValidationError(
            {"own_contribution_reported_on": "De eigen bijdrage wordt gemeld na het besluit, niet ervoor."}
        )
    with transaction.atomic():
        client = Client.objects.unrestricted("locked, then checked with can()").select_for_update().get(pk=client.pk)
        if not can(user, CHANGE, client):
            raise PermissionDenied(NOT_ACCESS_TEAM)
        if client.closed_on is not None:
            raise ValidationError("Het dossier van deze cliënt is gesloten.")
        if responsible_municipality is None:
            responsible_municipality = _resident_on(client, care_start)
        else:
            _check_member(region=client.region, municipality=responsible_municipality, on=care_start)
        coordinator = _coordinator(client.region, decided_on)
        if product == IndicationProduct.ARRANGEMENT:
            if decided_by is not None and decided_by != coordinator:
                raise ValidationError(
                    {"decided_by": f"Het arrangement wordt vastgesteld door {coordinator.name} (bijlage 2 §1)."}
                )
            decided_by = coordinator
        elif decided_by is None:
            decided_by = responsible_municipality
        else:
            try:
                _check_member(region=client.region, municipality=decided_by, on=decided_on)
            except ValidationError as exc:
                raise ValidationError({"decided_by": exc.message_dict["municipality"]}) from None
        indication = Indication.objects.create(
            client=client,
            product=product,
            decided_on=decided_on,
            care_start=care_start,
            ends_on=ends_on,
            decided_by=decided_by,
            responsible_municipality=responsible_municipality,
            delivery=delivery,
            own_contribution_reported_on=own_contribution_reported_on,
            created_by=person(user),
        )
        if not can(user, ADD, indication):
            raise PermissionDenied(NOT_ACCESS_TEAM)
    return indication


END_HORIZON_DAYS = 366  # an end more than a year ahead is a guess, not an end of care


def _locked(user, indication: Indication) -> Indication:
    indication = (
        Indication.objects.unrestricted("locked, then checked with can()").select_for_update().get(pk=indication.pk)
    )
    if not can(user, CHANGE, indication):
        raise PermissionDenied(NOT_ACCESS_TEAM)
    return indication


def _audited(indication: Indication, user, reason: str) -> None:
    """The change goes into the indication's history with who made it and why (the audit trail, also when the
    request came through the API or a job)."""
    indication._history_user = person(user)
    indication._change_reason = reason


def end_indication(*, user, indication: Indication, ends_on: date) -> Indication:
    """End a running indication (care stops): from the day after it is no longer counted (annex 1 "lopende
    indicatie"). The end is not before the care start nor more than a year ahead; an ended indication is not ended
    again."""
    field_date(ends_on, "ends_on", "De einddatum")
    latest = timezone.localdate() + timedelta(days=END_HORIZON_DAYS)
    if ends_on > latest:
        raise ValidationError(
            {"ends_on": f"De einddatum ligt meer dan een jaar vooruit (uiterlijk {latest:%d-%m-%Y})."}
        )
    with transaction.atomic():
        indication = _locked(user, indication)
        if indication.ends_on is not None:
            raise ValidationError({"ends_on": f"Deze indicatie is al beëindigd op {indication.ends_on:%d-%m-%Y}."})
        if ends_on < indication.care_start:
            raise ValidationError({"ends_on": "De einddatum ligt voor de startdatum van de zorg."})
        indication.ends_on = ends_on
        _audited(indication, user, f"indicatie beëindigd per {ends_on:%d-%m-%Y}")
        indication.save(update_fields=["ends_on"])
    return indication


def report_own_contribution(*, user, indication: Indication, reported_on: date) -> Indication:
    """The access team reported the client's own contribution to the CAK (annex 2 §1: "financiële administratie van
    de eigen bijdrage"): the date it did so, not in the future and not before the decision."""
    field_date(reported_on, "own_contribution_reported_on", "De datum van de melding", not_in_future=True)
    with transaction.atomic():
        indication = _locked(user, indication)
        if reported_on < indication.decided_on:
            raise ValidationError(
                {"own_contribution_reported_on": "De eigen bijdrage wordt gemeld na het besluit, niet ervoor."}
            )
        indication.own_contribution_reported_on = reported_on
        _audited(indication, user, f"eigen bijdrage gemeld aan het CAK op {reported_on:%d-%m-%Y}")
        indication.save(update_fields=["own_contribution_reported_on"])
    return indication

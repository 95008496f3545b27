"""Rules of the supervision FTE split (WM-DVO annex 4). Keyword-only, acting user first (STYLE.md rule 1)."""

from __future__ import annotations

import calendar
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Sum
from django.utils import timezone
from guardian.shortcuts import assign_perm

from agreements.services import may_act
from regio.bounds import check_date, check_year
from regio.models import Municipality, MunicipalityUserObjectPermission, Region, log_access
from regio.privacy import refuse_bsn
from regio.roles import Role
from regio.tenancy import CHANGE, VIEW, can, forget_scope, is_system, person, require, scope_of, system_actor
from toezicht.models import (
    Funding,
    HoursEntry,
    ProductiveHours,
    Signal,
    SignalKind,
    SignalSource,
    SupervisionCapacity,
    SupervisionKind,
    SupervisorAppointment,
    Triage,
)

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


# --- Appointed supervisors (art. 6.1 lid 1 Wmo 2015; WM-DVO annex 4) -----------------------------------------------


def appoint_supervisor(
    *,
    user,
    region,
    supervisor,
    kind: str,
    decision_date: date,
    decision_reference: str,
    municipalities,
    active_from: date,
    active_until: date | None = None,
) -> SupervisorAppointment:
    """The college of the coordinating municipality appoints a supervisor (art. 6.1 lid 1 Wmo 2015) for its own
    municipality and, under their mandates, for the other members (WM-DVO annex 4; WM-SO 4.12).

    Each member other than the appointing one needs a mandate with the power ``supervision`` on ``active_from``
    (``agreements.services.may_act``); the mandates found are recorded with the appointment. The municipalities
    assigned become the supervisor's grants ``regio.supervise_municipality`` while the appointment is active.
    """
    require(user, CHANGE, region, "Alleen de coördinerende gemeente wijst toezichthouders aan.")
    check_date(decision_date, label="De datum van het aanwijzingsbesluit")
    check_date(active_from, label="De begindatum")
    if active_until is not None:
        check_date(active_until, label="De einddatum")
        if active_until < active_from:
            raise ValidationError({"active_until": "De einddatum ligt voor de begindatum."})
    if kind not in SupervisionKind.values:
        raise ValidationError({"kind": "Kies kwaliteit of rechtmatigheid."})
    if not (decision_reference or "").strip():
        raise ValidationError({"decision_reference": "Vermeld het kenmerk van het aanwijzingsbesluit."})
    if not scope_of(supervisor).has_role(Role.SUPERVISOR) or supervisor.municipality_id is None:
        raise ValidationError({"supervisor": "Deze persoon heeft niet de rol toezichthouder."})
    municipalities = list(municipalities)
    if not municipalities:
        raise ValidationError({"municipalities": "Wijs ten minste één gemeente toe."})
    with transaction.atomic():
        Region.objects.unrestricted("vergrendelen; rechten hierboven en hieronder getoetst").select_for_update().get(
            pk=region.pk
        )
        require(user, CHANGE, region, "Alleen de coördinerende gemeente wijst toezichthouders aan.")
        appointing = region.coordinator_on(active_from)
        if appointing is None:
            raise ValidationError({"active_from": f"{region.name} heeft op die datum geen coördinerende gemeente."})
        members = {m.pk for m in region.members_on(active_from)}
        mandates = []
        for municipality in municipalities:
            if municipality.pk not in members:
                raise ValidationError({"municipalities": f"{municipality.name} is geen lid van {region.name}."})
            verdict = may_act(
                acting_municipality=appointing, on_behalf_of=municipality, power="supervision", on_date=active_from
            )
            if not verdict.allowed:
                raise ValidationError({"municipalities": verdict.reason})
            if verdict.mandate is not None:
                mandates.append(verdict.mandate)
        appointment = SupervisorAppointment(
            region=region,
            supervisor=supervisor,
            kind=kind,
            appointing_municipality=appointing,
            decision_date=decision_date,
            decision_reference=decision_reference.strip(),
            active_from=active_from,
            active_until=active_until,
        )
        appointment.full_clean(exclude=["municipalities", "mandates"])
        appointment.save()
        appointment.municipalities.set(municipalities)
        appointment.mandates.set(mandates)
        sync_grants(user=system_actor("aanwijzing toezichthouder"), supervisor=supervisor)
    return appointment


def end_appointment(*, user, appointment: SupervisorAppointment, active_until: date) -> SupervisorAppointment:
    """End an appointment (the college revokes it); the supervisor loses the grants no other appointment holds."""
    with transaction.atomic():
        appointment = (
            SupervisorAppointment.objects.unrestricted("vergrendelen; rechten hieronder getoetst")
            .select_for_update()
            .get(pk=appointment.pk)
        )
        require(user, CHANGE, appointment, "Alleen de coördinerende gemeente beëindigt een aanwijzing.")
        check_date(active_until, label="De einddatum")
        if active_until < appointment.active_from:
            raise ValidationError({"active_until": "De einddatum ligt voor de begindatum."})
        appointment.active_until = active_until
        appointment.save(update_fields=["active_until"])
        sync_grants(user=system_actor("aanwijzing beëindigd"), supervisor=appointment.supervisor)
    return appointment


def sync_grants(*, user, supervisor, on: date | None = None) -> set[int]:
    """Make the supervisor's grants ``regio.supervise_municipality`` follow the appointments active ``on`` (today):
    grant what an appointment assigns, withdraw what none does any more. Returns the municipality ids granted."""
    if not is_system(user):
        raise PermissionDenied("Rechten van toezichthouders volgen alleen uit aanwijzingen.")
    on = on or timezone.localdate()
    active = [
        a
        for a in SupervisorAppointment.objects.unrestricted("alle aanwijzingen van deze toezichthouder")
        .filter(supervisor=supervisor)
        .prefetch_related("municipalities")
        if a.is_active_on(on)
    ]
    wanted = {m.pk: m for a in active for m in a.municipalities.all()}
    appointed_ever = set(
        SupervisorAppointment.municipalities.through.objects.filter(
            supervisorappointment__supervisor=supervisor
        ).values_list("municipality_id", flat=True)
    )
    grants = MunicipalityUserObjectPermission.objects.filter(
        user=supervisor, permission__codename="supervise_municipality", permission__content_type__app_label="regio"
    )
    have = set(grants.values_list("content_object_id", flat=True))
    for pk, municipality in wanted.items():
        if pk not in have:
            assign_perm("regio.supervise_municipality", supervisor, municipality)
    # Only grants that came from an appointment are withdrawn; a grant given otherwise (the region file's
    # ``supervises``) stays until an appointment for that municipality has ended.
    stale = (have & appointed_ever) - set(wanted)
    grants.filter(content_object_id__in=stale).delete()
    forget_scope(supervisor)
    return set(wanted)


def appointments_for(*, user):
    """The appointments the user may see, newest first (list pages and the API share this)."""
    return (
        SupervisorAppointment.objects.visible_to(user)
        .distinct()
        .select_related("region", "supervisor", "appointing_municipality")
        .prefetch_related("municipalities", "mandates__mandating")
        .order_by("region__name", "supervisor__full_name", "-active_from", "pk")
    )


# --- Hours against capacity (WM-DVO annex 4) ----------------------------------------------------------------------


def register_hours(*, user, municipality, week: date, hours: Decimal) -> HoursEntry:
    """A supervisor records the hours of one week for a municipality assigned to them (WM-DVO annex 4); the
    week is the Monday of the date given. Recording the same week again replaces the hours."""
    scope = scope_of(user)
    if not scope.has_role(Role.SUPERVISOR) or scope.read_only:
        raise PermissionDenied("Alleen toezichthouders registreren uren.")
    if municipality.pk not in scope.supervised_municipality_ids:
        raise PermissionDenied(f"U bent niet aangewezen voor {municipality.name}.")
    check_date(week, not_in_future=True, label="De week")
    if hours is None or hours < 0 or hours > 168:
        raise ValidationError({"hours": "Een week telt 0 tot en met 168 uur."})
    monday = week - timedelta(days=week.weekday())
    with transaction.atomic():
        entry, _created = (
            HoursEntry.objects.unrestricted("de eigen uren van deze toezichthouder")
            .select_for_update()
            .get_or_create(supervisor=user, municipality=municipality, week=monday, defaults={"hours": hours})
        )
        if entry.hours != hours:
            entry.hours = hours
            entry.save(update_fields=["hours"])
    return entry


def productive_hours(*, region, year: int) -> Decimal:
    """Productive hours of one FTE in ``year``: what the coordinating municipality recorded, else the setting."""
    row = ProductiveHours.objects.unrestricted("een regionaal kengetal").filter(region=region, year=year).first()
    return row.hours if row else Decimal(str(settings.TOEZICHT_PRODUCTIVE_HOURS))


def set_productive_hours(*, user, region, year: int, hours: Decimal) -> ProductiveHours:
    """The coordinating municipality records the year's productive hours per FTE (from the norms)."""
    require(user, CHANGE, region, "Alleen de coördinerende gemeente legt de productieve uren vast.")
    year = check_year(year)
    if hours is None or hours <= 0 or hours > 8784:
        raise ValidationError({"hours": "Het aantal productieve uren ligt tussen 0 en 8784 (een schrikkeljaar)."})
    with transaction.atomic():
        row, _created = (
            ProductiveHours.objects.unrestricted("regionaal kengetal, rechten hierboven getoetst")
            .select_for_update()
            .update_or_create(region=region, year=year, defaults={"hours": hours})
        )
    return row


@dataclass(frozen=True)
class CapacityRow:
    municipality: object
    fte: Decimal
    capacity_hours: Decimal
    realised_hours: Decimal

    @property
    def deviation_percent(self) -> Decimal | None:
        """Realised against capacity, in percent (+ above, − below); none without capacity."""
        if not self.capacity_hours:
            return None
        value = (self.realised_hours - self.capacity_hours) * 100 / self.capacity_hours
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def flagged(self) -> bool:
        """A deviation (either way) above ``TOEZICHT_DEVIATION_PERCENT`` is flagged."""
        deviation = self.deviation_percent
        return deviation is not None and abs(deviation) > Decimal(str(settings.TOEZICHT_DEVIATION_PERCENT))


def hours_against_capacity(*, user, region, year: int, until: date | None = None) -> list[CapacityRow]:
    """Realised hours against capacity per member for a year (WM-DVO annex 4): capacity = FTE × productive hours.

    Figures, not casework: every member of the region sees them. Three queries whatever the number of weeks.
    ``until`` (default: the year's end) pro-rates the capacity to the part of the year passed, so a deviation in
    June means something.
    """
    require(user, VIEW, region, "U bent geen lid van deze regio.")
    per_fte = productive_hours(region=region, year=year)
    rows = capacities(region=region, year=year)
    realised = dict(
        HoursEntry.objects.unrestricted("cijfers per gemeente, geen dossier; regio hierboven getoetst")
        .filter(municipality__in=[r.municipality_id for r in rows], week__year=year)
        .values_list("municipality_id")
        .annotate(total=Sum("hours"))
        .values_list("municipality_id", "total")
    )
    fraction = Decimal(1)
    if until is not None and until.year == year:
        fraction = Decimal(until.timetuple().tm_yday) / Decimal(366 if calendar.isleap(year) else 365)
    return [
        CapacityRow(
            municipality=r.municipality,
            fte=r.fte,
            capacity_hours=(r.fte * per_fte * fraction).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
            realised_hours=realised.get(r.municipality_id) or Decimal("0"),
        )
        for r in rows
    ]


# --- Signals and the public Meldpunt (WM-DVO annex 4: reactive supervision) ----------------------------------------


def new_reference() -> str:
    """An unguessable reference for a signal: the reporter's receipt, never a counter (``TZ-`` + 16 random chars)."""
    return "TZ-" + secrets.token_urlsafe(12).replace("-", "x").replace("_", "y")


def _check_signal_text(*, description: str, provider_name: str, contact: str) -> None:
    problems = {}
    if not (description or "").strip():
        problems["description"] = "Beschrijf wat u wilt melden."
    elif len(description) > 5000:
        problems["description"] = "De omschrijving is te lang: ten hoogste 5000 tekens."
    for name, value, limit in (("provider_name", provider_name, 200), ("contact", contact, 200)):
        if len(value or "") > limit:
            problems[name] = f"Ten hoogste {limit} tekens."
    for name, value in (("description", description), ("provider_name", provider_name), ("contact", contact)):
        try:
            refuse_bsn(value)
        except ValidationError as exc:
            problems.setdefault(name, exc.messages[0])
    if problems:
        raise ValidationError(problems)


def meldpunt_municipalities():
    """The municipalities the public Meldpunt takes reports for: those with a supervisor appointed today."""
    today = timezone.localdate()
    return (
        Municipality.objects.unrestricted("openbare keuzelijst van het Meldpunt: alleen namen")
        .filter(supervisor_appointments__active_from__lte=today)
        .filter(
            models.Q(supervisor_appointments__active_until__isnull=True)
            | models.Q(supervisor_appointments__active_until__gte=today)
        )
        .distinct()
        .order_by("name")
    )


def report_signal(
    *, user, municipality, kind: str, description: str, provider_name: str = "", funding: str = "", contact: str = ""
) -> Signal:
    """Anyone reports a signal through the public Meldpunt (WM-DVO annex 4): no login, no BSN, contact details
    optional. It lands untriaged with the supervisors of that municipality; the reporter gets the reference.

    ``user`` is whoever reports: anonymous on the Meldpunt. Nothing about the reporter is stored but what they
    typed in ``contact``.
    """
    if not meldpunt_municipalities().filter(pk=municipality.pk).exists():
        raise ValidationError({"municipality": "Voor deze gemeente neemt het Meldpunt geen meldingen aan."})
    if kind not in SignalKind.values:
        raise ValidationError({"kind": "Kies kwaliteit, rechtmatigheid of beide."})
    funding = funding or Funding.UNKNOWN
    if funding not in Funding.values:
        raise ValidationError({"funding": "Kies zorg in natura, pgb of onbekend."})
    _check_signal_text(description=description, provider_name=provider_name, contact=contact)
    return Signal.objects.create(
        reference=new_reference(),
        municipality=municipality,
        received_on=timezone.localdate(),
        source=SignalSource.MELDPUNT,
        provider_name=provider_name.strip(),
        kind=kind,
        funding=funding,
        description=description.strip(),
        contact=contact.strip(),
    )


def record_signal(
    *,
    user,
    municipality,
    received_on: date,
    source: str,
    kind: str,
    description: str,
    provider_name: str = "",
    funding: str = "",
) -> Signal:
    """A supervisor records a signal that reached them otherwise (IKZ, GGD calamity report, a college, own
    observation, a provider), for a municipality assigned to them."""
    scope = scope_of(user)
    if not is_system(user) and (
        not scope.has_role(Role.SUPERVISOR) or municipality.pk not in scope.supervised_municipality_ids
    ):
        raise PermissionDenied("Alleen de toezichthouders van deze gemeente leggen signalen vast.")
    check_date(received_on, not_in_future=True, label="De datum van ontvangst")
    if source not in SignalSource.values:
        raise ValidationError({"source": "Kies een bron uit de lijst."})
    if kind not in SignalKind.values:
        raise ValidationError({"kind": "Kies kwaliteit, rechtmatigheid of beide."})
    funding = funding or Funding.UNKNOWN
    if funding not in Funding.values:
        raise ValidationError({"funding": "Kies zorg in natura, pgb of onbekend."})
    _check_signal_text(description=description, provider_name=provider_name, contact="")
    return Signal.objects.create(
        reference=new_reference(),
        municipality=municipality,
        received_on=received_on,
        source=source,
        provider_name=provider_name.strip(),
        kind=kind,
        funding=funding,
        description=description.strip(),
        recorded_by=person(user),
    )


def triage_signal(*, user, signal: Signal, decision: str, reasons: str) -> Signal:
    """A supervisor of the signal's municipality decides what to do with it, with reasons (WM-DVO annex 4)."""
    if decision not in Triage.values or decision == Triage.UNTRIAGED:
        raise ValidationError({"decision": "Kies een beoordeling."})
    if not (reasons or "").strip():
        raise ValidationError({"reasons": "Motiveer de beoordeling."})
    if len(reasons) > 5000:
        raise ValidationError({"reasons": "De motivering is te lang: ten hoogste 5000 tekens."})
    refuse_bsn(reasons)
    with transaction.atomic():
        signal = (
            Signal.objects.unrestricted("vergrendelen; rechten hieronder getoetst")
            .select_for_update()
            .get(pk=signal.pk)
        )
        require(user, CHANGE, signal, "Alleen de toezichthouders van deze gemeente beoordelen dit signaal.")
        signal.triage = decision
        signal.triage_reasons = reasons.strip()
        signal.triaged_by = person(user)
        signal.triaged_at = timezone.now()
        signal.save(update_fields=["triage", "triage_reasons", "triaged_by", "triaged_at"])
    return signal


def read_signal(*, user, signal: Signal, request=None) -> Signal:
    """Every read of a signal's detail is written to the access log (SPEC §8: every read of a case file)."""
    require(user, VIEW, signal)
    log_access(user=user, obj=signal, municipality=signal.municipality, request=request)
    return signal


def signals_for(*, user):
    return Signal.objects.visible_to(user).select_related("municipality").order_by("-received_on", "-pk")

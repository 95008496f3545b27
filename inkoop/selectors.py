"""Read-side queries of the purchasing side that pages and the API share. Each takes the acting user and returns only
what that user may see; none changes anything."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from inkoop.models import (
    ConsentDecision,
    ContractStatus,
    FrameworkContract,
    Kpi,
    KpiValue,
    MemberConsent,
    Provider,
    RequirementCheck,
    RequirementOutcome,
)
from regio.deadlines import Deadline
from regio.tenancy import VIEW

# How far ahead the contract list warns about a notice or extension deadline.
ALERT_DAYS = 90


def providers_for(user, *, search: str = "", domain: str = "", region=None):
    rows = Provider.objects.visible_to(user).select_related("region")
    if region is not None:
        rows = rows.filter(region=region)
    if search:
        rows = rows.filter(Q(name__icontains=search) | Q(kvk_number=search) | Q(agb_code=search))
    field = {d.value: f for d, f in Provider.DOMAIN_FIELDS.items()}.get(domain)
    if field:
        rows = rows.filter(**{field: True})
    return rows.order_by("name", "pk")


def provider_file(user, pk: int) -> Provider:
    """One provider with its file: checks (with evidence), contacts and deputies, screenings, contracts, parties."""
    rows = (
        Provider.objects.visible_to(user)
        .select_related("region")
        .prefetch_related(
            Prefetch("requirement_checks", RequirementCheck.objects.visible_to(user).select_related("evidence")),
            "contacts__deputies",
            "screenings",
            Prefetch("contracts", FrameworkContract.objects.visible_to(user).order_by("-starts_on")),
            "party_links__party__agreement",
        )
    )
    return rows.get(pk=pk)


def contracts_for(user, *, status: str = ""):
    rows = (
        FrameworkContract.objects.visible_to(user)
        .select_related("region", "provider")
        .prefetch_related(
            Prefetch("consents", MemberConsent.objects.visible_to(user).select_related("municipality")),
            Prefetch(
                "kpis",
                Kpi.objects.visible_to(user).prefetch_related(
                    Prefetch("values", KpiValue.objects.visible_to(user).order_by("period_start"))
                ),
            ),
        )
    )
    if status in ContractStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("region__name", "-starts_on", "reference")


@dataclass(frozen=True)
class Alert:
    level: str  # "warning" or "error"
    text: str


def contract_alerts(contract: FrameworkContract, today: date | None = None) -> list[Alert]:
    """What needs attention on a contract: its notice or extension deadline within ``ALERT_DAYS``, consents still
    missing in the round, a refusal, and indicators whose last measurement misses the target. Uses the prefetched
    consents and KPIs of ``contracts_for``."""
    today = today or timezone.localdate()
    alerts = []
    if contract.status == ContractStatus.SIGNED and contract.ends_on >= today:
        deadline = contract.notice_deadline
        if deadline <= today + timedelta(days=ALERT_DAYS):
            what = "Beslis over verlenging of opzegging" if contract.extensions_left else "Opzeggen of laten aflopen"
            level = "error" if deadline < today else "warning"
            alerts.append(Alert(level, f"{what} uiterlijk {deadline:%d-%m-%Y}"))
    if contract.status == ContractStatus.CONSENT:
        given = sum(1 for c in contract.consents.all() if c.decision == ConsentDecision.GIVEN)
        alerts.append(Alert("warning", f"Instemmingsronde: {given} schriftelijk akkoord ontvangen"))
    if contract.status == ContractStatus.REFUSED:
        alerts.append(Alert("error", contract.refusal_reason or "Geen akkoord van een deelnemende gemeente"))
    for kpi in contract.kpis.all():
        values = list(kpi.values.all())
        if values and not kpi.meets(values[-1].value):
            alerts.append(Alert("warning", f"{kpi.name}: laatste meting haalt de norm niet"))
    return alerts


def availability_for(user, on: date | None = None) -> list[tuple[FrameworkContract, list]]:
    """The purchased offer in force on ``on`` and for which members it is available (WM-SO 2.6: availability, not
    orders): every member on that day; each member decides itself when to use it and pays for what it uses."""
    on = on or timezone.localdate()
    rows = (
        FrameworkContract.objects.visible_to(user)
        .filter(status=ContractStatus.SIGNED, starts_on__lte=on, ends_on__gte=on)
        .select_related("region", "provider")
        .prefetch_related("products")
        .order_by("region__name", "provider__name")
    )
    members_by_region: dict[int, list] = {}
    found = []
    for contract in rows:
        if contract.region_id not in members_by_region:
            members_by_region[contract.region_id] = list(contract.region.members_on(on).order_by("name"))
        found.append((contract, members_by_region[contract.region_id]))
    return found


def expired_checks(provider: Provider, today: date | None = None) -> list[RequirementCheck]:
    """The latest check per requirement that no longer holds (not met, or past its validity)."""
    today = today or timezone.localdate()
    latest: dict[str, RequirementCheck] = {}
    for check in provider.requirement_checks.all():  # ordered newest first per kind
        latest.setdefault(check.kind, check)
    return [c for c in latest.values() if c.outcome == RequirementOutcome.NOT_MET or not c.holds_on(today)]


def contract_deadlines(scope, start: date, end: date):
    """Notice and extension deadlines of the signed contracts of the user's regions (WM-SO 2.4 b): on home, the
    deadlines page, the iCal feed and in reminders. Filtered by the same rule as ``visible_to`` (the scope's own
    ``tenant_filter``), so a user sees only the contracts of the regions it belongs to."""
    rows = (
        FrameworkContract.objects.unrestricted("gefilterd op de eigen tenant_filter van de scope hieronder")
        .filter(FrameworkContract.tenant_filter(scope, VIEW), status=ContractStatus.SIGNED, ends_on__gte=start)
        .select_related("region", "provider")
    )
    for contract in rows:
        due = contract.notice_deadline
        if not start <= due <= end:
            continue
        if contract.extensions_left:
            title = f"Raamcontract {contract.reference} ({contract.provider.name}): verlengen of opzeggen"
        else:
            title = f"Raamcontract {contract.reference} ({contract.provider.name}): uiterste opzegdatum"
        yield Deadline(
            key=f"inkoop:contract:{contract.pk}:{contract.ends_on.isoformat()}",
            title=title,
            due=due,
            source="inkoop",
            article="WM-SO 2.4 b",
            url=reverse("inkoop-contract-detail", args=[contract.pk]),
            region_id=contract.region_id,
        )

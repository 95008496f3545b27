"""Read queries of beschermd wonen that pages, API and the key weights share."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db.models import Count, Prefetch, Q, Sum

from beschermdwonen.models import (
    AdviceRequest,
    Assessment,
    Client,
    Disagreement,
    Indication,
    Notification,
    RegionSetting,
    Replacement,
    Residence,
    access_team_region_ids,
)
from regio.models import Region
from regio.roles import Role
from regio.tenancy import is_system, scope_of


def access_team_regions(user):
    """The regions whose register this user runs (de Toegang: ``bw`` staff of the coordinating municipality that may
    do more than look). The system actor runs every register."""
    if is_system(user):
        return Region.objects.unrestricted("de systeemactor voert elk register")
    scope = scope_of(user)
    if not scope.authenticated or scope.read_only or not scope.has_role(Role.PROTECTED_HOUSING):
        return Region.objects.unrestricted("nothing: the empty queryset").none()
    return Region.objects.unrestricted("the user's own access-team regions, computed from its scope").filter(
        pk__in=access_team_region_ids(scope)
    )


def is_access_team(user, region=None) -> bool:
    regions = access_team_regions(user)
    return regions.filter(pk=region.pk).exists() if region is not None else regions.exists()


def clients_for(user):
    """The clients this user may see, with the residence periods it may see (no query per row): the access team all
    of them, a member's staff the periods in its own municipality (woonplaatsbeginsel over time)."""
    residences = Residence.objects.visible_to(user).select_related("municipality")
    return (
        Client.objects.visible_to(user)
        .select_related("region")
        .prefetch_related(Prefetch("residences", queryset=residences.order_by("valid_from")))
    )


def _residing_on(on: date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def client_counts_by_region(*, region_ids, on: date) -> dict[int, Counter]:
    """Clients resident per municipality on a date, per region: {region pk: Counter({municipality: n})}.

    Counts only, no record: what portfolio holders see and what the client-count key splits by (WM-DVO annex 3.4).
    One query for all regions."""
    rows = (
        Residence.objects.unrestricted("counts only, no client record leaves this function")
        .filter(_residing_on(on), client__region_id__in=list(region_ids))
        .values_list("client__region_id", "municipality")
    )
    from regio.models import Municipality

    out: dict[int, Counter] = {pk: Counter() for pk in region_ids}
    municipalities = {}
    for region_id, municipality_id in rows:
        out[region_id][municipality_id] += 1
        municipalities[municipality_id] = None
    if municipalities:
        known = Municipality.objects.unrestricted("names of the counted municipalities").in_bulk(list(municipalities))
        out = {r: Counter({known[m]: n for m, n in c.items()}) for r, c in out.items()}
    return out


def client_counts(*, region, on: date) -> Counter:
    return client_counts_by_region(region_ids=[region.pk], on=on)[region.pk]


def notifications_for(user):
    """The notifications this user may see, newest first, with what a list row shows (no query per row)."""
    return (
        Notification.objects.visible_to(user)
        .select_related("client", "municipality", "created_by")
        .order_by("-notified_on", "-pk")
    )


def assessments_for(user):
    """The assessments this user may see, with their notification, client and hours (no query per row)."""
    return (
        Assessment.objects.visible_to(user)
        .select_related("notification__client", "notification__municipality", "consultation_requested_by")
        .prefetch_related("hours")
        .order_by("-created_at", "-pk")
    )


def _running_on(on: date) -> Q:
    return Q(care_start__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))


def running_indications(*, on: date, region=None, municipality=None):
    """The indications running on a date (care started, not ended; WM-DVO annex 1: access fees "per lopende
    indicatie"), of a region and/or with a responsible municipality (woonplaatsbeginsel, annex 3 §3).

    For counts and money (fees, financing) computed by a caller that has checked ``can()`` on the region or
    municipality: the rows are not filtered by the user. Record lists go through ``indications_for(user)``."""
    if region is None and municipality is None:
        raise ValueError("running_indications needs a region or a municipality")
    qs = Indication.objects.unrestricted("counts and money for a region the caller checked with can()").filter(
        _running_on(on)
    )
    if region is not None:
        qs = qs.filter(client__region=region)
    if municipality is not None:
        qs = qs.filter(responsible_municipality=municipality)
    return qs


def running_indication_counts(*, region, on: date) -> Counter:
    """Running indications per responsible municipality on a date, in one query: {municipality pk: n}."""
    rows = running_indications(on=on, region=region).values_list("responsible_municipality_id", flat=True)
    return Counter(rows)


def indications_for(user):
    """The indications this user may see, with what a list row shows (no query per row)."""
    return (
        Indication.objects.visible_to(user)
        .select_related("client", "decided_by", "responsible_municipality")
        .order_by("-care_start", "-pk")
    )


def objective_model_start(region):
    """The start date of the objective distribution model for the region, or None: not started (annex 3 §1, §7)."""
    return RegionSetting.objective_start_for(region)


# Worklists of the access team (issue 13, "Pages"). Each is one query; the pages slice them.

ASSESSMENT_NORM_HOURS = 8  # "Volledige onderzoek te weten 8 uur per melding" (WM-DVO annex 2 §1)


def open_notifications(user):
    """Notifications without an assessment yet, oldest first."""
    return notifications_for(user).filter(assessment__isnull=True).order_by("notified_on", "pk")


def assessments_past_norm(user):
    """Assessments whose hours exceed the norm of about 8 per notification (annex 2 §1-2), most hours first."""
    return (
        Assessment.objects.visible_to(user)
        .select_related("notification__client", "notification__municipality")
        .annotate(total_hours=Sum("hours__hours"))
        .filter(total_hours__gt=ASSESSMENT_NORM_HOURS)
        .order_by("-total_hours", "pk")
    )


def advice_requests_for(user):
    """Advice requests the user may see (the team: its region's; a member: those it sent), newest first."""
    return (
        AdviceRequest.objects.visible_to(user)
        .select_related("region", "requested_by", "client")
        .order_by("-requested_on", "-pk")
    )


def asking_regions(user) -> list:
    """The regions for which the user's municipality may ask advice (annex 2 §4): a member, not the coordinator,
    with ``bw`` staff that may act."""
    from django.utils import timezone

    scope = scope_of(user)
    if scope.read_only or not scope.has_role(Role.PROTECTED_HOUSING) or scope.municipality_id is None:
        return []
    today = timezone.localdate()
    regions = Region.objects.visible_to(user).filter(pk__in=scope.member_region_ids).order_by("name")
    return [r for r in regions if (c := r.coordinator_on(today)) is not None and c.pk != scope.municipality_id]


def advice_to_give(user):
    """Requests still waiting for the access team's advice, oldest first."""
    return advice_requests_for(user).filter(advised_on__isnull=True).order_by("requested_on", "pk")


def advice_awaiting_decision(user):
    """Advice given, the member's own decision not yet recorded (annex 2 §2), oldest advice first."""
    return (
        advice_requests_for(user)
        .filter(advised_on__isnull=False, decided_on__isnull=True)
        .order_by("advised_on", "pk")
    )


def replacements_for(user):
    return Replacement.objects.visible_to(user).select_related("client").order_by("reported_on", "pk")


def replacements_without_handover(user):
    """Open replacements without a warm hand-over (annex 2 §3), oldest (longest waiting) first."""
    return replacements_for(user).filter(closed_on__isnull=True, handover_on__isnull=True)


def open_disagreements(user):
    return (
        Disagreement.objects.visible_to(user)
        .filter(closed_on__isnull=True)
        .select_related("client")
        .order_by("opened_on", "pk")
    )


def classification_counts(*, region, on: date, start: date | None) -> list[dict]:
    """Running indications on a date per responsible member, existing/new under both rules of annex 3 for a given
    start of the objective model (None: not started, all existing). Counts only; one query for the counts."""
    if start is None:
        by_indication_new = by_start_new = Count("pk", filter=Q(pk__in=[]))
    else:
        by_indication_new = Count("pk", filter=Q(decided_on__gte=start))
        by_start_new = Count("pk", filter=Q(care_start__gte=start))
    rows = {
        row["responsible_municipality"]: row
        for row in running_indications(on=on, region=region)
        .values("responsible_municipality")
        .annotate(total=Count("pk"), new_by_indication=by_indication_new, new_by_start=by_start_new)
        .order_by()
    }
    out = []
    for municipality in region.members_on(on).order_by("name"):
        row = rows.get(municipality.pk, {"total": 0, "new_by_indication": 0, "new_by_start": 0})
        out.append(
            {
                "municipality": municipality,
                "total": row["total"],
                "new_by_indication": row["new_by_indication"],
                "existing_by_indication": row["total"] - row["new_by_indication"],
                "new_by_start": row["new_by_start"],
                "existing_by_start": row["total"] - row["new_by_start"],
            }
        )
    return out


def worklist_counts(user, *, region_ids=frozenset()) -> list[tuple[str, int]]:
    """The access team's worklists as counts (the dashboards). The team counts what it sees; the coordinating team of
    the regions in ``region_ids`` (which the caller took from ``acting_region_ids``) gets counts only, never a row."""
    from django.utils.translation import gettext as _

    if is_access_team(user) or not region_ids:
        lists = [
            open_notifications(user),
            assessments_past_norm(user),
            advice_to_give(user),
            replacements_without_handover(user),
            open_disagreements(user),
        ]
    else:
        reason = "alleen aantallen voor het coördinerend team van de eigen regio's"
        in_regions = {"notification__client__region_id__in": region_ids}
        lists = [
            Notification.objects.unrestricted(reason).filter(
                client__region_id__in=region_ids, assessment__isnull=True
            ),
            Assessment.objects.unrestricted(reason)
            .filter(**in_regions)
            .annotate(total_hours=Sum("hours__hours"))
            .filter(total_hours__gt=ASSESSMENT_NORM_HOURS),
            AdviceRequest.objects.unrestricted(reason).filter(region_id__in=region_ids, advised_on__isnull=True),
            Replacement.objects.unrestricted(reason).filter(
                client__region_id__in=region_ids, closed_on__isnull=True, handover_on__isnull=True
            ),
            Disagreement.objects.unrestricted(reason).filter(client__region_id__in=region_ids, closed_on__isnull=True),
        ]
    labels = [
        _("Meldingen zonder onderzoek"),
        _("Onderzoeken boven de norm van 8 uur"),
        _("Adviesvragen zonder advies"),
        _("Herplaatsingen zonder warme overdracht"),
        _("Open geschillen"),
    ]
    return [(label, qs.count()) for label, qs in zip(labels, lists, strict=True)]

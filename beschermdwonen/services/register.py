"""Rules of the beschermd-wonen register (SPEC §7; WM-DVO art. 7, annexes 1-3). Keyword-only, acting user first,
every write checked with ``can()`` inside its transaction (STYLE.md rules 1, 2 and 4)."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from beschermdwonen.models import (
    AdviceKind,
    Assessment,
    AssessmentHours,
    Client,
    Notification,
    NotificationKind,
    Residence,
)
from regio.bounds import check_date
from regio.models import Membership
from regio.privacy import contains_bsn, no_bsn, pseudonymise_bsn
from regio.tenancy import ADD, CHANGE, can, person

__all__ = [
    "HOURS_MAX",
    "NOT_ACCESS_TEAM",
    "REPORT_MAX_BYTES",
    "add_assessment_hours",
    "attach_report",
    "check_birth_year",
    "close_client",
    "may_read_report",
    "new_reference",
    "record_move",
    "record_notification",
    "reduce_client",
    "reduce_expired_files",
    "register_client",
    "retention_deadline",
    "start_assessment",
]

NOT_ACCESS_TEAM = "Alleen de Toegang (beschermd wonen van de coördinerende gemeente) voert het register."


def new_reference() -> str:
    """A fresh pseudonymous reference: random, so it says nothing about the person. Ten hex characters are now and
    then nine digits that pass the 11-test (about 1 in 400): such a draw would be refused as a BSN, so draw again."""
    while True:
        reference = f"BW-{secrets.token_hex(5).upper()}"
        if not contains_bsn(reference):
            return reference


def check_birth_year(value) -> int | None:
    """At most a year of birth (data minimisation): between 1900 and this year."""
    if value in (None, ""):
        return None
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({"birth_year": "Het geboortejaar moet een jaartal zijn, bijvoorbeeld 1980."}) from None
    if not 1900 <= year <= timezone.localdate().year:
        raise ValidationError({"birth_year": f"Het geboortejaar ligt tussen 1900 en {timezone.localdate().year}."})
    return year


def _check_member(*, region, municipality, on: date) -> None:
    member = (
        Membership.objects.unrestricted("is the municipality a member: a fact about the region the caller reached")
        .active_on(on)
        .filter(region=region, municipality=municipality)
        .exists()
    )
    if not member:
        raise ValidationError({"municipality": f"{municipality.name} is op die datum geen lid van {region.name}."})


def register_client(
    *, user, region, municipality, valid_from: date, reference: str = "", bsn: str = "", birth_year=None
) -> Client:
    """The access team registers a client (SPEC §7): a pseudonymous reference and where the client lives from when
    (woonplaatsbeginsel). A BSN that arrives is turned into its keyed pseudonym here and not kept; a reference that
    looks like a BSN is refused."""
    check_date(valid_from, label="De begindatum van de woonplaats")
    birth_year = check_birth_year(birth_year)
    if bsn:
        try:
            reference = pseudonymise_bsn(bsn)
        except ValidationError as exc:
            raise ValidationError({"bsn": exc.messages}) from None
    else:
        reference = (reference or "").strip() or new_reference()
        try:
            no_bsn(reference)
        except ValidationError as exc:
            raise ValidationError({"reference": exc.messages}) from None
    _check_member(region=region, municipality=municipality, on=valid_from)
    with transaction.atomic():
        if (
            Client.objects.unrestricted("uniqueness of a pseudonym, no row returned")
            .filter(reference=reference)
            .exists()
        ):
            raise ValidationError({"reference": "Deze cliëntreferentie staat al in het register."})
        client = Client.objects.create(region=region, reference=reference, birth_year=birth_year)
        Residence.objects.create(client=client, municipality=municipality, valid_from=valid_from)
        # The one rule, on the new row inside the transaction: refused means nothing is saved.
        if not can(user, ADD, client):
            raise PermissionDenied(NOT_ACCESS_TEAM)
    return client


def record_move(*, user, client: Client, municipality, valid_from: date) -> Residence:
    """The client lives in another municipality from ``valid_from`` (woonplaatsbeginsel, WM-DVO art. 7): the open
    period ends the day before. Periods never overlap and a move cannot go back before the last one."""
    check_date(valid_from, label="De verhuisdatum")
    with transaction.atomic():
        client = Client.objects.unrestricted("locked, then checked with can()").select_for_update().get(pk=client.pk)
        if not can(user, CHANGE, client):
            raise PermissionDenied(NOT_ACCESS_TEAM)
        if client.closed_on is not None:
            raise ValidationError("Dit dossier is gesloten; een verhuizing wordt niet meer vastgelegd.")
        _check_member(region=client.region, municipality=municipality, on=valid_from)
        periods = list(Residence.objects.unrestricted("children of the locked client").filter(client=client))
        last = max(periods, key=lambda p: p.valid_from)
        if valid_from <= last.valid_from:
            raise ValidationError(
                {
                    "valid_from": "De verhuisdatum moet na het begin van de laatste woonplaats liggen "
                    f"({last.valid_from:%d-%m-%Y})."
                }
            )
        if last.valid_to is not None and valid_from <= last.valid_to:
            raise ValidationError({"valid_from": "De nieuwe woonplaats overlapt met de vorige."})
        if last.municipality_id == municipality.pk and last.valid_to is None:
            raise ValidationError({"municipality": f"De cliënt woont al in {municipality.name}."})
        if last.valid_to is None:
            last.valid_to = valid_from - timedelta(days=1)
            last.save(update_fields=["valid_to"])
        return Residence.objects.create(client=client, municipality=municipality, valid_from=valid_from)


def close_client(*, user, client: Client, closed_on: date) -> Client:
    """The file is closed (care ended, the client moved out of the region): the open residence ends that day and the
    retention period (``BW_RETENTION_YEARS``) starts."""
    check_date(closed_on, label="De sluitdatum")
    with transaction.atomic():
        client = Client.objects.unrestricted("locked, then checked with can()").select_for_update().get(pk=client.pk)
        if not can(user, CHANGE, client):
            raise PermissionDenied(NOT_ACCESS_TEAM)
        if client.closed_on is not None:
            raise ValidationError("Dit dossier is al gesloten.")
        periods = Residence.objects.unrestricted("children of the locked client").filter(client=client)
        if periods.filter(valid_from__gt=closed_on).exists():
            raise ValidationError({"closed_on": "Na de sluitdatum begint nog een woonplaats."})
        periods.filter(valid_to__isnull=True).update(valid_to=closed_on)
        client.closed_on = closed_on
        client.save(update_fields=["closed_on"])
    return client


def retention_deadline(closed_on: date) -> date:
    years = settings.BW_RETENTION_YEARS
    try:
        return closed_on.replace(year=closed_on.year + years)
    except ValueError:  # 29 February
        return closed_on.replace(year=closed_on.year + years, day=28)


def reduce_client(*, user, client: Client, today: date | None = None) -> bool:
    """Reduce a closed file past its retention period to what the money needs (AVG art. 5 (1) e): the pseudonymous
    reference and the residence periods stay (they say which municipality pays for which period); the year of birth
    goes, also from the audit history. Idempotent: a reduced file answers False."""
    today = today or timezone.localdate()
    with transaction.atomic():
        client = Client.objects.unrestricted("locked, then checked with can()").select_for_update().get(pk=client.pk)
        if not can(user, CHANGE, client):
            raise PermissionDenied(NOT_ACCESS_TEAM)
        if client.reduced_on is not None:
            return False
        if client.closed_on is None or retention_deadline(client.closed_on) > today:
            raise ValidationError("De bewaartermijn van dit dossier is nog niet verstreken.")
        client.birth_year = None
        client.reduced_on = today
        client.save(update_fields=["birth_year", "reduced_on"])
        client.history.all().update(birth_year=None)
        # The conversation reports are not what the money needs: the files go, also from the audit history.
        assessments = Assessment.objects.unrestricted("children of the locked client").filter(
            notification__client=client
        )
        for assessment in assessments.exclude(report=""):
            name, storage = assessment.report.name, assessment.report.storage
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        assessments.update(report="", report_size=0)
        Assessment.history.filter(notification__client_id=client.pk).update(report="")
        _reduce_case_texts(client)
    return True


def _reduce_case_texts(client: Client) -> None:
    """The free texts about the person (intake, advice, replacement, disagreement) are not what the money needs: they
    go, also from the audit history. Dates, products, decisions and providers stay."""
    from beschermdwonen.models import AdviceRequest, Disagreement, Replacement

    advice_texts = {"question": "", "situation": "", "current_support": "", "advice_text": "", "decision_note": ""}
    requests = AdviceRequest.objects.unrestricted("children of the locked client").filter(client=client)
    ids = list(requests.values_list("pk", flat=True))
    requests.update(**advice_texts)
    # By id: the request's first history rows predate the link to the client.
    AdviceRequest.history.filter(id__in=ids).update(**advice_texts)
    Replacement.objects.unrestricted("children of the locked client").filter(client=client).update(reason="")
    Replacement.history.filter(client_id=client.pk).update(reason="")
    reduced = {"subject": "", "outcome": REDUCED}
    Disagreement.objects.unrestricted("children of the locked client").filter(client=client).update(**reduced)
    Disagreement.history.filter(client_id=client.pk).update(**reduced)


REDUCED = "(na de bewaartermijn beperkt)"


def reduce_expired_files(*, user, today: date | None = None, limit: int = 500) -> list[int]:
    """Reduce every closed file whose retention period has passed, at most ``limit`` per run (bounded job)."""
    today = today or timezone.localdate()
    years = settings.BW_RETENTION_YEARS
    latest_closed = (
        today.replace(year=today.year - years)
        if not (today.month == 2 and today.day == 29)
        else (today.replace(year=today.year - years, day=28))
    )
    ids = list(
        Client.objects.restrict(user, CHANGE)
        .filter(reduced_on__isnull=True, closed_on__isnull=False, closed_on__lte=latest_closed)
        .order_by("closed_on", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    done = []
    for pk in ids:
        client = Client.objects.unrestricted("ids from the restricted query above").get(pk=pk)
        if reduce_client(user=user, client=client, today=today):
            done.append(pk)
    return done


def record_notification(
    *, user, client: Client, notified_on: date, kind: str, notified_by: str, municipality=None
) -> Notification:
    """The access team records a notification (melding, WM-DVO annexes 1 and 2). The municipality is where the client
    lives on the date (woonplaatsbeginsel) unless given; it must be a member of the client's region."""
    check_date(notified_on, not_in_future=True, label="De datum van de melding")
    if kind not in NotificationKind.values:
        raise ValidationError({"kind": "Kies intramuraal of extramuraal."})
    notified_by = (notified_by or "").strip()
    if not notified_by:
        raise ValidationError({"notified_by": "Vul in wie de melding deed."})
    try:
        no_bsn(notified_by)
    except ValidationError as exc:
        raise ValidationError({"notified_by": exc.messages}) from None
    with transaction.atomic():
        client = Client.objects.unrestricted("locked, then checked with can()").select_for_update().get(pk=client.pk)
        if not can(user, CHANGE, client):
            raise PermissionDenied(NOT_ACCESS_TEAM)
        if municipality is None:
            period = (
                Residence.objects.unrestricted("children of the locked client")
                .filter(client=client, valid_from__lte=notified_on)
                .order_by("-valid_from")
                .first()
            )
            if period is None or (period.valid_to is not None and period.valid_to < notified_on):
                raise ValidationError({"notified_on": "Op die datum heeft de cliënt geen woonplaats in het register."})
            municipality = period.municipality
        else:
            _check_member(region=client.region, municipality=municipality, on=notified_on)
        notification = Notification.objects.create(
            client=client,
            notified_on=notified_on,
            kind=kind,
            municipality=municipality,
            notified_by=notified_by,
            created_by=person(user),
        )
        if not can(user, ADD, notification):
            raise PermissionDenied(NOT_ACCESS_TEAM)
    return notification


REPORT_MAX_BYTES = 10 * 1024 * 1024
HOURS_MAX = Decimal("9999.99")


def _check_hours(value, field: str) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0 or value > HOURS_MAX:
        raise ValidationError({field: "Het aantal uren ligt tussen 0 en 9.999,99."})
    return value


def start_assessment(
    *,
    user,
    notification: Notification,
    advice_kind: str = AdviceKind.NONE,
    advice_cost: Decimal = Decimal("0"),
    consultation_hours: Decimal = Decimal("0"),
    consultation_requested_by=None,
) -> Assessment:
    """The access team starts the assessment of a notification (WM-DVO annex 2): one per notification. A GGD or
    external advice has its cost (passed on in full from the objective model's start, annex 2 §2); consultation hours
    (sparring) are those a member asked for."""
    if advice_kind not in AdviceKind.values:
        raise ValidationError({"advice_kind": "Kies geen, GGD-advies of extern advies."})
    if advice_cost is None or advice_cost < 0:
        raise ValidationError({"advice_cost": "De kosten van het advies kunnen niet negatief zijn."})
    if advice_kind == AdviceKind.NONE and advice_cost:
        raise ValidationError({"advice_cost": "Zonder advies zijn er geen kosten van advies."})
    _check_hours(consultation_hours, "consultation_hours")
    if consultation_hours and consultation_requested_by is None:
        raise ValidationError({"consultation_requested_by": "Zeg welke gemeente om sparring vroeg."})
    with transaction.atomic():
        notification = (
            Notification.objects.unrestricted("locked, then checked with can()")
            .select_for_update()
            .select_related("client__region")
            .get(pk=notification.pk)
        )
        if not can(user, CHANGE, notification):
            raise PermissionDenied(NOT_ACCESS_TEAM)
        if consultation_requested_by is not None:
            _check_member(
                region=notification.client.region, municipality=consultation_requested_by, on=notification.notified_on
            )
        if Assessment.objects.unrestricted("one per locked notification").filter(notification=notification).exists():
            raise ValidationError("Deze melding heeft al een onderzoek.")
        assessment = Assessment.objects.create(
            notification=notification,
            advice_kind=advice_kind,
            advice_cost=advice_cost,
            consultation_hours=consultation_hours,
            consultation_requested_by=consultation_requested_by,
            created_by=person(user),
        )
        if not can(user, ADD, assessment):
            raise PermissionDenied(NOT_ACCESS_TEAM)
    return assessment


def add_assessment_hours(
    *, user, assessment: Assessment, function: str, scale: int, hours: Decimal
) -> AssessmentHours:
    """Hours of one function at one scale on an assessment (WM-DVO annex 1 and 2)."""
    function = (function or "").strip()
    if not function:
        raise ValidationError({"function": "Vul de functie in."})
    try:
        no_bsn(function)
    except ValidationError as exc:
        raise ValidationError({"function": exc.messages}) from None
    if not isinstance(scale, int) or not 1 <= scale <= 18:
        raise ValidationError({"scale": "De schaal ligt tussen 1 en 18."})
    _check_hours(hours, "hours")
    if hours == 0:
        raise ValidationError({"hours": "Het aantal uren is groter dan 0."})
    with transaction.atomic():
        assessment = (
            Assessment.objects.unrestricted("locked, then checked with can()")
            .select_for_update()
            .get(pk=assessment.pk)
        )
        if not can(user, CHANGE, assessment):
            raise PermissionDenied(NOT_ACCESS_TEAM)
        return AssessmentHours.objects.create(assessment=assessment, function=function, scale=scale, hours=hours)


def attach_report(*, user, assessment: Assessment, upload) -> Assessment:
    """The conversation report (gespreksverslag) as a private PDF: stored under the private media root with a random
    name, served only to the access team (``may_read_report``)."""
    if upload is None:
        raise ValidationError({"report": "Kies een bestand."})
    if upload.size > REPORT_MAX_BYTES:
        raise ValidationError({"report": "Het verslag is groter dan 10 MB."})
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError({"report": "Het verslag moet een PDF zijn."})
    with transaction.atomic():
        assessment = (
            Assessment.objects.unrestricted("locked, then checked with can()")
            .select_for_update()
            .get(pk=assessment.pk)
        )
        if not may_read_report(user, assessment):
            raise PermissionDenied(NOT_ACCESS_TEAM)
        old = assessment.report.name if assessment.report else ""
        assessment.report.save("verslag.pdf", upload, save=False)
        assessment.report_size = upload.size
        assessment.save(update_fields=["report", "report_size"])
        if old:
            name, storage = old, assessment.report.storage
            transaction.on_commit(lambda: storage.delete(name))
    return assessment


def may_read_report(user, assessment: Assessment) -> bool:
    """Only the access team that conducts the assessment reads the conversation report: a member's staff sees the
    assessment, not the report (SPEC §7: store and show the least that works). Those who may change the assessment
    are exactly the access team (``client_filter``)."""
    return can(user, CHANGE, assessment)

"""The December reckoning, running it: request, the Celery run with progress, storing, approving, settling. Articles:
WM-SO 6.7, SPEC §6.5, WM-DVO 6.1.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from costsharing.models import (
    STAFF_CATEGORIES,
    Reckoning,
    ReckoningItem,
    ReckoningLine,
    ReckoningPart,
)
from costsharing.services._common import require_coordinator
from costsharing.services.reckoning import Computation, compute_reckoning, compute_reckonings
from regio.formatting import format_date
from regio.jobs import forget_broken_connection, job_locks
from regio.models import Region
from regio.tenancy import person


def request_reckoning(*, user, region: Region, year: int, start: bool = True) -> Reckoning:
    """Start (or restart) the reckoning of a region for a year; runs as a Celery task after commit.

    Running twice for the same inputs gives the same reckoning (the database allows one row per region, year and
    version). A draft is recomputed; after approval a run with changed inputs makes a correction version.
    ``start=False`` only queues it (the December job starts all regions in one task)."""
    require_coordinator(user, region)
    from costsharing.tasks import run_reckoning

    with transaction.atomic():
        Region.objects.unrestricted().select_for_update().get(pk=region.pk)
        reckoning = latest_reckoning(region=region, year=year)
        if reckoning is None:
            reckoning = Reckoning.objects.create(region=region, year=year, version=1)
        if reckoning.run_state != Reckoning.RunState.RUNNING:
            Reckoning.objects.unrestricted().filter(pk=reckoning.pk).update(
                run_state=Reckoning.RunState.QUEUED, progress=0, error=""
            )
        if start:
            transaction.on_commit(lambda: run_reckoning.delay(reckoning.pk))
    reckoning.refresh_from_db()
    return reckoning


def latest_reckoning(*, region: Region, year: int) -> Reckoning | None:
    return Reckoning.objects.unrestricted().filter(region=region, year=year).order_by("-version").first()


def _set_progress(pks, **values) -> None:
    pks = [pks] if isinstance(pks, int) else list(pks)
    if pks:
        Reckoning.objects.unrestricted().filter(pk__in=pks).update(**values)


def _failure(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        reason = "; ".join(exc.messages)
    elif isinstance(exc, (OperationalError, InterfaceError)):  # words, never the driver's text (issue 17)
        reason = "de verbinding met de database viel weg"
    else:
        reason = str(exc)
    return f"De berekening is mislukt: {reason}. De vorige stand is bewaard; start de berekening opnieuw."


def perform_reckoning(*, reckoning_id: int) -> Reckoning:
    """The body of the Celery task for one reckoning (see ``perform_reckonings``)."""
    done = perform_reckonings(reckoning_ids=[reckoning_id])
    if done:
        return done[0]
    # Another worker holds this job: answer with the reckoning as it stands (its state says it is running).
    return Reckoning.objects.unrestricted("the job's own reckoning, by the id the task was given").get(pk=reckoning_id)


def perform_reckonings(*, reckoning_ids: list[int]) -> list[Reckoning]:
    """Compute everything first, then write it in one transaction. A region whose inputs are incomplete fails in
    words and the others complete; a failure while writing leaves the previous state of all of them (the previous
    lines or none) and a message in words; a re-run completes. Returns the reckonings in the order asked, each
    refreshed (a frozen one whose inputs changed answers with its new correction version).

    Each reckoning is a job of its own (``regio.jobs.job_locks``): a reckoning that another worker is running right
    now (a re-delivered message after a worker died, two December runs at once) is left to that worker and not in
    the answer; the others are done here."""
    with job_locks("reckoning", reckoning_ids) as mine:
        if len(mine) < len(set(reckoning_ids)):
            logging.getLogger(__name__).info(
                "afrekening(en) %s worden al door een andere worker berekend", sorted(set(reckoning_ids) - set(mine))
            )
        return _perform(mine)


def _perform(reckoning_ids: list[int]) -> list[Reckoning]:
    reckonings = list(Reckoning.objects.unrestricted().filter(pk__in=reckoning_ids).select_related("region"))
    _set_progress([r.pk for r in reckonings], run_state=Reckoning.RunState.RUNNING, progress=5, error="")
    answer: dict[int, int] = {r.pk: r.pk for r in reckonings}
    for year in sorted({r.year for r in reckonings}):
        group = [r for r in reckonings if r.year == year]
        pks = [r.pk for r in group]
        failed: dict[int, Exception] = {}
        try:
            # A frozen reckoning is compared by its exact inputs (the cost line ids); a draft needs only the sums.
            computations = compute_reckonings(
                regions=[r.region for r in group],
                year=year,
                exact_region_ids={r.region_id for r in group if r.is_frozen},
                progress=lambda p, pks=pks: _set_progress(pks, progress=p),
            )
            failed = {
                r.pk: computations[r.region_id] for r in group if isinstance(computations[r.region_id], Exception)
            }
            for pk, exc in failed.items():
                _set_progress(pk, run_state=Reckoning.RunState.FAILED, error=_failure(exc))
            todo = [r for r in group if r.pk not in failed]
            with transaction.atomic():
                answer.update(_store(todo, computations))
        except Exception as exc:  # every failure is shown in words; the previous state stays (rolled back)
            if isinstance(exc, (OperationalError, InterfaceError)):
                forget_broken_connection()  # a dropped connection: the failure is recorded over a new one
            _set_progress(
                [pk for pk in pks if pk not in failed],
                run_state=Reckoning.RunState.FAILED,
                error=_failure(exc),
            )
            if not isinstance(exc, ValidationError):
                logging.getLogger(__name__).exception("afrekening(en) %s mislukt", pks)
    done = Reckoning.objects.unrestricted().select_related("region").in_bulk(set(answer.values()))
    return [done[answer[pk]] for pk in reckoning_ids if pk in answer]


def _store(group: list[Reckoning], computations: dict) -> dict[int, int]:
    """Inside the caller's transaction: decide per reckoning where its computation goes (the draft itself, a
    correction version of a frozen one, or nowhere when the frozen inputs are unchanged) and write them all."""
    if not group:
        return {}
    locked = {
        r.pk: r for r in Reckoning.objects.unrestricted().select_for_update().filter(pk__in=[r.pk for r in group])
    }
    newest: dict[tuple[int, int], Reckoning] = {}
    others = Reckoning.objects.unrestricted().filter(
        region_id__in=[r.region_id for r in group], year__in={r.year for r in group}
    )
    for r in others.order_by("region_id", "year", "-version"):
        newest.setdefault((r.region_id, r.year), r)
    answer, writes, unchanged = {}, [], []
    for pk, reckoning in locked.items():
        computation = computations[reckoning.region_id]
        target = reckoning
        if reckoning.is_frozen:
            # Compared with the newest version, not with the one asked: re-running version 1 after an approved
            # correction (version 2) with the inputs of version 2 changes nothing.
            newer = newest[(reckoning.region_id, reckoning.year)]
            if not newer.is_frozen:
                target = Reckoning.objects.unrestricted().select_for_update().get(pk=newer.pk)
            elif computation.exact_hash == newer.inputs_hash:
                unchanged.append(pk)
                answer[pk] = newer.pk
                continue
            else:
                target = Reckoning.objects.create(
                    region=reckoning.region, year=reckoning.year, version=newer.version + 1, previous=newer
                )
            unchanged.append(pk)  # the frozen one itself is done: its correction carries the change
        writes.append((target, computation))
        answer[pk] = target.pk
    _write(writes)
    _set_progress(unchanged, run_state=Reckoning.RunState.DONE, progress=100, error="")
    return answer


def _write(writes: list[tuple[Reckoning, Computation]]) -> None:
    """Replace the derived rows of draft reckonings in bulk: a handful of queries for any number of regions."""
    if not writes:
        return
    if any(target.is_frozen for target, _c in writes):  # never: a frozen one gets a correction version instead
        raise ValidationError("Een vastgestelde afrekening verandert niet; maak een correctieversie.")
    targets = [target.pk for target, _c in writes]
    # A draft's derived rows are replaced wholesale on each run (its audit is the reckoning's own history and the
    # stored inputs); deleting them without per-row signals keeps a re-run as fast as a first run.
    for model in (ReckoningItem, ReckoningPart, ReckoningLine):
        queryset = model.objects.unrestricted().filter(reckoning_id__in=targets)
        queryset._raw_delete(queryset.db)
    previous_shares: dict[tuple[int, int], Decimal] = {}
    previous_ids = [t.previous_id for t, _c in writes if t.previous_id]
    if previous_ids:
        for rid, mid, share in (
            ReckoningLine.objects.unrestricted()
            .filter(reckoning_id__in=previous_ids)
            .values_list("reckoning_id", "municipality_id", "share")
        ):
            previous_shares[(rid, mid)] = share
    parts, owners = [], []
    for target, computation in writes:
        for computed in computation.parts:
            parts.append(
                ReckoningPart(
                    reckoning=target,
                    category=computed.category,
                    key_version=computed.version,
                    norm_year=computed.norm_year,
                    amount=computed.amount,
                    line_count=computed.line_count,
                    lines_total=computed.lines_total,
                    weights={p.municipality.code: str(p.weight) for p in computed.parts},
                    explanation=computed.explanation,
                )
            )
            owners.append((target, computed))
    ReckoningPart.objects.bulk_create(parts)
    items, lines, now = [], [], timezone.now()
    shares: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for part, (target, computed) in zip(parts, owners, strict=True):
        for p in computed.parts:
            shares[target.pk][p.municipality.pk] += p.amount
            items.append(
                ReckoningItem(
                    reckoning=target, part=part, municipality=p.municipality, weight=p.weight, amount=p.amount
                )
            )
    ReckoningItem.objects.bulk_create(items)
    for target, computation in writes:
        own = shares[target.pk]
        for pk in sorted(set(own) | set(computation.advances)):
            share = own.get(pk, Decimal("0.00"))
            advances = computation.advances.get(pk, Decimal("0.00"))
            lines.append(
                ReckoningLine(
                    reckoning=target,
                    municipality=computation.municipalities[pk],
                    share=share,
                    advances=advances,
                    difference=share - advances,
                    previous_share=previous_shares.get((target.previous_id, pk)) if target.previous_id else None,
                )
            )
        target.total, target.inputs, target.inputs_hash = (
            computation.total,
            computation.inputs,
            computation.inputs_hash,
        )
        target.computed_at, target.run_state, target.progress, target.error = now, Reckoning.RunState.DONE, 100, ""
    ReckoningLine.objects.bulk_create(lines)
    Reckoning.objects.unrestricted().bulk_update(
        [t for t, _c in writes], ["total", "inputs", "inputs_hash", "computed_at", "run_state", "progress", "error"]
    )


def part_cost_lines(part: ReckoningPart) -> Q:
    """Which cost lines a reckoning part came from (the trace of issue #5): the recorded ids once approved; for a
    draft, the lines of its region, year and category dated in the period of its key version, as they are now."""
    if part.reckoning.is_frozen:
        return Q(pk__in=part.cost_line_ids)
    version = part.key_version
    reckoning = part.reckoning
    start = max(version.valid_from, date(reckoning.year, 1, 1))
    end = min(version.valid_until or date(reckoning.year, 12, 31), date(reckoning.year, 12, 31))
    if part.category in STAFF_CATEGORIES:
        return Q(pk__in=[])  # staff costs come from the formation at the indexed norm, not from ledger lines
    return Q(region_id=reckoning.region_id, year=reckoning.year, category=part.category, date__range=(start, end))


def approve_reckoning(*, user, reckoning: Reckoning) -> Reckoning:
    """Coordinating staff approve a computed draft: frozen from now on, its inputs kept (WM-SO 6.7; SPEC §6.5).

    The cost lines are read once more, one by one: when they no longer add up to what was computed (a line added,
    changed or removed since), approval is refused until the draft is recomputed. Otherwise every part records the
    ids of its cost lines and the reckoning keeps the exact inputs, so a later change makes a correction version."""
    require_coordinator(user, reckoning.region)
    with transaction.atomic():
        locked = Reckoning.objects.unrestricted().select_for_update().select_related("region").get(pk=reckoning.pk)
        if locked.status != Reckoning.Status.DRAFT:
            raise ValidationError("Alleen een concept kan worden vastgesteld.")
        if locked.run_state != Reckoning.RunState.DONE:
            raise ValidationError("De afrekening is nog niet (goed) berekend; bereken haar eerst.")
        computation = compute_reckoning(region=locked.region, year=locked.year, exact=True)
        if computation.inputs_hash != locked.inputs_hash:
            raise ValidationError(
                "De invoer (kostenregels, sleutels, normen of voorschotten) is gewijzigd sinds de berekening van "
                f"{format_date(timezone.localtime(locked.computed_at).date())}; bereken de afrekening opnieuw en "
                "stel haar dan vast."
            )
        ids = {(c.category, c.version.pk): c.cost_line_ids for c in computation.parts}
        parts = list(ReckoningPart.objects.unrestricted().filter(reckoning=locked))
        for part in parts:
            part.cost_line_ids = ids.get((part.category, part.key_version_id), [])
        ReckoningPart.objects.bulk_update(parts, ["cost_line_ids"])
        locked.inputs, locked.inputs_hash = computation.exact_inputs, computation.exact_hash
        locked.status = Reckoning.Status.APPROVED
        locked.approved_at = timezone.now()
        locked.approved_by = person(user)
        locked.save()
    return locked


def mark_settled(*, user, reckoning: Reckoning) -> Reckoning:
    """Approved → settled, called by invoicing when the December invoices for this reckoning are issued
    (WM-DVO 6.1). Refuses anything but an approved reckoning."""
    require_coordinator(user, reckoning.region)
    with transaction.atomic():
        locked = Reckoning.objects.unrestricted().select_for_update().get(pk=reckoning.pk)
        if locked.status != Reckoning.Status.APPROVED:
            raise ValidationError("Alleen een vastgestelde afrekening kan als gefactureerd worden gemarkeerd.")
        locked.status = Reckoning.Status.SETTLED
        locked.settled_at = timezone.now()
        locked.save()
    return locked


def start_december_reckonings(*, year: int | None = None) -> list[int]:
    """What the settlement calendars say on 1 December of ``year`` (WM-SO 6.7 "in de maand december ... over het
    afgelopen kalenderjaar"): for a WM calendar the settlement of ``year - 1``, never ``year`` itself; nothing for
    BNO (BNO 10.5-10.6, 11.1). See ``costsharing.services.cycle.start_calendar_steps``."""
    from costsharing.services.cycle import start_calendar_steps

    return start_calendar_steps(on=date(year or timezone.localdate().year, 12, 1))

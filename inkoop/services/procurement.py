"""Procurement procedures (WM-SO 2.4 a, 4.4 a): lots, award, and closing the file. On closing, the file is handed
over (digitally) to each member's purchasing team for its archive (WM-SO 4.4 a): one export per procedure (the
procedure with its lots and awards as JSON), the same bytes for every member, its SHA-256 recorded per member."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from inkoop.models import Award, Handover, Lot, Procedure, ProcedureStatus
from inkoop.services.common import lock, lock_region, text, validated
from regio.tenancy import ADD

PROCEDURE_FIELDS = ("title", "kind", "plan_reference", "published_on", "tender_deadline")


def create_procedure(*, user, region, reference, **fields) -> Procedure:
    with transaction.atomic():
        region = lock_region(region, user, ADD)
        reference = text(reference, name="reference", limit=60, required=True)
        if Procedure.objects.unrestricted("uniek kenmerk").filter(reference=reference).exists():
            raise ValidationError({"reference": "Er is al een aanbesteding met dit kenmerk."})
        procedure = Procedure(region=region, reference=reference)
        for name in PROCEDURE_FIELDS:
            if name in fields:
                setattr(procedure, name, fields[name])
        if procedure.published_on:
            procedure.status = ProcedureStatus.PUBLISHED
        return validated(procedure)


def _open(procedure: Procedure) -> None:
    if procedure.status == ProcedureStatus.CLOSED:
        raise ValidationError("Deze aanbesteding is afgerond en overgedragen; het dossier verandert niet meer.")


def add_lot(*, user, procedure: Procedure, number: int, title: str) -> Lot:
    with transaction.atomic():
        procedure = lock(procedure, user)
        _open(procedure)
        if procedure.lots.filter(number=number).exists():
            raise ValidationError({"number": "Dit perceel bestaat al."})
        return validated(Lot(procedure=procedure, number=number, title=title))


def award(*, user, lot: Lot, provider, awarded_on: date) -> Award:
    """Award a lot to a provider of the same region; the procedure becomes awarded."""
    with transaction.atomic():
        procedure = lock(lot.procedure, user)
        _open(procedure)
        if provider.region_id != procedure.region_id:
            raise ValidationError({"provider": "Kies een aanbieder uit het register van deze regio."})
        row, _created = Award.objects.unrestricted(
            "de rij hoort bij het object dat hierboven met can() is vergrendeld"
        ).update_or_create(lot=lot, provider=provider, defaults={"awarded_on": awarded_on})
        row.full_clean()
        procedure.status, procedure.awarded_on = ProcedureStatus.AWARDED, procedure.awarded_on or awarded_on
        procedure.save()
        return row


def close_procedure(*, user, procedure: Procedure, closed_on: date) -> list[Handover]:
    """Close the file and hand it over to every member (WM-SO 4.4 a): one Handover per member with the export's
    fingerprint. Only an awarded procedure closes."""
    with transaction.atomic():
        procedure = lock(procedure, user)
        if procedure.status != ProcedureStatus.AWARDED:
            raise ValidationError("Alleen een gegunde aanbesteding wordt afgerond en overgedragen.")
        procedure.status, procedure.closed_on = ProcedureStatus.CLOSED, closed_on
        procedure.full_clean()
        procedure.save()
        digest = hashlib.sha256(procedure_export(procedure)).hexdigest()
        return [
            Handover.objects.create(procedure=procedure, municipality=member, handed_over_on=closed_on, sha256=digest)
            for member in procedure.region.members_on(closed_on).order_by("name")
        ]


def procedure_export(procedure: Procedure) -> bytes:
    """The file of one procedure for a member's archive, as UTF-8 JSON (the same bytes however often it is made)."""
    lots = list(procedure.lots.prefetch_related("awards__provider").order_by("number"))
    data = {
        "kenmerk": procedure.reference,
        "titel": procedure.title,
        "regio": procedure.region.name,
        "procedure": procedure.get_kind_display(),
        "inkoopplan": procedure.plan_reference,
        "status": procedure.get_status_display(),
        "gepubliceerd_op": _iso(procedure.published_on),
        "sluiting_inschrijving": _iso(procedure.tender_deadline),
        "gegund_op": _iso(procedure.awarded_on),
        "afgerond_op": _iso(procedure.closed_on),
        "percelen": [
            {
                "perceel": lot.number,
                "omschrijving": lot.title,
                "gunningen": [
                    {"aanbieder": a.provider.name, "kvk": a.provider.kvk_number, "gegund_op": _iso(a.awarded_on)}
                    for a in lot.awards.all()
                ],
            }
            for lot in lots
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None

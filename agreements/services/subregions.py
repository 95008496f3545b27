"""Meeting attendance with who represented whom: a subregion's delegate speaks for its members (BNO 8.1, 9.4-9.5)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from agreements.models import Meeting, MeetingAttendance, Subregion
from agreements.services._common import _check
from regio.models import Municipality


@transaction.atomic
def record_attendance(
    *,
    user,
    meeting: Meeting,
    name: str,
    municipality: Municipality,
    function: str = "",
    subregion: Subregion | None = None,
) -> MeetingAttendance:
    """Someone attended for a municipality, or as the delegate of a subregion on behalf of its members."""
    meeting = Meeting.objects.unrestricted().select_for_update().get(pk=meeting.pk)
    _check(user, meeting)
    if not (name or "").strip():
        raise ValidationError({"name": "Geef de naam van de aanwezige."})
    if not municipality.memberships.filter(region=meeting.region_id).exists():
        raise ValidationError({"municipality": f"{municipality.name} hoort niet bij de regio van dit overleg."})
    if subregion is not None:
        if subregion.agreement.region_id != meeting.region_id:
            raise ValidationError({"subregion": "Die subregio hoort bij een andere regio."})
        if not subregion.members.filter(pk=municipality.pk).exists():
            raise ValidationError(
                {"subregion": f"{municipality.name} hoort niet bij subregio {subregion.name} (BNO 9.4)."}
            )
    if (
        MeetingAttendance.objects.unrestricted()
        .filter(meeting=meeting, name=name.strip(), municipality=municipality)
        .exists()
    ):
        raise ValidationError(f"{name.strip()} staat al op de presentielijst.")
    attendance = MeetingAttendance(
        meeting=meeting,
        name=name.strip()[:200],
        function=(function or "").strip()[:200],
        municipality=municipality,
        subregion=subregion,
    )
    attendance.save()
    return attendance


def represented_by(meeting: Meeting) -> list[tuple[MeetingAttendance, list[Municipality]]]:
    """Each attendee with the municipalities it spoke for: itself, or every member of its subregion."""
    rows = []
    for attendance in meeting.attendance.select_related("municipality", "subregion").prefetch_related(
        "subregion__members"
    ):
        if attendance.subregion_id:
            rows.append((attendance, sorted(attendance.subregion.members.all(), key=lambda m: m.name)))
        else:
            rows.append((attendance, [attendance.municipality]))
    return rows

"""Matrix cases of the indication actions (issue 13): the page of one indication (ending it, the CAK report of the
own contribution) and the API actions ``end`` and ``own-contribution``. The indication is of a client living in a2:
a2's ``bw`` staff sees it but may not act (403, nothing changed); a3's ``bw`` staff, a2's portfolio holder and a
coordinator without the ``bw`` role see nothing (404); region B neither."""

from tests.tenancy.cases_beschermdwonen import NO_RECORD, _indication
from tests.tenancy.matrix import Case


def _snapshot(world, kwargs):
    from beschermdwonen.models import Indication

    return sorted(
        Indication.objects.unrestricted().values_list("pk", "ends_on", "own_contribution_reported_on", "care_start")
    )


CARE_START = '"care_start":"2024-03-01"'

CASES = [
    Case(
        "bw-indication-detail",
        _indication,
        lambda w, kw: "01-03-2024",
        insider=("a2", "bw"),
        outsiders=NO_RECORD,
        writes=("POST",),
        write_payload={"stap": "einde", "einde-ends_on": "31-12-2025"},
        snapshot=_snapshot,
    ),
    Case(
        "api:bw-indication-end",
        _indication,
        lambda w, kw: CARE_START,
        insider=("a2", "bw"),
        outsiders=NO_RECORD,
        writes=("POST",),
        write_payload={"ends_on": "2025-12-31"},
        snapshot=_snapshot,
    ),
    Case(
        "api:bw-indication-own-contribution",
        _indication,
        lambda w, kw: CARE_START,
        insider=("a2", "bw"),
        outsiders=NO_RECORD,
        writes=("POST",),
        write_payload={"reported_on": "2025-01-15"},
        snapshot=_snapshot,
    ),
]

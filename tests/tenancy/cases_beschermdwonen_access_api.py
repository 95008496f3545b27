"""Matrix cases of the API of advice requests, disagreements and replacements (issue 13; WM-DVO annex 2 §2-4): the
same people as on the pages. Region A's access team (a1 bw) advises and runs disagreements and replacements; a2's
bw staff sees what concerns its residents and the requests it sent, asks advice and records its own decision; a3's
bw staff, portfolio holders and a1's coordinator without the bw role see no record; region B nothing."""

from tests.tenancy.cases_beschermdwonen import (
    NO_RECORD,
    _advice,
    _advice_list,
    _advice_snapshot,
    _disagreement,
    _disagreement_snapshot,
    _replacement,
    _replacement_snapshot,
)
from tests.tenancy.matrix import Case

ADVICE = lambda w, kw: "Situatie S8"  # noqa: E731
DISAGREEMENT = lambda w, kw: "Geschil G9"  # noqa: E731
REPLACEMENT = lambda w, kw: "Aanbieder R5"  # noqa: E731
# Who sees no record and may not ask advice either (a3's bw staff may ask: it is left to the detail cases).
NO_ASKING = (("a2", "wethouder"), ("a1", "coordinator"), ("a2", "toezichthouder"))


def _listed(build):
    def list_of(world):
        build(world)
        return {}

    return list_of


def _step(route, build, marker, snapshot, payload, *, viewer=("a2", "bw"), outsider=("b1", "coordinator")):
    """A step action: seen by a2's bw staff (GET), taken only by who the page lets take it."""
    return Case(
        route,
        build,
        marker,
        insider=("a2", "bw"),
        outsider=outsider,
        outsiders=NO_RECORD,
        viewer=viewer,
        writes=("POST",),
        write_payload=payload,
        snapshot=snapshot,
    )


CASES = [
    Case(
        "api:bw-advice-request-list",
        _advice_list,
        ADVICE,
        kind="list",
        insider=("a2", "bw"),
        outsider=("b1", "bw"),
        outsiders=NO_ASKING,
        viewer=("a1", "bw"),  # the access team sees the requests but does not ask itself
        writes=("POST",),
        write_payload={
            "region": "regio-a",
            "requested_on": "2025-03-01",
            "case_reference": "X",
            "question": "Q",
            "situation": "S",
        },
        snapshot=_advice_snapshot,
    ),
    Case(
        "api:bw-advice-request-detail",
        _advice,
        ADVICE,
        insider=("a2", "bw"),
        outsider=("b1", "bw"),
        outsiders=NO_RECORD,
    ),
    _step(
        "api:bw-advice-request-advice",
        _advice,
        ADVICE,
        _advice_snapshot,
        {"advised_on": "2025-03-11", "advice_text": "Ander advies", "advice_bb": "basis"},
        outsider=("b1", "bw"),
    ),
    _step(
        "api:bw-advice-request-decision",
        _advice,
        ADVICE,
        _advice_snapshot,
        {"decision": "followed", "decided_on": "2025-03-12"},
        viewer=("a1", "bw"),  # the team advises; only the member that asked decides
        outsider=("b1", "bw"),
    ),
    Case(
        "api:bw-disagreement-list",
        _listed(_disagreement),
        DISAGREEMENT,
        kind="list",
        insider=("a2", "bw"),
        outsiders=NO_RECORD,
        viewer=("a2", "bw"),
        writes=("POST",),
        write_payload={"client": "BW-MATRIX-A2", "opened_on": "2025-04-01", "subject": "Wie?"},
        snapshot=_disagreement_snapshot,
    ),
    Case("api:bw-disagreement-detail", _disagreement, DISAGREEMENT, insider=("a2", "bw"), outsiders=NO_RECORD),
    _step(
        "api:bw-disagreement-steps",
        _disagreement,
        DISAGREEMENT,
        _disagreement_snapshot,
        {"taken_on": "2025-04-02", "step": "Overleg"},
    ),
    _step(
        "api:bw-disagreement-close",
        _disagreement,
        DISAGREEMENT,
        _disagreement_snapshot,
        {"closed_on": "2025-04-03", "outcome": "Eens"},
    ),
    Case(
        "api:bw-replacement-list",
        _listed(_replacement),
        REPLACEMENT,
        kind="list",
        insider=("a2", "bw"),
        outsiders=NO_RECORD,
        viewer=("a2", "bw"),
        writes=("POST",),
        write_payload={
            "client": "BW-MATRIX-A2",
            "reported_on": "2025-05-01",
            "reason": "R",
            "responsible_provider": "P",
        },
        snapshot=_replacement_snapshot,
    ),
    Case("api:bw-replacement-detail", _replacement, REPLACEMENT, insider=("a2", "bw"), outsiders=NO_RECORD),
    _step(
        "api:bw-replacement-case-meeting",
        _replacement,
        REPLACEMENT,
        _replacement_snapshot,
        {"meeting_on": "2025-05-06", "invited_providers": "B"},
    ),
    _step(
        "api:bw-replacement-handover",
        _replacement,
        REPLACEMENT,
        _replacement_snapshot,
        {"receiving_provider": "Q", "handover_on": "2025-05-20"},
    ),
    _step(
        "api:bw-replacement-close",
        _replacement,
        REPLACEMENT,
        _replacement_snapshot,
        {"closed_on": "2025-05-21"},
    ),
]

"""Matrix cases of the API that draws up, adopts and invoices BNO's annual report and a leaver's exit statement
(issue 12): region A's report and a2's statement; region B (b1) gets 404 (or, on the create route, a refusal), a2
sees but may not act (403 before its input is read), a3 does not see a2's statement."""

from __future__ import annotations

from agreements.models import Notice
from costsharing.models import AnnualReportVersion
from tests.tenancy.cases_annual_report import MARK, _invoices, _report, _versions
from tests.tenancy.cases_exits import _final_pk, _statement, _statement_pk, _statements
from tests.tenancy.cases_exits import _invoices as _exit_invoices
from tests.tenancy.matrix import Case


def _report_api(world, *, adopted=False):
    _report(world, adopted=adopted)
    return {"region_code": "regio-a", "year": 2024}


def _exit_invoice(world):
    return {"statement_pk": _final_pk(world)["pk"]}


def _notice_payload(world, kwargs):
    return {"notice": Notice.objects.unrestricted().get(explanation="Opzegging A-EXIT-7777").pk}


CASES = [
    Case(
        "api:annual-report-list",
        lambda w: {"region_code": (_report(w), "regio-a")[1]},
        lambda w, kw: MARK,
        writes=("POST",),
        write_payload={"year": 2024, "content": "poging van regio B"},
        snapshot=lambda w, kw: (_versions(w, kw), list(AnnualReportVersion.objects.unrestricted().values("content"))),
    ),
    Case(
        "api:annual-report-invoice-list",
        lambda w: _report_api(w, adopted=True),
        lambda w, kw: "2025-05-01",  # the adoption date of region A's report
        writes=("POST",),
        snapshot=_invoices,
    ),
    Case(
        "api:exit-statement-list",
        lambda w: (_statement(w), {})[1],
        lambda w, kw: "A-SO-EXIT",
        kind="list",
        writes=("POST",),
        write_payload=_notice_payload,
        snapshot=_statements,
        outsiders=(("a3", "ambtenaar"),),
    ),
    Case(
        "api:exit-statement-finalise",
        _statement_pk,
        lambda w, kw: "7777.77",
        writes=("POST",),
        snapshot=_statements,
        outsiders=(("a3", "ambtenaar"),),
    ),
    Case(
        "api:exit-statement-invoice-list",
        _exit_invoice,
        lambda w, kw: "A-SO-EXIT",
        writes=("POST",),
        snapshot=_exit_invoices,
        outsiders=(("a3", "ambtenaar"),),
    ),
]

"""The rules of agreements, mandates and governance (SPEC §3-§5), one module per topic. Plain keyword-only
functions; views, the API, the region-file loader and tasks only call these, through this package
(``from agreements import services``), which re-exports every module's names.

Dates: an agreement's ``effective_until`` is its last day in force; an exit date ("per 1 april 2029") is the first
day a party is no longer bound.

- ``exits``: exit rules; ``mandates``: acting on behalf of; ``parties``: parties, ending an agreement;
- ``votes``: weighted votes; ``notices``: notice and withdrawal; ``decisions``: accession and amendment;
- ``meetings``: meetings, extra meetings, plans; ``_common``: dates, citations, the change check;
- issue #15: ``disputes`` (WM-SO 14; BNO 17; MH 10.4), ``information`` (BNO 10), ``consent`` (BNO 13.2-15.1),
  ``register`` (publication BNO 23, transfer of rights WM-SO 12.4), ``subregions`` (attendance, BNO 9).
"""

from agreements.services._common import _MONTHS, _check, _cite, _months_text, add_months, d
from agreements.services.consent import (
    check_withdrawal_consent,
    needs_withdrawal_consent,
    record_amendment_advice,
    record_withdrawal_decision,
    send_amendment_to_colleges,
)
from agreements.services.decisions import (
    _require_unanimity,
    adopt_amendment,
    complete_accession,
    missing_consents,
    propose_amendment,
    record_decision,
    request_accession,
)
from agreements.services.disputes import (
    book_legal_costs,
    decide_dispute,
    end_escalation,
    escalate_dispute,
    escalation_routes,
    next_administrative_meeting,
    report_dispute,
    schedule_dispute,
    schedule_waiting_disputes,
)
from agreements.services.exits import ExitDate, _has_own_exit_rules, earliest_dissolution, earliest_exit
from agreements.services.information import (
    answer_information_request,
    plan_progress_report,
    request_information,
    send_progress_report,
)
from agreements.services.mandates import MayAct, _as_municipality, may_act
from agreements.services.meetings import (
    Compliance,
    ComplianceRow,
    extra_meeting_threshold,
    hold_extra_meeting,
    meeting_compliance,
    open_extra_meeting_request,
    submit_plan,
    support_extra_meeting,
)
from agreements.services.notices import (
    add_registered_letter,
    effect_notice,
    receive_notice,
    register_notice,
    withdraw_notice,
)
from agreements.services.parties import _event, _require_party, _within_agreement, current_parties, end_agreement
from agreements.services.register import (
    complete_transfer,
    missing_transfer_consents,
    needs_publication,
    plan_publication,
    publication_for_amendment,
    record_publication,
    record_transfer_consent,
    request_transfer,
)
from agreements.services.subregions import record_attendance, represented_by
from agreements.services.votes import VoteError, VoteResult, has_weighted_vote, voters_of, weighted_vote

__all__ = [
    "escalate_dispute",
    "check_withdrawal_consent",
    "needs_withdrawal_consent",
    "record_amendment_advice",
    "record_withdrawal_decision",
    "send_amendment_to_colleges",
    "book_legal_costs",
    "decide_dispute",
    "end_escalation",
    "escalation_routes",
    "next_administrative_meeting",
    "report_dispute",
    "schedule_dispute",
    "schedule_waiting_disputes",
    "answer_information_request",
    "plan_progress_report",
    "request_information",
    "send_progress_report",
    "complete_transfer",
    "missing_transfer_consents",
    "needs_publication",
    "plan_publication",
    "publication_for_amendment",
    "record_publication",
    "record_transfer_consent",
    "request_transfer",
    "record_attendance",
    "represented_by",
    "Compliance",
    "ComplianceRow",
    "ExitDate",
    "MayAct",
    "VoteError",
    "VoteResult",
    "_MONTHS",
    "_as_municipality",
    "_check",
    "_cite",
    "_event",
    "_has_own_exit_rules",
    "_months_text",
    "_require_party",
    "_require_unanimity",
    "_within_agreement",
    "add_months",
    "add_registered_letter",
    "adopt_amendment",
    "complete_accession",
    "current_parties",
    "d",
    "earliest_dissolution",
    "earliest_exit",
    "effect_notice",
    "end_agreement",
    "extra_meeting_threshold",
    "hold_extra_meeting",
    "may_act",
    "meeting_compliance",
    "missing_consents",
    "open_extra_meeting_request",
    "propose_amendment",
    "receive_notice",
    "record_decision",
    "register_notice",
    "request_accession",
    "submit_plan",
    "support_extra_meeting",
    "voters_of",
    "weighted_vote",
    "has_weighted_vote",
    "withdraw_notice",
]

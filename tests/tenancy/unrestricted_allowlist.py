"""Every call site of ``.unrestricted()`` in the apps, by file and function, with the reason it may see every row
(STYLE.md rule 4; issue 10, finding 9). ``tests/tenancy/test_no_unrestricted_querysets.py`` fails on a call site
that is not listed here (nor carries its reason as the argument: ``.unrestricted("why")``) and on an entry whose
call site no longer exists.

The usual reasons, named once:
"""

CHECKED = "service: the acting user passed can() first (or the row it locks is re-checked with can())"
CHILDREN = "reads or writes the parts of an object the caller already reached through restrict()/can()"
READ_HELPER = "read helper of the rules, called with a region/agreement/key the caller already restricted"
JOB = "job: acts as the system actor on ids a restricted view or service handed over (STYLE.md rule 10)"
LOADER = "region-file import: checks the whole file first, acts as the importing actor (regio.regionfile)"
DEMO = "demo loader: acts as the named demo user through the services, which check it"
MODEL = "model method or validation: the row's own children or siblings, for its invariants"
NOT_FOUND = "only tells 400 'unknown' from 404 'not yours'; returns no row (existence of a public code)"
SCOPE = "computes the user's scope itself: the memberships are what restrict() is built from"
PUBLIC = "public reference data (CBS population, statutory interest rates): no tenant's secret"

ALLOWED: dict[str, dict[str, str]] = {
    # issue #15 (governance): each service passes can() on the locked row (_check) before it writes.
    "agreements/services/consent.py": {
        "record_amendment_advice": CHECKED,
        "send_amendment_to_colleges": CHECKED,
        "record_withdrawal_decision": CHECKED,
    },
    "agreements/services/disputes.py": {
        "report_dispute": CHECKED,
        "_locked": CHECKED,
        "escalate_dispute": CHECKED,
        "end_escalation": CHECKED,
    },
    "agreements/services/information.py": {
        "request_information": CHECKED,
        "answer_information_request": CHECKED,
        "plan_progress_report": CHECKED,
        "send_progress_report": CHECKED,
    },
    "agreements/services/register.py": {
        "publication_for_amendment": "called by adopt_amendment after can() on the amendment it adopts",
        "plan_publication": CHECKED,
        "record_publication": CHECKED,
        "request_transfer": CHECKED,
        "record_transfer_consent": CHECKED,
        "missing_transfer_consents": READ_HELPER,
        "complete_transfer": CHECKED,
    },
    "agreements/services/subregions.py": {"record_attendance": CHECKED},
    "costsharing/models/reckoning.py": {
        "Reckoning._stored": "frozen guard: reads the stored row, whoever writes (STYLE.md rule 8)",
        "_frozen_reckoning_ids": "frozen guard: reads the stored rows, whoever writes (STYLE.md rule 8)",
        "FrozenModel._touches_frozen": "frozen guard: reads the stored row, whoever writes (STYLE.md rule 8)",
    },
    "agreements/api/views.py": {
        "WeightedVoteView.get": "the region was restricted above; population figures are public CBS data",
    },
    "agreements/calendar.py": {
        "user_for_token": "the calendar feed is looked up by its secret token, which itself proves who asks",
    },
    "agreements/deadlines.py": {
        "agreement_deadlines": "deadlines of the regions in the user's scope (filtered on scope.member_region_ids)",
        "_plan_deadlines": "called by agreement_deadlines with the user's member regions only",
    },
    "agreements/documents.py": {"add_document": CHECKED},
    "agreements/regionfile.py": {"_agreement": LOADER, "_outlasting": LOADER, "load_agreements": LOADER},
    "agreements/services/mandates.py": {
        "_as_municipality": "resolves a CBS code in a rule (may_act); CBS codes are public",
        "may_act": READ_HELPER,
    },
    "agreements/services/parties.py": {
        "current_parties": READ_HELPER,
        "end_agreement": CHECKED + "; ends elaborations by law as the system actor (WM-DVO 8.4)",
    },
    "agreements/services/votes.py": {
        "voters_of": READ_HELPER,
        "weighted_vote": READ_HELPER + "; population figures are public CBS data",
    },
    "agreements/services/notices.py": {
        "add_registered_letter": CHECKED,
        "effect_notice": CHECKED,
        "receive_notice": CHECKED,
        "register_notice": CHECKED,
        "withdraw_notice": CHECKED,
    },
    "agreements/services/decisions.py": {
        "missing_consents": READ_HELPER,
        "adopt_amendment": CHECKED,
        "complete_accession": CHECKED,
        "propose_amendment": CHECKED,
        "record_decision": CHECKED,
        "request_accession": CHECKED,
    },
    "agreements/services/meetings.py": {
        "meeting_compliance": READ_HELPER,
        "hold_extra_meeting": CHECKED,
        "open_extra_meeting_request": CHECKED,
        "submit_plan": CHECKED,
        "support_extra_meeting": CHECKED,
    },
    "agreements/tasks.py": {"_claim": JOB + " (one reminder per user and deadline)"},
    "invoicing/api/views.py": {"_recipient": NOT_FOUND},
    "invoicing/deadlines.py": {
        "invoice_deadlines": "deadlines of the invoices of the user's own municipality (filtered on it)",
    },
    "invoicing/demo.py": {
        "_run": DEMO,
        "_invoice_westelijke_mijnstreek": DEMO,
        "_correct_westelijke_mijnstreek": DEMO,
        "_cycle_westelijke_mijnstreek": DEMO,
    },
    "invoicing/documents.py": {"context_for": CHILDREN + " (the lines printed on the invoice PDF)"},
    "invoicing/models/invoices.py": {
        "Invoice.collection_cost_record": MODEL,
        "Invoice.credited": MODEL,
        "Invoice.paid_amount": MODEL,
        "Invoice.paid_out_amount": MODEL,
    },
    "invoicing/models/lines.py": {
        "InvoiceLine._parent_issued": MODEL + " (a line of an issued invoice refuses changes)",
    },
    "invoicing/services/drafts.py": {
        "_store_totals": CHILDREN,
        "_locked_draft": CHECKED,
        "_require_issuer_staff": "the user's own municipality, after can(user, ADD, region)",
        "invoicing_regions": "the regions of acting_region_ids(user): what the one rule allows",
        "add_line": CHECKED,
        "create_draft": CHECKED,
        "new_draft": CHECKED,
        "remove_line": CHECKED,
        "update_line": CHECKED,
    },
    "invoicing/services/settlement.py": {
        "rate_table": PUBLIC,
        "settlement": CHILDREN,
    },
    "invoicing/services/payments.py": {
        "open_amount": CHILDREN,
        "register_overpayment": CHECKED,
        "refund_overpayment": CHECKED,
        "to_refund": CHILDREN,
        "offsettable_invoices": CHILDREN + " (open invoices of the same issuer and member)",
        "_settle_status": CHILDREN,
        "offset": CHECKED,
        "register_payment": CHECKED,
        "register_payout": CHECKED,
    },
    "invoicing/services/issuing.py": {
        "_next_number": "the issuer's number counter, under a row lock, after issue() checked the user",
        "credit": CHECKED,
        "delete_draft": CHECKED,
        "issue": CHECKED,
    },
    "invoicing/services/overdue.py": {
        "interest_on_invoice": CHILDREN,
        "mark_overdue_and_remind": JOB + " (Celery beat: overdue invoices of every issuer)",
        "claim_interest": CHECKED,
        "record_collection_costs": CHECKED,
        "retry_document": CHECKED,
    },
    "invoicing/services/reckoning.py": {
        "_refund_reference": CHILDREN,
        "invoice_reckoning": CHECKED,
    },
    "invoicing/statements.py": {"import_statement": CHECKED, "resolve_line": CHECKED, "_book": CHECKED},
    "invoicing/tasks.py": {"email_document": JOB, "invoice_reckoning": JOB, "render_document": JOB},
    "costsharing/notices.py": {"statement_pdf": CHILDREN + " (the items of a reckoning line the view restricted)"},
    "costsharing/regionfile.py": {
        "_sync_shares": LOADER,
        "load_activities": LOADER,
        "load_allocation_keys": LOADER,
        "load_budget": LOADER,
        "load_norms": LOADER,
    },
    "costsharing/services/keys.py": {
        "version_on": READ_HELPER,
        "weights_of": READ_HELPER,
        "validate_version": READ_HELPER,
        "_refuse_if_used": READ_HELPER,
        "create_version": CHECKED,
        "generate_population_version": CHECKED,
        "merge_municipalities": CHECKED,
    },
    "costsharing/services/norms.py": {
        "current_norm_year": READ_HELPER,
        "tariffs": READ_HELPER,
    },
    "costsharing/services/indexation.py": {
        "index_norms": CHECKED,
    },
    "costsharing/services/budgets.py": {
        "budget_totals": READ_HELPER,
        "category_keys": READ_HELPER,
        "staff_costs": READ_HELPER,
        "compute_advances": CHECKED,
    },
    "costsharing/services/actuals.py": {
        "import_actuals": CHECKED,
    },
    "costsharing/services/reckoning.py": {
        "_load_inputs": "reckoning job: reads the inputs of the reckonings request_reckoning() checked",
    },
    "costsharing/services/reckoning_runs.py": {
        "latest_reckoning": READ_HELPER,
        "_store": "reckoning job: writes the results of the reckonings request_reckoning() checked",
        "_write": "reckoning job: writes the results of the reckonings request_reckoning() checked",
        "_set_progress": "reckoning job: progress of the reckonings request_reckoning() checked",
        "_perform": JOB,  # the body of perform_reckonings, on the ids this worker holds the job lock of
        "approve_reckoning": CHECKED,
        "mark_settled": CHECKED,
        "request_reckoning": CHECKED,
    },
    "costsharing/tasks.py": {"index_norms": JOB},
    "regio/models.py": {
        "Membership.clean": MODEL + " (periods of one region may not overlap)",
        "Region.coordinator_on": MODEL,
        "Region.members_on": MODEL,
    },
    "regio/regionfile/registry.py": {"LoadContext.municipality": LOADER, "LoadContext.upsert": LOADER},
    "regio/tasks.py": {"healthcheck": "worker health check: one row by code, nothing returned to a user"},
    "regio/dashboard_panels.py": {
        "installation": "platform administrator's dashboard: counts of regions and municipalities, no row shown",
    },
    "beschermdwonen/selectors.py": {
        "worklist_counts": "dashboard counts of the access team's worklists for the coordinating team of the regions"
        " acting_region_ids() gave: counts only, never a client",
    },
    "toezicht/selectors.py": {
        "year_figures": "dashboard aggregates per municipality (signals, investigations, hours) for municipalities the"
        " caller took from the user's scope: counts only, never a case (WM-DVO annex 4)",
    },
    "regio/tenancy.py": {"_compute_scope": SCOPE, "_administered": SCOPE},
    "regio/regionfile/loader.py": {
        "authorize": "finds what a region file names (regions, municipalities, people) to refuse the whole file when "
        "any of it lies outside the importing administrator's scope; returns no row to anyone",
    },
    "regio/views.py": {
        "HomeView.get_context_data": "the regions of acting_region_ids(user): what the one rule allows",
        "MunicipalityDetailView.get_context_data": CHILDREN + " (the municipality came from get_object())",
        "RegionDetailView.get_context_data": CHILDREN + " (the region came from get_object())",
    },
    "toezicht/services.py": {
        "capacities": READ_HELPER,
        "fte_weights_by_region": READ_HELPER + " (the reckoning job's key weights)",
        "set_capacity": CHECKED,
    },
}

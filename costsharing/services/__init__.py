"""The rules of cost sharing (SPEC §6), one module per topic. Keyword-only functions, acting user first, citing the
articles.

Views, serializers, the region-file loader and the Celery tasks only call these (STYLE.md rule 1); they import this
package (``from costsharing import services``), which re-exports every module's names.

- ``keys``: allocation keys; ``norms``: norms and tariffs; ``indexation``: CAO indexation;
- ``budgets``: budget and advances; ``actuals``: actual costs and their import;
- ``reckoning``: computing the December reckoning; ``reckoning_runs``: running, storing, approving it;
- ``annual_reports``: BNO's two-year cost plan, annual report and its adoption (BNO 10.5-10.6, 11.1);
- ``_common``: the coordinator check.
"""

from costsharing.models import STAFF_CATEGORIES  # costsharing/regionfile.py reads it as services.STAFF_CATEGORIES
from costsharing.services._common import HUNDRED, require_coordinator
from costsharing.services.actuals import (
    HEADERS,
    ImportProblem,
    ImportRefused,
    _amount,
    _category,
    _date,
    _rows,
    add_actual,
    import_actuals,
)
from costsharing.services.annual_reports import (
    adopt_annual_report,
    draw_up_annual_report,
    record_college_adoption,
    record_cost_plan,
    report_due_on,
    report_figures,
    settles_by_annual_report,
)
from costsharing.services.budgets import _staff, budget_totals, category_keys, charge, compute_advances, staff_costs
from costsharing.services.indexation import (
    IndexResult,
    _to_norm_decimal,
    add_cao_step,
    cao_bounds,
    check_cao_step,
    index_norms,
    indexed_norm,
    month_start,
    monthly_levels,
)
from costsharing.services.keys import (
    _ordered_weights,
    _refuse_if_used,
    create_version,
    fmt_pct,
    generate_population_version,
    merge_municipalities,
    split,
    validate_version,
    version_on,
    weights_of,
)
from costsharing.services.norms import Tariffs, current_norm_year, hourly_rate_exact, tariffs
from costsharing.services.reckoning import (
    Computation,
    ComputedPart,
    _Bucket,
    _compute_region,
    _fingerprint,
    _load_inputs,
    _periods,
    _refuse_overlap,
    _RegionInputs,
    compute_reckoning,
    compute_reckonings,
)
from costsharing.services.reckoning_runs import (
    _failure,
    _set_progress,
    _store,
    _write,
    approve_reckoning,
    latest_reckoning,
    mark_settled,
    part_cost_lines,
    perform_reckoning,
    perform_reckonings,
    request_reckoning,
    start_december_reckonings,
)

__all__ = [
    "adopt_annual_report",
    "draw_up_annual_report",
    "record_college_adoption",
    "record_cost_plan",
    "report_due_on",
    "report_figures",
    "settles_by_annual_report",
    "STAFF_CATEGORIES",
    "Computation",
    "ComputedPart",
    "HEADERS",
    "HUNDRED",
    "ImportProblem",
    "ImportRefused",
    "IndexResult",
    "Tariffs",
    "_Bucket",
    "_RegionInputs",
    "_amount",
    "_category",
    "_compute_region",
    "_date",
    "_failure",
    "_fingerprint",
    "_load_inputs",
    "_ordered_weights",
    "_periods",
    "_refuse_if_used",
    "_refuse_overlap",
    "_rows",
    "_set_progress",
    "_staff",
    "_store",
    "_to_norm_decimal",
    "_write",
    "add_actual",
    "add_cao_step",
    "approve_reckoning",
    "budget_totals",
    "cao_bounds",
    "category_keys",
    "charge",
    "check_cao_step",
    "compute_advances",
    "compute_reckoning",
    "compute_reckonings",
    "create_version",
    "current_norm_year",
    "fmt_pct",
    "generate_population_version",
    "hourly_rate_exact",
    "import_actuals",
    "index_norms",
    "indexed_norm",
    "latest_reckoning",
    "mark_settled",
    "merge_municipalities",
    "month_start",
    "monthly_levels",
    "part_cost_lines",
    "perform_reckoning",
    "perform_reckonings",
    "request_reckoning",
    "require_coordinator",
    "split",
    "staff_costs",
    "start_december_reckonings",
    "tariffs",
    "validate_version",
    "version_on",
    "weights_of",
]

"""Cost sharing: allocation keys, norm amounts, CAO steps, formation, budgets, actual costs and the December
reckoning (SPEC §6, issue #5).

Every model is owned by a region (the cooperation); statement lines are also owned by their municipality, so a member
sees its own line and the coordinating staff see all. Rules live in ``costsharing/services.py``; nobody sets a status
by hand (STYLE.md rule 3).
"""

from costsharing.models.annual_report import (
    AnnualReport,
    AnnualReportFrozen,
    AnnualReportVersion,
    CollegeAdoption,
    ExecutionCostPlan,
)
from costsharing.models.budgets import ActualCostLine, Advance, BudgetLine, FormationLine
from costsharing.models.choices import (
    AMOUNT,
    CATEGORY_CHARGE,
    NORM,
    NOT_IN_FEE,
    STAFF_CATEGORIES,
    TASK_AREA_CATEGORY,
    WEIGHT,
    Basis,
    Category,
    TaskArea,
)
from costsharing.models.cycle import FEE_FROZEN, Fee, FeeOrigin
from costsharing.models.exits import (
    ExitLineKind,
    ExitScenario,
    ExitStatement,
    ExitStatementLine,
    ExitStatus,
    Secondment,
    SecondmentSetting,
    SecondmentSettlement,
)
from costsharing.models.keys import AllocationKey, CategoryKey, KeyShare, KeyVersion
from costsharing.models.norms import (
    Activity,
    ActivityComponent,
    CaoStep,
    NormScale,
    NormYear,
    NormYearQuerySet,
    OverheadYear,
)
from costsharing.models.notices import Notice
from costsharing.models.reckoning import (
    FROZEN_MESSAGE,
    GUARD,
    MUTABLE_WHEN_FROZEN,
    STATUS_MESSAGE,
    FrozenModel,
    FrozenQuerySet,
    Reckoning,
    ReckoningItem,
    ReckoningLine,
    ReckoningPart,
    ReckoningQuerySet,
)

__all__ = [
    "ExitLineKind",
    "ExitScenario",
    "ExitStatement",
    "ExitStatementLine",
    "ExitStatus",
    "Secondment",
    "SecondmentSetting",
    "SecondmentSettlement",
    "AMOUNT",
    "Activity",
    "ActivityComponent",
    "ActualCostLine",
    "Advance",
    "AllocationKey",
    "AnnualReport",
    "AnnualReportFrozen",
    "AnnualReportVersion",
    "Basis",
    "BudgetLine",
    "CATEGORY_CHARGE",
    "CaoStep",
    "Category",
    "CategoryKey",
    "CollegeAdoption",
    "ExecutionCostPlan",
    "FROZEN_MESSAGE",
    "FormationLine",
    "FrozenModel",
    "FrozenQuerySet",
    "GUARD",
    "KeyShare",
    "KeyVersion",
    "MUTABLE_WHEN_FROZEN",
    "NORM",
    "NormScale",
    "NormYear",
    "NormYearQuerySet",
    "Notice",
    "OverheadYear",
    "Reckoning",
    "ReckoningItem",
    "ReckoningLine",
    "ReckoningPart",
    "ReckoningQuerySet",
    "NOT_IN_FEE",
    "STAFF_CATEGORIES",
    "STATUS_MESSAGE",
    "TASK_AREA_CATEGORY",
    "TaskArea",
    "WEIGHT",
    "FEE_FROZEN",
    "Fee",
    "FeeOrigin",
]

"""Pages of cost sharing (Dutch, NL Design System). Every queryset goes through restrict()/visible_to()."""

from costsharing.views.annual_report import (
    AnnualReportAdoptView,
    AnnualReportListView,
    AnnualReportVersionView,
    AnnualReportView,
    CostPlanView,
)
from costsharing.views.budgets import BudgetView, TariffsView
from costsharing.views.cycle import CycleView
from costsharing.views.keys import KeyDetailView
from costsharing.views.overview import CostsharingHomeView, NoticeListView, TrendView
from costsharing.views.reckoning import ReckoningPartView, ReckoningProgressView, ReckoningView

__all__ = [
    "AnnualReportAdoptView",
    "AnnualReportListView",
    "AnnualReportVersionView",
    "AnnualReportView",
    "BudgetView",
    "CostPlanView",
    "CostsharingHomeView",
    "KeyDetailView",
    "NoticeListView",
    "ReckoningPartView",
    "ReckoningProgressView",
    "ReckoningView",
    "TariffsView",
    "TrendView",
    "CycleView",
]

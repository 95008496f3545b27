"""Pages of cost sharing (Dutch, NL Design System). Every queryset goes through restrict()/visible_to()."""

from costsharing.views.budgets import BudgetView, TariffsView
from costsharing.views.keys import KeyDetailView
from costsharing.views.overview import CostsharingHomeView, NoticeListView, TrendView
from costsharing.views.reckoning import ReckoningPartView, ReckoningProgressView, ReckoningView

__all__ = [
    "BudgetView",
    "CostsharingHomeView",
    "KeyDetailView",
    "NoticeListView",
    "ReckoningPartView",
    "ReckoningProgressView",
    "ReckoningView",
    "TariffsView",
    "TrendView",
]

"""Pages of beschermd wonen, one module per topic (``register``: clients, notifications, assessments, counts;
``access``: indications, advice, disagreements, replacements, worklists, the objective model); the money side adds
its own. Re-exported here so ``urls.py`` writes ``views.X``."""

from beschermdwonen.views.access import (  # noqa: F401
    AdviceRequestCreateView,
    AdviceRequestDetailView,
    AdviceRequestListView,
    DisagreementCreateView,
    DisagreementDetailView,
    IndicationCreateView,
    MemberView,
    ObjectiveModelView,
    ReplacementCreateView,
    ReplacementDetailView,
    WorklistView,
)
from beschermdwonen.views.charges import ChargesView  # noqa: F401
from beschermdwonen.views.indications import IndicationDetailView  # noqa: F401
from beschermdwonen.views.register import (  # noqa: F401
    AssessmentCreateView,
    AssessmentDetailView,
    AssessmentReportView,
    ClientCreateView,
    ClientDetailView,
    ClientListView,
    CountsView,
    NotificationCreateView,
    NotificationDetailView,
    NotificationListView,
)

"""Pages of agreements, mandates, meetings and deadlines (issue #4). Every queryset goes through the tenancy module:
another region's agreement answers 404."""

from agreements.views.agreements import (
    AgreementDetailView,
    AgreementEndView,
    AgreementListView,
    CoordinatorAgreementMixin,
    EndAgreementForm,
    WhatIfForm,
)
from agreements.views.deadlines import CalendarSubscriptionView, CalendarTokenForm, DeadlineFeedView, DeadlinesView
from agreements.views.documents import DocumentDownloadView, DocumentForm, DocumentUploadView
from agreements.views.governance import (
    ExtraMeetingCreateView,
    ExtraMeetingDetailView,
    ExtraMeetingForm,
    MandateListView,
    MeetingComplianceView,
    MinutesUploadView,
    PlanSubmitForm,
    PlanSubmitView,
    WeightedVotePageView,
)
from agreements.views.workflows import (
    AccessionCreateView,
    AccessionDetailView,
    AccessionForm,
    AmendmentCreateView,
    AmendmentDetailView,
    AmendmentForm,
    NoticeCreateView,
    NoticeDetailView,
    NoticeForm,
)

__all__ = [
    "AccessionCreateView",
    "AccessionDetailView",
    "AccessionForm",
    "AgreementDetailView",
    "AgreementEndView",
    "AgreementListView",
    "AmendmentCreateView",
    "AmendmentDetailView",
    "AmendmentForm",
    "CalendarSubscriptionView",
    "CalendarTokenForm",
    "CoordinatorAgreementMixin",
    "DeadlineFeedView",
    "DeadlinesView",
    "DocumentDownloadView",
    "DocumentForm",
    "DocumentUploadView",
    "EndAgreementForm",
    "ExtraMeetingCreateView",
    "ExtraMeetingDetailView",
    "ExtraMeetingForm",
    "MandateListView",
    "MeetingComplianceView",
    "MinutesUploadView",
    "NoticeCreateView",
    "NoticeDetailView",
    "NoticeForm",
    "PlanSubmitForm",
    "PlanSubmitView",
    "WeightedVotePageView",
    "WhatIfForm",
]

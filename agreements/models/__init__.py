"""Agreements, parties, exit rules, mandates, workflows, meetings, plans, documents and reminders (issue #4).

Every model is tenant-scoped through its region (the cooperation, SPEC §1): members see the regional documents of
the cooperations they take part in; only the region's coordinating staff change them. Per-person records (calendar
tokens, sent reminders) are visible to their owner only. Every model keeps an audit trail (django-simple-history).
"""

from agreements.models.agreements import (
    AGREEMENT_CODE_RE,
    INTEREST_KIND_HELP,
    Agreement,
    AgreementKind,
    InterestKind,
    agreement_code_validator,
)
from agreements.models.calendar import CalendarShape, CalendarStep, SettlementCalendar, StepKind
from agreements.models.disputes import (
    DEFAULT_ROUTES,
    ROUTES_BY_KIND,
    Dispute,
    DisputeEscalation,
    DisputeStatus,
    EscalationRoute,
    LegalCostCategory,
    LegalCostSplit,
)
from agreements.models.documents import Document, DocumentKind, document_path
from agreements.models.governance import (
    ExtraMeetingRequest,
    ExtraMeetingSupport,
    Meeting,
    MeetingKind,
    MeetingRequirement,
    PlanObligation,
    PlanSubmission,
    Recurrence,
)
from agreements.models.information import InformationKind, InformationRequest, ProgressReport, RequestState
from agreements.models.parties import Mandate, MandatedBody, Party, PartyRole, Power
from agreements.models.personal import CalendarToken, ReminderSent
from agreements.models.privacy import (
    ProcessingAgreement,
    ProcessingDomain,
    ProcessingKind,
    ProcessingParty,
    ProcessingRole,
)
from agreements.models.register import (
    Publication,
    PublicationMedium,
    RightsTransfer,
    TransferConsent,
    TransferStatus,
)
from agreements.models.subregions import MeetingAttendance, Subregion
from agreements.models.vat import VAT_CATEGORY, VAT_NEEDS_REASON, VatTreatment, vatex_validator
from agreements.models.workflows import (
    Accession,
    AccessionStatus,
    Amendment,
    AmendmentStatus,
    Decision,
    Notice,
    NoticeKind,
    NoticeStatus,
    WorkflowEvent,
)

__all__ = [
    "DEFAULT_ROUTES",
    "ROUTES_BY_KIND",
    "Dispute",
    "DisputeEscalation",
    "DisputeStatus",
    "EscalationRoute",
    "LegalCostCategory",
    "LegalCostSplit",
    "InformationKind",
    "InformationRequest",
    "ProgressReport",
    "RequestState",
    "ProcessingAgreement",
    "ProcessingDomain",
    "ProcessingKind",
    "ProcessingParty",
    "ProcessingRole",
    "Publication",
    "PublicationMedium",
    "RightsTransfer",
    "TransferConsent",
    "TransferStatus",
    "MeetingAttendance",
    "Subregion",
    "AGREEMENT_CODE_RE",
    "VAT_CATEGORY",
    "VAT_NEEDS_REASON",
    "VatTreatment",
    "vatex_validator",
    "Accession",
    "AccessionStatus",
    "Agreement",
    "AgreementKind",
    "Amendment",
    "AmendmentStatus",
    "CalendarToken",
    "Decision",
    "Document",
    "DocumentKind",
    "ExtraMeetingRequest",
    "ExtraMeetingSupport",
    "INTEREST_KIND_HELP",
    "InterestKind",
    "Mandate",
    "MandatedBody",
    "Meeting",
    "MeetingKind",
    "MeetingRequirement",
    "Notice",
    "NoticeKind",
    "NoticeStatus",
    "Party",
    "PartyRole",
    "PlanObligation",
    "PlanSubmission",
    "Power",
    "Recurrence",
    "ReminderSent",
    "WorkflowEvent",
    "agreement_code_validator",
    "document_path",
    "CalendarShape",
    "CalendarStep",
    "SettlementCalendar",
    "StepKind",
]

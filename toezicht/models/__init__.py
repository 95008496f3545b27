"""Supervision (toezicht Wmo): capacity and supervisors, casework (signals, investigations, information requests,
disclosures), plans and reports. One module per topic; this package re-exports every model so ``toezicht.models.X``
keeps working."""

from toezicht.models.capacity import (
    HoursEntry,
    ProductiveHours,
    SupervisionCapacity,
    SupervisionKind,
    SupervisorAppointment,
)
from toezicht.models.investigations import (
    TRANSITIONS,
    Approach,
    CollegeDecision,
    Intervention,
    InterventionKind,
    Investigation,
    InvestigationDocument,
    InvestigationFunding,
    InvestigationProvider,
    InvestigationStatus,
    InvestigationStatusChange,
    Outcome,
    Power,
    PowerUse,
)
from toezicht.models.plans import PlanComment, PlanKind, SupervisionPlan
from toezicht.models.reports import AnnualReport, JointEvaluation
from toezicht.models.requests import ANSWER_DAYS, Disclosure, DisclosureBasis, InformationRequest, answer_due
from toezicht.models.signals import Funding, Signal, SignalKind, SignalSource, Triage

__all__ = [
    "ANSWER_DAYS",
    "AnnualReport",
    "JointEvaluation",
    "PlanComment",
    "PlanKind",
    "SupervisionPlan",
    "TRANSITIONS",
    "Approach",
    "CollegeDecision",
    "Disclosure",
    "DisclosureBasis",
    "Funding",
    "HoursEntry",
    "InformationRequest",
    "Intervention",
    "InterventionKind",
    "Investigation",
    "InvestigationDocument",
    "InvestigationFunding",
    "InvestigationProvider",
    "InvestigationStatus",
    "InvestigationStatusChange",
    "Outcome",
    "Power",
    "PowerUse",
    "ProductiveHours",
    "Signal",
    "SignalKind",
    "SignalSource",
    "SupervisionCapacity",
    "SupervisionKind",
    "SupervisorAppointment",
    "Triage",
    "answer_due",
]

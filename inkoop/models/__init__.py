"""Inkoop's models, one module per topic, re-exported so ``inkoop.models.X`` works (docs/architecture.md).

inkoop-a owns ``providers``, ``procurement`` and ``contracts``; inkoop-b owns ``monitoring`` and ``development``."""

from inkoop.models.development import (
    AgendaDecision,
    BoardDecision,
    Contribution,
    ContributionKind,
    DevelopmentTable,
    MeetingStatus,
    Proposal,
    ProposalStatus,
    ProposalStep,
    SeatReason,
    Signatory,
    TableMeeting,
    TableSeat,
)
from inkoop.models.monitoring import CareUse, CareUseImport, ProductKind
from inkoop.models.providers import Domain, Provider

__all__ = [
    "AgendaDecision",
    "BoardDecision",
    "CareUse",
    "CareUseImport",
    "Contribution",
    "ContributionKind",
    "DevelopmentTable",
    "MeetingStatus",
    "ProductKind",
    "Proposal",
    "ProposalStatus",
    "ProposalStep",
    "SeatReason",
    "Signatory",
    "TableMeeting",
    "TableSeat",
    "Domain",
    "Provider",
]

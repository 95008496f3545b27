"""Inkoop's models, one module per topic, re-exported so ``inkoop.models.X`` works (docs/architecture.md).

inkoop-a owns ``providers``, ``documents``, ``procurement``, ``contracts`` and ``service_agreements``; inkoop-b owns
``monitoring`` and ``development``."""

from inkoop.models.contracts import (
    ConsentDecision,
    ContractBudget,
    ContractProduct,
    ContractStatus,
    FrameworkContract,
    Kpi,
    KpiValue,
    MemberConsent,
    PurchasingFrame,
    SubsidyRelation,
    Tariff,
    Unit,
)
from inkoop.models.documents import PurchasingDocument
from inkoop.models.procurement import Award, Handover, Lot, Procedure, ProcedureKind, ProcedureStatus
from inkoop.models.providers import (
    ContactPerson,
    Domain,
    Origin,
    Provider,
    ProviderParty,
    RequirementCheck,
    RequirementKind,
    RequirementOutcome,
    Screening,
)
from inkoop.models.service_agreements import CHECKLIST, ServiceAgreement

__all__ = [
    "CHECKLIST",
    "Award",
    "ConsentDecision",
    "ContactPerson",
    "ContractBudget",
    "ContractProduct",
    "ContractStatus",
    "Domain",
    "FrameworkContract",
    "Handover",
    "Kpi",
    "KpiValue",
    "Lot",
    "MemberConsent",
    "Origin",
    "Procedure",
    "ProcedureKind",
    "ProcedureStatus",
    "Provider",
    "ProviderParty",
    "PurchasingDocument",
    "PurchasingFrame",
    "RequirementCheck",
    "RequirementKind",
    "RequirementOutcome",
    "Screening",
    "ServiceAgreement",
    "SubsidyRelation",
    "Tariff",
    "Unit",
]

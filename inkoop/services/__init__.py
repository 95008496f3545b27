"""The purchasing rules (issue 16), one module per topic, re-exported: ``from inkoop import services``.

Care-use monitoring and the development table (inkoop-b) are imported by module: ``from inkoop.services import
care_use_import, monitoring, development, contributions``."""

from inkoop.services.contracts import (
    add_kpi,
    add_product,
    create_contract,
    extend_contract,
    index_tariffs,
    members_to_consent,
    open_consent_round,
    record_consent,
    record_kpi_value,
    record_subsidy,
    set_budget,
    set_frame,
    set_tariff,
    sign_contract,
    signing_problems,
)
from inkoop.services.documents import read_upload, store_document
from inkoop.services.procurement import add_lot, award, close_procedure, create_procedure, procedure_export
from inkoop.services.providers import (
    add_contact,
    create_provider,
    link_party,
    record_check,
    record_screening,
    update_provider,
)
from inkoop.services.service_agreements import save_service_agreement

__all__ = [
    "add_contact",
    "add_kpi",
    "add_lot",
    "add_product",
    "award",
    "close_procedure",
    "create_contract",
    "create_provider",
    "create_procedure",
    "extend_contract",
    "index_tariffs",
    "link_party",
    "members_to_consent",
    "open_consent_round",
    "procedure_export",
    "read_upload",
    "record_check",
    "record_consent",
    "record_kpi_value",
    "record_screening",
    "record_subsidy",
    "save_service_agreement",
    "set_budget",
    "set_frame",
    "set_tariff",
    "sign_contract",
    "signing_problems",
    "store_document",
    "update_provider",
]

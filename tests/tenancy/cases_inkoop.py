"""Matrix cases of the purchasing side, part A (issue 16): providers, framework contracts and their consent round,
procurement procedures and their hand-over, the DVO checklist, documents. Region A's records: a2's civil servant
sees them, region B's coordinator does not (404 on a detail, nothing in a list); writes by region B and by a2's
civil servant (who may look, not act) change nothing."""

from datetime import date

from django.core.files.base import ContentFile

from inkoop.models import (
    Award,
    FrameworkContract,
    Handover,
    Lot,
    MemberConsent,
    Procedure,
    Provider,
    PurchasingDocument,
    ServiceAgreement,
)
from tests.inkoop.builders import contract, provider
from tests.tenancy.matrix import Case

PROVIDER = "Huishoudelijke Hulp A"
CONTRACT = "A-RC-MATRIX"
PROCEDURE = "A-AB-MATRIX"


def _provider(world):
    return {"pk": provider(world).pk}


def _providers(world, kwargs):
    return list(Provider.objects.unrestricted("testcontrole").values_list("pk", "name", "kvk_number"))


def _contract(world):
    row = contract(world, reference=CONTRACT, status="instemming")
    return {"pk": row.pk}


def _contract_by_reference(world):
    _contract(world)
    return {"reference": CONTRACT}


def _contract_with_consent(world):
    kwargs = _contract_by_reference(world)
    row = FrameworkContract.objects.unrestricted("testopbouw").get(reference=CONTRACT)
    MemberConsent.objects.create(contract=row, municipality=world.a3, decision="akkoord", decided_on=date(2025, 6, 2))
    return kwargs


def _contracts(world, kwargs):
    return list(FrameworkContract.objects.unrestricted("testcontrole").values_list("pk", "status", "ends_on")) + list(
        MemberConsent.objects.unrestricted("testcontrole").values_list("pk", "decision")
    )


def _procedure(world, status="gegund"):
    procedure = Procedure.objects.create(
        region=world.a, reference=PROCEDURE, title="Begeleiding", kind="open_house", status=status
    )
    lot = Lot.objects.create(procedure=procedure, number=1, title="Perceel begeleiding")
    Award.objects.create(lot=lot, provider=provider(world), awarded_on=date(2025, 5, 1))
    return {"pk": procedure.pk}


def _closed_procedure(world):
    return _procedure(world, status="afgerond")


def _procedures(world, kwargs):
    return list(Procedure.objects.unrestricted("testcontrole").values_list("pk", "status")) + list(
        Handover.objects.unrestricted("testcontrole").values_list("pk")
    )


def _document(world):
    document = PurchasingDocument(region=world.a, title="Bewijs", original_name="bewijs.pdf", size=20, sha256="0" * 64)
    document.file.save("bewijs.pdf", ContentFile(b"%PDF-1.4 matrixbewijs"), save=False)
    document.save()
    return {"pk": document.pk}


def _service_agreement(world):
    row = ServiceAgreement.objects.create(region=world.a, reference="A-DVO-MATRIX", title="DVO regio A")
    row.providers.set([provider(world)])
    return {}


CONTRACT_PAYLOAD = {
    "reference": "X-1",
    "title": "X",
    "starts_on": "2026-01-01",
    "ends_on": "2027-01-01",
}

CASES = [
    Case(
        "inkoop-providers",
        lambda w: (_provider(w), {})[1],
        lambda w, kw: PROVIDER,
        kind="list",
        writes=("POST",),
        write_payload={"region": "regio-a", "name": "Nieuw", "kvk_number": "12345678", "domains": ["wmo"]},
        snapshot=_providers,
    ),
    Case(
        "inkoop-provider-detail",
        _provider,
        lambda w, kw: PROVIDER,
        writes=("POST",),
        write_payload={"form": "contact", "contact-name": "X", "contact-email": "x@example.org"},
        snapshot=_providers,
    ),
    Case(
        "api:provider-list",
        lambda w: (_provider(w), {})[1],
        lambda w, kw: PROVIDER,
        kind="list",
        writes=("POST",),
        write_payload={"region": "regio-a", "name": "Nieuw", "kvk_number": "12345678", "domains": ["wmo"]},
        snapshot=_providers,
    ),
    Case(
        "api:provider-detail",
        _provider,
        lambda w, kw: PROVIDER,
        writes=("PATCH",),
        write_payload={"name": "Overgenomen"},
        snapshot=_providers,
    ),
    Case(
        "inkoop-contracts",
        lambda w: (_contract(w), {})[1],
        lambda w, kw: CONTRACT,
        kind="list",
        writes=("POST",),
        write_payload=lambda w, kw: {"provider": str(provider(w).pk), **CONTRACT_PAYLOAD},
        snapshot=_contracts,
    ),
    Case(
        "inkoop-contract-detail",
        _contract,
        lambda w, kw: CONTRACT,
        writes=("POST",),
        write_payload={"action": "round"},
        snapshot=_contracts,
    ),
    Case(
        "api:contract-list",
        lambda w: (_contract(w), {})[1],
        lambda w, kw: CONTRACT,
        kind="list",
        writes=("POST",),
        write_payload=lambda w, kw: {"region": "regio-a", "provider": provider(w).pk, **CONTRACT_PAYLOAD},
        snapshot=_contracts,
    ),
    Case("api:contract-detail", _contract_by_reference, lambda w, kw: CONTRACT),
    Case(
        "api:contract-consent-round",
        _contract_by_reference,
        lambda w, kw: CONTRACT,
        writes=("POST",),
        snapshot=_contracts,
    ),
    Case(
        "api:contract-consent",
        _contract_with_consent,
        lambda w, kw: "Landgraaf",
        writes=("POST",),
        write_payload={"municipality": "GM0888", "decision": "geen_akkoord", "decided_on": "2025-06-02"},
        snapshot=_contracts,
    ),
    Case(
        "api:contract-sign",
        _contract_by_reference,
        lambda w, kw: CONTRACT,
        writes=("POST",),
        write_payload={"signed_on": "2025-06-16"},
        snapshot=_contracts,
    ),
    Case("inkoop-procedures", lambda w: (_procedure(w), {})[1], lambda w, kw: PROCEDURE, kind="list"),
    Case(
        "inkoop-procedure-detail",
        _procedure,
        lambda w, kw: PROCEDURE,
        writes=("POST",),
        write_payload={"close-closed_on": "2025-06-30"},
        snapshot=_procedures,
    ),
    Case("inkoop-procedure-export", _closed_procedure, lambda w, kw: PROCEDURE),
    Case("inkoop-service-agreements", _service_agreement, lambda w, kw: "A-DVO-MATRIX", kind="list"),
    Case("inkoop-document", _document, lambda w, kw: "matrixbewijs"),
]

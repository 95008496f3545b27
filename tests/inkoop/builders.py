"""Region A as a purchasing region (issue 16): a1 coordinates; a2 and a3 mandate a1's college to close framework
contracts (WM-SO 4.11-4.12)."""

from __future__ import annotations

from datetime import date

from agreements.models import Agreement, Mandate
from inkoop.models import FrameworkContract, Provider

PDF = b"%PDF-1.4\n%%EOF\n"
KVK_A, VAT_A = "62668362", "NL141762639B01"


def provider(world, *, region=None, name="Huishoudelijke Hulp A", kvk=KVK_A) -> Provider:
    found, _created = Provider.objects.unrestricted("test").get_or_create(
        region=region or world.a, kvk_number=kvk, defaults={"name": name, "vat_number": VAT_A, "wmo": True}
    )
    return found


def mandates(world, members=("a2", "a3"), powers=("framework_contracts",)) -> list[Mandate]:
    agreement = Agreement.objects.create(
        code="A-SO-INKOOP",
        kind="samenwerkingsovereenkomst",
        title="Samenwerking regio A",
        region=world.a,
        coordinator=world.a1,
        effective_from=date(2025, 1, 1),
    )
    return [
        Mandate.objects.create(
            agreement=agreement,
            mandating=getattr(world, code),
            mandated=world.a1,
            mandated_body="college",
            powers=list(powers),
            valid_from=date(2025, 1, 1),
        )
        for code in members
    ]


def contract(world, *, reference="A-RC-1", status="concept", **fields) -> FrameworkContract:
    values = {"title": "Huishoudelijke ondersteuning", "starts_on": date(2025, 7, 1), "ends_on": date(2027, 6, 30)}
    values.update(fields)
    return FrameworkContract.objects.create(
        region=world.a,
        provider=values.pop("provider", None) or provider(world),
        reference=reference,
        status=status,
        **values,
    )

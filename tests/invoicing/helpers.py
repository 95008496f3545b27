"""Building blocks for invoicing tests and matrix cases: invoicing details and invoices of region A."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from invoicing import services
from invoicing.models import InvoicingProfile

D = Decimal

PROFILES = {
    "GM1883": {
        "legal_name": "Gemeente Sittard-Geleen",
        "street": "Markt 1",
        "postal_code": "6131 EK",
        "city": "Sittard",
        "oin": "00000001001930330000",
        "vat_number": "NL004495445B01",
        "iban": "NL91ABNA0417164300",
        "email": "facturen@sittard-geleen.example",
    },
    "GM0888": {
        "legal_name": "Gemeente Beek",
        "street": "Raadhuisplein 22",
        "postal_code": "6191 KA",
        "city": "Beek",
        "oin": "00000001003216806000",
        "vat_number": "NL002230884B01",
        "email": "crediteuren@beek.example",
    },
    "GM0828": {
        "legal_name": "Gemeente Oss",
        "street": "Raadhuislaan 10",
        "postal_code": "5341 GM",
        "city": "Oss",
        "kvk": "16019837",
        "vat_number": "NL810433941B01",
        "iban": "NL20INGB0001234567",
    },
}


def profile(municipality, **overrides):
    values = dict(
        PROFILES.get(
            municipality.code,
            {
                "legal_name": f"Gemeente {municipality.name}",
                "street": "Markt 1",
                "postal_code": "1234 AB",
                "city": municipality.name,
                "kvk": "12345678",
            },
        )
    )
    values.update(overrides)
    obj, _ = InvoicingProfile.objects.unrestricted().update_or_create(municipality=municipality, defaults=values)
    return obj


def grant_invoicing_mandate(world, *, mandating=None, valid_from=date(2025, 1, 1)):
    """Region A's agreement and a mandate of a2 to a1 for invoicing (SPEC §5), when agreements is installed."""
    try:
        from agreements.models import Agreement, Mandate
    except ImportError:
        return None
    agreement, _ = Agreement.objects.unrestricted().get_or_create(
        code="A-SO-2025",
        defaults={
            "kind": "samenwerkingsovereenkomst",
            "title": "Samenwerkingsovereenkomst regio A",
            "region": world.a,
            "coordinator": world.a1,
            "effective_from": date(2025, 1, 1),
        },
    )
    mandate, _ = Mandate.objects.unrestricted().get_or_create(
        agreement=agreement,
        mandating=mandating or world.a2,
        mandated=world.a1,
        defaults={"mandated_body": "college", "powers": ["invoicing"], "valid_from": valid_from},
    )
    return mandate


def coordinator(world, municipality="a1"):
    return world.user(municipality, "coordinator")


def draft(world, *, recipient=None, subject="Uitvoeringskosten Wmo 2025", lines=None, user=None):
    for municipality in (world.a1, recipient or world.a2):
        if not InvoicingProfile.objects.unrestricted().filter(municipality=municipality).exists():
            profile(municipality)
    grant_invoicing_mandate(world, mandating=recipient)
    user = user or coordinator(world)
    invoice = services.create_draft(
        user=user,
        region=world.a,
        recipient=recipient or world.a2,
        subject=subject,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
    )
    for description, quantity, price, vat in (
        lines
        if lines is not None
        else [
            ("Uitvoeringskosten Wmo-inkoop 2025 (aandeel 12 %)", D("1"), D("25431.17"), "21"),
            ("Onderhoud PGAX-systeem toezicht", D("3.5"), D("120.00"), "21"),
        ]
    ):
        services.add_line(
            user=user,
            invoice=invoice,
            description=description,
            quantity=quantity,
            unit_price=price,
            vat_rate=vat,
            source_type="reckoning_line",
            source_id="1",
        )
    invoice.refresh_from_db()
    return invoice


def issued(world, *, on=date(2025, 12, 10), **kwargs):
    invoice = draft(world, **kwargs)
    return services.issue(user=coordinator(world), invoice=invoice, on=on)


def refund(world, *, amount=D("5000.00"), on=date(2025, 12, 15), subject="Terugbetaling afrekening Wmo 2025"):
    """An issued credit note of its own (a refund, as invoicing a reckoning makes one): a1 owes a2 ``amount`` + VAT."""
    from invoicing.models import DocumentType

    for municipality in (world.a1, world.a2):
        if not InvoicingProfile.objects.unrestricted().filter(municipality=municipality).exists():
            profile(municipality)
    grant_invoicing_mandate(world)
    user = coordinator(world)
    note = services.create_draft(
        user=user,
        region=world.a,
        recipient=world.a2,
        subject=subject,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        document_type=DocumentType.CREDIT_NOTE,
        credit_reason="Afrekening 2025: te veel voorschot betaald",
        credit_reference="afrekening-regio-a-2025-v1",
    )
    services.add_line(
        user=user,
        invoice=note,
        description="Afrekening 2025: aandeel min voorschotten",
        quantity=D("-1"),
        unit_price=amount,
        unit="jaar",
        source_type="reckoning_line",
        source_id="1",
    )
    return services.issue(user=user, invoice=note, on=on)


def overdue(world, **kwargs):
    """An invoice issued on 10-12-2025 (due 09-01-2026), marked overdue and reminded on 10-01-2026."""
    invoice = issued(world, on=date(2025, 12, 10), **kwargs)
    services.mark_overdue_and_remind(today=date(2026, 1, 10))
    invoice.refresh_from_db()
    return invoice

"""Region-file section ``invoicing_details``: the invoicing details of municipalities (name on the invoice, address,
OIN or KvK, VAT number, IBAN, e-mail, payment term), so a region can issue invoices (Wet OB art. 35a) without the
Django admin. Upserts only: importing the same file twice changes nothing."""

from __future__ import annotations

from invoicing.models import InterestKind, InvoicingProfile
from regio.regionfile.registry import LoadContext, Section, register_section

TEXT = {"type": "string"}
SCHEMA = {
    "type": "array",
    "description": "Factuurgegevens per gemeente",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["municipality", "name", "street", "postal_code", "city"],
        "properties": {
            "municipality": {"type": "string", "pattern": r"^GM\d{4}$", "description": "CBS-code, bijv. GM1883"},
            "name": {"type": "string", "minLength": 1},
            "street": {"type": "string", "minLength": 1},
            "postal_code": {"type": "string", "minLength": 1},
            "city": {"type": "string", "minLength": 1},
            "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
            "oin": {"type": "string", "pattern": r"^\d{20}$"},
            "kvk": {"type": "string", "pattern": r"^\d{8}$"},
            "vat_number": TEXT,
            "iban": TEXT,
            "bic": TEXT,
            "email": TEXT,
            "payment_term_days": {"type": "integer", "minimum": 1, "maximum": 365},
            "interest_kind": {"enum": list(InterestKind.values)},
        },
    },
}


def load(ctx: LoadContext, items: list[dict]) -> None:
    for i, item in enumerate(items):
        path = f"invoicing_details[{i}]"
        municipality = ctx.municipality(item["municipality"], f"{path}.municipality")
        if municipality is None:
            continue
        ctx.upsert(
            InvoicingProfile,
            {"municipality": municipality},
            {
                "legal_name": item["name"],
                "street": item["street"],
                "postal_code": item["postal_code"],
                "city": item["city"],
                "country": item.get("country", "NL"),
                "oin": item.get("oin", ""),
                "kvk": item.get("kvk", ""),
                "vat_number": item.get("vat_number", ""),
                "iban": item.get("iban", "").replace(" ", ""),
                "bic": item.get("bic", ""),
                "email": item.get("email", ""),
                "payment_term_days": item.get("payment_term_days", 30),
                "interest_kind": item.get("interest_kind", InterestKind.NON_COMMERCIAL),
            },
            path,
        )


def register() -> None:
    register_section(
        Section(
            "invoicing_details",
            SCHEMA,
            load,
            order=60,
            description="Factuurgegevens (issue #6)",
            models=("invoicing.InvoicingProfile",),
        )
    )

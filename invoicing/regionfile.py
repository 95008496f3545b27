"""Region-file section ``invoicing_details``: the invoicing details of municipalities (name on the invoice, address,
OIN or KvK, VAT number, IBAN, e-mail, payment term), so a region can issue invoices (Wet OB art. 35a) without the
Django admin. Upserts only: importing the same file twice changes nothing.

Only the municipality itself sets where its money goes: a functional administrator of the coordinating municipality
imports the invoicing details of its own municipality; a member's details (its IBAN above all, where credit notes are
paid out) it may repeat unchanged but not create or change. The platform administrator and the system load any
(the demo, a new installation)."""

from __future__ import annotations

from invoicing.models import InterestKind, InvoicingProfile
from regio.regionfile.registry import LoadContext, Section, register_section
from regio.tenancy import is_system, scope_of

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


def _own_municipality_only(ctx: LoadContext) -> int | None:
    """The municipality whose details this importer may set, or None when it may set any (platform, system)."""
    if ctx.user is None or is_system(ctx.user):
        return None
    scope = scope_of(ctx.user)
    return None if scope.is_platform_admin else scope.municipality_id


def _values(item: dict) -> dict:
    return {
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
    }


def load(ctx: LoadContext, items: list[dict]) -> None:
    own = _own_municipality_only(ctx)
    for i, item in enumerate(items):
        path = f"invoicing_details[{i}]"
        municipality = ctx.municipality(item["municipality"], f"{path}.municipality")
        if municipality is None:
            continue
        values = _values(item)
        if own is not None and municipality.pk != own:
            current = (
                InvoicingProfile.objects.unrestricted("compare a member's details unchanged")
                .filter(municipality=municipality)
                .first()
            )
            if current is None or any(getattr(current, key) != value for key, value in values.items()):
                ctx.problem(
                    path,
                    f"de factuurgegevens van {municipality.name} (zoals het IBAN) legt die gemeente zelf vast, of de "
                    "platformbeheerder: u wijzigt alleen die van uw eigen gemeente.",
                )
                continue
        ctx.upsert(InvoicingProfile, {"municipality": municipality}, values, path)


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

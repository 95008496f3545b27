"""What the charges of annex 3 §5 register in ``regio`` (called from ``BeschermdwonenConfig.ready``): the invoice-line
source ``bw_charge`` (its links and billables) and the page in the menu."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regio.line_sources import Link


def charge_links(user, source_ids: list[str]) -> dict[str, Link]:
    """The charges page of each charge the user may see (one query); others are left out (no link, no leak)."""
    from beschermdwonen.models import MemberCharge

    pks = [int(i) for i in source_ids if i.isdigit()]
    rows = MemberCharge.objects.visible_to(user).filter(pk__in=pks).select_related("region", "municipality")
    return {
        str(charge.pk): Link(
            url=f"{reverse('bw-charges')}?regio={charge.region.code}&jaar={charge.year}",
            text=f"{charge.get_kind_display().capitalize()} {charge.incurred_on:%d-%m-%Y}, {charge.municipality.name}",
        )
        for charge in rows
    }


def westelijke_mijnstreek_charges() -> str:
    """Demo step: an assessment Stein ordered in 2025 (actual cost € 1.250,40) and the objection that followed it
    (€ 310,25), both charged to Stein (annex 3 §5). Idempotent: a region that has charges is left as it is."""
    from datetime import date
    from decimal import Decimal

    from beschermdwonen import charges
    from beschermdwonen.models import MemberCharge
    from regio.models import Municipality, Region
    from regio.tenancy import system_actor

    region = Region.objects.unrestricted("demo loader").filter(code="westelijke-mijnstreek").first()
    stein = Municipality.objects.unrestricted("demo loader").filter(code="GM0971").first()
    if region is None or stein is None:
        return "Beschermd wonen bijlage 3 §5: overgeslagen (regio of Stein ontbreekt)"
    if MemberCharge.objects.unrestricted("demo loader").filter(region=region).exists():
        return "Beschermd wonen bijlage 3 §5: al geladen"
    actor = system_actor("demo: annex 3 §5 charges")
    ordered = charges.record_ordered_assessment(
        user=actor,
        region=region,
        municipality=stein,
        incurred_on=date(2025, 3, 14),
        amount=Decimal("1250.40"),
        description="Onderzoek dat Stein zelf liet uitvoeren (nacalculatie)",
    )
    charges.record_objection_cost(
        user=actor,
        charge=ordered,
        incurred_on=date(2025, 6, 2),
        amount=Decimal("310.25"),
        description="Bezwaar tegen het besluit na dat onderzoek",
    )
    return "Beschermd wonen bijlage 3 §5: een onderzoek en een bezwaar doorbelast aan Stein (2025)"


def register_charges() -> None:
    from beschermdwonen.charges import charge_billables
    from regio.context_processors import register_navigation
    from regio.demo import register_demo_step
    from regio.line_sources import register_line_source

    register_demo_step("Beschermd wonen: onderzoeken en bezwaren", westelijke_mijnstreek_charges, order=76)

    register_line_source(
        "bw_charge",
        _("onderzoek of bezwaar beschermd wonen (bijlage 3 §5)"),
        links=charge_links,
        order=21,
        billable=charge_billables,
    )
    register_navigation(
        313, "bw-charges", _("Onderzoeken en bezwaren beschermd wonen"), roles=("bw", "coordinator", "ambtenaar")
    )

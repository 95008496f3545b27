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


def register_charges() -> None:
    from beschermdwonen.charges import charge_billables
    from regio.context_processors import register_navigation
    from regio.line_sources import register_line_source

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

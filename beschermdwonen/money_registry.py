"""What the money side of beschermd wonen registers in ``regio`` (called from ``BeschermdwonenConfig.ready``): its
pages in the menu, the region-file section and the links of the ``bw_fee`` invoice-line source."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regio.line_sources import Link


def fee_links(user, source_ids: list[str]) -> dict[str, Link]:
    """The fees page of each fee record the user may see (one query); others are left out (no link, no leak)."""
    from beschermdwonen.models import Fee

    pks = [int(i) for i in source_ids if i.isdigit()]
    rows = Fee.objects.visible_to(user).filter(pk__in=pks).select_related("region", "municipality")
    return {
        str(fee.pk): Link(
            url=f"{reverse('bw-fees')}?regio={fee.region.code}&jaar={fee.year}",
            text=f"{fee.get_kind_display()} {fee.year}, {fee.municipality.name}",
        )
        for fee in rows
    }


def register_money() -> None:
    from beschermdwonen import regionfile
    from regio.context_processors import register_navigation

    regionfile.register()
    roles = ("bw", "coordinator", "ambtenaar", "wethouder")
    register_navigation(310, "bw-financing", _("Financiering beschermd wonen"), roles=roles)
    register_navigation(311, "bw-fees", _("Vergoedingen beschermd wonen"), roles=roles)
    register_navigation(312, "bw-cost-import", _("Kosten beschermd wonen inlezen"), roles=("bw",))

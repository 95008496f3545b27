"""What the money side of beschermd wonen registers in ``regio`` (called from ``BeschermdwonenConfig.ready``): its
pages in the menu, the region-file section and the links of the ``bw_fee`` invoice-line source."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regio.line_sources import Billable, Link


def record_links(queryset, source_ids: list[str], link) -> dict[str, Link]:
    """``{source_id: link(record)}`` for the records of a restricted queryset among the ids (one query); an id the
    user may not see is left out (no link, no leak)."""
    pks = [int(i) for i in source_ids if i.isdigit()]
    return {str(record.pk): link(record) for record in queryset.filter(pk__in=pks)}


def fee_links(user, source_ids: list[str]) -> dict[str, Link]:
    """The fees page of each fee record the user may see."""
    from beschermdwonen.models import Fee

    return record_links(
        Fee.objects.visible_to(user).select_related("region", "municipality"),
        source_ids,
        lambda fee: Link(
            url=f"{reverse('bw-fees')}?regio={fee.region.code}&jaar={fee.year}",
            text=f"{fee.get_kind_display()} {fee.year}, {fee.municipality.name}",
        ),
    )


def fee_billables(*, region, year: int) -> list[Billable]:
    """The stored fees of a year as lines to bill (annex 1: "De facturering wordt gedaan per lopende indicatie
    beschermd wonen voor de gemeenten Stein en Beek"); invoicing asks, its service checks who invoices."""
    from beschermdwonen.models import Fee, FeeKind
    from regio.formatting import format_amount

    out = []
    fees = (
        Fee.objects.unrestricted("what invoicing bills for the region; its service checks the issuer")
        .filter(region=region, year=year, amount__gt=0)
        .select_related("municipality")
        .order_by("municipality__code", "kind")
    )
    for fee in fees:
        counted = fee.kind in (FeeKind.INTRAMURAL, FeeKind.EXTRAMURAL, FeeKind.RUNNING)
        label = f"{fee.get_kind_display().capitalize()} {year}"
        if fee.kind == FeeKind.CONSULTATION:
            hours = str(fee.quantity.normalize()).replace(".", ",")
            label += f" ({hours} uur × {format_amount(fee.unit_price)})"
        out.append(
            Billable(
                recipient=fee.municipality,
                description=label,
                quantity=fee.quantity if counted else Decimal("1"),
                unit_price=fee.unit_price if counted else fee.amount,
                source_id=str(fee.pk),
            )
        )
    return out


def register_money() -> None:
    from beschermdwonen import regionfile_money
    from beschermdwonen.execution import LINE_SOURCE, execution_billables, execution_links
    from beschermdwonen.money_demo import westelijke_mijnstreek_execution, westelijke_mijnstreek_money
    from regio.context_processors import register_navigation
    from regio.demo import register_demo_step
    from regio.line_sources import register_line_source

    regionfile_money.register()  # after BeschermdwonenConfig.ready registered the section and its first part
    register_demo_step("Beschermd wonen: kosten, financiering en vergoedingen", westelijke_mijnstreek_money, order=75)
    register_demo_step("Beschermd wonen: uitvoeringskosten afgerekend", westelijke_mijnstreek_execution, order=76)
    # Each member's share of the execution costs (annex 3 §4): its link goes to the financing page of the year.
    register_line_source(
        LINE_SOURCE,
        _("uitvoeringskosten beschermd wonen"),
        links=execution_links,
        order=21,
        billable=execution_billables,
    )
    roles = ("bw", "coordinator", "ambtenaar", "wethouder")
    register_navigation(310, "bw-financing", _("Financiering beschermd wonen"), roles=roles)
    register_navigation(311, "bw-fees", _("Vergoedingen beschermd wonen"), roles=roles)
    register_navigation(312, "bw-cost-import", _("Kosten beschermd wonen inlezen"), roles=("bw",))

"""The execution costs of beschermd wonen are settled per member and invoiced (WM-DVO annex 3 §4: "Op basis van de
aantallen cliënten worden deze kosten vervolgens verdeeld over de drie individuele gemeenten. Aan het einde van het
begrotingsjaar vindt op basis van een nacalculatie de definitieve afrekening plaats"), with the WM demo figures:
240.000 budgeted for 2025, split by the clients resident on 1-1-2025. Once per year, idempotent, each invoice line
traceable to its share, frozen once invoiced."""

from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client as HttpClient

from beschermdwonen.demo import westelijke_mijnstreek_access, westelijke_mijnstreek_register
from beschermdwonen.execution import settle_execution_costs
from beschermdwonen.models import ExecutionCost, ExecutionShare
from beschermdwonen.selectors import client_counts
from invoicing.models import InvoiceLine
from regio.line_sources import references
from regio.models import Municipality, Region, User
from regio.regionfile.loader import import_file
from regio.tenancy import system_actor
from tests.beschermdwonen.billing_helpers import bill, invoicing_coordinator

AFTER_THE_YEAR = date(2026, 1, 10)


@pytest.fixture
def wm(db):
    for name in ("10-westelijke-mijnstreek.yaml", "50-beschermd-wonen-westelijke-mijnstreek.yaml"):
        import_file(Path(settings.BASE_DIR) / "demo" / name, user=system_actor("test"))
    westelijke_mijnstreek_register()
    westelijke_mijnstreek_access()
    towns = {m.code: m for m in Municipality.objects.unrestricted().filter(code__in=["GM1883", "GM0971", "GM0888"])}
    wm = SimpleNamespace(
        region=Region.objects.unrestricted().get(code="westelijke-mijnstreek"),
        sg=towns["GM1883"],
        stein=towns["GM0971"],
        beek=towns["GM0888"],
        team=User.objects.get(username="sittard-geleen-bw"),
        stein_bw=User.objects.get(username="stein-bw"),
    )
    return wm


def test_wm_demo_figures_split_by_clients_on_the_reference_date(wm):
    counts = client_counts(region=wm.region, on=date(2025, 1, 1))
    assert ExecutionCost.objects.unrestricted().get(region=wm.region, year=2025).budgeted == Decimal("240000.00")
    stored = settle_execution_costs(user=wm.team, region=wm.region, year=2025, today=AFTER_THE_YEAR)
    shares = {s.municipality.code: s for s in stored}
    assert {code: s.clients for code, s in shares.items()} == {m.code: n for m, n in counts.items() if n}
    assert sum(s.amount for s in stored) == Decimal("240000.00")  # the one split service: to the cent
    # The demo register on 1-1-2025: Sittard-Geleen 10, Stein 7, Beek 8 clients of 25.
    assert {code: (s.clients, s.amount) for code, s in shares.items()} == {
        "GM1883": (10, Decimal("96000.00")),
        "GM0971": (7, Decimal("67200.00")),
        "GM0888": (8, Decimal("76800.00")),
    }
    total = sum(counts.values())
    for share in stored:  # each member's share is its clients / all clients × 240.000, rounded by the split
        assert abs(share.amount - Decimal(240000) * share.clients / total) < Decimal("0.01")
        assert share.basis == "budgeted"
    again = settle_execution_costs(user=wm.team, region=wm.region, year=2025, today=AFTER_THE_YEAR)
    assert sorted(s.pk for s in again) == sorted(s.pk for s in stored)  # once per year: the same records
    assert ExecutionShare.objects.unrestricted().count() == len(stored)


def test_only_the_access_team_settles_only_a_past_year(wm):
    with pytest.raises(PermissionDenied):
        settle_execution_costs(user=wm.stein_bw, region=wm.region, year=2025, today=AFTER_THE_YEAR)
    with pytest.raises(ValidationError, match="na afloop van het jaar"):
        settle_execution_costs(user=wm.team, region=wm.region, year=2025, today=date(2025, 6, 1))
    with pytest.raises(ValidationError, match="geen uitvoeringskosten van 2024"):
        settle_execution_costs(user=wm.team, region=wm.region, year=2024, today=AFTER_THE_YEAR)
    ExecutionCost.objects.unrestricted().filter(region=wm.region, year=2025).update(key="wmo_key")
    with pytest.raises(ValidationError, match="afrekening van de kostenverdeling"):
        settle_execution_costs(user=wm.team, region=wm.region, year=2025, today=AFTER_THE_YEAR)
    assert not ExecutionShare.objects.unrestricted().exists()


def test_shares_become_invoice_lines_once_traceable_and_frozen_when_issued(wm):
    settle_execution_costs(user=wm.team, region=wm.region, year=2025, today=AFTER_THE_YEAR)
    coordinator = invoicing_coordinator(wm)
    invoices = bill(coordinator, wm, "bw_execution", issue_to=(wm.stein,))
    assert sorted(i.recipient.code for i in invoices) == ["GM0888", "GM0971"]  # Sittard-Geleen bills nobody itself
    lines = InvoiceLine.objects.unrestricted().filter(source_type="bw_execution")
    shares = {str(s.pk): s for s in ExecutionShare.objects.unrestricted().exclude(municipality=wm.sg)}
    assert sorted(line.source_id for line in lines) == sorted(shares)
    assert lines.get(invoice__recipient=wm.beek).description == (
        "Uitvoeringskosten beschermd wonen 2025, begroot (formatie op begrotingsbasis): 8 cliënten op 01-01-2025"
    )
    for line in lines:
        assert line.total_excl == shares[line.source_id].amount
        assert line.invoice.recipient_id == shares[line.source_id].municipality_id
    bill(coordinator, wm, "bw_execution")  # a second run bills nothing twice
    assert InvoiceLine.objects.unrestricted().filter(source_type="bw_execution").count() == 2
    stein_line = lines.get(invoice__recipient=wm.stein)
    assert references(wm.stein_bw, [stein_line])[stein_line.pk].url.startswith("/beschermd-wonen/financiering/")
    # The recalculation comes in after Stein's invoice went out: Beek's share follows, Stein's stays as billed.
    ExecutionCost.objects.unrestricted().filter(region=wm.region, year=2025).update(realised=Decimal("252000.00"))
    stein_share = ExecutionShare.objects.unrestricted().get(municipality=wm.stein)
    stored = settle_execution_costs(user=wm.team, region=wm.region, year=2025, today=AFTER_THE_YEAR)
    assert [f.record.pk for f in stored.frozen] == [stein_share.pk]
    assert "Stein: gefactureerd" in stored.frozen_message()
    assert ExecutionShare.objects.unrestricted().get(pk=stein_share.pk).amount == stein_share.amount
    assert ExecutionShare.objects.unrestricted().get(municipality=wm.beek).basis == "realised"
    with pytest.raises(ValidationError, match="verzonden factuur"):
        stein_share.save()


def test_financing_page_settles_for_the_team_and_shows_the_shares(wm):
    page = HttpClient()
    page.force_login(wm.team)
    url = "/beschermd-wonen/financiering/?regio=westelijke-mijnstreek&jaar=2025"
    answer = page.post(url, follow=True)
    text = answer.content.decode()
    assert answer.status_code == 200 and "Uitvoeringskosten 2025 afgerekend voor 3 gemeenten" in text
    assert "Afgerekende uitvoeringskosten" in text
    member = HttpClient()
    member.force_login(wm.stein_bw)
    assert member.post(url).status_code == 403
    assert ExecutionShare.objects.unrestricted().count() == 3

"""The fees become invoice lines with their source (issue 13): invoicing collects the ``bw_fee`` source's billable
lines through ``regio.line_sources`` (it never imports beschermd wonen), one draft per member, each line linked to
its fee record; a second run adds nothing."""

import pytest

from beschermdwonen.models import Fee
from invoicing import services
from invoicing.models import InvoiceLine
from regio.line_sources import references
from regio.roles import Role
from tests.beschermdwonen.money_builders import BWM
from tests.factories import UserFactory


@pytest.fixture
def wm(db):
    wm = BWM().with_prices(2025).with_consultation_fees(2025)
    wm.coordinator = UserFactory(username="bwm-coord", municipality=wm.sg, roles=[Role.COORDINATOR])
    return wm


def test_fee_lines_land_on_one_draft_per_member_with_their_source(wm):
    invoices = services.invoice_billables(user=wm.coordinator, region=wm.region, source_type="bw_fee", year=2025)
    assert sorted(i.recipient.code for i in invoices) == ["GM0888", "GM0971"]
    lines = InvoiceLine.objects.unrestricted().filter(source_type="bw_fee").order_by("invoice__recipient__code")
    stein_fee = Fee.objects.unrestricted().get(municipality=wm.stein)
    assert [(line.source_id, line.quantity * line.unit_price) for line in lines][1] == (
        str(stein_fee.pk),
        stein_fee.amount,
    )
    again = services.invoice_billables(user=wm.coordinator, region=wm.region, source_type="bw_fee", year=2025)
    assert [i.pk for i in again] == [i.pk for i in invoices]
    assert InvoiceLine.objects.unrestricted().filter(source_type="bw_fee").count() == 2
    # The invoice page's reference: a link to the fee for Stein's staff, the bare label for a supervisor.
    stein_line = lines.get(invoice__recipient=wm.stein)
    assert references(wm.stein_bw, [stein_line])[stein_line.pk].url.startswith("/beschermd-wonen/vergoedingen/")
    assert references(wm.supervisor, [stein_line])[stein_line.pk].url is None


def test_only_the_issuer_staff_invoices(wm):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.invoice_billables(user=wm.stein_bw, region=wm.region, source_type="bw_fee", year=2025)
    assert not InvoiceLine.objects.unrestricted().exists()

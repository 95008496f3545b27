"""Invoicing a reckoning (WM-SO 6.7, WM-DVO 6): one action, every member's invoice, twice creates nothing new."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from costsharing import services as costsharing_services
from costsharing.models import ReckoningLine
from invoicing import services
from invoicing.models import Invoice
from regio.models import Membership
from tests.costsharing import reckonings
from tests.factories import MunicipalityFactory
from tests.invoicing.helpers import coordinator, grant_invoicing_mandate, profile

D = Decimal
pytestmark = pytest.mark.django_db


def approved_reckoning(world, year=2025):
    """Approved through the services with these lines (tests/costsharing/reckonings.py), never by setting status."""
    stein = MunicipalityFactory(code="GM0971", name="Stein")
    Membership.objects.unrestricted().create(region=world.a, municipality=stein, valid_from=date(2015, 1, 1))
    for m in (world.a1, world.a2, stein):
        profile(m)
    grant_invoicing_mandate(world, mandating=world.a2)
    grant_invoicing_mandate(world, mandating=stein)
    reckoning = reckonings.approved_reckoning(
        user=coordinator(world),
        region=world.a,
        year=year,
        figures={
            world.a1: ("690000.00", "680000.00"),
            world.a2: ("120000.00", "110000.00"),
            stein: ("190000.00", "195000.00"),
        },
    )
    return reckoning, stein


def test_invoice_a_reckoning_once_for_every_member(world):
    reckoning, stein = approved_reckoning(world)
    result = services.invoice_reckoning(user=coordinator(world), reckoning=reckoning, on=date(2025, 12, 15))
    assert result.created == 2
    by_member = {i.recipient.code: i for i in result.invoices}
    assert set(by_member) == {"GM0888", "GM0971"}  # the coordinating municipality does not invoice itself
    assert by_member["GM0888"].total_excl == D("10000.00") and by_member["GM0888"].total_incl == D("12100.00")
    assert by_member["GM0971"].total_excl == D("-5000.00")  # it paid too much in advances: it gets money back
    assert all(i.number.startswith("2025-") and i.mandate_id for i in result.invoices)
    line = by_member["GM0888"].lines.unrestricted().get()
    assert line.source_type == "reckoning_line"
    reckoning.refresh_from_db()
    assert reckoning.status == "settled"
    again = services.invoice_reckoning(user=coordinator(world), reckoning=reckoning, on=date(2025, 12, 16))
    assert again.created == 0
    assert Invoice.objects.unrestricted().count() == 2


def test_negative_difference_is_a_valid_e_invoice(world):
    from peppol import check_rules, validate_xsd

    from invoicing import ubl

    reckoning, stein = approved_reckoning(world)
    result = services.invoice_reckoning(user=coordinator(world), reckoning=reckoning, on=date(2025, 12, 15))
    xml = ubl.build_xml(next(i for i in result.invoices if i.recipient == stein))
    assert validate_xsd(xml)[0]
    assert [str(f) for f in check_rules(xml) if f.severity == "fatal"] == []


def test_only_approved_reckonings_by_the_coordinating_staff(world):
    reckoning, _ = approved_reckoning(world)
    with pytest.raises(PermissionDenied):
        services.invoice_reckoning(user=world.user("a2"), reckoning=reckoning)
    # A draft (here: the next year's, as created by the services) is not invoiced.
    draft = costsharing_services.request_reckoning(user=coordinator(world), region=world.a, year=2026, start=False)
    with pytest.raises(services.InvoicingError):
        services.invoice_reckoning(user=coordinator(world), reckoning=draft)


def test_reckoning_page_invoices_all_members(world, django_capture_on_commit_callbacks):
    reckoning, _ = approved_reckoning(world)
    client = world.client("a1", "coordinator")
    assert "Facturen maken en verzenden" in client.get(f"/facturen/afrekening/{reckoning.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/facturen/afrekening/{reckoning.pk}/")
    assert response.status_code == 302
    body = client.get(f"/facturen/afrekening/{reckoning.pk}/").content.decode()
    assert "Beek" in body and "Stein" in body and "€ 12.100,00" in body and "2 van 2 facturen" in body
    assert world.client("a2").post(f"/facturen/afrekening/{reckoning.pk}/").status_code == 403


def test_a_correction_version_invoices_only_the_change(world):
    """Version 2 of an invoiced reckoning settles share - previous share, not the whole difference (SPEC §6.5)."""
    first, stein = approved_reckoning(world)
    services.invoice_reckoning(user=coordinator(world), reckoning=first, on=date(2025, 12, 15))
    first.refresh_from_db()
    second = reckonings.approved_correction(
        user=coordinator(world),
        reckoning=first,
        figures={
            world.a1: ("689000.00", "680000.00"),
            world.a2: ("120750.00", "110000.00"),
            stein: ("190000.00", "195000.00"),
        },
    )
    assert (second.version, second.previous_id) == (2, first.pk)
    previous = ReckoningLine.objects.unrestricted().filter(reckoning=second)
    assert dict(previous.values_list("municipality__code", "previous_share")) == {
        "GM1883": D("690000.00"),
        "GM0888": D("120000.00"),
        "GM0971": D("190000.00"),
    }
    result = services.invoice_reckoning(user=coordinator(world), reckoning=second, on=date(2026, 3, 1))
    assert [i.recipient.code for i in result.invoices] == ["GM0888"]  # Stein's share did not change: no invoice
    correction = result.invoices[0]
    assert correction.total_excl == D("750.00")  # not the difference 10,750.00 that version 1 settled already
    assert "Correctie afrekening 2025 (versie 2)" in correction.lines.unrestricted().get().description

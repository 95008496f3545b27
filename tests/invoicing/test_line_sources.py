"""Invoice-line sources through the registry (issue 11, registries where apps meet): each app registers its source
type, label and link; the invoice page links a line to its record for whoever may see it."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from costsharing.line_sources import reckoning_line_links
from invoicing import services
from invoicing.models import InvoiceLine, SourceType
from regio import line_sources as registry
from regio.line_sources import Link
from tests.invoicing.helpers import coordinator, draft
from tests.invoicing.test_reckoning import approved_reckoning

pytestmark = pytest.mark.django_db


def test_every_code_invoicing_writes_is_registered_by_its_app_with_its_label():
    for code in SourceType:
        assert registry.is_line_source(code), code
        assert str(registry.line_source_label(code)) == str(code.label)
    assert [c for c, _label in registry.manual_line_source_choices()] == ["bw_fee", "pass_through", "manual"]
    assert InvoiceLine._meta.get_field("source_type").choices == registry.line_source_choices()


def test_the_invoice_page_links_a_reckoning_line_to_its_reckoning(world):
    reckoning, _stein = approved_reckoning(world)
    result = services.invoice_reckoning(user=coordinator(world), reckoning=reckoning, on=date(2025, 12, 15))
    beek = next(i for i in result.invoices if i.recipient == world.a2)
    url = f"/kostenverdeling/afrekeningen/{reckoning.pk}/"
    for who in (("a1", "coordinator"), ("a2", "civil_servant")):
        page = world.client(*who).get(f"/facturen/{beek.pk}/").content.decode()
        assert f'href="{url}"' in page, who
        assert f"Afrekening {reckoning.region} 2025" in page


def test_a_reckoning_line_of_another_region_gives_no_link(world):
    reckoning, _stein = approved_reckoning(world)
    line = reckoning.lines.unrestricted().first()
    outsider = world.user("b1", "coordinator")
    assert reckoning_line_links(outsider, [str(line.pk), "not-a-number"]) == {}
    assert set(reckoning_line_links(coordinator(world), [str(line.pk)])) == {str(line.pk)}


def test_a_source_registered_by_an_app_is_accepted_and_linked(world, monkeypatch):
    """A provider's pass-through cost with a real reference: the app registers a source and its link."""
    monkeypatch.setattr(registry, "_SOURCES", dict(registry._SOURCES))
    asked = []

    def links(user, ids):
        asked.append(ids)
        return {i: Link(url=f"/aanbieders/kosten/{i}/", text=f"Inkoopfactuur {i}") for i in ids if i != "geheim"}

    registry.register_line_source("provider_cost", "kosten van een aanbieder", links=links, manual=True)
    invoice = draft(world, lines=[])
    user = coordinator(world)
    for ref in ("17", "18", "geheim"):
        services.add_line(
            user=user,
            invoice=invoice,
            description=f"Doorbelasting {ref}",
            quantity=Decimal("1"),
            unit_price=Decimal("10"),
            source_type="provider_cost",
            source_id=ref,
        )
    client = world.client("a1", "coordinator")
    form = client.get(f"/facturen/{invoice.pk}/regels/nieuw/").content.decode()
    assert 'value="provider_cost"' in form  # a manual source is offered on the draft-line form
    page = client.get(f"/facturen/{invoice.pk}/").content.decode()
    assert '<a class="utrecht-link" href="/aanbieders/kosten/17/">Inkoopfactuur 17</a>' in page
    assert "Kosten van een aanbieder: geheim" in page  # not visible: the id without a link
    assert asked == [["17", "18", "geheim"]]  # one call for all lines of a source


def test_an_unregistered_source_is_refused():
    with pytest.raises(ValueError):
        registry.register_line_source("reckoning_line", "iets anders")
    with pytest.raises(ValueError):
        registry.register_line_source("x" * 21, "te lang")


def test_an_unregistered_source_type_is_refused_on_a_line(world):
    invoice = draft(world, lines=[])
    with pytest.raises(ValidationError) as exc:
        services.add_line(
            user=coordinator(world),
            invoice=invoice,
            description="x",
            quantity=Decimal("1"),
            unit_price=Decimal("1"),
            source_type="onbekend",
        )
    assert "source_type" in str(exc.value)

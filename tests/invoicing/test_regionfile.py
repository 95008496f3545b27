"""Region-file section ``invoicing_details``: loads invoicing details, twice changes nothing, bad values refused."""

import pytest

from invoicing.models import InvoicingProfile
from regio.regionfile import RegionFileError
from regio.regionfile.loader import import_text
from regio.tenancy import system_actor

pytestmark = pytest.mark.django_db

FILE = """
region:
  code: regio-a
  name: Regio A
invoicing_details:
  - municipality: GM1883
    name: Gemeente Sittard-Geleen
    street: Markt 1
    postal_code: 6131 EK
    city: Sittard
    oin: "00000001001930330000"
    vat_number: NL004495445B01
    iban: NL91 ABNA 0417 1643 00
    email: facturen@sittard-geleen.example
  - municipality: GM0888
    name: Gemeente Beek
    street: Raadhuisplein 22
    postal_code: 6191 KA
    city: Beek
    kvk: "14061347"
"""


def test_invoicing_details_load_once(world):
    first = import_text(FILE, "factuurgegevens.yaml", user=system_actor("test"))
    assert first.counts["created"] >= 2
    profile = InvoicingProfile.objects.unrestricted().get(municipality=world.a1)
    assert profile.iban == "NL91ABNA0417164300" and profile.payment_term_days == 30
    second = import_text(FILE, "factuurgegevens.yaml", user=system_actor("test"))
    assert second.changed == 0


def test_bad_iban_is_refused_with_the_path(world):
    with pytest.raises(RegionFileError) as info:
        import_text(
            FILE.replace("NL91 ABNA 0417 1643 00", "NL00 XXXX"), "factuurgegevens.yaml", user=system_actor("test")
        )
    assert any("invoicing_details[0]" in str(p) for p in info.value.problems)
    assert not InvoicingProfile.objects.unrestricted().exists()


def test_a_functional_administrator_cannot_redirect_a_members_iban(world):
    """The coordinating municipality's administrator may not set where a member's money goes: a changed IBAN of Beek
    is refused whole, naming the row, and nothing changes; repeating Beek's details unchanged is fine."""
    import_text(FILE, "factuurgegevens.yaml", user=system_actor("test"))
    admin = world.user("a1", "beheerder")
    beek = InvoicingProfile.objects.unrestricted().get(municipality__code="GM0888")
    hostile = FILE.replace('kvk: "14061347"', 'kvk: "14061347"\n    iban: NL20 INGB 0001 2345 67')
    with pytest.raises(RegionFileError) as info:
        import_text(hostile, "factuurgegevens.yaml", user=admin)
    assert any("invoicing_details[1]" in str(p) and "eigen gemeente" in str(p) for p in info.value.problems)
    beek.refresh_from_db()
    assert beek.iban == ""
    own_change = FILE.replace("NL91 ABNA 0417 1643 00", "NL20 INGB 0001 2345 67")
    assert import_text(own_change, "factuurgegevens.yaml", user=admin).changed == 1
    assert InvoicingProfile.objects.unrestricted().get(municipality=world.a1).iban == "NL20INGB0001234567"

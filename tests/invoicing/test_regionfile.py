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

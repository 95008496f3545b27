"""The e-invoice: UBL 2.1 XML in the Dutch profile NLCIUS (SI-UBL 2.0), or Peppol BIS Billing 3.0 as a setting.

Dutch municipalities receive invoices this way. Built with lxml (STYLE.md), in the element order the UBL 2.1 schema
declares (it is an ordered schema). The NLCIUS rules this document relies on, tested by name in
tests/invoicing/test_ubl.py:

* BR-NL-1 / BR-NL-10: supplier and customer legal entity identified by KvK (scheme 0106) or OIN (scheme 0190);
* BR-NL-3 / BR-NL-4: supplier and customer addresses with street, city and postal code;
* BR-NL-9 (Peppol NL-R-001): a credit note contains an invoice reference (BillingReference, EN 16931 BT-25). EN 16931
  itself makes BT-25 optional (BG-3, 0..n); NLCIUS asks it on every credit note. A correction names the invoice it
  corrects; a credit note of its own (a refund from the reckoning) names the member's document of the previous
  reckoning version, else the reckoning (``Invoice.credit_reference``);
* BR-NL-11 / BR-NL-12: payment means present, code 30 or 58 (credit transfer / SEPA credit transfer). A refund
  credit note is paid by the issuer to the member: its payment means name the member's account when known (BT-84 is
  the account the payment goes to), else are left out (NLCIUS asks them for money from customer to supplier).

Amounts: a credit invoice (negative lines in the app) becomes a UBL CreditNote (type 381) with positive amounts.

VAT follows the agreement (issue 12; WM-SO 6.8: VAT is due on Sittard-Geleen's services; BNO says nothing): the
invoice keeps the treatment its agreement gave the draft (``Invoice.vat_rate``, ``vat_reason``,
``vat_exemption_code``), each line its rate. The EN 16931 category rules (UNCL5305 codes) this document follows:

* S (standard, 21 % or 9 %): a rate above zero (BR-S-05), VAT = base × rate (BR-S-09);
* Z (zero rated): rate 0 (BR-Z-05);
* E (exempt, e.g. art. 11 Wet OB): rate 0 (BR-E-05), VAT amount 0 (BR-E-09), an exemption reason text (BT-120)
  and/or code (BT-121) in the breakdown (BR-E-10), and the seller's VAT identifier (BR-E-02);
* O (outside the scope of VAT, e.g. the BNO centrumregeling between public bodies): no rate on the line or in the
  breakdown (BR-O-05, BR-O-06 leave it out), VAT amount 0 (BR-O-09), an exemption reason, by default code
  ``VATEX-EU-O`` (BR-O-10), no seller or buyer VAT identifier (BR-O-02..BR-O-04), and no other category on the same
  invoice (BR-O-11..BR-O-14, also refused on the draft).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from lxml import etree

from invoicing.models import UNIT_CODE, VAT_CATEGORY, VAT_PERCENT, Invoice, VatRate

NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDIT = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

PROFILES = {
    "nlcius": "urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0",
    "peppol": "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0",
}
PEPPOL_PROCESS = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
SCHEME_OIN = "0190"
SCHEME_KVK = "0106"
PAYMENT_MEANS_SEPA = "58"  # SEPA credit transfer (BR-NL-12 allows 30, 48, 49, 57, 58, 59)
CURRENCY = "EUR"
VATEX_OUTSIDE = "VATEX-EU-O"  # CEF VATEX code list: "Not subject to VAT"
DEFAULT_REASON = {
    VatRate.OUTSIDE: "Niet onderworpen aan btw (buiten de reikwijdte)",
    VatRate.EXEMPT: "Vrijgesteld van btw",
}


class UblError(ValueError):
    pass


def profile() -> str:
    return getattr(settings, "INVOICING_UBL_PROFILE", "nlcius")


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _price(value: Decimal) -> str:
    """A unit price keeps up to 4 decimals (it is not an amount to pay), at least 2."""
    two = value.quantize(Decimal("0.01"))
    return f"{two:.2f}" if two == value else f"{value.normalize():f}"


class _Builder:
    def __init__(self, root):
        self.root = root

    def cbc(self, parent, name: str, text, **attrs):
        el = etree.SubElement(parent, f"{{{CBC}}}{name}", {k: str(v) for k, v in attrs.items()})
        el.text = str(text)
        return el

    def cac(self, parent, name: str):
        return etree.SubElement(parent, f"{{{CAC}}}{name}")

    def amount(self, parent, name: str, value: Decimal):
        return self.cbc(parent, name, _money(value), currencyID=CURRENCY)


def _legal_id(details: dict) -> tuple[str, str]:
    """OIN (scheme 0190) when known, else KvK (0106): BR-NL-1, BR-NL-10."""
    if details.get("oin"):
        return SCHEME_OIN, details["oin"]
    if details.get("kvk"):
        return SCHEME_KVK, details["kvk"]
    raise UblError(f"{details.get('name')}: geen OIN of KvK-nummer (BR-NL-1/BR-NL-10)")


def _party(b: _Builder, parent, details: dict, *, with_vat: bool):
    party = b.cac(parent, "Party")
    scheme, legal_id = _legal_id(details)
    b.cbc(party, "EndpointID", legal_id, schemeID=scheme)
    b.cbc(b.cac(party, "PartyName"), "Name", details["name"])
    address = b.cac(party, "PostalAddress")  # BR-NL-3 / BR-NL-4: street, city, postal code
    b.cbc(address, "StreetName", details["street"])
    b.cbc(address, "CityName", details["city"])
    b.cbc(address, "PostalZone", details["postal_code"])
    b.cbc(b.cac(address, "Country"), "IdentificationCode", details.get("country") or "NL")
    if with_vat and details.get("vat_number"):
        tax = b.cac(party, "PartyTaxScheme")
        b.cbc(tax, "CompanyID", details["vat_number"])
        b.cbc(b.cac(tax, "TaxScheme"), "ID", "VAT")
    legal = b.cac(party, "PartyLegalEntity")
    b.cbc(legal, "RegistrationName", details["name"])
    b.cbc(legal, "CompanyID", legal_id, schemeID=scheme)
    if details.get("email"):
        b.cbc(b.cac(party, "Contact"), "ElectronicMail", details["email"])
    return party


def _exemption(invoice: Invoice, rate: str) -> tuple[str, str]:
    """The exemption reason code (BT-121) and text (BT-120) of a breakdown group in category E or O (BR-E-10,
    BR-O-10): what the invoice's agreement says, else the plain default (invoices made before issue 12)."""
    own = invoice.vat_rate == rate
    code = (invoice.vat_exemption_code if own else "") or (VATEX_OUTSIDE if rate == VatRate.OUTSIDE else "")
    reason = (invoice.vat_reason if own else "") or DEFAULT_REASON[rate]
    if own and invoice.vat_article:
        reason = f"{reason} ({invoice.vat_article})"
    return code, reason[:300]


def _tax_category(b: _Builder, parent, name: str, rate: str, invoice: Invoice):
    category = b.cac(parent, name)
    b.cbc(category, "ID", VAT_CATEGORY[rate])
    if rate != VatRate.OUTSIDE:  # BR-O-05 / BR-O-06: no rate in category O
        b.cbc(category, "Percent", f"{VAT_PERCENT[rate]:.2f}")
    if name == "TaxCategory" and rate in DEFAULT_REASON:  # BR-E-10, BR-O-10
        code, reason = _exemption(invoice, rate)
        if code:
            b.cbc(category, "TaxExemptionReasonCode", code)
        b.cbc(category, "TaxExemptionReason", reason)
    b.cbc(b.cac(category, "TaxScheme"), "ID", "VAT")
    return category


def build(invoice: Invoice) -> etree._Element:
    """The UBL 2.1 document of an issued invoice or credit invoice."""
    if invoice.is_draft:
        raise UblError("Een concept heeft geen e-factuur.")
    credit = invoice.is_credit_note
    sign = Decimal(-1) if credit else Decimal(1)
    lines = list(invoice.lines.all())
    breakdown = invoice.vat_breakdown(lines)
    outside = any(g["rate"] == VatRate.OUTSIDE for g in breakdown)
    if any(g["rate"] == VatRate.EXEMPT for g in breakdown) and not invoice.issuer_details.get("vat_number"):
        raise UblError(
            f"{invoice.issuer_details.get('name') or invoice.issuer.name}: geen btw-identificatienummer; een "
            "vrijgestelde factuur noemt dat van de afzender (EN 16931 BR-E-02)."
        )
    ns = NS_CREDIT if credit else NS_INVOICE
    root = etree.Element(f"{{{ns}}}{'CreditNote' if credit else 'Invoice'}", nsmap={None: ns, "cac": CAC, "cbc": CBC})
    b = _Builder(root)
    b.cbc(root, "CustomizationID", PROFILES[profile()])
    b.cbc(root, "ProfileID", PEPPOL_PROCESS)
    b.cbc(root, "ID", invoice.number)
    b.cbc(root, "IssueDate", invoice.invoice_date.isoformat())
    if credit:
        b.cbc(root, "CreditNoteTypeCode", "381")
    else:
        b.cbc(root, "DueDate", invoice.due_on.isoformat())
        b.cbc(root, "InvoiceTypeCode", "380")
    b.cbc(root, "Note", invoice.subject)
    b.cbc(root, "DocumentCurrencyCode", CURRENCY)
    b.cbc(root, "BuyerReference", invoice.recipient_details.get("cbs_code") or invoice.recipient.code)
    period = b.cac(root, "InvoicePeriod")
    b.cbc(period, "StartDate", invoice.period_start.isoformat())
    b.cbc(period, "EndDate", invoice.period_end.isoformat())
    if credit and invoice.billing_reference:  # BR-NL-9: a credit note names the preceding document (BT-25)
        reference = b.cac(b.cac(root, "BillingReference"), "InvoiceDocumentReference")
        b.cbc(reference, "ID", invoice.billing_reference)
        if invoice.credit_for_id:
            b.cbc(reference, "IssueDate", invoice.credit_for.invoice_date.isoformat())
    _party(b, b.cac(root, "AccountingSupplierParty"), invoice.issuer_details, with_vat=not outside)
    _party(b, b.cac(root, "AccountingCustomerParty"), invoice.recipient_details, with_vat=not outside)
    # Money goes to the issuer, except on a refund, where the issuer pays the member (BT-84: the account paid to).
    iban = (invoice.recipient_details if invoice.is_refund else invoice.issuer_details).get("iban")
    if iban:  # BR-NL-11 / BR-NL-12
        means = b.cac(root, "PaymentMeans")
        b.cbc(means, "PaymentMeansCode", PAYMENT_MEANS_SEPA)
        b.cbc(means, "PaymentID", invoice.number)
        account = b.cac(means, "PayeeFinancialAccount")
        b.cbc(account, "ID", iban.replace(" ", ""))
    if not credit:
        b.cbc(
            b.cac(root, "PaymentTerms"),
            "Note",
            f"Betalen binnen {invoice.payment_term_days} dagen onder vermelding van factuurnummer {invoice.number}.",
        )
    tax_total = b.cac(root, "TaxTotal")
    b.amount(tax_total, "TaxAmount", sign * invoice.total_vat)
    for group in breakdown:
        subtotal = b.cac(tax_total, "TaxSubtotal")
        b.amount(subtotal, "TaxableAmount", sign * group["base"])
        b.amount(subtotal, "TaxAmount", sign * group["vat"])
        _tax_category(b, subtotal, "TaxCategory", group["rate"], invoice)
    totals = b.cac(root, "LegalMonetaryTotal")
    b.amount(totals, "LineExtensionAmount", sign * invoice.total_excl)
    b.amount(totals, "TaxExclusiveAmount", sign * invoice.total_excl)
    b.amount(totals, "TaxInclusiveAmount", sign * invoice.total_incl)
    b.amount(totals, "PayableAmount", sign * invoice.total_incl)
    for index, line in enumerate(lines, start=1):
        element = b.cac(root, "CreditNoteLine" if credit else "InvoiceLine")
        b.cbc(element, "ID", index)
        b.cbc(
            element,
            "CreditedQuantity" if credit else "InvoicedQuantity",
            f"{sign * line.quantity:f}",
            unitCode=UNIT_CODE[line.unit],
        )
        b.amount(element, "LineExtensionAmount", sign * line.total_excl)
        item = b.cac(element, "Item")
        b.cbc(item, "Name", line.description[:200])
        _tax_category(b, item, "ClassifiedTaxCategory", line.vat_rate, invoice)
        price = b.cac(element, "Price")
        b.cbc(price, "PriceAmount", _price(line.unit_price), currencyID=CURRENCY)
    return root


def build_xml(invoice: Invoice) -> bytes:
    return etree.tostring(build(invoice), xml_declaration=True, encoding="UTF-8", pretty_print=True)

"""BNO's yearly cycle (issue 12, part B): the two-year costs adopted per college (BNO 11.1), the annual report with its
versions and PDF, the adoption of its settlement proposal, and only then invoices (BNO 10.5-10.6). Region A of the
world plays a centrumregeling: a1 is the centre, a2 and a3 the other municipalities."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from lxml import etree
from peppol import check_rules, validate_xsd

from agreements.models import Agreement
from costsharing import services
from costsharing.annual_report_pdf import render_version_pdf, version_context
from costsharing.models import (
    AnnualReport,
    AnnualReportFrozen,
    AnnualReportVersion,
    BudgetLine,
    CollegeAdoption,
)
from invoicing import services as invoicing_services
from invoicing import ubl
from invoicing.models import Invoice
from invoicing.services._common import InvoicingError
from regio.deadlines import deadlines_for
from tests.costsharing.reckonings import _set_inputs, approved_reckoning
from tests.invoicing.helpers import grant_invoicing_mandate, profile

D = Decimal
pytestmark = pytest.mark.django_db
NS = {"cbc": ubl.CBC, "cac": ubl.CAC}
OUTSIDE_REASON = (
    "Centrumregeling tussen openbare lichamen: de centrumgemeente handelt als overheid (art. 7 lid 3 Wet OB)"
)


@pytest.fixture
def bno(world):
    """Region A under a centrumregeling, outside the scope of VAT; 2024 costs 120.000,00 split 50/30/20 against
    advances of 55.000 / 35.000 / 25.000 (the budget of 115.000,00)."""
    Agreement.objects.unrestricted().create(
        code="A-SO-2025",  # the code grant_invoicing_mandate looks for
        kind="centrumregeling",
        title="Centrumregeling Wmo regio A",
        region=world.a,
        coordinator=world.a1,
        effective_from=date(2020, 1, 1),
        vat_rate="outside",
        vat_reason=OUTSIDE_REASON,
        vat_article="BNO (zwijgt); Wet OB art. 7 lid 3",
    )
    for m in (world.a1, world.a2, world.a3):
        profile(m)
    grant_invoicing_mandate(world, mandating=world.a2, valid_from=date(2020, 1, 1))
    grant_invoicing_mandate(world, mandating=world.a3, valid_from=date(2020, 1, 1))
    _set_inputs(
        world.a,
        2024,
        {world.a1: ("60000.00", "55000.00"), world.a2: ("36000.00", "35000.00"), world.a3: ("24000.00", "25000.00")},
    )
    BudgetLine.objects.unrestricted().create(
        region=world.a, year=2024, category="legal", description="begroting 2024", amount=D("115000.00")
    )
    return world


def centre(world):
    return world.user("a1", "coordinator")


def test_bno_annual_report_2024_drawn_up_adopted_and_only_then_invoiced(bno):
    """Acceptance (issue 12): BNO's annual report of 2024 can be drawn up, its proposal adopted, and only then
    invoiced; the invoices are outside the scope of VAT (category O) and invoicing twice makes nothing new."""
    world, user = bno, centre(bno)
    assert services.settles_by_annual_report(region=world.a)
    version = services.draw_up_annual_report(
        user=user, region=world.a, year=2024, content="Inkoop 2024: aanbesteding hulp bij het huishouden afgerond."
    )
    report = version.report
    assert version.number == 1 and report.due_on == date(2025, 4, 30)
    proposal = {row["code"]: row for row in version.figures["proposal"]}
    assert proposal[world.a2.code] == {
        "code": world.a2.code,
        "name": world.a2.name,
        "actual_share": "36000.00",
        "paid": "35000.00",
        "difference": "1000.00",
        "centre": False,
    }
    assert proposal[world.a1.code]["centre"] is True
    assert proposal[world.a3.code]["difference"] == "-1000.00"
    assert version.figures["categories"] == [
        {"category": "legal", "label": "c. juridische kosten", "budget": "115000.00", "actual": "120000.00"}
    ]

    with pytest.raises(InvoicingError) as refused:
        invoicing_services.invoice_annual_report(user=user, report=report)
    assert "nog niet vastgesteld" in refused.value.messages[0] and "BNO 10.6" in refused.value.messages[0]
    assert not Invoice.objects.unrestricted().exists()

    adopted = services.adopt_annual_report(
        user=user, report=report, version=1, adopted_on=date(2025, 5, 20), decision="POHO 20-05-2025"
    )
    assert adopted.adopted_on == date(2025, 5, 20) and adopted.adopted_by == user
    assert adopted.adopted_version == version

    result = invoicing_services.invoice_annual_report(user=user, report=adopted)
    by_recipient = {i.recipient.code: i for i in result.invoices}
    assert set(by_recipient) == {world.a2.code, world.a3.code}  # the centre never invoices itself
    extra, refund = by_recipient[world.a2.code], by_recipient[world.a3.code]
    assert not extra.is_credit_note and extra.total_excl == D("1000.00") and extra.total_vat == D("0.00")
    assert refund.is_credit_note and refund.total_excl == D("-1000.00")
    assert extra.vat_rate == "outside" and extra.vat_reason == OUTSIDE_REASON
    line = extra.lines.unrestricted().get()
    assert line.source_type == "annual_report" and line.source_id == str(version.pk) and line.vat_rate == "outside"
    root = etree.fromstring(ubl.build_xml(extra))
    assert root.findtext("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID", namespaces=NS) == "O"
    assert validate_xsd(ubl.build_xml(extra))[0]
    assert [str(f) for f in check_rules(ubl.build_xml(extra)) if f.severity == "fatal"] == []

    again = invoicing_services.invoice_annual_report(user=user, report=adopted)
    assert again.created == 0 and Invoice.objects.unrestricted().count() == 2


def test_the_annual_report_is_the_only_path_to_bno_invoices(bno):
    """BNO is not reckoned in December (BNO 10.5-10.6): an approved December reckoning of a centrumregeling is
    refused by invoicing, in words, and leaves no invoice."""
    world, user = bno, centre(bno)
    reckoning = approved_reckoning(
        user=user,
        region=world.a,
        year=2024,
        figures={world.a1: ("60000.00", "55000.00"), world.a2: ("36000.00", "35000.00")},
    )
    with pytest.raises(InvoicingError) as refused:
        invoicing_services.invoice_reckoning(user=user, reckoning=reckoning)
    assert "jaarverslag" in refused.value.messages[0] and "BNO 10.5-10.6" in refused.value.messages[0]
    assert not Invoice.objects.unrestricted().exists()


def test_a_wm_region_is_not_settled_by_an_annual_report(world):
    grant_invoicing_mandate(world)  # a samenwerkingsovereenkomst
    assert not services.settles_by_annual_report(region=world.a)


def test_a_new_version_only_when_text_or_figures_change_and_earlier_versions_stay_readable(bno):
    world, user = bno, centre(bno)
    first = services.draw_up_annual_report(user=user, region=world.a, year=2024, content="Eerste tekst.")
    assert services.draw_up_annual_report(user=user, region=world.a, year=2024, content="Eerste tekst.") == first
    second = services.draw_up_annual_report(user=user, region=world.a, year=2024, content="Tweede tekst.")
    assert second.number == 2
    BudgetLine.objects.unrestricted().filter(region=world.a, year=2024).update(amount=D("118000.00"))
    third = services.draw_up_annual_report(user=user, region=world.a, year=2024, content="Tweede tekst.")
    assert third.number == 3 and third.figures["total_budget"] == "118000.00"
    first.refresh_from_db()
    assert first.content == "Eerste tekst." and first.figures["total_budget"] == "115000.00"
    context = version_context(report=first.report, version=first)
    assert context["later"] == 3 and context["totals"]["budget"] == D("115000.00")
    with pytest.raises(AnnualReportFrozen):
        first.content = "anders"
        first.save()
    # Only the latest version can be adopted; after adoption the report does not change.
    with pytest.raises(ValidationError) as wrong:
        services.adopt_annual_report(user=user, report=first.report, version=1, adopted_on=date(2025, 5, 1))
    assert "niet de laatste" in str(wrong.value)
    services.adopt_annual_report(user=user, report=first.report, version=3, adopted_on=date(2025, 5, 1))
    with pytest.raises(ValidationError) as frozen:
        services.draw_up_annual_report(user=user, region=world.a, year=2024, content="Nog een tekst.")
    assert "verandert niet meer" in str(frozen.value)
    assert AnnualReportVersion.objects.unrestricted().count() == 3


def test_the_pdf_of_each_version_is_a_pdf_with_the_report_in_dutch(bno):
    world, user = bno, centre(bno)
    version = services.draw_up_annual_report(user=user, region=world.a, year=2024, content="Inhoud van het jaar.")
    pdf = render_version_pdf(report=version.report, version=version)
    assert pdf[:4] == b"%PDF"
    if shutil.which("pdftotext"):  # poppler reads the PDF itself where it is installed
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
        words = " ".join(text.stdout.decode().split())
        assert "Jaarverslag 2024" in words and "Voorstel voor afrekening per gemeente" in words
        assert "Inhoud van het jaar." in words and "€ 120.000,00" in words
    from django.template.loader import render_to_string

    html = render_to_string(
        "costsharing/pdf/annual_report.html", version_context(report=version.report, version=version)
    )
    for text in (
        "Jaarverslag 2024",
        "Inhoud van het jaar.",
        "€ 115.000,00",
        "€ 120.000,00",
        "€ 1.000,00",
        "30-04-2025",
        "wacht op vaststelling",
        OUTSIDE_REASON,
    ):
        assert text in html, text


def test_only_the_centre_draws_up_and_adopts(bno):
    world = bno
    with pytest.raises(PermissionDenied):
        services.draw_up_annual_report(user=world.user("a2", "coordinator"), region=world.a, year=2024, content="x")
    version = services.draw_up_annual_report(user=centre(world), region=world.a, year=2024, content="x")
    with pytest.raises(PermissionDenied):
        services.adopt_annual_report(
            user=world.user("a2", "coordinator"), report=version.report, version=1, adopted_on=date(2025, 5, 1)
        )
    assert AnnualReport.objects.unrestricted().get().adopted_on is None


def test_the_content_report_is_asked_except_in_the_year_the_purchasing_plan_is_adopted(bno):
    """BNO 10.6: "in het jaar dat het inkoopplan wordt vastgesteld, bevat het jaarverslag geen inhoudelijk verslag"."""
    world, user = bno, centre(bno)
    with pytest.raises(ValidationError) as missing:
        services.draw_up_annual_report(user=user, region=world.a, year=2024, content="  ")
    assert "BNO 10.6" in str(missing.value)
    plan = services.record_cost_plan(
        user=user,
        region=world.a,
        first_year=2025,
        title="Inkoopplan 2025-2026",
        first_year_amount=D("118000.00"),
        second_year_amount=D("121000.00"),
    )
    services.record_college_adoption(user=user, plan=plan, municipality=world.a2, adopted_on=date(2024, 6, 3))
    version = services.draw_up_annual_report(user=user, region=world.a, year=2024, content="")
    assert version.content == ""


def test_the_colleges_adopt_the_two_year_costs_each_with_its_date(bno):
    """BNO 11.1: the costs for two years, adopted by the colleges through the purchasing plan."""
    world, user = bno, centre(bno)
    plan = services.record_cost_plan(
        user=user,
        region=world.a,
        first_year=2024,
        title="Inkoopplan 2024-2025",
        first_year_amount=D("115000.00"),
        second_year_amount=D("118000.00"),
    )
    assert plan.amount_for(2025) == D("118000.00") and plan.amount_for(2026) == D("0.00")
    services.record_college_adoption(
        user=user, plan=plan, municipality=world.a2, adopted_on=date(2023, 11, 7), reference="B&W 7-11-2023"
    )
    # Recording it again with the same date changes nothing; another date is refused in words.
    services.record_college_adoption(user=user, plan=plan, municipality=world.a2, adopted_on=date(2023, 11, 7))
    with pytest.raises(ValidationError) as other:
        services.record_college_adoption(user=user, plan=plan, municipality=world.a2, adopted_on=date(2023, 12, 1))
    assert "07-11-2023" in str(other.value)
    with pytest.raises(ValidationError):
        services.record_college_adoption(user=user, plan=plan, municipality=world.b1, adopted_on=date(2023, 12, 1))
    # Once a college adopted them, the amounts no longer change.
    with pytest.raises(ValidationError):
        services.record_cost_plan(
            user=user,
            region=world.a,
            first_year=2024,
            title="Inkoopplan 2024-2025",
            first_year_amount=D("1.00"),
            second_year_amount=D("118000.00"),
        )
    assert CollegeAdoption.objects.unrestricted().count() == 1
    version = services.draw_up_annual_report(user=user, region=world.a, year=2025 - 1, content="Verslag.")
    assert version.figures["plan"]["adopted_amount"] == "115000.00"


def test_the_30_april_deadline_links_to_the_report_and_goes_once_it_is_drawn_up(bno):
    from agreements.models import PlanObligation

    world, user = bno, centre(bno)
    agreement = Agreement.objects.unrestricted().get(code="A-SO-2025")
    PlanObligation.objects.unrestricted().create(
        agreement=agreement,
        key="jaarverslag",
        title="Jaarverslag met voorstel voor afrekening per gemeente",
        article="BNO 10.5-10.6",
        recurrence="yearly",
        due_month=4,
        due_day=30,
        first_year=2021,
    )
    found = [
        d
        for d in deadlines_for(user, start=date(2025, 1, 1), end=date(2025, 12, 31))
        if d.key.startswith("agreements:plan:")
    ]
    assert [d.url for d in found] == ["/kostenverdeling/regio/regio-a/jaarverslagen/2024/"]
    services.draw_up_annual_report(user=user, region=world.a, year=2024, content="Verslag.")
    assert not [
        d
        for d in deadlines_for(user, start=date(2025, 1, 1), end=date(2025, 12, 31))
        if d.key.startswith("agreements:plan:")
    ]

"""WM-DVO 2025 annex 3 §5 "Kosten onderzoeken" (seed 001):

    "De kosten van de onderzoeken die in opdracht van de gemeenten Beek en Beek worden uitgevoerd zullen op basis van
    nacalculatie worden doorbelast aan de opdracht gevende gemeente. Mochten er naar aanleiding van de onderzoeken
    bezwaren worden ingediend dan zullen deze aanvullend verrekend worden met de individuele gemeenten."

An assessment a member ordered is charged at its actual cost to that member; an objection following it is charged in
addition to the same member; nobody else pays for them, the coordinating municipality charges nobody for itself;
both become invoice lines of source ``bw_charge`` on that member's invoice, once."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from beschermdwonen import charges
from beschermdwonen.models import MemberCharge
from invoicing import services as invoicing
from invoicing.models import InvoiceLine
from regio.line_sources import references
from regio.roles import Role
from tests.beschermdwonen.money_builders import BWM
from tests.factories import UserFactory


@pytest.fixture
def wm(db):
    wm = BWM()
    wm.coordinator = UserFactory(username="bwm-coord", municipality=wm.sg, roles=[Role.COORDINATOR])
    return wm


def _ordered(wm, municipality, amount="1250.40", on=date(2025, 3, 14)):
    return charges.record_ordered_assessment(
        user=wm.team,
        region=wm.region,
        municipality=municipality,
        incurred_on=on,
        amount=Decimal(amount),
        description="Onderzoek op verzoek van de gemeente",
    )


def test_annex_3_5_ordered_assessments_and_objections_are_charged_to_the_ordering_member(wm):
    stein_assessment = _ordered(wm, wm.stein)
    beek_assessment = _ordered(wm, wm.beek, amount="800.00")
    objection = charges.record_objection_cost(
        user=wm.team,
        charge=stein_assessment,
        incurred_on=date(2025, 6, 2),
        amount=Decimal("310.25"),
        description="Bezwaar tegen het besluit na het onderzoek",
    )
    # "doorbelast aan de opdracht gevende gemeente" and "aanvullend verrekend": the objection goes to Stein too.
    assert objection.municipality == wm.stein and objection.objection_to == stein_assessment
    invoices = invoicing.invoice_billables(user=wm.coordinator, region=wm.region, source_type="bw_charge", year=2025)
    billed = {
        invoice.recipient.code: sorted(
            (line.quantity * line.unit_price, line.source_id)
            for line in InvoiceLine.objects.unrestricted().filter(invoice=invoice)
        )
        for invoice in invoices
    }
    assert billed == {
        "GM0971": [(Decimal("310.25"), str(objection.pk)), (Decimal("1250.40"), str(stein_assessment.pk))],
        "GM0888": [(Decimal("800.00"), str(beek_assessment.pk))],
    }
    # Billed once: a second run adds nothing.
    invoicing.invoice_billables(user=wm.coordinator, region=wm.region, source_type="bw_charge", year=2025)
    assert InvoiceLine.objects.unrestricted().filter(source_type="bw_charge").count() == 3
    # The line's source links to the charges page for Stein's staff, not for a supervisor.
    line = InvoiceLine.objects.unrestricted().get(source_id=str(objection.pk))
    assert references(wm.stein_bw, [line])[line.pk].url.startswith("/beschermd-wonen/onderzoekskosten/")
    assert references(wm.supervisor, [line])[line.pk].url is None


def test_the_coordinating_municipality_charges_nobody_for_itself_and_nothing_is_charged_twice_over(wm):
    with pytest.raises(ValidationError, match="belast niets aan zichzelf"):
        _ordered(wm, wm.sg)
    objection_of = _ordered(wm, wm.stein)
    first_objection = charges.record_objection_cost(
        user=wm.team, charge=objection_of, incurred_on=date(2025, 4, 1), amount=Decimal("10"), description="Bezwaar"
    )
    with pytest.raises(ValidationError, match="niet op een bezwaar"):
        charges.record_objection_cost(
            user=wm.team, charge=first_objection, incurred_on=date(2025, 4, 2), amount=Decimal("1"), description="x"
        )
    with pytest.raises(ValidationError, match="niet ervoor"):
        charges.record_objection_cost(
            user=wm.team, charge=objection_of, incurred_on=date(2025, 1, 1), amount=Decimal("1"), description="x"
        )
    assert MemberCharge.objects.unrestricted().count() == 2


@pytest.mark.parametrize(
    "kw, field",
    [
        ({"amount": Decimal("0")}, "amount"),
        ({"amount": Decimal("-5")}, "amount"),
        ({"amount": Decimal("1.005")}, "amount"),
        ({"on": date(2999, 1, 1)}, "incurred_on"),
    ],
)
def test_implausible_charges_are_refused_in_dutch(wm, kw, field):
    with pytest.raises(ValidationError) as exc:
        _ordered(wm, wm.stein, amount=kw.get("amount", "100"), on=kw.get("on", date(2025, 3, 1)))
    assert field in exc.value.message_dict
    assert not MemberCharge.objects.unrestricted().exists()


def test_only_the_access_team_records_charges(wm):
    for user in (wm.stein_bw, wm.beek_civil, wm.coordinator, wm.supervisor):
        with pytest.raises(PermissionDenied):
            charges.record_ordered_assessment(
                user=user,
                region=wm.region,
                municipality=wm.stein,
                incurred_on=date(2025, 3, 1),
                amount=Decimal("1"),
                description="x",
            )
    assert not MemberCharge.objects.unrestricted().exists()


def test_the_page_records_and_each_member_sees_its_own(wm):
    from django.test import Client

    team = Client()
    team.force_login(wm.team)
    url = f"{reverse('bw-charges')}?regio={wm.region.code}&jaar=2025"
    response = team.post(
        url,
        {
            "stap": "onderzoek",
            "onderzoek-municipality": "GM0971",
            "onderzoek-incurred_on": "14-03-2025",
            "onderzoek-amount": "1.250,40",
            "onderzoek-description": "Onderzoek Stein",
        },
    )
    assert response.status_code == 302
    charge = MemberCharge.objects.unrestricted().get()
    assert (charge.municipality, charge.amount, charge.kind) == (wm.stein, Decimal("1250.40"), "assessment")
    bad = team.post(url, {"stap": "bezwaar", "bezwaar-objection_to": str(charge.pk), "bezwaar-amount": "veel"})
    assert bad.status_code == 200 and "Er ging iets mis" in bad.content.decode()
    _ordered(wm, wm.beek, amount="800.00")
    stein = Client()
    stein.force_login(wm.stein_bw)
    page = stein.get(url).content.decode()
    assert "1.250,40" in page and "800,00" not in page and "Vastleggen" not in page
    assert stein.post(url, {"stap": "onderzoek"}).status_code == 403
    assert "1.250,40" in team.get(url).content.decode() and "800,00" in team.get(url).content.decode()


def test_the_page_pages_within_its_region_and_year_in_a_fixed_number_of_queries(wm, django_assert_max_num_queries):
    from django.test import Client

    for n in range(60):
        _ordered(wm, wm.stein if n % 2 else wm.beek, amount=f"{n + 1}.00")
    team = Client()
    team.force_login(wm.team)
    url = f"{reverse('bw-charges')}?regio={wm.region.code}&jaar=2025"
    team.get(url)  # warm the session and the scope
    with django_assert_max_num_queries(25):
        page = team.get(url).content.decode()
    assert f"?regio={wm.region.code}&amp;jaar=2025&amp;page=2" in page
    assert "Pagina 2 van 2" in team.get(url + "&page=2").content.decode()

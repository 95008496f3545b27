"""Amounts typed into the cost-sharing and supervision forms and the split endpoint are read by the one parser
(regio/amounts.py): issue 10, finding 6 (the cost-line form refused "1.234,56"; "1e5" was € 100.000 everywhere) and
the amount part of finding 7 (GET .../split/?amount=1e30 was a 500)."""

from datetime import date
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from costsharing.forms import ActualLineForm, CaoStepForm, SplitPreviewForm, TypedVersionForm
from costsharing.models import ActualCostLine
from toezicht.forms import CapacityForm

D = Decimal


def _api(user):
    client = APIClient()
    client.force_login(user)
    return client


@pytest.mark.parametrize("amount", ["1e30", "1e5", "1E+5", "NaN", "Infinity", "1.234,56", "1000000000000"])
def test_finding_7_split_with_a_hostile_amount_is_a_dutch_400(wm, amount):
    response = _api(wm.coordinator).get(f"/api/v1/allocation-keys/wm-kosten/split/?amount={amount}")
    assert response.status_code == 400, response.content
    assert response.json()["amount"][0].startswith(("Geef", "Het bedrag"))


def test_finding_6_the_cost_line_page_accepts_1_234_56(wm, client):
    client.force_login(wm.coordinator)
    url = "/kostenverdeling/regio/westelijke-mijnstreek/2025/"
    line = {"action": "add", "date": "01-05-2025", "category": "legal", "description": "Advies"}
    response = client.post(url, {**line, "amount": "1.234,56"})
    assert response.status_code == 302, response.content.decode()[-1000:]
    assert ActualCostLine.objects.unrestricted().get().amount == D("1234.56")
    refused = client.post(url, {**line, "amount": "1e5"})
    assert "zonder exponent" in refused.content.decode()
    assert ActualCostLine.objects.unrestricted().count() == 1


def test_finding_6_the_cost_line_form_reads_dutch_amounts_and_allows_a_negative_correction():
    form = ActualLineForm({"date": "01-05-2025", "category": "legal", "description": "x", "amount": "-1.234,56"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == D("-1234.56")


@pytest.mark.parametrize(
    ("form", "data", "field"),
    [
        (SplitPreviewForm, {"amount": "1e5", "on": "01-01-2025"}, "amount"),
        (
            ActualLineForm,
            {"date": "01-05-2025", "category": "legal", "description": "x", "amount": "1e5"},
            "amount",
        ),
        (
            CaoStepForm,
            {"effective_date": "01-01-2025", "fixed_amount_per_month": "1e5", "source": "cao"},
            "fixed_amount_per_month",
        ),
        (TypedVersionForm, {"basis": "fixed", "valid_from": "01-01-2025", "weights": "GM1883 = 1e5"}, "weights"),
    ],
)
def test_finding_6_1e5_is_refused_by_every_cost_sharing_form(form, data, field):
    bound = form(data)
    assert not bound.is_valid()
    assert "exponent" in " ".join(bound.errors[field])


def test_finding_6_1e5_is_refused_by_the_supervision_capacity_form(wm):
    form = CapacityForm({"municipality": "GM0888", "fte": "1e5"}, municipalities=[wm.beek])
    assert not form.is_valid() and "exponent" in " ".join(form.errors["fte"])
    form = CapacityForm({"municipality": "GM0888", "fte": "0,35"}, municipalities=[wm.beek])
    assert form.is_valid() and form.cleaned_data["fte"] == D("0.35")


def test_split_preview_and_weights_read_twelve_thousand_as_twelve_thousand():
    form = SplitPreviewForm({"amount": "12.000", "on": "01-01-2025"})
    assert form.is_valid() and form.cleaned_data["amount"] == D("12000")
    weights = TypedVersionForm(
        {"basis": "clients", "valid_from": "01-01-2025", "weights": "GM1883 = 28.853\nGM0888 = 12,5"}
    )
    assert weights.is_valid(), weights.errors
    assert weights.cleaned_data["weights"] == {"GM1883": D("28853"), "GM0888": D("12.5")}


def test_a_cao_step_fixed_amount_is_bounded():
    form = CaoStepForm({"effective_date": "01-01-2025", "fixed_amount_per_month": "1.000.000,00", "source": "cao"})
    assert not form.is_valid() and "te groot" in " ".join(form.errors["fixed_amount_per_month"])
    form = CaoStepForm({"effective_date": date(2025, 1, 1), "fixed_amount_per_month": "125,00", "source": "cao"})
    assert form.is_valid(), form.errors


def test_finding_6_the_ledger_import_refuses_1e5_and_reads_dutch_amounts(wm):
    from costsharing import services

    bad = b"datum;kostensoort;omschrijving;bedrag\n01-05-2025;legal;Advies;1e5\n"
    with pytest.raises(services.ImportRefused):
        services.import_actuals(user=wm.coordinator, region=wm.region, year=2025, filename="g.csv", content=bad)
    good = b"datum;kostensoort;omschrijving;bedrag\n01-05-2025;legal;Advies;12.000\n"
    services.import_actuals(user=wm.coordinator, region=wm.region, year=2025, filename="g.csv", content=good)
    assert ActualCostLine.objects.unrestricted().get().amount == D("12000.00")

"""Pages, API and region file of the leaver's bill and secondment: Dutch input, Dutch errors (400, never 500), the
PDF, and the region-file section (WM-SO 16.3-16.4, BNO 15.4, WM-SO 4.10)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from rest_framework.test import APIClient

from costsharing import services
from costsharing.models import ExitStatementLine, ExitStatus, Secondment
from regio.regionfile.loader import import_text
from regio.regionfile.registry import RegionFileError
from regio.tenancy import system_actor
from tests.costsharing.test_leavers import effected_notice, wm_agreement

D = Decimal
pytestmark = pytest.mark.django_db


def _statement(wm):
    agreement = wm_agreement(wm)
    notice = effected_notice(
        wm.coordinator, agreement, wm.beek, received=date(2028, 6, 1), effect_on=date(2028, 7, 1), dissolution=True
    )
    return notice, services.draw_up_exit_statement(user=wm.coordinator, notice=notice)


def test_statement_page_enters_a_dutch_amount_refuses_bad_input_and_gives_a_pdf(wm, django_assert_max_num_queries):
    notice, statement = _statement(wm)
    client = Client()
    client.force_login(wm.coordinator)
    url = f"/kostenverdeling/uittreding/{statement.pk}/"
    with django_assert_max_num_queries(40):
        response = client.get(url)
    assert response.status_code == 200 and "Bedrag invoeren" in response.content.decode()
    response = client.post(
        url,
        {"action": "add", "kind": "staff", "description": "Boventallig", "basis": "Loonkosten", "amount": "12.500,00"},
    )
    assert response.status_code == 302
    assert ExitStatementLine.objects.unrestricted().get(statement=statement).amount == D("12500.00")
    for amount in ("-5", "1e30", "12,345", "veel"):
        response = client.post(
            url, {"action": "add", "kind": "staff", "description": "x", "basis": "y", "amount": amount}
        )
        assert response.status_code == 400, amount
        assert "Er ging iets mis" in response.content.decode()
    response = client.post(url, {"action": "remove", "line": "abc"})
    assert response.status_code == 302
    client.post(url, {"action": "finalise"})
    statement.refresh_from_db()
    assert statement.status == ExitStatus.FINAL
    response = client.get(url + "?formaat=pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    # The member sees its own statement, without the forms.
    member = Client()
    member.force_login(wm.beek_user)
    page = member.get(url).content.decode()
    assert "12.500,00" in page and "Bedrag invoeren" not in page
    # The notice page links to it.
    assert member.get(f"/kostenverdeling/uittreding/opzegging/{notice.pk}/").status_code == 200


def test_api_reads_the_statement_and_enters_amounts_with_dutch_errors(wm):
    _notice, statement = _statement(wm)
    api = APIClient()
    api.force_authenticate(wm.coordinator)
    url = f"/api/v1/exit-statements/{statement.pk}/amounts/"
    response = api.post(url, {"kind": "vreemd", "description": "", "basis": "y", "amount": "1e30"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert {"kind", "description", "amount"} <= set(body)
    response = api.post(
        url,
        {"kind": "liquidation", "description": "Liquidatie", "basis": "plan", "amount": "1000.00", "by_key": True},
        format="json",
    )
    assert response.status_code == 201, response.content
    line = response.json()["lines"][-1]
    assert (line["total"], line["amount"], line["entered"]) == ("1000.00", "120.00", True)
    detail = api.get(f"/api/v1/exit-statements/{statement.pk}/").json()
    assert detail["municipality"] == "GM0888" and detail["status"] == "concept"
    services.finalise_exit_statement(user=wm.coordinator, statement=statement)
    response = api.post(url, {"kind": "staff", "description": "x", "basis": "y", "amount": "1.00"}, format="json")
    assert response.status_code == 400 and "verandert niet" in str(response.json())


def test_region_file_secondment_section_and_its_page(wm):
    data = {
        "region": {"code": wm.region.code, "name": wm.region.name},
        "secondment": {
            "settlement": "offset",
            "staff": [
                {
                    "year": 2026,
                    "municipality": "GM0971",
                    "function": "Contractmanager",
                    "scale": 10,
                    "fte": "0.5",
                    "amount": "48600.00",
                    "basis": "detacheringsovereenkomst",
                }
            ],
        },
    }
    import_text(json.dumps(data), "test.yaml", user=system_actor("test"))
    import_text(json.dumps(data), "test.yaml", user=system_actor("test"))  # twice: nothing new
    assert Secondment.objects.unrestricted().count() == 1
    assert services.secondment_settlement(region=wm.region) == "offset"
    client = Client()
    client.force_login(wm.coordinator)
    page = client.get(f"/kostenverdeling/regio/{wm.region.code}/detachering/?jaar=2026").content.decode()
    assert "Contractmanager" in page and "48.600,00" in page
    bad = {**data, "secondment": {"staff": [{**data["secondment"]["staff"][0], "municipality": "GM1883"}]}}
    with pytest.raises(RegionFileError, match="zichzelf"):
        import_text(json.dumps(bad), "bad.yaml", user=system_actor("test"))

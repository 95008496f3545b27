"""Drafts and lines by hand (issue #6): pages and API for the coordinating municipality's staff; an issued invoice
never changes (409); bad input answers 400 with a Dutch message, never 500."""

from datetime import date
from decimal import Decimal

import pytest

from invoicing.models import Invoice, InvoiceLine
from tests.factories import MunicipalityFactory
from tests.invoicing.helpers import draft, grant_invoicing_mandate, issued, profile

D = Decimal
pytestmark = pytest.mark.django_db
DRAFT = {"subject": "Doorbelaste kosten PGAX 2025", "period_start": "01-01-2025", "period_end": "31-12-2025"}


@pytest.fixture
def ready(world):
    profile(world.a1)
    profile(world.a2)
    grant_invoicing_mandate(world)
    return world


def value(world, municipality):
    return f"{world.a.pk}:{municipality.pk}"


def test_new_draft_page_makes_a_draft_of_the_users_municipality(ready):
    world = ready
    client = world.client("a1", "coordinator")
    page = client.get("/facturen/nieuw/").content.decode()
    assert "Beek (GM0888)" in page and "Sittard-Geleen (GM1883)" not in page  # it does not invoice itself
    assert 'for="id_recipient"' in page and 'for="id_period_start"' in page
    response = client.post("/facturen/nieuw/", {**DRAFT, "recipient": value(world, world.a2)})
    assert response.status_code == 302
    invoice = Invoice.objects.unrestricted().get()
    assert (invoice.issuer, invoice.recipient, invoice.region, invoice.status) == (
        world.a1,
        world.a2,
        world.a,
        "draft",
    )
    assert (invoice.period_start, invoice.period_end) == (date(2025, 1, 1), date(2025, 12, 31))
    assert response["Location"] == f"/facturen/{invoice.pk}/"
    assert "Nieuwe conceptfactuur" in client.get("/facturen/").content.decode()


def test_new_draft_page_refuses_members_other_regions_and_bad_input(ready):
    world = ready
    assert world.client("a2").get("/facturen/nieuw/").status_code == 403
    assert (
        world.client("a2").post("/facturen/nieuw/", {**DRAFT, "recipient": value(world, world.a2)}).status_code == 403
    )
    # Region B's coordinator makes drafts for region B only: region A's member is not a choice.
    other = world.client("b1", "coordinator").post("/facturen/nieuw/", {**DRAFT, "recipient": value(world, world.a2)})
    assert other.status_code == 400 and "Beek" not in other.content.decode()
    client = world.client("a1", "coordinator")
    for data, text in (
        ({**DRAFT, "recipient": value(world, world.a2), "period_end": "01-01-2024"}, "eindigt voor ze begint"),
        ({**DRAFT, "recipient": value(world, world.a2), "period_start": "32-13-2025"}, "Leveringsperiode vanaf"),
        ({**DRAFT, "recipient": "x:y"}, "Aan (deelnemende gemeente)"),
        ({**DRAFT, "recipient": value(world, world.a2), "subject": ""}, "Omschrijving"),
    ):
        response = client.post("/facturen/nieuw/", data)
        assert response.status_code == 400 and text in response.content.decode(), text
    assert not Invoice.objects.unrestricted().exists()


def test_no_invoicing_mandate_is_said_at_once(world):
    from agreements.models import Mandate

    profile(world.a1)
    grant_invoicing_mandate(world)
    Mandate.objects.unrestricted().all().delete()
    response = world.client("a1", "coordinator").post(
        "/facturen/nieuw/", {**DRAFT, "recipient": value(world, world.a2)}
    )
    assert (
        response.status_code == 400 and "Geen geldig mandaat om namens Beek te factureren" in response.content.decode()
    )
    api = world.client("a1", "coordinator", api=True).post(
        "/api/v1/invoices/",
        {"recipient": "GM0888", "subject": "x", "period_start": "2025-01-01", "period_end": "2025-12-31"},
        format="json",
    )
    assert api.status_code == 400 and "Geen geldig mandaat" in api.json()["recipient"][0]
    assert not Invoice.objects.unrestricted().exists()


def test_lines_by_hand_add_edit_remove_and_the_totals_follow(ready):
    world = ready
    invoice = draft(world, lines=[])
    client = world.client("a1", "coordinator")
    page = client.get(f"/facturen/{invoice.pk}/").content.decode()
    assert "Regel toevoegen" in page and "Concept verwijderen" in page
    line = {
        "description": "Doorbelasting training toezichthouders",
        "quantity": "3,5",
        "unit": "uur",
        "unit_price": "1.234,5678",
        "vat_rate": "21",
        "source_type": "pass_through",
        "source_id": "INK-2025-17",
    }
    assert client.post(f"/facturen/{invoice.pk}/regels/nieuw/", line).status_code == 302
    added = InvoiceLine.objects.unrestricted().get()
    assert (added.quantity, added.unit_price, added.total_excl) == (D("3.5"), D("1234.5678"), D("4320.99"))
    assert (added.source_type, added.source_id) == ("pass_through", "INK-2025-17")
    invoice.refresh_from_db()
    assert (invoice.total_excl, invoice.total_vat, invoice.total_incl) == (D("4320.99"), D("907.41"), D("5228.40"))
    edit = client.get(f"/facturen/{invoice.pk}/regels/{added.pk}/").content.decode()
    assert 'value="3,5"' in edit and 'value="1234,5678"' in edit
    changed = {**line, "quantity": "1", "unit_price": "100", "source_type": "bw_fee", "vat_rate": "0"}
    assert client.post(f"/facturen/{invoice.pk}/regels/{added.pk}/", changed).status_code == 302
    invoice.refresh_from_db()
    assert (invoice.total_excl, invoice.total_vat, invoice.total_incl) == (D("100.00"), D("0.00"), D("100.00"))
    assert "Regel verwijderen" in client.get(f"/facturen/{invoice.pk}/regels/{added.pk}/verwijderen/").content.decode()
    assert client.post(f"/facturen/{invoice.pk}/regels/{added.pk}/verwijderen/").status_code == 302
    invoice.refresh_from_db()
    assert not InvoiceLine.objects.unrestricted().exists() and invoice.total_incl == D("0.00")
    assert InvoiceLine.history.filter(history_type="-").count() == 1  # audited


@pytest.mark.parametrize(
    ("field", "bad", "text"),
    [
        ("quantity", "drie", "Geef een getal"),
        ("quantity", "0", "groter zijn dan nul"),
        ("quantity", "-1", "groter zijn dan nul"),
        ("quantity", "1,23456", "hoogstens 4 cijfers"),
        ("quantity", "99999999999", "te groot"),
        ("unit_price", "-5", "niet negatief"),
        ("unit_price", "1e400", "zonder exponent"),
        ("unit_price", "1e-400", "zonder exponent"),
        ("unit_price", "NaN", "Geef een bedrag"),
        ("unit", "ton", "Selecteer een geldige keuze"),
        ("vat_rate", "12", "Selecteer een geldige keuze"),
        ("source_type", "reckoning_line", "Selecteer een geldige keuze"),
        ("description", "", "Omschrijving"),
    ],
)
def test_line_form_never_500s_on_bad_input(ready, field, bad, text):
    invoice = draft(ready, lines=[])
    line = {"description": "x", "quantity": "1", "unit": "stuk", "unit_price": "1", "vat_rate": "21"}
    line["source_type"] = "manual"
    response = ready.client("a1", "coordinator").post(f"/facturen/{invoice.pk}/regels/nieuw/", {**line, field: bad})
    assert response.status_code == 400
    assert text in response.content.decode()
    assert not InvoiceLine.objects.unrestricted().exists()


def test_outside_scope_lines_are_refused_beside_vat_lines_on_the_page(ready):
    invoice = draft(ready)  # two lines at 21 %
    line = {"description": "x", "quantity": "1", "unit": "stuk", "unit_price": "1", "vat_rate": "outside"}
    response = ready.client("a1", "coordinator").post(
        f"/facturen/{invoice.pk}/regels/nieuw/", {**line, "source_type": "manual"}
    )
    assert response.status_code == 400 and "BR-O-11" in response.content.decode()


def test_delete_draft_page(ready):
    invoice = draft(ready)
    client = ready.client("a1", "coordinator")
    assert client.post(f"/facturen/{invoice.pk}/verwijderen/").status_code == 302
    assert not Invoice.objects.unrestricted().exists() and not InvoiceLine.objects.unrestricted().exists()


def test_issued_invoice_pages_refuse_line_changes_and_deletion(ready):
    invoice = issued(ready)
    line = invoice.lines.unrestricted().first()
    client = ready.client("a1", "coordinator")
    for url in (
        f"/facturen/{invoice.pk}/verwijderen/",
        f"/facturen/{invoice.pk}/regels/nieuw/",
        f"/facturen/{invoice.pk}/regels/{line.pk}/",
        f"/facturen/{invoice.pk}/regels/{line.pk}/verwijderen/",
    ):
        for response in (client.get(url), client.post(url, {"description": "x", "quantity": "1", "unit_price": "1"})):
            assert response.status_code == 409, url
            assert "verzonden factuur verandert niet meer" in response.content.decode()
    assert Invoice.objects.unrestricted().get(pk=invoice.pk).total_incl == invoice.total_incl
    assert InvoiceLine.objects.unrestricted().filter(invoice=invoice).count() == 2


# --- API ---------------------------------------------------------------------------------------------------------

PAYLOAD = {
    "recipient": "GM0888",
    "subject": "Doorbelaste kosten",
    "period_start": "2025-01-01",
    "period_end": "2025-12-31",
}


def test_api_creates_a_draft_and_its_lines(ready):
    client = ready.client("a1", "coordinator", api=True)
    response = client.post("/api/v1/invoices/", PAYLOAD, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["issuer"], body["recipient"], body["region"]) == (
        "draft",
        "GM1883",
        "GM0888",
        "regio-a",
    )
    assert body["document_type"] == "invoice" and body["number"] == ""
    url = f"/api/v1/invoices/{body['id']}/lines/"
    line = {"description": "PGAX", "quantity": "2", "unit": "uur", "unit_price": "93.27", "source_type": "bw_fee"}
    created = client.post(url, line, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["total_excl"] == "186.54" and created.json()["vat_rate"] == "21"
    line_id = created.json()["id"]
    patched = client.patch(f"{url}{line_id}/", {"quantity": "3"}, format="json")
    assert patched.status_code == 200 and patched.json()["total_excl"] == "279.81"
    assert patched.json()["description"] == "PGAX"  # a partial change keeps the rest
    assert client.get(url).json()[0]["id"] == line_id
    detail = client.get(f"/api/v1/invoices/{body['id']}/").json()
    assert (detail["total_excl"], detail["total_vat"], detail["total_incl"]) == ("279.81", "58.76", "338.57")
    assert client.delete(f"{url}{line_id}/").status_code == 204
    assert client.get(url).json() == []
    # Issue it after adding a line again: the existing action.
    client.post(url, line, format="json")
    assert client.post(f"/api/v1/invoices/{body['id']}/issue/").json()["status"] == "issued"


def test_api_issued_invoice_lines_answer_409_in_dutch(ready):
    invoice = issued(ready)
    line = invoice.lines.unrestricted().first()
    client = ready.client("a1", "coordinator", api=True)
    url = f"/api/v1/invoices/{invoice.pk}/lines/"
    for response in (
        client.post(url, {"description": "x", "quantity": "1", "unit_price": "1"}, format="json"),
        client.patch(f"{url}{line.pk}/", {"description": "x"}, format="json"),
        client.delete(f"{url}{line.pk}/"),
    ):
        assert response.status_code == 409
        assert "verzonden factuur verandert niet meer" in response.json()["detail"]
    assert InvoiceLine.objects.unrestricted().get(pk=line.pk).description == line.description


@pytest.mark.parametrize(
    ("payload", "field", "text"),
    [
        ({**PAYLOAD, "recipient": "GM9999"}, "recipient", "Onbekende gemeente"),
        ({**PAYLOAD, "recipient": "GM0828"}, "recipient", "geen lid van een regio"),
        ({**PAYLOAD, "recipient": "GM1883"}, "recipient", "factureert zichzelf niet"),
        ({**PAYLOAD, "recipient": ""}, "recipient", "niet leeg"),
        ({**PAYLOAD, "period_end": "2024-01-01"}, "period_end", "eindigt voor ze begint"),
        ({**PAYLOAD, "period_start": "1-1-2025"}, "period_start", "JJJJ-MM-DD"),
        ({**PAYLOAD, "subject": ""}, "subject", "niet leeg"),
    ],
)
def test_api_create_refuses_bad_input_with_a_dutch_message(ready, payload, field, text):
    response = ready.client("a1", "coordinator", api=True).post("/api/v1/invoices/", payload, format="json")
    assert response.status_code == 400, response.content
    assert text in " ".join(response.json()[field])
    assert not Invoice.objects.unrestricted().exists()


@pytest.mark.parametrize(
    "payload",
    [[], "tekst", {"recipient": ["GM0888"]}, {"recipient": {"x": 1}}, {**PAYLOAD, "period_start": 20250101}],
)
def test_api_create_never_500s(ready, payload):
    response = ready.client("a1", "coordinator", api=True).post("/api/v1/invoices/", payload, format="json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"description": "x", "quantity": "abc", "unit_price": "1"}, "quantity"),
        ({"description": "x", "quantity": "0", "unit_price": "1"}, "quantity"),
        ({"description": "x", "quantity": "1", "unit_price": "-1"}, "unit_price"),
        ({"description": "x", "quantity": "1", "unit_price": "1e20"}, "unit_price"),
        ({"description": "x", "quantity": "1", "unit_price": 1.5}, None),  # a JSON number: DRF reads it as text
        ({"description": "x", "quantity": "1", "unit_price": "1", "vat_rate": "12"}, "vat_rate"),
        ({"description": "x", "quantity": "1", "unit_price": "1", "source_type": "credit"}, "source_type"),
        ({"description": "", "quantity": "1", "unit_price": "1"}, "description"),
        ([], None),
    ],
)
def test_api_lines_never_500(ready, payload, field):
    invoice = draft(ready, lines=[])
    response = ready.client("a1", "coordinator", api=True).post(
        f"/api/v1/invoices/{invoice.pk}/lines/", payload, format="json"
    )
    if field is None and isinstance(payload, dict):
        assert response.status_code == 201  # 1.5 as a JSON number is exactly 1.5: no float reaches the money
        assert InvoiceLine.objects.unrestricted().get().unit_price == D("1.5")
        return
    assert response.status_code == 400, response.content
    if field:
        assert field in response.json()
    assert not InvoiceLine.objects.unrestricted().exists()


def test_api_only_issuer_staff_create_and_members_get_404_on_others(ready):
    world = ready
    assert world.client("a2", api=True).post("/api/v1/invoices/", PAYLOAD, format="json").status_code == 403
    assert (
        world.client("a2", "wethouder", api=True).post("/api/v1/invoices/", PAYLOAD, format="json").status_code == 403
    )
    assert (
        world.client("b1", "coordinator", api=True)
        .post("/api/v1/invoices/", {**PAYLOAD, "region": "regio-a"}, format="json")
        .status_code
        == 404
    )
    # Another member of region A receives its own invoices only; a draft is invisible to every member.
    stein = MunicipalityFactory(code="GM0971", name="Stein")
    from regio.models import Membership

    Membership.objects.unrestricted().create(region=world.a, municipality=stein, valid_from=date(2015, 1, 1))
    profile(stein)
    grant_invoicing_mandate(world, mandating=stein)
    to_stein = issued(world, recipient=stein)
    concept = draft(world)
    client = world.client("a2", api=True)
    for invoice in (to_stein, concept):
        assert client.get(f"/api/v1/invoices/{invoice.pk}/").status_code == 404
        assert client.get(f"/api/v1/invoices/{invoice.pk}/lines/").status_code == 404
        line = invoice.lines.unrestricted().first()
        assert client.patch(f"/api/v1/invoices/{invoice.pk}/lines/{line.pk}/", {"description": "x"}).status_code == 404
    own = issued(world)
    assert client.get(f"/api/v1/invoices/{own.pk}/lines/").status_code == 200
    assert client.post(f"/api/v1/invoices/{own.pk}/lines/", {"description": "x"}).status_code == 403
    assert Invoice.objects.unrestricted().count() == 3


def test_api_create_for_an_unknown_region_answers_like_another_tenants_404(ready):
    """Existence is not told: an unknown region code is a 404, as region B's code is for region A (issue 11)."""
    client = ready.client("a1", "coordinator", api=True)
    unknown = client.post("/api/v1/invoices/", {**PAYLOAD, "region": "bestaat-niet"}, format="json")
    other = client.post("/api/v1/invoices/", {**PAYLOAD, "region": "regio-b"}, format="json")
    assert unknown.status_code == other.status_code == 404
    assert not Invoice.objects.unrestricted().exists()


def test_an_ended_member_is_no_recipient_for_a_new_period(ready):
    """Issue 17: Schinnen (ended 2018) was offered as the recipient of a new draft. Not offered any more, and the
    service refuses it for a period after it left; a period in which it was a member can still be billed."""
    from regio.models import Membership
    from tests.factories import MembershipFactory

    world = ready
    schinnen = MunicipalityFactory(code="GM1674", name="Schinnen", active_until=date(2018, 12, 31))
    MembershipFactory(
        region=world.a, municipality=schinnen, valid_from=date(2015, 1, 1), valid_until=date(2016, 12, 31)
    )
    client = world.client("a1", "coordinator")
    assert "Schinnen" not in client.get("/facturen/nieuw/").content.decode()
    response = client.post("/facturen/nieuw/", {**DRAFT, "recipient": value(world, schinnen)})
    assert response.status_code == 400 and not Invoice.objects.unrestricted().exists()
    from invoicing import services
    from tests.invoicing.helpers import coordinator

    with pytest.raises(services.InvoicingError, match="in de leveringsperiode geen lid"):
        services.create_draft(
            user=coordinator(world),
            region=world.a,
            recipient=schinnen,
            subject="x",
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
        )
    last = services.create_draft(
        user=coordinator(world),
        region=world.a,
        recipient=schinnen,
        subject="Laatste periode",
        period_start=date(2016, 1, 1),
        period_end=date(2016, 12, 31),
    )
    assert last.recipient == schinnen and Membership.objects.unrestricted().filter(municipality=schinnen).count() == 1

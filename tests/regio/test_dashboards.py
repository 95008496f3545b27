"""Issue 18, dashboards: each role gets its dashboards, every figure equals the page it links to (the same selectors),
the PDF is one page, the JSON is the charts' source, and the number of queries does not grow with the data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from guardian.shortcuts import assign_perm

from invoicing import services as invoicing_services
from regio.dashboard_views import render_dashboard_pdf
from regio.dashboards import Audience, Column, Figure, Kind, audiences_for, figures_for
from regio.roles import Role
from regio.tenancy import forget_scope
from tests.factories import UserFactory
from tests.invoicing.helpers import coordinator, issued


def _figure(figures, key):
    return next((f for f in figures if f.key == key), None)


def test_each_role_gets_its_dashboards(world):
    assert audiences_for(world.user("a2", Role.PORTFOLIO_HOLDER)) == [Audience.PORTFOLIO]
    assert audiences_for(world.user("a2")) == [Audience.MEMBER]
    assert audiences_for(world.user("a1", Role.COORDINATOR)) == [Audience.COORDINATOR, Audience.MEMBER]
    platform = UserFactory(username="platform", municipality=None, roles=[Role.PLATFORM_ADMIN])
    assert audiences_for(platform) == [Audience.PLATFORM]


def test_a_dashboard_the_user_may_not_open_is_a_404_and_a_bad_one_a_dutch_400(world):
    holder = world.client("a2", Role.PORTFOLIO_HOLDER)
    assert holder.get("/dashboard/").status_code == 200
    assert holder.get("/dashboard/?voor=coordinatie").status_code == 404
    assert holder.get("/dashboard/pdf/?voor=platform").status_code == 404
    api = world.client("a2", Role.PORTFOLIO_HOLDER, api=True)
    assert api.get("/api/v1/dashboard/?audience=coordinatie").status_code == 404
    bad = api.get("/api/v1/dashboard/?audience=<script>")
    assert bad.status_code == 400
    assert "Onbekend dashboard" in bad.json()["audience"][0]


def test_invoices_to_pay_equal_the_invoice_and_stay_within_the_municipality(world):
    invoice = issued(world)
    invoicing_services.register_payment(
        user=coordinator(world), invoice=invoice, amount=Decimal("1000.00"), paid_on=date(2025, 12, 20)
    )
    invoice.refresh_from_db()
    for role in (Role.CIVIL_SERVANT, Role.PORTFOLIO_HOLDER):
        user = world.user("a2", role)
        figure = _figure(figures_for(user, audiences_for(user)[0]), "invoices-to-pay")
        assert figure.rows == [[invoice.number, "Sittard-Geleen", invoice.due_on, invoice.outstanding(), "te laat"]]
        assert figure.url == "/facturen/"
    stranger = world.user("a3")
    assert _figure(figures_for(stranger, Audience.MEMBER), "invoices-to-pay") is None


def test_the_coordinating_team_sees_its_invoices_by_state_and_the_overdue_ones(world):
    issued(world)
    second = issued(world, subject="Tweede factuur")
    invoicing_services.mark_overdue_and_remind(today=date(2026, 1, 10))
    figure = _figure(figures_for(coordinator(world), Audience.COORDINATOR), "invoices-by-state")
    assert figure.rows[0][:2] == ["verzonden", 2]
    assert figure.rows[-1][:2] == ["waarvan te laat betaald", 2]
    second.refresh_from_db()
    assert figure.rows[-1][2] == 2 * second.outstanding()
    # Region B's coordinator coordinates nothing of region A.
    assert _figure(figures_for(world.user("b1", Role.COORDINATOR), Audience.COORDINATOR), "invoices-by-state") is None


def test_costs_by_year_equal_the_trend_page(world, client):
    from costsharing.models import Reckoning, ReckoningLine

    for year, share in ((2024, "1000.00"), (2025, "1200.00")):
        reckoning = Reckoning.objects.create(region=world.a, year=year, run_state="done")
        ReckoningLine.objects.create(
            reckoning=reckoning,
            municipality=world.a2,
            share=Decimal(share),
            advances=Decimal("1100.00"),
            difference=Decimal(share) - Decimal("1100.00"),
        )
    holder = world.user("a2", Role.PORTFOLIO_HOLDER)
    figure = _figure(figures_for(holder, Audience.PORTFOLIO), "costs-by-year")
    client.force_login(holder)
    page = client.get(figure.url)
    assert [[f"{li.reckoning.year} {li.reckoning.region.name}", li.share, li.advances, li.difference]
            for li in page.context["lines"]] == figure.rows  # fmt: skip
    assert figure.rows[-1] == ["2025 Regio A", Decimal("1200.00"), Decimal("1100.00"), Decimal("100.00")]
    assert _figure(figures_for(world.user("a3"), Audience.MEMBER), "costs-by-year") is None


def test_supervision_figures_are_counts_equal_to_the_annual_report(world):
    from toezicht.selectors import signal_figures
    from toezicht.services import record_signal

    supervisor = world.user("a1", Role.SUPERVISOR)
    assign_perm("regio.supervise_municipality", supervisor, world.a2)
    forget_scope(supervisor)
    today = timezone.localdate()
    for n in range(3):
        record_signal(
            user=supervisor,
            municipality=world.a2,
            received_on=today,
            source="ggd",
            kind="both",
            funding="pgb",
            provider_name=f"Zorg BV {n}",
            description="Calamiteitenmelding",
        )
    holder = world.user("a2", Role.PORTFOLIO_HOLDER)
    figure = _figure(figures_for(holder, Audience.PORTFOLIO), "supervision")
    assert (
        figure.rows[0][:2]
        == ["Beek", signal_figures(municipality=world.a2, year=today.year)["total"]]
        == [
            "Beek",
            3,
        ]
    )
    text = str(figure.as_json())
    assert "Zorg BV" not in text and "Calamiteit" not in text  # aggregates only, never a signal
    regional = _figure(figures_for(coordinator(world), Audience.COORDINATOR), "supervision-region")
    assert ["Beek", 3] in [row[:2] for row in regional.rows]
    assert _figure(figures_for(world.user("b1", Role.COORDINATOR), Audience.COORDINATOR), "supervision-region") is None


def test_the_page_shows_tables_and_the_charts_read_the_json(world):
    issued(world)
    client = world.client("a2")
    html = client.get("/dashboard/").content.decode()
    assert "Facturen die wij nog moeten betalen" in html and "2025-0001" in html and "€ " in html
    assert 'data-url="/api/v1/dashboard/?audience=gemeente"' in html
    data = world.client("a2", api=True).get("/api/v1/dashboard/?audience=gemeente").json()
    figure = next(f for f in data["figures"] if f["key"] == "invoices-to-pay")
    assert figure["rows"][0][0] == "2025-0001"
    assert isinstance(figure["rows"][0][3], str)  # an amount travels as a string, never a float


def test_the_pdf_is_one_page_however_many_rows(world):
    rows = [[f"Regel {n}", Decimal("1234.56"), n] for n in range(60)]
    figures = [
        Figure(
            key=f"f{i}",
            title=f"Figuur {i}",
            columns=[Column("Wat"), Column("Bedrag", Kind.MONEY), Column("Aantal", Kind.COUNT)],
            rows=rows,
        )
        for i in range(8)
    ]
    pdf, pages = render_dashboard_pdf(figures, audience_label="Portefeuillehouder", municipality=world.a2)
    assert pdf.startswith(b"%PDF") and pages == 1
    response = world.client("a2", Role.PORTFOLIO_HOLDER).get("/dashboard/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("audience", [Audience.MEMBER, Audience.COORDINATOR])
def test_the_number_of_queries_does_not_grow_with_the_invoices(world, audience):
    user = coordinator(world) if audience == Audience.COORDINATOR else world.user("a2")
    issued(world)
    figures_for(user, audience)  # the scope and the settings caches are warm for both counts
    with CaptureQueriesContext(connection) as few:
        figures_for(user, audience)
    for n in range(6):
        issued(world, subject=f"Factuur {n}")
    with CaptureQueriesContext(connection) as many:
        figures_for(user, audience)
    assert len(many) == len(few)


def test_beschermd_wonen_counts_equal_the_counts_page_and_name_no_client(world):
    from beschermdwonen import selectors as bw_selectors
    from beschermdwonen import services as bw_services

    team = world.user("a1", "bw")
    for reference, municipality in (("BW-A2", world.a2), ("BW-A3", world.a3), ("BW-A3B", world.a3)):
        bw_services.register_client(
            user=team, region=world.a, municipality=municipality, valid_from=date(2024, 1, 1), reference=reference
        )
    today = timezone.localdate()
    for municipality, expected in ((world.a2, 1), (world.a3, 2)):
        code = {world.a2: "a2", world.a3: "a3"}[municipality]
        figure = _figure(figures_for(world.user(code, Role.PORTFOLIO_HOLDER), Audience.PORTFOLIO), "bw-clients")
        assert figure.rows == [["Regio A", expected, 0]]
        assert bw_selectors.client_counts(region=world.a, on=today)[municipality] == expected  # the counts page
        assert "BW-A" not in str(figure.as_json())
    assert _figure(figures_for(world.user("b1", Role.PORTFOLIO_HOLDER), Audience.PORTFOLIO), "bw-clients") is None

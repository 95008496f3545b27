"""Issue 10, finding 4: one date ran away with the server.

A CAO step dated 01-01-9999 was accepted; the indexation then computed 7.977 norm years, sent 2.250 cost overviews to
each member, held the database for ten minutes and Beek's notices page listed 2.251 rows at once. A -50 % step was
accepted too. These tests replay that data and prove that the entry is refused and that the job stays bounded even
when the data bypasses the form.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from costsharing import services, tasks
from costsharing.models import CaoStep, NormYear, Notice
from regio.tenancy import system_actor

TARIFFS = "/kostenverdeling/regio/westelijke-mijnstreek/tarieven/"


def post_step(client, user, **data):
    client.force_login(user)
    payload = {"effective_date": "01-10-2024", "source": "cao Gemeenten", **data}
    return client.post(TARIFFS, payload)


def test_finding_4_a_step_dated_01_01_9999_is_refused_on_the_page(wm, client):
    page = post_step(client, wm.coordinator, effective_date="01-01-9999", percentage="1,25")
    assert page.status_code == 200
    assert "01-01-9999 ligt te ver in de toekomst" in page.content.decode()
    assert not CaoStep.objects.unrestricted().exists()


@pytest.mark.parametrize("pct", ["-50", "-10,01", "25,5", "999"])
def test_finding_4_a_step_outside_minus_10_and_plus_25_percent_is_refused(wm, client, pct):
    page = post_step(client, wm.coordinator, percentage=pct, confirmed="on")
    assert "moet tussen -10 en 25 procent liggen" in page.content.decode()
    assert not CaoStep.objects.unrestricted().exists()


def test_finding_4_a_large_step_needs_an_explicit_confirmation(wm, client, django_capture_on_commit_callbacks):
    page = post_step(client, wm.coordinator, percentage="12,5")
    assert "ongebruikelijk groot" in page.content.decode()
    assert not CaoStep.objects.unrestricted().exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(client, wm.coordinator, percentage="12,5", confirmed="on")
    assert response.status_code == 302
    assert CaoStep.objects.unrestricted().get().percentage == Decimal("12.5")


def test_finding_4_the_confirmation_threshold_and_bounds_are_settings(wm, settings):
    settings.CAO_STEP_CONFIRM_PERCENTAGE = "3"
    settings.CAO_STEP_MIN_PERCENTAGE = "0"
    with pytest.raises(ValidationError) as caught:
        services.check_cao_step(effective_date=date(2025, 1, 1), percentage=Decimal("4"))
    assert "confirmed" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.check_cao_step(effective_date=date(2025, 1, 1), percentage=Decimal("-1"), confirmed=True)
    assert "percentage" in caught.value.message_dict
    services.check_cao_step(effective_date=date(2025, 1, 1), percentage=Decimal("4"), confirmed=True)


def test_finding_4_the_service_refuses_what_the_form_refuses(wm):
    with pytest.raises(ValidationError) as caught:
        services.add_cao_step(
            user=wm.coordinator,
            region=wm.region,
            effective_date=date(9999, 1, 1),
            source="typefout",
            percentage=Decimal("-50"),
        )
    assert set(caught.value.message_dict) == {"effective_date", "percentage"}
    assert not CaoStep.objects.unrestricted().exists()


def test_finding_4_the_model_refuses_it_too_so_region_files_cannot_bypass_it(wm):
    step = CaoStep(region=wm.region, effective_date=date(9999, 1, 1), percentage=Decimal("1"), source="x")
    with pytest.raises(ValidationError) as caught:
        step.full_clean()
    assert "effective_date" in caught.value.message_dict


def test_finding_4_replayed_step_in_9999_inserted_directly_keeps_the_job_bounded(
    wm, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """The step is written straight into the database, past every form and check: the job still computes only up to
    next year and sends each member one overview."""
    CaoStep.objects.create(region=wm.region, effective_date=date(2024, 10, 1), percentage=Decimal("1.25"), source="a")
    CaoStep.objects.create(region=wm.region, effective_date=date(9999, 1, 1), percentage=Decimal("-50"), source="b")
    next_year = timezone.localdate().year + 1
    with django_assert_max_num_queries(400):
        changed = tasks.index_norms(wm.region.pk)
    assert changed == list(range(2025, next_year + 1))
    years = set(NormYear.objects.unrestricted().filter(region=wm.region).values_list("year", flat=True))
    assert max(years) == next_year
    # One overview per member per run (three members), with every changed year in one PDF.
    notices = Notice.objects.unrestricted().filter(region=wm.region)
    assert notices.count() == 3
    assert {n.municipality_id for n in notices} == {wm.sg.pk, wm.stein.pk, wm.beek.pk}
    assert all(bytes(n.pdf).startswith(b"%PDF") for n in notices)
    assert len(mail.outbox) <= 3
    # Running again changes nothing and sends nothing.
    assert tasks.index_norms(wm.region.pk) == []
    assert Notice.objects.unrestricted().filter(region=wm.region).count() == 3


def test_finding_4_through_year_cannot_push_the_indexation_beyond_next_year(wm):
    CaoStep.objects.create(region=wm.region, effective_date=date(2024, 10, 1), percentage=Decimal("1.25"), source="a")
    result = services.index_norms(user=system_actor("test"), region=wm.region, through_year=9999)
    assert max(result.changed_years) == timezone.localdate().year + 1


def test_finding_4_the_notices_page_pages_2251_rows(wm, client, django_assert_max_num_queries):
    Notice.objects.bulk_create(
        Notice(region=wm.region, municipality=wm.beek, year=2025, title=f"Kostenoverzicht {i}", body="b")
        for i in range(2251)
    )
    client.force_login(wm.beek_user)
    with django_assert_max_num_queries(25):
        page = client.get("/kostenverdeling/berichten/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("?download=") == 50
    assert "Pagina 1 van 46" in html
    last = client.get("/kostenverdeling/berichten/?pagina=46")
    assert last.content.decode().count("?download=") == 1
    # A page number that is no number, or lies beyond the end, shows a page instead of an error.
    for bad in ("abc", "99999999999999999999", "-1", "1e30"):
        assert client.get(f"/kostenverdeling/berichten/?pagina={bad}").status_code == 200
    assert client.get("/kostenverdeling/berichten/?download=abc").status_code == 404


def test_finding_4_the_api_refuses_the_same_steps_per_field(wm, django_capture_on_commit_callbacks):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_login(wm.coordinator)
    url = "/api/v1/regions/westelijke-mijnstreek/cao-steps/"
    far = api.post(url, {"effective_date": "9999-01-01", "percentage": "1.25", "source": "x"}, format="json")
    assert far.status_code == 400 and "ligt te ver in de toekomst" in far.json()["effective_date"][0]
    minus = api.post(url, {"effective_date": "2025-01-01", "percentage": "-50", "source": "x"}, format="json")
    assert minus.status_code == 400 and "tussen -10 en 25 procent" in minus.json()["percentage"][0]
    large = api.post(url, {"effective_date": "2025-01-01", "percentage": "12.5", "source": "x"}, format="json")
    assert large.status_code == 400 and "ongebruikelijk groot" in large.json()["confirmed"][0]
    assert not CaoStep.objects.unrestricted().exists()
    with django_capture_on_commit_callbacks(execute=True):
        payload = {"effective_date": "2025-01-01", "percentage": "12.5", "source": "x", "confirmed": True}
        confirmed = api.post(url, payload, format="json")
    assert confirmed.status_code == 201, confirmed.json()
    assert api.get(url).json()["results"][0]["percentage"] == "12.5000"
    api.force_login(wm.beek_user)
    refused = api.post(url, {"effective_date": "2025-01-01", "percentage": "1", "source": "x"}, format="json")
    assert refused.status_code == 403
    assert CaoStep.objects.unrestricted().count() == 1

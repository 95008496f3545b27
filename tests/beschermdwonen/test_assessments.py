"""Assessments (onderzoeken) of beschermd wonen (issue 13; WM-DVO annexes 1 and 2): hours per function and scale,
GGD/external advice with its cost, consultation hours, the conversation report as a private document."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from beschermdwonen import services
from beschermdwonen.models import Assessment, AssessmentHours
from regio.models import AccessLog
from regio.tenancy import system_actor

PDF = b"%PDF-1.4 verslag van het gesprek"


@pytest.fixture
def team(world):
    return world.user("a1", "bw")


@pytest.fixture
def notification(world, team):
    client = services.register_client(
        user=team, region=world.a, municipality=world.a2, valid_from=date(2024, 1, 1), reference="BW-O1"
    )
    return services.record_notification(
        user=team, client=client, notified_on=date(2025, 2, 3), kind="intramural", notified_by="Huisarts"
    )


def test_wm_dvo_annex_1_intramural_hours_and_ggd_advice(world, team, notification):
    assessment = services.start_assessment(
        user=team,
        notification=notification,
        advice_kind="ggd",
        advice_cost=Decimal("450.00"),
        consultation_hours=Decimal("1.5"),
        consultation_requested_by=world.a3,
    )
    services.add_assessment_hours(
        user=team, assessment=assessment, function="Allround consulent Wmo", scale=10, hours=Decimal("7")
    )
    services.add_assessment_hours(
        user=team, assessment=assessment, function="Medewerker Beheer en Planning", scale=8, hours=Decimal("1")
    )
    assert sum(h.hours for h in assessment.hours.all()) == Decimal("8")
    with pytest.raises(ValidationError, match="al een onderzoek"):
        services.start_assessment(user=team, notification=notification)


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"advice_kind": "none", "advice_cost": Decimal("10")}, "advice_cost"),
        ({"advice_kind": "ggd", "advice_cost": Decimal("-1")}, "advice_cost"),
        ({"consultation_hours": Decimal("2")}, "consultation_requested_by"),
        ({"consultation_hours": Decimal("1e9")}, "consultation_hours"),
        ({"advice_kind": "ander"}, "advice_kind"),
    ],
)
def test_bad_assessments_are_refused_in_dutch(team, notification, kw, field):
    with pytest.raises(ValidationError) as exc:
        services.start_assessment(user=team, notification=notification, **kw)
    assert field in exc.value.message_dict
    assert not Assessment.objects.unrestricted().exists()


def test_hours_refuse_bad_scale_and_a_bsn_as_function(team, notification):
    assessment = services.start_assessment(user=team, notification=notification)
    for kw in [
        {"function": "111222333", "scale": 10, "hours": Decimal("1")},
        {"function": "Consulent", "scale": 40, "hours": Decimal("1")},
        {"function": "Consulent", "scale": 10, "hours": Decimal("0")},
    ]:
        with pytest.raises(ValidationError):
            services.add_assessment_hours(user=team, assessment=assessment, **kw)
    assert not AssessmentHours.objects.unrestricted().exists()


def test_only_the_access_team_assesses(world, notification):
    for who in [("a2", "bw"), ("a1", "coordinator"), ("b1", "bw")]:
        with pytest.raises(PermissionDenied):
            services.start_assessment(user=world.user(*who), notification=notification)


def test_the_report_is_private_and_only_the_access_team_reads_it(world, team, notification):
    assessment = services.start_assessment(user=team, notification=notification)
    upload = SimpleUploadedFile("Jansen gesprek.pdf", PDF, content_type="application/pdf")
    services.attach_report(user=team, assessment=assessment, upload=upload)
    assessment.refresh_from_db()
    # A random name under the private root (never served), nothing of the original name.
    assert assessment.report.name.startswith("beschermdwonen/") and "Jansen" not in assessment.report.name
    assert not str(django_settings.MEDIA_URL).startswith("/media")
    url = reverse("bw-assessment-report", args=[assessment.pk])
    response = world.client("a1", "bw").get(url)
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Disposition"].startswith("attachment") and "Jansen" not in response["Content-Disposition"]
    assert AccessLog.objects.unrestricted().filter(action="download").count() == 1
    # The member's staff sees the assessment (it houses the client) but not the report; others do not even see it.
    assert world.client("a2", "bw").get(url).status_code == 403
    assert world.client("a2", "bw").get(reverse("bw-assessment-detail", args=[assessment.pk])).status_code == 200
    assert world.client("a3", "bw").get(url).status_code == 404
    assert world.client("b1", "bw").get(url).status_code == 404
    api = world.client("a2", "bw", api=True).get(reverse("api:bw-assessment-detail", args=[assessment.pk]))
    assert api.json()["has_report"] is True and "beschermdwonen/" not in api.content.decode()


def test_a_report_that_is_not_a_pdf_is_refused(team, notification):
    assessment = services.start_assessment(user=team, notification=notification)
    with pytest.raises(ValidationError, match="PDF"):
        services.attach_report(
            user=team, assessment=assessment, upload=SimpleUploadedFile("x.pdf", b"<html>", content_type="text/html")
        )


def test_the_pages_start_an_assessment_and_add_hours(world, team, notification):
    browser = world.client("a1", "bw")
    response = browser.post(
        reverse("bw-assessment-create", args=[notification.pk]),
        {
            "advice_kind": "external",
            "advice_cost": "1.250,00",
            "consultation_hours": "",
            "consultation_requested_by": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assessment = Assessment.objects.unrestricted().get()
    assert assessment.advice_cost == Decimal("1250.00")
    url = reverse("bw-assessment-detail", args=[assessment.pk])
    bad = browser.post(url, {"function": "Consulent", "scale": "10", "hours": "1e999"})
    assert bad.status_code == 200 and "utrecht-form-field--invalid" in bad.content.decode()
    assert browser.post(url, {"function": "Consulent", "scale": "10", "hours": "7,5"}).status_code == 302
    assert AssessmentHours.objects.unrestricted().get().hours == Decimal("7.5")


def test_reduction_removes_the_report(world, team, notification, settings, django_capture_on_commit_callbacks):
    settings.BW_RETENTION_YEARS = 1
    assessment = services.start_assessment(user=team, notification=notification)
    services.attach_report(
        user=team, assessment=assessment, upload=SimpleUploadedFile("v.pdf", PDF, content_type="application/pdf")
    )
    assessment.refresh_from_db()
    storage, name = assessment.report.storage, assessment.report.name
    services.close_client(user=team, client=notification.client, closed_on=date(2025, 3, 1))
    with django_capture_on_commit_callbacks(execute=True):
        services.reduce_expired_files(user=system_actor("test"), today=date(2026, 3, 2))
    assessment.refresh_from_db()
    assert not assessment.report and not storage.exists(name)
    assert not Assessment.history.exclude(report="").exists()

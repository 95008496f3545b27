"""The iCalendar feed at a revocable secret URL, and reminders sent once per (deadline, person)."""

import threading
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from agreements.calendar import create_token, revoke_token
from agreements.models import Agreement, PlanObligation, ReminderSent
from agreements.tasks import send_deadline_reminders
from tests.factories import MembershipFactory, MunicipalityFactory, RegionFactory, UserFactory

FEED = "/termijnen/agenda.ics"


def _region_with_deadline(code: str, title: str, days: int = 5):
    region = RegionFactory(code=code, name=f"Regio {code}")
    municipality = MunicipalityFactory()
    MembershipFactory(region=region, municipality=municipality, valid_from=date(2020, 1, 1))
    agreement = Agreement.objects.create(
        code=f"{code.upper()}-SO",
        kind="samenwerkingsovereenkomst",
        title=title,
        region=region,
        effective_from=date(2020, 1, 1),
    )
    due = timezone.localdate() + timedelta(days=days)
    PlanObligation.objects.create(
        agreement=agreement, key="plan", title=title, due_month=due.month, due_day=due.day, first_year=due.year
    )
    return municipality


@pytest.fixture
def two(db):
    m1 = _region_with_deadline("een", "Jaarplan een")
    m2 = _region_with_deadline("twee", "Jaarplan twee")
    u1 = UserFactory(username="u1", municipality=m1, roles=["ambtenaar"])
    u2 = UserFactory(username="u2", municipality=m2, roles=["ambtenaar"])
    return u1, u2


def test_feed_by_token_shows_only_the_owners_deadlines(two):
    u1, u2 = two
    _token, raw = create_token(user=u1, label="Outlook")
    response = Client().get(FEED, {"token": raw})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VCALENDAR" in body and "Jaarplan een" in body and "Jaarplan twee" not in body


def test_unknown_or_revoked_token_is_404(two):
    u1, _u2 = two
    token, raw = create_token(user=u1)
    assert Client().get(FEED, {"token": "niet-geldig"}).status_code == 404
    assert Client().get(FEED, {"token": ""}).status_code == 404
    revoke_token(user=u1, token=token)
    assert Client().get(FEED, {"token": raw}).status_code == 404


def test_another_persons_token_cannot_be_revoked_via_the_page(two):
    u1, u2 = two
    token, raw = create_token(user=u1)
    client = Client()
    client.force_login(u2)
    assert client.post("/termijnen/agenda-abonnement/", {"revoke": token.pk}).status_code == 404
    assert Client().get(FEED, {"token": raw}).status_code == 200
    page = client.get("/termijnen/agenda-abonnement/")
    assert page.status_code == 200
    made = client.post("/termijnen/agenda-abonnement/", {"label": "Werk"})
    assert "token=" in made.content.decode()


def test_reminders_are_sent_once_even_when_run_twice(two, django_capture_on_commit_callbacks):
    u1, u2 = two
    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders() == 0
    assert len(mail.outbox) == 2
    assert {m.to[0] for m in mail.outbox} == {u1.email, u2.email}
    assert "Jaarplan een" in next(m.body for m in mail.outbox if m.to == [u1.email])
    assert ReminderSent.objects.unrestricted().count() == 2


def test_far_deadlines_are_not_reminded_yet(db):
    m = _region_with_deadline("ver", "Later plan", days=60)
    UserFactory(username="u3", municipality=m, roles=["ambtenaar"])
    assert send_deadline_reminders() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_reminders_are_sent_once_under_two_concurrent_runs():
    _region_with_deadline("par", "Jaarplan parallel")
    m = _region_with_deadline("par2", "Jaarplan parallel 2")
    for i in range(3):
        UserFactory(username=f"p{i}", municipality=m, roles=["ambtenaar"])
    results, errors = [], []
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            results.append(send_deadline_reminders())
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(results) == 3
    assert len(mail.outbox) == 3
    assert ReminderSent.objects.unrestricted().count() == 3


def test_beat_schedule_runs_the_reminder_task_daily():
    from django.conf import settings

    from agreements.schedule import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["agreements-send-deadline-reminders"]
    assert entry["task"] == "agreements.tasks.send_deadline_reminders"
    assert "agreements-send-deadline-reminders" in settings.CELERY_BEAT_SCHEDULE

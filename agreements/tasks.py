"""Daily reminders of deadlines (issue #4): each (deadline key, person) is e-mailed once, never twice, even when the
job runs twice or two workers run it at the same time. The ``ReminderSent`` row is claimed first (unique
constraint); only the run that created it sends, after its transaction commits."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from agreements.models import ReminderSent
from regio.deadlines import deadlines_for
from regio.formatting import format_date
from regio.models import User

log = logging.getLogger(__name__)
REMINDER_DAYS = 14  # remind two weeks ahead


def _claim(user, deadline) -> bool:
    """True for the one run that records this reminder first."""
    try:
        with transaction.atomic():
            _obj, created = ReminderSent.objects.unrestricted().get_or_create(
                user=user, deadline_key=deadline.key, defaults={"due": deadline.due}
            )
    except IntegrityError:  # another worker inserted it between our SELECT and INSERT
        return False
    return created


def _send(user_email: str, subject: str, body: str) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user_email])


@shared_task(name="agreements.tasks.send_deadline_reminders")
def send_deadline_reminders() -> int:
    """E-mail every person with an address the deadlines due within ``REMINDER_DAYS`` days that were not yet sent."""
    today = timezone.localdate()
    sent = 0
    people = User.objects.filter(is_active=True, municipality__isnull=False).exclude(email="")
    for user in people:
        for deadline in deadlines_for(user, start=today, end=today + timedelta(days=REMINDER_DAYS)):
            with transaction.atomic():
                if not _claim(user, deadline):
                    continue
                subject = f"Termijn {format_date(deadline.due)}: {deadline.title}"
                body = (
                    f"Beste {user},\n\nOp {format_date(deadline.due)} verloopt: {deadline.title}"
                    + (f" ({deadline.article})" if deadline.article else "")
                    + f".\n\n{getattr(settings, 'SITE_URL', '')}{deadline.url}\n\nRegio Wmo"
                )
                transaction.on_commit(lambda e=user.email, s=subject, b=body: _send(e, s, b))
                sent += 1
    log.info("termijnherinneringen verstuurd: %s", sent)
    return sent

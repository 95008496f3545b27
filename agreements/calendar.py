"""The per-person iCalendar feed of deadlines at a revocable secret URL (issue #4), for Outlook and the like.

Only a hash of the secret is stored; the URL is shown once, when it is made. Revoking makes the old URL answer 404.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from agreements.models import CalendarToken
from regio.deadlines import deadlines_for


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(*, user, label: str = "") -> tuple[CalendarToken, str]:
    raw = secrets.token_urlsafe(32)
    token = CalendarToken(user=user, label=label[:100], token_hash=_hash(raw))
    token.save()
    return token, raw


def revoke_token(*, user, token: CalendarToken) -> None:
    if token.user_id != user.pk:
        raise PermissionError("Niet uw abonnement.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save()


def user_for_token(raw: str | None):
    """The person of a valid, unrevoked token; None for anything else (answers 404 upstream)."""
    if not raw or len(raw) > 200:
        return None
    token = (
        CalendarToken.objects.unrestricted()  # looked up by the secret itself, which proves who asks
        .filter(token_hash=_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    return token.user if token else None


def build_ics(user) -> bytes:
    """The user's deadlines (a year back, 90 days ahead) as all-day events."""
    cal = Calendar()
    cal.add("prodid", "-//Regio Wmo//termijnen//NL")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Regio Wmo – termijnen")
    now = timezone.now()
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    for deadline in deadlines_for(user):
        event = Event()
        event.add("uid", f"{deadline.key}@regio-wmo")
        event.add("summary", deadline.title)
        event.add("dtstart", deadline.due)
        event.add("dtend", deadline.due + timedelta(days=1))
        event.add("dtstamp", now)
        description = f"Artikel: {deadline.article}" if deadline.article else ""
        if deadline.url:
            event.add("url", site + deadline.url)
            description += ("\n" if description else "") + site + deadline.url
        if description:
            event.add("description", description)
        cal.add_component(event)
    return cal.to_ical()

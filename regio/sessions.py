"""Session lifetime for government use (issue 17; BIO 9.4, OWASP ASVS 3.3): an idle timeout, an absolute lifetime,
and "log out everywhere".

* ``SESSION_IDLE_MINUTES`` (default 30): a session unused that long is ended at its next request.
* ``SESSION_MAX_HOURS`` (default 8, a working day): a session is ended that long after its login, however busy.
* A person ends all of their sessions at once (a lost laptop, a shared computer) from the account menu: every session
  that started before that moment is ended at its next request, on every device.

The session holds when it started (written once, at login). When it was last seen is kept in the cache under the
session key (Redis in production, per process in the demo), written on every request without touching the database,
so a page's queries do not depend on the clock; a session the cache does not know (idle past the timeout, or the
cache was emptied) is ended, the safe side. Ending a session is Django's ``logout``: the session is flushed, and the
person lands on the login page with the reason.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.dispatch import receiver
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

STARTED = "_regio_started_ms"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def now_ms() -> int:
    """Now as whole milliseconds since 1970 (integers throughout: no float arithmetic on time stamps)."""
    return time.time_ns() // 1_000_000


def as_ms(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(milliseconds=1)


def _seen_key(session_key: str) -> str:
    return f"regio:session-seen:{session_key}"


def touch(session) -> None:
    """Record that the session was used now (the idle clock restarts)."""
    if session.session_key:
        cache.set(_seen_key(session.session_key), now_ms(), timeout=settings.SESSION_IDLE_MINUTES * 60 + 60)


def last_seen(session) -> int | None:
    return cache.get(_seen_key(session.session_key)) if session.session_key else None


@receiver(user_logged_in, dispatch_uid="regio-session-started")
def _session_started(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[STARTED] = now_ms()
        if not request.session.session_key:
            request.session.save()
        touch(request.session)


def _ended_reason(request, now: int) -> str | None:
    session = request.session
    started = session.get(STARTED)
    if started is None:  # a session from before this module: it starts now
        session[STARTED] = now
        touch(session)
        return None
    if now - int(started) > settings.SESSION_MAX_HOURS * 3_600_000:
        return _("U bent uitgelogd: een sessie duurt hoogstens %(hours)s uur. Log opnieuw in.") % {
            "hours": settings.SESSION_MAX_HOURS
        }
    seen = last_seen(session)
    if seen is None or now - int(seen) > settings.SESSION_IDLE_MINUTES * 60_000:
        return _("U bent uitgelogd na %(minutes)s minuten zonder activiteit. Log opnieuw in.") % {
            "minutes": settings.SESSION_IDLE_MINUTES
        }
    ended_everywhere = getattr(request.user, "sessions_ended_at", None)
    if ended_everywhere is not None and int(started) < as_ms(ended_everywhere):
        return _("U bent uitgelogd: al uw sessies zijn beëindigd. Log opnieuw in.")
    touch(session)
    return None


class SessionLifetimeMiddleware:
    """Ends a session that was idle too long, is older than the absolute lifetime, or was ended everywhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            reason = _ended_reason(request, now_ms())
            if reason is not None:
                logout(request)
                if request.path.startswith("/api/"):
                    from django.http import JsonResponse

                    return JsonResponse({"detail": reason}, status=401)
                messages.info(request, reason)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


@require_POST
@login_required
def logout_everywhere(request):
    """End every session of the person (this one too): a timestamp on the account, checked by the middleware."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(pk=request.user.pk).update(sessions_ended_at=timezone.now())
    logout(request)
    messages.info(request, _("Al uw sessies zijn beëindigd, op elk apparaat. Log opnieuw in."))
    return redirect(settings.LOGIN_URL)

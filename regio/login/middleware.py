"""Leads a user who owes a second factor to it before any other page, and refuses the API until then (issue 17).

After the password (or an identity provider that did not vouch for multi-factor authentication), a session is not
yet verified (``regio.login.twofactor``). Such a session reaches only the pages of the second step, setting up an
authenticator, logging out and the language switch: a page answers with a redirect to the code page (a user with a
device) or to the setup page (a user who must have one and has none), the API (session authentication) answers 403
in Dutch. Token authentication of the API has the same rule in ``regio.login.api``. A session of a user who needs no
second factor and has no device is marked at login, so that this check costs no query on later requests.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from regio.login import twofactor

# Routes a session that still owes its second step may reach (by URL name).
OPEN_ROUTES = frozenset(
    {
        "two-factor-verify",
        "two-factor-recovery",
        "two-factor-setup",
        "logout",
        "logout-everywhere",
        "set_language",
        "health",
        "security-txt",
        "login",
    }
)


def api_refusal(message: str) -> JsonResponse:
    return JsonResponse({"detail": message}, status=403)


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        state = request.session.get(twofactor.SESSION_KEY)
        if state and state != twofactor.OPTIONAL:
            return self.get_response(request)
        if state == twofactor.OPTIONAL and not twofactor.requires_two_factor(user):
            return self.get_response(request)
        return self.refuse(request, user) or self.get_response(request)

    def refuse(self, request, user):
        """The answer for a session that has not passed its second step, or None when it needs none."""
        match = getattr(request, "resolver_match", None)
        name = self.route_name(request) if match is None else match.view_name
        if name in OPEN_ROUTES or request.path.startswith("/static/"):
            return None
        device = twofactor.has_device(user)
        if not device and not twofactor.requires_two_factor(user):
            request.session[twofactor.SESSION_KEY] = twofactor.OPTIONAL
            return None
        if request.path.startswith("/api/"):
            return api_refusal(
                _("Rond eerst de tweestapsverificatie af op de website.")
                if device
                else _("Stel eerst tweestapsverificatie in op de website.")
            )
        target = "two-factor-verify" if device else "two-factor-setup"
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(reverse(target) + (f"?{query}" if query else ""))

    @staticmethod
    def route_name(request) -> str | None:
        from django.urls import Resolver404, resolve

        try:
            return resolve(request.path_info).view_name
        except Resolver404:
            return None

"""Two-factor authentication (issue 17; BIO 9.4.2, OWASP ASVS 2.7/2.8): TOTP devices with recovery codes, on
django-otp.

Who must use it: the roles that see personal data (beschermd-wonen staff, supervisors and their team manager) and
both administrator roles, and superusers (``REQUIRED_ROLES``). Everyone else may enable it; once they have a device,
they are asked for a code at every login too.

A session is *verified* when ``SESSION_KEY`` holds how: the persistent id of the device whose code was accepted, or
``oidc:<value>`` when the municipality's identity provider vouched for multi-factor authentication
(``regio.login.oidc``). At login (``user_logged_in``) a session of a user who needs no second factor and has no
device is marked ``optional`` at once, so that the middleware answers from the session alone on every later request.
A verified session gets a new session key (no fixation of a half-logged-in session).

Codes: a TOTP code is accepted once (django-otp keeps the last time step used), wrong codes slow the device down
(django-otp's throttling: 1, 2, 4, ... seconds), and a recovery code is deleted when used. The password step is
guarded by django-axes as before.
"""

from __future__ import annotations

import base64
import binascii

import segno
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from regio.login.models import SecurityEvent, log_event
from regio.roles import Role
from regio.tenancy import scope_of

SESSION_KEY = "_regio_2fa"
OPTIONAL = "optional"
RECOVERY_CODES = 10
REQUIRED_ROLES = frozenset(
    {
        Role.PROTECTED_HOUSING,
        Role.SUPERVISOR,
        Role.SUPERVISION_MANAGER,
        Role.FUNCTIONAL_ADMIN,
        Role.PLATFORM_ADMIN,
    }
)
Kind = SecurityEvent.Kind


def requires_two_factor(user, *, use_scope: bool = True) -> bool:
    """Whether this user must pass a second factor: a role that sees personal data, an administrator, a superuser.

    With ``use_scope`` the request's cached scope answers (no query when the page computes it anyway); without, one
    query on the user's groups, leaving the user object as it was."""
    if getattr(user, "is_superuser", False):
        return True
    if use_scope:
        return scope_of(user).has_role(*REQUIRED_ROLES)
    return user.groups.filter(name__in=REQUIRED_ROLES).exists()


def devices(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")


def has_device(user) -> bool:
    return devices(user).exists()


def is_verified(session) -> bool:
    value = session.get(SESSION_KEY)
    return bool(value) and value != OPTIONAL


def mark_verified(request, how: str) -> None:
    """The session passed its second step: a new session key, then the mark."""
    from regio.sessions import touch

    request.session.cycle_key()
    request.session[SESSION_KEY] = how
    touch(request.session)


@receiver(user_logged_in, dispatch_uid="regio-2fa-login")
def _after_login(sender, request, user, **kwargs):
    """A fresh login is logged and unverified; one that needs no second step is marked so at once (no query per
    request later)."""
    if request is None or not hasattr(request, "session"):
        return
    if not str(getattr(user, "backend", "")).endswith("MunicipalityOIDCBackend"):  # that one logs its own
        log_event(user=user, kind=Kind.LOGIN, request=request)
    request.session.pop(SESSION_KEY, None)
    if not requires_two_factor(user, use_scope=False) and not has_device(user):
        request.session[SESSION_KEY] = OPTIONAL


def demo_key_hex() -> str | None:
    """The demo's fixed TOTP secret (``DEMO_TOTP_SECRET``, base32) as django-otp's hex key; None when unset."""
    secret = getattr(settings, "DEMO_TOTP_SECRET", "")
    if not secret:
        return None
    try:
        return base64.b32decode(secret.upper()).hex()
    except (binascii.Error, ValueError):
        return None


# --- setting up and removing a device -------------------------------------------------------------------------------


def start_setup(*, user) -> TOTPDevice:
    """A new, unconfirmed authenticator for ``user`` (an earlier unfinished one is replaced)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=False)


def pending_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def qr_data_uri(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2)


def secret_of(device: TOTPDevice) -> str:
    """The secret as the base32 text an authenticator app accepts when typed in."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


@transaction.atomic
def confirm_setup(*, request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the new authenticator with its first code: the device counts from now on, the session is verified
    with it, and new recovery codes are made (returned once, to be shown once). None when the code is wrong."""
    user = request.user
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token):
        log_event(user=user, kind=Kind.VERIFY_FAILED, request=request, detail="koppelen authenticator-app")
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    log_event(user=user, kind=Kind.DEVICE_ADDED, request=request, detail=device.name)
    codes = new_recovery_codes(request=request, user=user)
    mark_verified(request, device.persistent_id)
    return codes


@transaction.atomic
def remove_device(*, request, device: TOTPDevice) -> None:
    """Remove one of the user's own authenticators. Without one left, the recovery codes go too, and a user who must
    use a second factor is led to set up a new one before anything else."""
    user = request.user
    if device.user_id != user.pk:
        raise TOTPDevice.DoesNotExist
    device.delete()
    log_event(user=user, kind=Kind.DEVICE_REMOVED, request=request, detail=device.name)
    if not has_device(user):
        StaticDevice.objects.filter(user=user).delete()
        request.session[SESSION_KEY] = None if requires_two_factor(user) else OPTIONAL


def new_recovery_codes(*, request, user) -> list[str]:
    """Replace the user's recovery codes by ``RECOVERY_CODES`` new ones; each works once."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="Herstelcodes", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    log_event(user=user, kind=Kind.RECOVERY_CREATED, request=request)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- the second step at login ---------------------------------------------------------------------------------------


def verify(*, request, token: str) -> bool:
    """Check a code of one of the user's authenticators; mark the session verified when it is right."""
    user = request.user
    for device in devices(user):
        if device.verify_token(token):
            log_event(user=user, kind=Kind.VERIFIED, request=request, detail=device.name)
            mark_verified(request, device.persistent_id)
            return True
    log_event(user=user, kind=Kind.VERIFY_FAILED, request=request, detail="code authenticator-app")
    return False


def verify_recovery(*, request, code: str) -> bool:
    """Check a recovery code (used up when right); mark the session verified when it is right."""
    user = request.user
    code = code.strip().lower().replace(" ", "")
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            log_event(
                user=user,
                kind=Kind.RECOVERY_USED,
                request=request,
                detail=f"nog {recovery_codes_left(user)} herstelcodes over",
            )
            mark_verified(request, device.persistent_id)
            return True
    log_event(user=user, kind=Kind.VERIFY_FAILED, request=request, detail="herstelcode")
    return False

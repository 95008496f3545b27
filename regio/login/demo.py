"""The demo's accounts that must use a second factor share one fixed TOTP secret (``DEMO_TOTP_SECRET``), so that
anyone trying the demo can pass it (``oathtool --totp -b SECRET``, or the secret typed into an authenticator app).
Production settings leave the secret empty and refuse it (``regio.login.checks``): then no such device is made."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from regio.login import twofactor


def give_demo_devices(users) -> int:
    """A confirmed demo authenticator for each of these users who must use a second factor and has none."""
    key = twofactor.demo_key_hex()
    if key is None:
        return 0
    made = 0
    for user in users:
        if twofactor.requires_two_factor(user, use_scope=False) and not twofactor.has_device(user):
            TOTPDevice.objects.create(user=user, name="Demo-app", key=key, confirmed=True)
            made += 1
    return made

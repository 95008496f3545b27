"""Deploy check: the demo's fixed TOTP secret never in production (issue 17)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_demo_totp_secret(app_configs=None, **kwargs):
    if getattr(settings, "DEMO_TOTP_SECRET", ""):
        return [
            checks.Error(
                "DEMO_TOTP_SECRET is gezet: de vaste code-sleutel van de demo hoort niet in productie.",
                hint="Laat DEMO_TOTP_SECRET leeg; iedereen koppelt een eigen authenticator-app.",
                id="regio.E020",
            )
        ]
    return []

"""Production settings: the base settings hardened. Refuses to start without SECRET_KEY and ALLOWED_HOSTS.

``manage.py check --deploy`` is clean under these settings (tested in tests/regio/test_settings.py).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from regio.settings import *  # noqa: F403
from regio.settings import INSECURE_DEMO_KEY, STORAGES, env, env_bool, env_list

DEBUG = False

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY == INSECURE_DEMO_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY ontbreekt of is te kort (minstens 50 tekens) in productie.")
# The key of the BSN pseudonyms (regio/privacy.py; beschermd wonen): never the demo's, and long enough to be a key.
# Keep it stable: a new key gives every client a new pseudonym.
BW_PSEUDONYM_SECRET = os.environ.get("BW_PSEUDONYM_SECRET", "")
if len(BW_PSEUDONYM_SECRET) < 32 or BW_PSEUDONYM_SECRET == "regio-wmo-demo-pseudonym-secret":
    raise ImproperlyConfigured(
        "BW_PSEUDONYM_SECRET ontbreekt of is te kort (minstens 32 tekens) in productie: de sleutel van de "
        "BSN-pseudoniemen van beschermd wonen."
    )
# The demo's fixed TOTP secret (regio/login/twofactor.py) never in production; the deploy check says so too.
if os.environ.get("DEMO_TOTP_SECRET"):
    raise ImproperlyConfigured(
        "DEMO_TOTP_SECRET hoort niet in productie: de vaste code-sleutel is alleen voor de demo."
    )
DEMO_TOTP_SECRET = ""
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS ontbreekt in productie (bijvoorbeeld: regio-wmo.gemeente.nl).")

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
WHITENOISE_USE_FINDERS = False

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Secure-sessionid"
CSRF_COOKIE_NAME = "__Secure-csrftoken"

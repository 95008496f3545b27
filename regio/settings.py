"""Settings of Regio Wmo, read from the environment.

With no environment at all the app runs as the embedded demo: SQLite next to the code, Celery tasks executed
in-process (``task_always_eager``), e-mail into files under ``sent_mail/``, DEBUG off (the Dutch error pages,
never Django's debug page with its settings and stack; ``DEBUG=true`` asks for it). Production settings
(``regio.settings_production``) build on this module and refuse to start without ``SECRET_KEY`` and
``ALLOWED_HOSTS``. Every variable is listed in the README's settings table.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name) or default  # an empty variable counts as unset


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)  # issue 10: the demo too shows the Dutch error pages unless asked
# The embedded demo needs no secret; production settings refuse to start with this one.
INSECURE_DEMO_KEY = "django-insecure-regio-wmo-embedded-demo-only"
SECRET_KEY = env("SECRET_KEY", INSECURE_DEMO_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_htmx",
    "regio",
    "agreements",
    "costsharing",
    "invoicing",
    "beschermdwonen",
    "toezicht",
    "inkoop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "regio.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "regio.middleware.RejectNulBytesMiddleware",  # after authentication: its Dutch 400 page shows the navigation
    "django.contrib.messages.middleware.MessageMiddleware",
    "regio.sessions.SessionLifetimeMiddleware",  # after messages: it tells why a session ended
    "regio.login.middleware.TwoFactorMiddleware",  # a session that owes its second step reaches nothing else
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the Dutch lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "regio.urls"
WSGI_APPLICATION = "regio.wsgi.application"
ASGI_APPLICATION = "regio.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "regio.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded demo: a writer waits for another (up to 20 s) instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A process that dies while its query waits (for a lock, say) leaves a server session that PostgreSQL notices only
    # when it next looks at the socket: it looks every DATABASE_CLIENT_CHECK_MS, so the dead process's transaction is
    # rolled back and its job locks (regio/jobs.py) are freed within seconds (issue 17, the fault drills).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c client_connection_check_interval={int(env('DATABASE_CLIENT_CHECK_MS', '1000'))}"
    )
# How long a job waits for its lock before it leaves the job to the worker that holds it (regio/jobs.py): longer than
# the check above, so that a re-delivered job is not left to the session of the worker that just died.
JOB_LOCK_GRACE_SECONDS = float(env("JOB_LOCK_GRACE_SECONDS", "5"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "regio.User"

AUTHENTICATION_BACKENDS = [
    # django-axes first, so that a locked-out user is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # A municipality's own identity provider (regio/login/oidc.py); answers only the OIDC callback.
    "regio.login.oidc.MunicipalityOIDCBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Django-axes: lock an account (per username and address) after repeated failed logins.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# django-guardian: per-object grants inside a municipality (e.g. a supervisor assigned to a municipality).
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# django-simple-history: the audit trail is read-only; nobody reverts through the admin.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"

# Plausible dates (regio/bounds.py): from 1 January this many years back to 31 December this many years ahead.
PLAUSIBLE_PAST_YEARS = int(env("PLAUSIBLE_PAST_YEARS", "30"))
PLAUSIBLE_FUTURE_YEARS = int(env("PLAUSIBLE_FUTURE_YEARS", "10"))
# One CAO step (WM-SO 6.4): a percentage between these bounds; beyond ±CONFIRM the coordinator confirms it explicitly.
CAO_STEP_MIN_PERCENTAGE = env("CAO_STEP_MIN_PERCENTAGE", "-10")
CAO_STEP_MAX_PERCENTAGE = env("CAO_STEP_MAX_PERCENTAGE", "25")
CAO_STEP_CONFIRM_PERCENTAGE = env("CAO_STEP_CONFIRM_PERCENTAGE", "10")

# Rows per page on every list page and API list (regio/pagination.py; DRF's PAGE_SIZE below).
PAGE_SIZE = int(env("PAGE_SIZE", "50"))

# Beschermd wonen (regio/privacy.py, beschermdwonen): the secret of the keyed BSN pseudonym (set it in production, keep
# it stable: a new secret gives every client a new pseudonym), and after how many years a closed client file is
# reduced to what the money needs.
BW_PSEUDONYM_SECRET = env("BW_PSEUDONYM_SECRET", "regio-wmo-demo-pseudonym-secret")
BW_RETENTION_YEARS = int(env("BW_RETENTION_YEARS", "15"))
# Retention of the other personal data (regio/retention.py, docs/retention.md): years after a case file closed, a
# Meldpunt report without an investigation came in, or an access-log entry was written; the daily job reduces at most
# RETENTION_BATCH_SIZE files of each kind a run.
TOEZICHT_RETENTION_YEARS = int(env("TOEZICHT_RETENTION_YEARS", "10"))
TOEZICHT_MELDPUNT_RETENTION_YEARS = int(env("TOEZICHT_MELDPUNT_RETENTION_YEARS", "2"))
ACCESS_LOG_RETENTION_YEARS = int(env("ACCESS_LOG_RETENTION_YEARS", "5"))
RETENTION_BATCH_SIZE = int(env("RETENTION_BATCH_SIZE", "500"))
# Whether cost sharing's client-count key takes its weights from the register (beschermdwonen/weights.py).
BW_CLIENT_KEY_FROM_REGISTER = env_bool("BW_CLIENT_KEY_FROM_REGISTER", False)

USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "regio" / "static",
    ("vendor/utrecht", NODE_MODULES / "@utrecht" / "component-library-css" / "dist"),
    ("vendor/tokens", NODE_MODULES / "@nl-design-system-unstable" / "voorbeeld-design-tokens" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
]
STORAGES = {
    # Uploaded documents live under a private root that no URL serves; downloads go through views that check tenancy.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production (settings_production) uses whitenoise's manifest storage after collectstatic; the embedded demo
    # needs no collectstatic, with DEBUG off as on.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise serves static files in the demo straight from the finders (apps and node_modules), so `make run` works
# with DEBUG off; production serves the collected, hashed files only (settings_production).
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")))
MEDIA_URL = "/private-media-is-never-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
REGION_FILE_MAX_BYTES = int(env("REGION_FILE_MAX_BYTES", str(1024 * 1024)))
# A region file is parsed within these limits too: nesting depth and number of values (issue 10, finding 1).
REGION_FILE_MAX_DEPTH = int(env("REGION_FILE_MAX_DEPTH", "32"))
REGION_FILE_MAX_NODES = int(env("REGION_FILE_MAX_NODES", "20000"))
# Inkoop (issue 16): the care-use import's bounds and the development table's public flood guard (per address).
INKOOP_IMPORT_MAX_BYTES = int(env("INKOOP_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
INKOOP_IMPORT_MAX_ROWS = int(env("INKOOP_IMPORT_MAX_ROWS", "100000"))
INKOOP_PUBLIC_RATE = env("INKOOP_PUBLIC_RATE", "10/h")

# E-mail: SMTP when EMAIL_HOST is given (or any EMAIL_BACKEND); with nothing set (the embedded demo) every message is
# written to a file under EMAIL_FILE_PATH, readable by the administrator at /beheer/verzonden-emails/, instead of
# printing PDFs as base64 to the console.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if env("EMAIL_HOST")
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "sent_mail"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Regio Wmo <noreply@regio-wmo.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery. Without REDIS_URL the tasks run in-process (the embedded demo); with it, on real workers.
REDIS_URL = env("REDIS_URL")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", REDIS_URL or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker that dies (SIGKILL, out of memory) never acknowledges its task: a pool process's task is re-queued at once
# (REJECT_ON_WORKER_LOST), a whole worker's after CELERY_VISIBILITY_TIMEOUT seconds, when another worker sweeps the
# unacknowledged messages (every tenth of the timeout, at most every 10 s). Tasks are idempotent and take a job lock
# (regio/jobs.py), so a task still running past the timeout is not done twice. Results survive a Redis restart:
# storing one is retried until Redis is back (tests/regio/test_fault_drills.py).
CELERY_VISIBILITY_TIMEOUT = int(env("CELERY_VISIBILITY_TIMEOUT", "3600"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": max(1, min(10, CELERY_VISIBILITY_TIMEOUT // 10)),
    "unacked_restore_throttle": 1,
}
CELERY_RESULT_BACKEND_ALWAYS_RETRY = True
CELERY_RESULT_BACKEND_MAX_RETRIES = 20
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Each app keeps its periodic jobs in ``<app>/schedule.py`` as ``BEAT_SCHEDULE`` (plain data, no Django imports);
# they are merged here. The schedule is tested (tests/regio/test_celery.py).
CELERY_BEAT_SCHEDULE: dict = {}
for _app in ("regio", "agreements", "costsharing", "invoicing", "beschermdwonen", "toezicht", "inkoop"):
    if (BASE_DIR / _app.replace(".", "/") / "schedule.py").exists():
        CELERY_BEAT_SCHEDULE.update(__import__(f"{_app}.schedule", fromlist=["BEAT_SCHEDULE"]).BEAT_SCHEDULE)

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Toezicht Wmo (WM-DVO annex 4): productive hours of one FTE when the coordinating municipality recorded none for the
# year; the deviation of realised hours from capacity that is flagged; the public Meldpunt's limit per client address.
TOEZICHT_PRODUCTIVE_HOURS = int(env("TOEZICHT_PRODUCTIVE_HOURS", "1400"))
TOEZICHT_DEVIATION_PERCENT = int(env("TOEZICHT_DEVIATION_PERCENT", "10"))
TOEZICHT_MELDPUNT_RATE = env("TOEZICHT_MELDPUNT_RATE", "5/h")
# The largest document a supervisor may add to a case file (issue 14: bounded uploads), in MB.
TOEZICHT_DOCUMENT_MAX_MB = int(env("TOEZICHT_DOCUMENT_MAX_MB", "10"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "regio.login.api.TwoFactorTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["regio.tenancy.TenantPermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON numbers reach the serializers as written (no float, no exponent slipping through): regio/api/parsers.py.
    "DEFAULT_PARSER_CLASSES": [
        "regio.api.parsers.ExactJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": PAGE_SIZE,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "regio.api.errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Regio Wmo API",
    "DESCRIPTION": "API van Regio Wmo: gemeenten, regio's en (in latere versies) overeenkomsten, kosten en facturen. "
    "Elke lijst en elk detail is beperkt tot wat de ingelogde gebruiker mag zien.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation documents its refusals (400 per field in Dutch, 401, 403, 404): regio/api/schema.py.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "regio.api.schema.add_error_responses",
    ],
    # Choice sets that share a field name across apps ("kind") get their own component name.
    # (toezicht has two: supervisor quality/lawfulness, and a signal's kind that may also be both.)
    "ENUM_NAME_OVERRIDES": {
        "BwNotificationKindEnum": "beschermdwonen.models.NotificationKind",
        "SupervisionKindEnum": "toezicht.models.SupervisionKind",
        "SignalKindEnum": "toezicht.models.SignalKind",
        "SignalFundingEnum": "toezicht.models.Funding",
        "InvestigationFundingEnum": "toezicht.models.InvestigationFunding",
        "ContractConsentDecisionEnum": "inkoop.models.ConsentDecision",
        "BwMemberDecisionEnum": "beschermdwonen.models.MemberDecision",
    },
}

# Content Security Policy (django-csp 4): no inline scripts, no third-party hosts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Session lifetime (regio/sessions.py; BIO, OWASP ASVS 3.3): ended after SESSION_IDLE_MINUTES without a request and
# SESSION_MAX_HOURS after login, however busy; "log out everywhere" ends all of a person's sessions.
SESSION_IDLE_MINUTES = int(env("SESSION_IDLE_MINUTES", "30"))
SESSION_MAX_HOURS = int(env("SESSION_MAX_HOURS", "8"))
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 60 * 60
# security.txt (RFC 9116) at /.well-known/security.txt: where to report a vulnerability.
SECURITY_CONTACT = env("SECURITY_CONTACT", "mailto:security@regio-wmo.example")
SECURITY_POLICY_URL = env("SECURITY_POLICY_URL", "")
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag; kept default for forms.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

DEMO_PASSWORD = env("DEMO_PASSWORD", "Regio-Wmo-demo-2026")

# Two-factor authentication (regio/login/twofactor.py, django-otp). The demo's accounts that must use it share one
# fixed TOTP secret (base32), so that `make run` can say how to pass; production settings refuse it.
DEMO_TOTP_SECRET = env("DEMO_TOTP_SECRET", "REGIOWMODEMOTOTPGEHEIMVOORDEMOXX")
OTP_TOTP_ISSUER = "Regio Wmo"
# OpenID Connect per municipality (regio/login/oidc.py, mozilla-django-oidc): the provider and client come from the
# database; these are the defaults every provider shares. Client secrets are encrypted with OIDC_SECRET_KEY
# (default: derived from SECRET_KEY; changing it makes the stored secrets unreadable: enter them again).
OIDC_SECRET_KEY = env("OIDC_SECRET_KEY")
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_TIMEOUT = int(env("OIDC_TIMEOUT", "10"))
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc-callback"
OIDC_CREATE_USER = True
# Placeholders: mozilla-django-oidc reads these at start; every request takes the municipality's own values.
OIDC_OP_AUTHORIZATION_ENDPOINT = OIDC_OP_TOKEN_ENDPOINT = OIDC_OP_USER_ENDPOINT = OIDC_OP_JWKS_ENDPOINT = ""
OIDC_RP_CLIENT_ID = OIDC_RP_CLIENT_SECRET = ""

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint and fontTools log every rendering step at INFO: too much for the console.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # The demo runs its tasks in-process: a line per task and axes' start-up banner would bury the logins.
        "celery.app.trace": {"level": "INFO" if REDIS_URL else "WARNING"},
        "kombu.connection": {"level": "INFO" if REDIS_URL else "ERROR"},
        "axes.apps": {"level": "WARNING"},
    },
}

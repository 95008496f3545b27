"""Settings for the test suite: a real PostgreSQL when one is reachable, else SQLite, said loudly.

``DATABASE_URL`` chooses the database (default: the local PostgreSQL as user ``postgres``). When no PostgreSQL
answers, the suite falls back to SQLite and skips the PostgreSQL-only tests with that reason; with
``REQUIRE_POSTGRES=1`` (set by ``.ci/run``) that fallback is an error instead.
"""

import os
import sys

import dj_database_url

from regio.settings import *  # noqa: F403
from regio.settings import BASE_DIR, env_bool

REQUIRE_POSTGRES = env_bool("REQUIRE_POSTGRES", False)
DEFAULT_TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/regio_wmo"


def _postgres_reachable(url: str) -> str | None:
    """None when we can connect, else the reason."""
    import psycopg

    config = dj_database_url.parse(url)
    try:
        psycopg.connect(
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except Exception as exc:  # any failure to connect means: no PostgreSQL here
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return None


_url = os.environ.get("DATABASE_URL") or DEFAULT_TEST_DATABASE_URL
USING_POSTGRES = False
if _url.startswith(("postgres://", "postgresql://")):
    _reason = _postgres_reachable(_url)
    if _reason is None:
        USING_POSTGRES = True
        DATABASES = {"default": dj_database_url.parse(_url)}
    elif REQUIRE_POSTGRES:
        raise SystemExit(f"REQUIRE_POSTGRES=1 maar PostgreSQL is niet bereikbaar op {_url}: {_reason}")
    else:
        print(
            "\n" + "!" * 100 + f"\n!! GEEN PostgreSQL bereikbaar ({_reason}).\n!! De tests draaien op SQLite; "
            "de PostgreSQL-tests worden overgeslagen. Zet DATABASE_URL of start PostgreSQL.\n" + "!" * 100,
            file=sys.stderr,
        )
if not USING_POSTGRES:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(BASE_DIR / "test.sqlite3")}}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = "cache+memory://"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".test_media"
DEBUG = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

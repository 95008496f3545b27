"""Celery: the beat schedule points at real tasks, and a real worker on a real Redis completes a task."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from regio.celery import app
from tests.factories import MunicipalityFactory

REDIS_URL = os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def test_beat_schedule_names_registered_tasks():
    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, f"{name}: taak {entry['task']} bestaat niet"
        assert "schedule" in entry


def test_eager_task_in_the_embedded_mode(db):
    from regio.tasks import healthcheck

    MunicipalityFactory(code="GM0888", name="Beek")
    assert healthcheck.delay("GM0888").get() == {"status": "ok", "municipality": "Beek"}


def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_a_real_redis_completes_a_task():
    if not redis_available():
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"REQUIRE_POSTGRES=1 maar Redis is niet bereikbaar op {REDIS_URL}")
        pytest.skip(f"geen Redis op {REDIS_URL}")
    MunicipalityFactory(code="GM0971", name="Stein")
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    database_url = f"postgres://{db['USER']}{password}@{host}/{db['NAME']}"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "regio.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    queue = f"test-{os.getpid()}-{time.time_ns()}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "regio", "worker", "--pool=solo", "-Q", queue, "--loglevel=WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        from celery import Celery

        client = Celery("regio-test", broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
        result = client.send_task("regio.healthcheck", args=["GM0971"], queue=queue)
        try:
            # Eager tasks run from concurrent threads in other tests can leave Celery's process-wide "we are inside a
            # task" flag set (it is a global, not per thread); this test is no task, so it may wait for the result.
            outcome = result.get(timeout=90, disable_sync_subtasks=False)
        except Exception as exc:  # show what the worker said, then fail
            worker.terminate()
            output = worker.communicate(timeout=20)[0].decode(errors="replace")
            pytest.fail(f"De worker gaf geen antwoord ({exc!r}). Uitvoer van de worker:\n{output[-3000:]}")
        assert outcome == {"status": "ok", "municipality": "Stein"}
    finally:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()

"""Fault drills (issue 17) with real services: real Celery workers on a real Redis, a Redis of our own that is
restarted, and PostgreSQL connections that are killed.

A job is stopped "in the middle" deterministically, not by sleeping: the test holds a table lock in a connection of
its own (``LOCK TABLE ... IN SHARE MODE`` lets reads pass and blocks writes), waits until the job's database session
waits for it (``pg_stat_activity``), and then does its damage: SIGKILL the worker, restart Redis, or terminate the
job's database session (``pg_terminate_backend``, only the backend of this test database that waits for our lock).
The machine's own Redis and PostgreSQL are never restarted.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from costsharing import services as costsharing
from costsharing.models import ActualCostLine, Reckoning, ReckoningLine
from invoicing import statements
from invoicing.models import BankStatement, BankStatementLine, Invoice, Payment
from regio.models import Membership, Region
from regio.regionfile import RegionFileError
from regio.regionfile.loader import import_text
from regio.tenancy import system_actor
from tests.costsharing.reckonings import _set_inputs
from tests.invoicing.helpers import coordinator, grant_invoicing_mandate, issued, profile
from tests.regio.test_celery import REDIS_URL, redis_available
from tests.regio.test_regionfile import GOOD

pytestmark = [pytest.mark.postgres, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

FIGURES = {"a1": ("600.00", "500.00"), "a2": ("400.00", "300.00"), "a3": ("200.00", "250.00")}


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"na {timeout:.0f} s nog steeds niet: {what}")


class Blocker:
    """A connection of the test's own that holds a table lock, sees who waits for it, and can kill that session."""

    def __init__(self):
        self.conn = psycopg.connect(_database_url())
        # pg_stat_activity is a snapshot per transaction: it is watched from a connection in autocommit.
        self.watch = psycopg.connect(_database_url(), autocommit=True)

    def hold(self, table: str) -> None:
        self.conn.execute(f"LOCK TABLE {table} IN SHARE MODE")

    def waiting(self) -> list[int]:
        rows = self.watch.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
            "AND pid <> pg_backend_pid() AND pid <> %s",
            [self.conn.info.backend_pid],
        ).fetchall()
        return [pid for (pid,) in rows]

    def wait_for_victim(self, timeout: float = 60) -> int:
        return _wait(self.waiting, timeout, "een taak die op het slot wacht")[0]

    def terminate(self, pid: int) -> None:
        assert self.watch.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]

    def release(self) -> None:
        self.conn.rollback()

    def close(self) -> None:
        self.conn.close()
        self.watch.close()


class Worker:
    """``celery -A regio worker`` (prefork) against ``broker`` on a queue of its own, in a process group of its own."""

    def __init__(self, broker: str, queue: str, concurrency: int = 1, visibility_timeout: int = 3600):
        env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "regio.settings",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": broker,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout),
        }
        command = [sys.executable, "-m", "celery", "-A", "regio", "worker", f"--concurrency={concurrency}"]
        command += ["-Q", queue, "--loglevel=WARNING", "--without-mingle", "--without-gossip", "--without-heartbeat"]
        self.log = Path(f"/tmp/regio-drill-worker-{os.getpid()}-{time.time_ns()}.log")  # noqa: S108
        with self.log.open("wb") as log:  # the child keeps its own descriptor
            self.process = subprocess.Popen(  # noqa: S603
                command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill_children(self) -> None:
        for pid in self.children():
            os.kill(pid, signal.SIGKILL)

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.unlink(missing_ok=True)


def _client(broker: str) -> Celery:
    # Not the current app: shared tasks sent later in this process (another test's .delay()) must keep going to the
    # project's own app, not to this drill's Redis after it stopped.
    return Celery("regio-drill", broker=broker, backend=broker, set_as_current=False)


def _result(async_result, worker: Worker, timeout: float = 120):
    try:
        return async_result.get(timeout=timeout, disable_sync_subtasks=False)
    except Exception as exc:  # show what the worker said
        pytest.fail(f"geen antwoord van de worker ({exc!r}):\n{worker.output()}")


def _ready(client: Celery, worker: Worker, queue: str) -> None:
    _result(client.send_task("regio.healthcheck", args=["GM1883"], queue=queue), worker)


def _lines(reckoning_pk: int) -> list[tuple]:
    return list(
        ReckoningLine.objects.unrestricted()
        .filter(reckoning_id=reckoning_pk)
        .order_by("municipality_id")
        .values_list("municipality_id", "share", "advances", "difference")
    )


def _extra_cost(world, year: int, amount: str) -> None:
    ActualCostLine.objects.unrestricted().create(
        region=world.a, date=date(year, 5, 1), category="legal", description="na te boeken", amount=Decimal(amount)
    )


def _draft_reckoning(world, year: int) -> Reckoning:
    _set_inputs(world.a, year, {getattr(world, k): v for k, v in FIGURES.items()})
    user = coordinator(world)
    reckoning = costsharing.request_reckoning(user=user, region=world.a, year=year, start=False)
    return costsharing.perform_reckoning(reckoning_id=reckoning.pk)


def _queue(name: str) -> str:
    return f"drill-{name}-{os.getpid()}-{time.time_ns()}"


def _require_redis():
    if not redis_available():
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"REQUIRE_POSTGRES=1 maar Redis is niet bereikbaar op {REDIS_URL}")
        pytest.skip(f"geen Redis op {REDIS_URL}")


def test_sigkill_in_the_december_run_then_two_workers_on_the_same_job(world):
    """The December run (``costsharing.run_reckonings``) killed with SIGKILL while it writes: nothing half-written,
    the re-delivered task completes with the result a clean run gives. Then the same job delivered twice at once to
    two worker processes: one does it, the other exits at once (the job lock), while the first is still busy."""
    _require_redis()
    first = _draft_reckoning(world, 2025)
    assert first.run_state == "done", first.error
    before = _lines(first.pk)
    _extra_cost(world, 2025, "1000.00")
    queue = _queue("december")
    worker, blocker = Worker(REDIS_URL, queue, concurrency=2), Blocker()
    client = _client(REDIS_URL)
    try:
        _ready(client, worker, queue)
        blocker.hold("costsharing_reckoningline")
        run = client.send_task("costsharing.run_reckonings", args=[[first.pk]], queue=queue)
        blocker.wait_for_victim()  # the old items and parts are deleted in its transaction; now it waits
        worker.kill_children()
        _wait(lambda: not blocker.waiting(), 30, "de gedode taak laat het slot los")
        assert _lines(first.pk) == before  # the killed transaction left the previous stand whole
        assert Reckoning.objects.unrestricted().get(pk=first.pk).total == first.total
        blocker.release()
        assert _result(run, worker) == [first.pk]  # re-delivered (acks_late, reject_on_worker_lost) and done
        done = Reckoning.objects.unrestricted().get(pk=first.pk)
        assert (done.run_state, done.total, done.error) == ("done", first.total + Decimal("1000.00"), "")
        after = _lines(first.pk)
        assert costsharing.perform_reckoning(reckoning_id=first.pk).total == done.total
        assert _lines(first.pk) == after  # a clean run gives the same result
        assert Reckoning.objects.unrestricted().filter(region=world.a, year=2025).count() == 1

        # Two workers picking up the same job at once.
        _extra_cost(world, 2025, "500.00")
        blocker.hold("costsharing_reckoningline")
        runs = [client.send_task("costsharing.run_reckonings", args=[[first.pk]], queue=queue) for _ in range(2)]
        blocker.wait_for_victim()
        # While one waits for our lock with the job in hand, the other has already answered: it did nothing.
        exited = _wait(lambda: [r for r in runs if r.ready()], 60, "de tweede worker stopt")
        assert len(exited) == 1 and exited[0].get(disable_sync_subtasks=False) == []
        assert len(blocker.waiting()) == 1
        blocker.release()
        worked = next(r for r in runs if r is not exited[0])
        assert _result(worked, worker) == [first.pk]
        done = Reckoning.objects.unrestricted().get(pk=first.pk)
        assert done.total == first.total + Decimal("1500.00") and done.run_state == "done"
    finally:
        blocker.close()
        worker.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnRedis:
    """A redis-server of this test only, on a free loopback port, persisted as production's (append-only file)."""

    def __init__(self, directory: Path):
        self.port, self.directory = _free_port(), directory
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "yes"]
            + ["--appendfsync", "always", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        def up():
            try:
                return redis.Redis.from_url(self.url, socket_connect_timeout=1).ping()
            except redis.RedisError:
                return False

        _wait(up, 30, "onze eigen Redis start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def restart(self) -> None:
        self.stop()
        self.start()


def test_redis_restart_mid_job_and_a_killed_worker_invoices_once(world, tmp_path):
    """Redis restarted while a job runs: the job completes, its result is stored, the worker takes new jobs. Then the
    whole worker killed with SIGKILL while it invoices an approved reckoning: nothing half-saved; a new worker gets
    the unacknowledged task after the visibility timeout and invoices each member exactly once; invoicing again
    creates nothing."""
    if shutil.which("redis-server") is None:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 maar redis-server ontbreekt (.ci/run installeert het)")
        pytest.skip("geen redis-server op deze machine")
    redis_server = OwnRedis(tmp_path)
    queue = _queue("redis")
    draft = _draft_reckoning(world, 2025)
    _extra_cost(world, 2025, "250.00")
    for municipality in (world.a1, world.a2, world.a3):
        profile(municipality)
    for member in (world.a2, world.a3):
        grant_invoicing_mandate(world, mandating=member)
    worker, blocker = Worker(redis_server.url, queue, visibility_timeout=3), Blocker()
    second = None
    try:
        _ready(_client(redis_server.url), worker, queue)
        blocker.hold("costsharing_reckoningline")
        run = _client(redis_server.url).send_task("costsharing.run_reckonings", args=[[draft.pk]], queue=queue)
        blocker.wait_for_victim()
        redis_server.restart()  # in the middle of the job
        blocker.release()
        client = _client(redis_server.url)
        assert _result(client.AsyncResult(run.id), worker) == [draft.pk]
        done = Reckoning.objects.unrestricted().get(pk=draft.pk)
        assert (done.run_state, done.total) == ("done", draft.total + Decimal("250.00"))
        _ready(client, worker, queue)  # a new job after the restart
        user = coordinator(world)
        reckoning = costsharing.approve_reckoning(user=user, reckoning=done)  # a2 pays more, a3 gets money back

        # The whole worker SIGKILLed while it invoices.
        blocker.hold("invoicing_invoiceline")
        invoicing = client.send_task("invoicing.tasks.invoice_reckoning", args=[reckoning.pk, user.pk], queue=queue)
        blocker.wait_for_victim()  # a draft invoice is written in its transaction, its lines wait
        worker.kill()
        _wait(lambda: not blocker.waiting(), 30, "de gedode worker laat het slot los")
        assert not Invoice.objects.unrestricted().filter(source_key__startswith=f"reckoning:{reckoning.pk}:").exists()
        blocker.release()
        second = Worker(redis_server.url, queue, visibility_timeout=3)
        outcome = _result(invoicing, second)
        invoices = Invoice.objects.unrestricted().filter(source_key__startswith=f"reckoning:{reckoning.pk}:")
        assert outcome["created"] == 2 and invoices.count() == 2  # the coordinating a1 does not invoice itself
        assert sorted(invoices.values_list("recipient__code", flat=True)) == sorted([world.a2.code, world.a3.code])
        assert all(i.number for i in invoices)
        again = client.send_task("invoicing.tasks.invoice_reckoning", args=[reckoning.pk, user.pk], queue=queue)
        assert _result(again, second)["created"] == 0
        assert Invoice.objects.unrestricted().filter(source_key__startswith=f"reckoning:{reckoning.pk}:").count() == 2
    finally:
        blocker.close()
        worker.stop()
        if second is not None:
            second.stop()
        redis_server.stop()


def _in_thread(target):
    """Run ``target`` in a thread with its own database connection; returns (result or exception)."""
    outcome: dict = {}

    def body():
        try:
            outcome["value"] = target()
        except Exception as exc:  # noqa: BLE001 (handed to the test)
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=body)
    thread.start()
    return thread, outcome


def _drop_connection_during(table: str, target):
    blocker = Blocker()
    try:
        blocker.hold(table)
        thread, outcome = _in_thread(target)
        blocker.terminate(blocker.wait_for_victim())
        thread.join(timeout=60)
        blocker.release()
    finally:
        blocker.close()
    return outcome


def test_a_dropped_database_connection_during_imports_saves_nothing_and_the_rerun_completes(world):
    """Bank statement and region file: the import's database session is terminated in the middle; nothing is
    half-saved, the user reads in Dutch that nothing was saved, and the same file read again completes."""
    invoice = issued(world, on=date(2025, 12, 10))
    data = f"datum;bedrag;omschrijving\n05-01-2026;1.000,00;factuur {invoice.number}\n".encode()

    def read_statement():
        return statements.import_statement(
            user=coordinator(world), municipality=world.a1, filename="afschrift.csv", data=data
        )

    outcome = _drop_connection_during("invoicing_bankstatementline", read_statement)
    assert isinstance(outcome.get("error"), statements.StatementError), outcome
    assert "er is niets opgeslagen" in str(outcome["error"])
    for model in (BankStatement, BankStatementLine, Payment):
        assert not model.objects.unrestricted().exists()
    result = read_statement()
    assert result.matched == 1 and Payment.objects.unrestricted().get().amount == Decimal("1000.00")

    def read_region_file():
        return import_text(GOOD, "regio.yaml", user=system_actor("fault drill"))

    outcome = _drop_connection_during("regio_membership", read_region_file)
    assert isinstance(outcome.get("error"), RegionFileError), outcome
    assert "er is niets opgeslagen" in str(outcome["error"])
    assert not Region.objects.unrestricted().filter(code="testregio").exists()
    assert read_region_file().counts["created"] > 0
    assert Membership.objects.unrestricted().filter(region__code="testregio").count() == 2

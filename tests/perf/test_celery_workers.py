"""Two real Celery workers on the local Redis share the pack queue, and no pack is built twice,
even when its job is delivered twice (a duplicate message, or a redelivery while it is building).

The workers are `celery -A config worker` subprocesses with REDIS_URL on this test process's own
Redis database (tests/helpers_redis.py) and DATABASE_URL on this test's PostgreSQL database
(transaction=True, so they see the committed rows). They are always terminated, and every wait
is bounded.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from celery import Celery
from django.db import connection

from audit.models import AuditEvent
from reporting.packs.models import Pack, PackStatus
from tests.helpers_redis import FIRST_DB, redis_answers, worker_redis_db

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
# PERF_REDIS_DB moves the first database; each parallel test worker adds its index to it.
REDIS_DB = worker_redis_db(int(os.environ.get("PERF_REDIS_DB", FIRST_DB)))
PACKS = 3
DEADLINE_SECONDS = 45


def _database_url() -> str:
    settings = connection.settings_dict
    parts = urlsplit(os.environ.get("DATABASE_URL", ""))
    return urlunsplit((parts.scheme, parts.netloc, f"/{settings['NAME']}", "", ""))


def _start_worker(name: str, env: dict, log: Path) -> subprocess.Popen:
    celery = Path(sys.executable).with_name("celery")
    return subprocess.Popen(  # noqa: S603 - fixed argv
        [
            str(celery),
            "-A",
            "config",
            "worker",
            "-n",
            f"{name}@perf",
            "--concurrency=1",
            "--prefetch-multiplier=1",
            "--max-tasks-per-child=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
            f"--logfile={log}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        return
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=5)


def _wait(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"Timed out after {DEADLINE_SECONDS} s waiting for {what}.")


def _handled(log: Path) -> int:
    text = log.read_text(errors="replace") if log.exists() else ""
    return text.count("succeeded in")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two worker processes need a shared PostgreSQL")
@pytest.mark.skipif(not redis_answers(), reason="needs Redis on 127.0.0.1:6379")
def test_two_workers_share_packs_and_build_each_pack_once(case, people, users, tmp_path):
    packs = [
        Pack.objects.create(
            case=case,
            kind="strategy",
            date_from=dt.date(2026, 1, 1),
            date_to=dt.date(2026, 6, 30),
            generated_by=users.sw,
        )
        for _ in range(PACKS)
    ]
    redis_url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    broker = Celery("perf-test", broker=redis_url, set_as_current=False)
    with broker.connection_for_write() as conn:
        conn.default_channel.client.flushdb()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("TEST_DATABASE_NAME", None)
    logs = [tmp_path / "worker-a.log", tmp_path / "worker-b.log"]
    workers = []
    try:
        workers = [_start_worker(name, env, log) for name, log in zip(("a", "b"), logs, strict=True)]
        _wait(lambda: all(log.exists() and "ready." in log.read_text(errors="replace") for log in logs), "both workers")
        # Every job twice, back to back: the duplicate reaches the other worker while the first builds.
        for pack in packs:
            broker.send_task("reporting.build_pack", args=[pack.pk])
            broker.send_task("reporting.build_pack", args=[pack.pk])
        _wait(lambda: sum(_handled(log) for log in logs) == 2 * PACKS, "every job to be handled")
    finally:
        for worker in workers:
            _stop(worker)
        broker.close()

    statuses = dict(Pack.objects.values_list("pk", "status"))
    assert all(statuses[p.pk] == PackStatus.DONE for p in packs), statuses
    for pack in packs:
        assert AuditEvent.objects.filter(action="pack.generated", object_id=str(pack.pk)).count() == 1, pack.pk
    # Both workers took jobs from the shared queue.
    assert all(_handled(log) > 0 for log in logs), [_handled(log) for log in logs]


SLOW_DETAIL = "Q" * 15000  # a few seconds of WeasyPrint layout per entry: time to kill the worker mid-build


def _lock_held(pack_id: int) -> bool:
    from reporting.packs.services import PACK_BUILD_LOCK_KEY

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND objid = %s AND granted"
            # Advisory locks belong to a database; pg_locks lists those of every database, and a
            # parallel test worker builds packs with the same ids in its own.
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            [PACK_BUILD_LOCK_KEY, pack_id],
        )
        return bool(cursor.fetchone()[0])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="worker processes need a shared PostgreSQL")
@pytest.mark.skipif(not redis_answers(), reason="needs Redis on 127.0.0.1:6379")
def test_worker_killed_mid_build_is_swept_requeued_and_built_once_by_another(case, users, settings, tmp_path):
    from django.utils import timezone

    from chronology.models import ChronologyEntry
    from reporting.packs.services import packs_sweep
    from tests.packs.conftest import celery_broker

    for day in (1, 2, 3):
        ChronologyEntry.objects.create(
            case=case,
            occurred_on=dt.date(2026, 2, day),
            kind="note",
            significance="medium",
            summary=f"Pasted text {day}",
            detail=SLOW_DETAIL,
            agency=case.lead_agency,
            recorded_by=users.sw,
        )
    pack = Pack.objects.create(
        case=case,
        kind="conference",
        date_from=dt.date(2026, 1, 1),
        date_to=dt.date(2026, 6, 30),
        generated_by=users.sw,
        queued_at=timezone.now(),
        enqueues=1,
    )
    redis_url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    broker = Celery("perf-test", broker=redis_url, set_as_current=False)
    with broker.connection_for_write() as conn:
        conn.default_channel.client.flushdb()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PACK_HEARTBEAT_SECONDS": "1",
        "PACK_BUILD_TIME_LIMIT_SECONDS": "120",
    }
    env.pop("TEST_DATABASE_NAME", None)
    first_log, second_log = tmp_path / "worker-a.log", tmp_path / "worker-b.log"
    first = second = None
    try:
        first = _start_worker("a", env, first_log)
        _wait(lambda: first_log.exists() and "ready." in first_log.read_text(errors="replace"), "the first worker")
        broker.send_task("reporting.build_pack", args=[pack.pk])

        def laying_out() -> bool:
            pack.refresh_from_db()
            return pack.status == PackStatus.RUNNING and pack.progress >= 60

        _wait(laying_out, "the first worker to start laying the pack out")
        beat = pack.heartbeat_at
        _wait(lambda: Pack.objects.get(pk=pack.pk).heartbeat_at > beat, "a heartbeat during the layout")
        assert _lock_held(pack.pk)

        os.killpg(first.pid, signal.SIGKILL)  # the whole worker: parent, pool process and layout
        first.wait(timeout=10)
        _wait(lambda: not _lock_held(pack.pk), "PostgreSQL to end the dead worker's session")
        pack.refresh_from_db()
        assert pack.status == PackStatus.RUNNING  # nothing else would ever move it on

        # Too soon: the heartbeat is fresh, the sweeper leaves it.
        assert packs_sweep() == {"requeued": 0, "failed": 0}
        later = timezone.now() + dt.timedelta(seconds=settings.PACK_STALE_SECONDS + 1)
        with celery_broker(redis_url):
            assert packs_sweep(now=later) == {"requeued": 1, "failed": 0}
        pack.refresh_from_db()
        assert pack.status == PackStatus.QUEUED

        second = _start_worker("b", env, second_log)
        _wait(lambda: Pack.objects.get(pk=pack.pk).status == PackStatus.DONE, "the second worker to build the pack")
    finally:
        for worker in (first, second):
            if worker is not None:
                _stop(worker)
        broker.close()

    pack.refresh_from_db()
    assert pack.attempts == 2
    assert pack.file and pack.sha256
    assert AuditEvent.objects.filter(action="pack.generated", object_id=str(pack.pk)).count() == 1
    assert AuditEvent.objects.filter(action="pack.requeued", object_id=str(pack.pk)).count() == 1

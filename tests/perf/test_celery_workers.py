"""Two real Celery workers on the local Redis share the pack queue, and no pack is built twice,
even when its job is delivered twice (a duplicate message, or a redelivery while it is building).

The workers are `celery -A config worker` subprocesses with REDIS_URL on a dedicated Redis
database and DATABASE_URL on this test's PostgreSQL database (transaction=True, so they see the
committed rows). They are always terminated, and every wait is bounded.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from celery import Celery
from django.db import connection

from audit.models import AuditEvent
from reporting.models_packs import Pack, PackStatus

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = int(os.environ.get("PERF_REDIS_DB", "13"))
PACKS = 3
DEADLINE_SECONDS = 45


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


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
@pytest.mark.skipif(not _redis_answers(), reason="needs Redis on 127.0.0.1:6379")
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
    broker = Celery("perf-test", broker=redis_url)
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

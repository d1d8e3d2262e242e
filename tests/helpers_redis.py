"""The local Redis for tests that send jobs to a real broker or run real Celery workers.

`bin/test` runs pytest in parallel processes (pytest-xdist workers gw0, gw1, ...) that share one
Redis server, and these tests empty the database they use and count the jobs queued in it. So each
process has a database of its own: FIRST_DB in a serial run and in worker gw0, FIRST_DB + n in
worker gwN. Within one process the tests run one after another and each empties the database
before it starts."""

from __future__ import annotations

import os
import socket

HOST, PORT = "127.0.0.1", 6379
DATABASES = 16  # Redis's default `databases`
FIRST_DB = 5  # 0 is the service's own (the README's worker command); tests use 5 and up


def worker_index() -> int:
    """0 in a serial run, n in pytest-xdist worker gwN."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(worker.removeprefix("gw")) if worker.startswith("gw") else 0


def worker_redis_db(first: int = FIRST_DB) -> int:
    """This process's Redis database: `first` plus the worker's index."""
    db = first + worker_index()
    if db >= DATABASES:
        raise RuntimeError(f"Redis database {db} does not exist: run fewer test workers (TEST_WORKERS).")
    return db


def worker_redis_url(first: int = FIRST_DB) -> str:
    return f"redis://{HOST}:{PORT}/{worker_redis_db(first)}"


def redis_answers() -> bool:
    try:
        with socket.create_connection((HOST, PORT), timeout=1):
            return True
    except OSError:
        return False

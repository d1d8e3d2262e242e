"""Helpers for pack tests: a private media folder, entries, building a pack and reading its text."""

from __future__ import annotations

import datetime as dt
import io
import json
from contextlib import contextmanager

import pytest
from pypdf import PdfReader

from chronology.models import ChronologyEntry
from reporting.packs.services import pack_request
from tests.helpers_redis import redis_answers, worker_redis_url


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def add_entry(users, agencies):
    """add_entry(case, on, summary, agency=..., significance=..., subjects=[...], **fields)."""

    def make(case, on: dt.date, summary: str, *, agency=None, recorded_by=None, subjects=(), seen=(), **fields):
        fields.setdefault("kind", "note")
        fields.setdefault("significance", "medium")
        entry = ChronologyEntry.objects.create(
            case=case,
            occurred_on=on,
            summary=summary,
            agency=agency or agencies.csc,
            recorded_by=recorded_by or users.sw,
            **fields,
        )
        entry.subjects.set(subjects)
        entry.seen.set(seen)
        return entry

    return make


@pytest.fixture
def build(django_capture_on_commit_callbacks):
    """build(user, case, **request) requests a pack and runs its (eager) job as the commit would."""

    def make(user, case, **kwargs):
        kwargs.setdefault("kind", "strategy")
        kwargs.setdefault("date_from", dt.date(2026, 1, 1))
        kwargs.setdefault("date_to", dt.date(2026, 6, 30))
        kwargs.setdefault("min_significance", "low")
        with django_capture_on_commit_callbacks(execute=True):
            pack = pack_request(acting_user=user, case=case, **kwargs)
        pack.refresh_from_db()
        return pack

    return make


def pdf_pages(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    return [page.extract_text() or "" for page in reader.pages]


def pack_text(pack) -> str:
    with pack.file.open("rb") as handle:
        return "\n".join(pdf_pages(handle.read()))


def squash(text: str) -> str:
    """Text with runs of whitespace made single spaces, for phrase checks across line breaks."""
    return " ".join(text.split())


# A Redis database of this test process's own (each parallel worker has another one).
TEST_REDIS_URL = worker_redis_url()
# Nothing listens here: a broker that is down.
DEAD_BROKER_URL = "redis://127.0.0.1:6390/0"


@contextmanager
def celery_broker(url: str):
    """Send jobs to a real broker at `url` instead of running them eagerly, for the duration."""
    from celery._state import get_current_app

    from config.celery import app

    # Shared tasks use the current app: make it the project's (another test may have made its own).
    previous = get_current_app()
    app.set_current()
    saved = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}

    def forget_connections() -> None:
        import kombu.pools

        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        kombu.pools.reset()

    forget_connections()
    app.conf.update(broker_url=url, task_always_eager=False)
    try:
        yield app
    finally:
        forget_connections()
        app.conf.update(**saved)
        previous.set_current()


@pytest.fixture
def test_redis():
    """The test Redis database, emptied before and after."""
    import redis

    if not redis_answers():
        pytest.skip("needs Redis on 127.0.0.1:6379")
    client = redis.Redis.from_url(TEST_REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


def queued_messages(client) -> list[dict]:
    """The job messages waiting in the default Celery queue of the test Redis database."""
    return [json.loads(raw) for raw in client.lrange("celery", 0, -1)]

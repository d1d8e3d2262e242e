"""The job sweeper (celery beat every minute, or `manage.py sweep_jobs`) brings every stalled pack
job to an end: a running pack whose worker died is sent again or failed, a queued pack no worker
started is sent again and, after PACK_MAX_ATTEMPTS sends, failed. It is idempotent, leaves a live
build alone and never builds a pack twice. Real PostgreSQL locks, real Redis, real WeasyPrint."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from audit.models import AuditEvent
from reporting.packs.models import Pack, PackStatus
from reporting.packs.services import PACK_BUILD_LOCK_KEY, pack_build, packs_sweep
from tests.packs.conftest import TEST_REDIS_URL, celery_broker, queued_messages

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_pack(users, case):
    def make(**fields) -> Pack:
        fields.setdefault("status", PackStatus.QUEUED)
        fields.setdefault("queued_at", timezone.now())
        fields.setdefault("enqueues", 1)
        return Pack.objects.create(
            case=case,
            kind="strategy",
            date_from=dt.date(2026, 1, 1),
            date_to=dt.date(2026, 6, 30),
            generated_by=users.sw,
            **fields,
        )

    return make


def ago(seconds: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=seconds)


def test_running_pack_whose_worker_died_is_requeued_and_built_once(make_pack, django_capture_on_commit_callbacks):
    pack = make_pack(status=PackStatus.RUNNING, attempts=1, started_at=ago(900), heartbeat_at=ago(600))
    with django_capture_on_commit_callbacks(execute=True):  # the eager job runs as the commit would
        counts = packs_sweep()
    pack.refresh_from_db()
    assert counts == {"requeued": 1, "failed": 0}
    assert pack.status == "done", pack.error
    assert pack.attempts == 2
    assert AuditEvent.objects.filter(action="pack.requeued", object_id=str(pack.pk)).count() == 1
    assert AuditEvent.objects.filter(action="pack.generated", object_id=str(pack.pk)).count() == 1
    # A late redelivery of the original job does nothing.
    assert pack_build(pack_id=pack.pk) is None
    assert AuditEvent.objects.filter(action="pack.generated", object_id=str(pack.pk)).count() == 1


def test_running_pack_whose_worker_died_too_often_is_failed_with_a_reason(make_pack, settings):
    settings.PACK_MAX_ATTEMPTS = 3
    pack = make_pack(status=PackStatus.RUNNING, attempts=3, started_at=ago(900), heartbeat_at=ago(600))
    assert packs_sweep() == {"requeued": 0, "failed": 1}
    pack.refresh_from_db()
    assert pack.status == "failed"
    assert pack.error.startswith("The pack was started 3 times but the worker building it stopped before it finished")
    assert "Request the pack again" in pack.error
    assert AuditEvent.objects.filter(action="pack.failed", object_id=str(pack.pk)).count() == 1
    # Idempotent: a second sweep finds nothing to do and audits nothing more.
    assert packs_sweep() == {"requeued": 0, "failed": 0}
    assert AuditEvent.objects.filter(action="pack.failed", object_id=str(pack.pk)).count() == 1


def test_running_pack_with_a_recent_heartbeat_is_left_alone(make_pack):
    pack = make_pack(status=PackStatus.RUNNING, attempts=1, started_at=ago(900), heartbeat_at=ago(5))
    assert packs_sweep() == {"requeued": 0, "failed": 0}
    pack.refresh_from_db()
    assert pack.status == "running"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the build lock is a PostgreSQL advisory lock")
def test_stale_pack_whose_worker_still_holds_the_build_lock_is_left_alone(make_pack):
    pack = make_pack(status=PackStatus.RUNNING, attempts=3, started_at=ago(900), heartbeat_at=ago(600))
    params = {**connection.get_connection_params()}
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as worker_session:
        worker_session.execute("SELECT pg_advisory_lock(%s, %s)", [PACK_BUILD_LOCK_KEY, pack.pk])
        assert packs_sweep() == {"requeued": 0, "failed": 0}
        pack.refresh_from_db()
        assert pack.status == "running"
    # The session ended (its worker died): the next sweep deals with it.
    assert packs_sweep() == {"requeued": 0, "failed": 1}


def test_redelivered_job_of_a_pack_started_too_often_fails_it_instead_of_building_again(make_pack, settings):
    settings.PACK_MAX_ATTEMPTS = 2
    pack = make_pack(status=PackStatus.RUNNING, attempts=2, started_at=ago(30), heartbeat_at=ago(30))
    assert pack_build(pack_id=pack.pk) is None
    pack.refresh_from_db()
    assert pack.status == "failed"
    assert "started 2 times" in pack.error
    assert not AuditEvent.objects.filter(action="pack.generated", object_id=str(pack.pk)).exists()


def test_queued_pack_no_worker_started_is_sent_again_then_failed(
    make_pack, settings, test_redis, django_capture_on_commit_callbacks
):
    settings.PACK_QUEUED_STALE_SECONDS = 600
    settings.PACK_MAX_ATTEMPTS = 3
    pack = make_pack(queued_at=ago(700), enqueues=1)
    with celery_broker(TEST_REDIS_URL):
        now = timezone.now()
        # Nothing listens on this queue: each sweep sends the job again, up to three sends in all.
        for sweep, expected in enumerate(({"requeued": 1, "failed": 0}, {"requeued": 1, "failed": 0}), start=1):
            with django_capture_on_commit_callbacks(execute=True):
                assert packs_sweep(now=now + dt.timedelta(seconds=700 * (sweep - 1))) == expected
        pack.refresh_from_db()
        assert pack.status == "queued"
        assert pack.enqueues == 3
        assert len(queued_messages(test_redis)) == 2
        # A sweep inside the waiting time changes nothing.
        assert packs_sweep(now=now + dt.timedelta(seconds=800)) == {"requeued": 0, "failed": 0}
        with django_capture_on_commit_callbacks(execute=True):
            assert packs_sweep(now=now + dt.timedelta(seconds=1400)) == {"requeued": 0, "failed": 1}
    pack.refresh_from_db()
    assert pack.status == "failed"
    assert pack.error.startswith("No worker started this pack in ")
    assert "tell your administrator" in pack.error
    assert AuditEvent.objects.filter(action="pack.requeued", object_id=str(pack.pk)).count() == 2


def test_sweep_jobs_command_requeues_and_reports(make_pack, capsys, django_capture_on_commit_callbacks):
    pack = make_pack(status=PackStatus.RUNNING, attempts=1, started_at=ago(900), heartbeat_at=ago(600))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_jobs")
    assert "Packs requeued: 1; failed: 0." in capsys.readouterr().out
    pack.refresh_from_db()
    assert pack.status == "done"
    call_command("sweep_jobs")
    assert "Packs requeued: 0; failed: 0." in capsys.readouterr().out


def test_sweeper_runs_every_minute_under_celery_beat():
    from config.celery import app

    entry = app.conf.beat_schedule["sweep-jobs"]
    assert entry["task"] == "reporting.sweep_jobs"
    assert entry["schedule"] == 60
    assert "reporting.sweep_jobs" in app.tasks


# --- Telling the user that no worker has started the pack ----------------------------------------


def test_status_says_when_no_worker_has_started_the_pack(make_pack, api_as, users, settings):
    settings.PACK_NO_WORKER_NOTICE_SECONDS = 60
    waiting = make_pack(queued_at=ago(300))
    fresh = make_pack(queued_at=ago(5))
    client = api_as(users.sw)
    body = client.get(f"/api/v1/packs/{waiting.pk}/").json()
    assert body["status"] == "queued"
    assert body["notice"].startswith("No worker has started this pack yet (queued 5 minutes ago).")
    assert client.get(f"/api/v1/packs/{fresh.pk}/").json()["notice"] == ""


def test_packs_tab_says_when_no_worker_has_started_the_pack(make_pack, web_as, users, case, settings):
    settings.PACK_NO_WORKER_NOTICE_SECONDS = 60
    make_pack(queued_at=ago(300))
    page = web_as(users.sw).get(f"/cases/{case.pk}/packs/").content.decode()
    assert "No worker has started this pack yet (queued 5 minutes ago)." in page

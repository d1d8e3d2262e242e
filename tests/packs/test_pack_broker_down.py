"""The job is queued only after the request commits, with a bounded connection attempt. When the
broker is down the request answers 503 with Retry-After, never 500, and nothing is left queued: the
pack is recorded as failed with a reason. Real Redis (and a port where nothing listens)."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from audit.models import AuditEvent
from reporting.packs.models import Pack
from reporting.packs.services import BROKER_DOWN_MESSAGE
from tests.packs.conftest import DEAD_BROKER_URL, TEST_REDIS_URL, celery_broker, queued_messages

# transaction=True: the request really commits, so the queueing after commit really runs.
pytestmark = pytest.mark.django_db(transaction=True)

REQUEST = {"kind": "strategy", "date_from": "2026-01-01", "date_to": "2026-06-30"}


def test_request_while_the_broker_is_down_answers_503_and_leaves_nothing_queued(api_as, users, case):
    client = api_as(users.sw)
    with celery_broker(DEAD_BROKER_URL):
        started = time.monotonic()
        response = client.post(f"/api/v1/cases/{case.pk}/packs/", REQUEST, format="json")
        elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert elapsed < 15, elapsed
    body = response.json()
    assert body["detail"] == BROKER_DOWN_MESSAGE
    pack = Pack.objects.get()
    assert pack.status == "failed"
    assert pack.error == BROKER_DOWN_MESSAGE
    assert body["pack"]["id"] == pack.pk
    assert body["pack"]["status"] == "failed"
    # The request and the failure are both on the audit trail; the broker's address is not shown.
    assert AuditEvent.objects.filter(action="pack.requested", object_id=str(pack.pk)).count() == 1
    assert AuditEvent.objects.filter(action="pack.failed", object_id=str(pack.pk)).count() == 1
    assert "6390" not in response.content.decode()


def test_a_client_retrying_after_503_gets_its_pack_once_the_broker_is_back(api_as, users, case, test_redis):
    client = api_as(users.sw)
    with celery_broker(DEAD_BROKER_URL):
        assert client.post(f"/api/v1/cases/{case.pk}/packs/", REQUEST, format="json").status_code == 503
    with celery_broker(TEST_REDIS_URL):
        retried = client.post(f"/api/v1/cases/{case.pk}/packs/", REQUEST, format="json")
    assert retried.status_code == 202
    assert retried.json()["status"] == "queued"
    statuses = sorted(Pack.objects.values_list("status", flat=True))
    assert statuses == ["failed", "queued"]  # nothing queued for ever: the first is failed
    # Exactly one job is waiting, for the second pack.
    assert [m["headers"]["argsrepr"] for m in queued_messages(test_redis)] == [f"[{retried.json()['id']}]"]


def test_packs_tab_request_while_the_broker_is_down_shows_why_and_is_not_a_server_error(web_as, users, case):
    client = web_as(users.sw)
    with celery_broker(DEAD_BROKER_URL):
        response = client.post(
            f"/cases/{case.pk}/packs/",
            {"kind": "strategy", "date_from": "2026-01-01", "date_to": "2026-06-30", "min_significance": "low"},
            follow=True,
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "could not be reached, so this pack was not started" in page
    assert Pack.objects.get().status == "failed"


def test_queued_job_carries_the_soft_and_hard_time_limits(users, case, settings, test_redis):
    from reporting.packs.services import pack_request

    settings.PACK_BUILD_TIME_LIMIT_SECONDS = 200
    with celery_broker(TEST_REDIS_URL):
        pack = pack_request(
            acting_user=users.sw, case=case, kind="strategy", date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 2, 1)
        )
    (message,) = queued_messages(test_redis)
    assert message["headers"]["task"] == "reporting.build_pack"
    assert message["headers"]["id"]
    assert message["headers"]["timelimit"] == [260, 230]  # hard, soft: behind the layout's own 200 s
    pack.refresh_from_db()
    assert pack.status == "queued"
    assert pack.enqueues == 1

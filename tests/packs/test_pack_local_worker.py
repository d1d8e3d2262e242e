"""The embedded default (no broker): a pack request returns at once and the local worker builds the
pack in the background; a second identical request while one is in progress returns that pack."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from reporting.packs import local_worker
from reporting.packs.models import Pack, PackStatus
from reporting.packs.services import pack_request

REQUEST = {"kind": "strategy", "date_from": "2026-01-01", "date_to": "2026-03-31", "min_significance": "low"}
SERVICE_REQUEST = {
    "kind": "strategy",
    "date_from": dt.date(2026, 1, 1),
    "date_to": dt.date(2026, 3, 31),
    "min_significance": "low",
}


@pytest.fixture(autouse=True)
def _local_worker_finishes():
    """No build outlives its test (the database is emptied after a transactional test)."""
    yield
    assert local_worker.wait_until_idle(timeout=120)


@pytest.mark.django_db(transaction=True)
def test_request_returns_before_the_pack_is_built_and_the_local_worker_builds_it(web_as, users, case):
    client = web_as(users.chair)
    response = client.post(f"/cases/{case.pk}/packs/", REQUEST)
    returned_at = timezone.now()
    assert response.status_code == 302
    pack = Pack.objects.get()
    assert pack.status in (PackStatus.QUEUED, PackStatus.RUNNING)

    assert local_worker.wait_until_idle(timeout=120)
    pack.refresh_from_db()
    assert pack.status == PackStatus.DONE, pack.error
    assert pack.finished_at > returned_at
    assert pack.is_ready


@pytest.mark.django_db(transaction=True)
def test_page_after_the_request_shows_the_pack_in_progress_in_a_status_box(web_as, users, case):
    client = web_as(users.chair)
    page = client.post(f"/cases/{case.pk}/packs/", REQUEST, follow=True).content.decode()
    pack = Pack.objects.get()
    if pack.status in (PackStatus.QUEUED, PackStatus.RUNNING):
        assert 'role="status"' in page
        assert "Packs being built" in page
        assert f'data-pack-summary="{pack.pk}"' in page
    assert "Strategy discussion pack requested. Its progress is shown below." in page
    assert local_worker.wait_until_idle(timeout=120)
    done = client.get(f"/cases/{case.pk}/packs/").content.decode()
    assert "Packs being built" not in done
    assert f"/api/v1/packs/{pack.pk}/download/" in done


@pytest.mark.django_db
def test_second_identical_request_while_one_is_queued_returns_the_same_pack(users, case):
    first = pack_request(acting_user=users.chair, case=case, **SERVICE_REQUEST)
    second = pack_request(acting_user=users.chair, case=case, **SERVICE_REQUEST)
    assert second.pk == first.pk
    assert Pack.objects.count() == 1
    joined = AuditEvent.objects.filter(action="pack.requested", object_id=str(first.pk)).order_by("id")
    assert [event.detail.get("already_in_progress", False) for event in joined] == [False, True]


@pytest.mark.django_db
def test_second_identical_request_while_one_is_running_returns_the_running_pack(users, case):
    first = pack_request(acting_user=users.chair, case=case, **SERVICE_REQUEST)
    Pack.objects.filter(pk=first.pk).update(status=PackStatus.RUNNING, heartbeat_at=timezone.now())
    assert pack_request(acting_user=users.chair, case=case, **SERVICE_REQUEST).pk == first.pk


@pytest.mark.django_db
def test_page_says_a_second_identical_request_started_no_second_build(web_as, users, case):
    client = web_as(users.chair)
    client.post(f"/cases/{case.pk}/packs/", REQUEST)
    page = client.post(f"/cases/{case.pk}/packs/", REQUEST, follow=True).content.decode()
    assert Pack.objects.count() == 1
    assert "No second copy was started." in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"kind": "conference"},
        {"date_from": dt.date(2026, 1, 2)},
        {"date_to": dt.date(2026, 3, 30)},
        {"min_significance": "medium"},
    ],
)
def test_request_that_differs_in_any_setting_starts_its_own_pack(users, case, change):
    first = pack_request(acting_user=users.chair, case=case, **SERVICE_REQUEST)
    other = pack_request(acting_user=users.chair, case=case, **{**SERVICE_REQUEST, **change})
    assert other.pk != first.pk


@pytest.mark.django_db
def test_request_for_other_agencies_starts_its_own_pack(users, case, agencies):
    first = pack_request(acting_user=users.chair, case=case, **SERVICE_REQUEST)
    other = pack_request(acting_user=users.chair, case=case, agencies=[agencies.hv], **SERVICE_REQUEST)
    assert other.pk != first.pk
    again = pack_request(acting_user=users.chair, case=case, agencies=[agencies.hv], **SERVICE_REQUEST)
    assert again.pk == other.pk


@pytest.mark.django_db
def test_same_request_by_another_person_starts_its_own_pack(users, case):
    first = pack_request(acting_user=users.chair, case=case, **SERVICE_REQUEST)
    assert pack_request(acting_user=users.sw, case=case, **SERVICE_REQUEST).pk != first.pk


@pytest.mark.django_db
def test_finished_or_stalled_identical_pack_does_not_stop_a_new_request(users, case, settings):
    done = pack_request(acting_user=users.chair, case=case, **SERVICE_REQUEST)
    Pack.objects.filter(pk=done.pk).update(status=PackStatus.DONE)
    fresh = pack_request(acting_user=users.chair, case=case, **SERVICE_REQUEST)
    assert fresh.pk != done.pk
    stalled_at = timezone.now() - dt.timedelta(seconds=settings.PACK_STALE_SECONDS + 1)
    Pack.objects.filter(pk=fresh.pk).update(status=PackStatus.RUNNING, heartbeat_at=stalled_at)
    assert pack_request(acting_user=users.chair, case=case, **SERVICE_REQUEST).pk != fresh.pk

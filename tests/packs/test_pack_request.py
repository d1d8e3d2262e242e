import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from reporting.models import Pack
from reporting.packs.services import pack_request

pytestmark = pytest.mark.django_db


def test_request_builds_pack_with_file_and_matching_sha256(build, users, case, people):
    pack = build(users.sw, case)
    assert pack.status == "done"
    assert pack.progress == 100
    content = pack.file.read()
    assert content.startswith(b"%PDF-")
    assert pack.sha256 == hashlib.sha256(content).hexdigest()
    assert pack.page_count >= 3
    assert pack.finished_at is not None


@pytest.mark.parametrize("persona", ["sw", "chair", "manager", "admin"])
def test_chairs_managers_social_workers_and_admins_generate_packs(build, users, case, persona):
    assert build(getattr(users, persona), case).status == "done"


@pytest.mark.parametrize("persona", ["hv", "teacher"])
def test_practitioners_cannot_generate_packs(users, case, persona):
    with pytest.raises(PermissionDenied):
        pack_request(
            acting_user=getattr(users, persona),
            case=case,
            kind="strategy",
            date_from=dt.date(2026, 1, 1),
            date_to=dt.date(2026, 6, 30),
        )
    assert not Pack.objects.exists()


def test_period_ending_before_it_starts_is_refused(users, case):
    with pytest.raises(ValidationError) as raised:
        pack_request(
            acting_user=users.sw, case=case, kind="strategy", date_from=dt.date(2026, 6, 1), date_to=dt.date(2026, 5, 1)
        )
    assert "date_to" in raised.value.message_dict
    assert not Pack.objects.exists()


def test_unknown_kind_is_refused(users, case):
    with pytest.raises(ValidationError) as raised:
        pack_request(
            acting_user=users.sw, case=case, kind="tea", date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 2, 1)
        )
    assert "kind" in raised.value.message_dict


def test_agency_filter_must_name_involved_agencies(users, case, agencies):
    with pytest.raises(ValidationError) as raised:
        pack_request(
            acting_user=users.sw,
            case=case,
            kind="strategy",
            date_from=dt.date(2026, 1, 1),
            date_to=dt.date(2026, 2, 1),
            agencies=[agencies.housing],
        )
    assert "agencies" in raised.value.message_dict


def test_build_waits_for_the_request_to_commit(users, case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pack = pack_request(
            acting_user=users.sw, case=case, kind="strategy", date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 2, 1)
        )
    pack.refresh_from_db()
    assert pack.status == "queued"
    assert not pack.file
    assert len(callbacks) == 1
    callbacks[0]()
    pack.refresh_from_db()
    assert pack.status == "done"


def test_request_and_generation_are_audited(build, users, case):
    pack = build(users.chair, case)
    actions = list(AuditEvent.objects.filter(case=case, object_id=str(pack.pk)).values_list("action", flat=True))
    assert actions == ["pack.requested", "pack.generated"]
    generated = AuditEvent.objects.get(action="pack.generated", object_id=str(pack.pk))
    assert generated.actor == users.chair
    assert generated.detail["sha256"] == pack.sha256


def test_redelivered_job_for_a_finished_pack_does_nothing(build, users, case):
    from reporting.packs.tasks import build_pack

    pack = build(users.sw, case)
    before = (pack.sha256, pack.finished_at)
    assert build_pack.apply(args=[pack.pk]).get() == "skipped"
    pack.refresh_from_db()
    assert (pack.sha256, pack.finished_at) == before

"""The meetings and actions API: each persona, 400 with nothing written, 404 for the outsider."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from audit.models import AuditEvent
from chronology.models import ChronologyEntry
from meetings.models import Action, Meeting, MeetingRevision

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with freeze_time("2026-06-01 10:00:00"):
        yield


def meetings_url(case, *rest):
    return "/".join([f"/api/v1/cases/{case.pk}/meetings", *map(str, rest), ""])


def actions_url(case, *rest):
    return "/".join([f"/api/v1/cases/{case.pk}/actions", *map(str, rest), ""])


def test_social_worker_records_a_held_meeting(api_as, users, case, agencies):
    response = api_as(users.sw).post(
        meetings_url(case),
        {
            "kind": "strategy_discussion",
            "held_on": "2026-05-28",
            "chair": users.chair.pk,
            "invited": [agencies.hv.pk],
            "attended": [agencies.csc.pk, agencies.hv.pk],
            "summary": "Bruising reported by nursery.",
            "decisions": ["Section 47 child protection enquiry to start", "Medical today"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "held"
    assert body["chair"] == users.chair.pk
    assert body["invited"] == [agencies.hv.pk, agencies.csc.pk]
    assert body["decisions"] == ["Section 47 child protection enquiry to start", "Medical today"]
    entry = ChronologyEntry.objects.get(pk=body["entry"])
    assert entry.kind == "strategy_discussion"
    assert "1. Section 47 child protection enquiry to start" in entry.detail


def test_meeting_list_and_detail_for_an_involved_practitioner(api_as, users, case, held_core_group):
    client = api_as(users.teacher)
    listed = client.get(meetings_url(case))
    assert listed.status_code == 200
    assert [m["id"] for m in listed.json()["results"]] == [held_core_group.pk]
    detail = client.get(meetings_url(case, held_core_group.pk))
    assert detail.json()["decisions"] == held_core_group.decisions
    assert AuditEvent.objects.filter(action="meeting.viewed", actor=users.teacher).exists()


def test_bad_meeting_gives_400_and_writes_nothing(api_as, users, case, agencies):
    response = api_as(users.sw).post(
        meetings_url(case),
        {
            "kind": "core_group",
            "held_on": "2026-05-01",
            "invited": [agencies.housing.pk],
            "decisions": ["ok", "x" * 2001],
            "summary": "s" * 10_001,
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"decisions", "summary"}
    response = api_as(users.sw).post(
        meetings_url(case),
        {"kind": "core_group", "held_on": "2026-05-01", "invited": [agencies.housing.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert "invited" in response.json()
    for body in (
        {"kind": "nope", "held_on": "2026-05-01"},
        {"kind": "core_group"},
        {"kind": "core_group", "held_on": "x"},
    ):
        assert api_as(users.sw).post(meetings_url(case), body, format="json").status_code == 400
    assert not Meeting.objects.exists()
    assert not ChronologyEntry.objects.exists()


def test_practitioner_may_not_schedule_a_meeting(api_as, users, case):
    response = api_as(users.hv).post(meetings_url(case), {"kind": "core_group", "held_on": "2026-07-01"}, format="json")
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_record_and_cancel_scheduled_meetings(api_as, users, case, agencies, scheduled_conference):
    client = api_as(users.chair)
    early = client.post(meetings_url(case, scheduled_conference.pk, "record"), {"decisions": ["x"]}, format="json")
    assert early.status_code == 400
    assert MeetingRevision.objects.filter(meeting=scheduled_conference).count() == 1
    recorded = client.post(
        meetings_url(case, scheduled_conference.pk, "record"),
        {"held_on": "2026-05-30", "attended": [agencies.csc.pk], "decisions": ["Plan continues"]},
        format="json",
    )
    assert recorded.status_code == 200, recorded.json()
    assert recorded.json()["status"] == "held"
    assert recorded.json()["held_on"] == "2026-05-30"
    again = client.post(meetings_url(case, scheduled_conference.pk, "cancel"), {"reason": "x"}, format="json")
    assert again.status_code == 400


def test_cancel_needs_a_reason(api_as, users, case, scheduled_conference):
    client = api_as(users.sw)
    assert client.post(meetings_url(case, scheduled_conference.pk, "cancel"), {}, format="json").status_code == 400
    assert (
        client.post(meetings_url(case, scheduled_conference.pk, "cancel"), {"reason": " "}, format="json").status_code
        == 400
    )
    done = client.post(meetings_url(case, scheduled_conference.pk, "cancel"), {"reason": "Family moved"}, format="json")
    assert done.json()["status"] == "cancelled"
    assert done.json()["cancel_reason"] == "Family moved"


def test_actions_create_list_filters(api_as, users, case, agencies, held_core_group):
    client = api_as(users.sw)
    first = client.post(
        actions_url(case),
        {
            "description": "Weekly visit",
            "owner_agency": agencies.hv.pk,
            "owner": users.hv.pk,
            "due_on": "2026-05-25",
            "meeting": held_core_group.pk,
        },
        format="json",
    )
    assert first.status_code == 201, first.json()
    assert first.json()["overdue"] is True
    second = client.post(
        actions_url(case),
        {"description": "Attendance report", "owner_agency": agencies.school.pk, "due_on": "2026-06-12"},
        format="json",
    )
    assert second.status_code == 201
    all_ids = [a["id"] for a in client.get(actions_url(case)).json()["results"]]
    assert all_ids == [first.json()["id"], second.json()["id"]]
    overdue = client.get(actions_url(case), {"overdue": "true"}).json()["results"]
    assert [a["id"] for a in overdue] == [first.json()["id"]]
    school = client.get(actions_url(case), {"owner_agency": agencies.school.pk}).json()["results"]
    assert [a["id"] for a in school] == [second.json()["id"]]
    done = client.get(actions_url(case), {"status": "done"}).json()["results"]
    assert done == []
    assert client.get(actions_url(case), {"status": "finished"}).status_code == 400
    assert client.get(actions_url(case), {"owner_agency": "99999999999999999999999"}).status_code == 400


def test_bad_action_gives_400_and_writes_nothing(api_as, users, case, agencies):
    client = api_as(users.sw)
    for body in (
        {"description": "", "owner_agency": agencies.hv.pk, "due_on": "2026-06-05"},
        {"description": "Visit", "owner_agency": agencies.housing.pk, "due_on": "2026-06-05"},
        {"description": "Visit", "owner_agency": agencies.hv.pk, "owner": users.teacher.pk, "due_on": "2026-06-05"},
        {"description": "Visit", "owner_agency": agencies.hv.pk, "due_on": "June"},
        {"description": "d" * 2001, "owner_agency": agencies.hv.pk, "due_on": "2026-06-05"},
        {"description": "Visit", "owner_agency": agencies.hv.pk, "due_on": "2026-06-05", "meeting": 999999},
    ):
        response = client.post(actions_url(case), body, format="json")
        assert response.status_code == 400, body
    assert not Action.objects.exists()


def test_practitioner_completes_own_agency_action_only(api_as, users, case, hv_action):
    teacher = api_as(users.teacher).post(
        actions_url(case, hv_action.pk, "complete"), {"completed_on": "2026-05-30", "note": "x"}, format="json"
    )
    assert teacher.status_code == 403
    missing_note = api_as(users.hv).post(
        actions_url(case, hv_action.pk, "complete"), {"completed_on": "2026-05-30", "note": ""}, format="json"
    )
    assert missing_note.status_code == 400
    done = api_as(users.hv).post(
        actions_url(case, hv_action.pk, "complete"), {"completed_on": "2026-05-30", "note": "Kit seen"}, format="json"
    )
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["overdue"], done.json()["note"]) == ("done", False, "Kit seen")


def test_manager_cancels_an_action_practitioner_may_not(api_as, users, case, hv_action):
    assert (
        api_as(users.hv).post(actions_url(case, hv_action.pk, "cancel"), {"reason": "x"}, format="json").status_code
        == 403
    )
    response = api_as(users.manager).post(
        actions_url(case, hv_action.pk, "cancel"), {"reason": "Replaced"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"


def test_outsider_gets_404_on_every_meeting_and_action_path(api_as, users, case, held_core_group, hv_action):
    client = api_as(users.outsider)
    paths = [
        meetings_url(case),
        meetings_url(case, held_core_group.pk),
        meetings_url(case, held_core_group.pk, "record"),
        meetings_url(case, held_core_group.pk, "cancel"),
        actions_url(case),
        actions_url(case, hv_action.pk),
        actions_url(case, hv_action.pk, "complete"),
        actions_url(case, hv_action.pk, "cancel"),
    ]
    for path in paths:
        assert client.get(path).status_code in (404, 405), path
        assert client.post(path, {}, format="json").status_code == 404, path


def test_meeting_of_another_case_is_not_found(api_as, users, case, held_core_group, agencies):
    from tests.factories import CaseFactory

    other = CaseFactory(reference="NS-0002", lead_agency=agencies.csc, lead_professional=users.sw)
    assert api_as(users.sw).get(meetings_url(other, held_core_group.pk)).status_code == 404
    assert api_as(users.sw).get(meetings_url(case, 2**70)).status_code == 404


def test_list_query_count_does_not_grow_with_rows(api_as, users, case, agencies):
    from meetings.services import action_create

    client = api_as(users.sw)
    for index in range(2):
        action_create(
            acting_user=users.sw,
            case=case,
            description=f"a{index}",
            owner_agency=agencies.hv,
            owner=users.hv,
            due_on=dt.date(2026, 6, 9),
        )
    client.get(actions_url(case))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        client.get(actions_url(case))
    for index in range(10):
        action_create(
            acting_user=users.sw,
            case=case,
            description=f"b{index}",
            owner_agency=agencies.hv,
            owner=users.hv,
            due_on=dt.date(2026, 6, 9),
        )
    with CaptureQueriesContext(connection) as twelve:
        client.get(actions_url(case))
    assert len(twelve) == len(two)

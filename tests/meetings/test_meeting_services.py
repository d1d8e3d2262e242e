"""Meetings and actions are written by services: validated, audited, revisioned, never deleted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from chronology.models import ChronologyEntry
from meetings.models import Action, ActionRevision, Meeting, MeetingRevision, NotDeletable
from meetings.services import (
    action_cancel,
    action_complete,
    action_create,
    meeting_cancel,
    meeting_record,
    meeting_schedule,
)
from tests.meetings.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_held_meeting_adds_its_chronology_entry_with_the_decisions_as_detail(held_core_group, users, people):
    entry = held_core_group.entry
    assert held_core_group.status == "held"
    assert entry.kind == "core_group"
    assert entry.occurred_on == dt.date(2026, 5, 20)
    assert entry.detail == "1. Health visitor to visit weekly\n2. School to report attendance each Friday"
    assert entry.agency_id == users.sw.agency_id
    assert set(entry.subjects.all()) == {people.child, people.baby}


def test_conferences_add_cp_conference_entries_and_other_meetings_notes(case, users):
    conference = meeting_schedule(
        acting_user=users.sw, case=case, kind="initial_conference", held_on=dt.date(2026, 5, 1), today=TODAY
    )
    review = meeting_schedule(
        acting_user=users.sw, case=case, kind="cin_review", held_on=dt.date(2026, 5, 2), today=TODAY
    )
    assert conference.entry.kind == "cp_conference"
    assert review.entry.kind == "note"


def test_future_meeting_is_scheduled_and_adds_no_entry(scheduled_conference):
    assert scheduled_conference.status == "scheduled"
    assert scheduled_conference.entry is None
    assert not ChronologyEntry.objects.filter(case=scheduled_conference.case).exists()


def test_attended_and_apologies_agencies_count_as_invited(case, users, agencies):
    meeting = meeting_schedule(
        acting_user=users.sw,
        case=case,
        kind="core_group",
        held_on=dt.date(2026, 5, 1),
        invited=[agencies.csc],
        attended=[agencies.hv],
        apologies=[agencies.school.pk],
        today=TODAY,
    )
    assert meeting.invited == [agencies.csc.pk, agencies.hv.pk, agencies.school.pk]


def test_schedule_refuses_an_agency_not_involved_and_writes_nothing(case, users, agencies):
    with pytest.raises(ValidationError) as caught:
        meeting_schedule(
            acting_user=users.sw,
            case=case,
            kind="core_group",
            held_on=dt.date(2026, 5, 1),
            invited=[agencies.housing],
            today=TODAY,
        )
    assert "invited" in caught.value.message_dict
    assert not Meeting.objects.exists()
    assert not ChronologyEntry.objects.exists()


def test_schedule_refuses_outcome_for_a_future_meeting(case, users, agencies):
    with pytest.raises(ValidationError) as caught:
        meeting_schedule(
            acting_user=users.sw,
            case=case,
            kind="core_group",
            held_on=dt.date(2026, 6, 10),
            attended=[agencies.hv],
            today=TODAY,
        )
    assert "has not happened yet" in caught.value.message_dict["held_on"][0]


def test_schedule_refuses_an_unknown_kind_and_too_long_decisions(case, users):
    with pytest.raises(ValidationError) as caught:
        meeting_schedule(
            acting_user=users.sw,
            case=case,
            kind="tea_party",
            held_on=dt.date(2026, 5, 1),
            decisions=["x" * 2001],
            today=TODAY,
        )
    errors = caught.value.message_dict
    assert "kind" in errors
    assert errors["decisions"] == ["Decision 1 must be 2,000 characters or fewer; this is 2,001."]


def test_a_practitioner_does_not_schedule_meetings(case, users):
    with pytest.raises(PermissionDenied):
        meeting_schedule(acting_user=users.hv, case=case, kind="core_group", held_on=dt.date(2026, 5, 1), today=TODAY)


def test_recording_a_scheduled_meeting_keeps_the_scheduled_revision(scheduled_conference, users, agencies):
    held = meeting_record(
        acting_user=users.chair,
        meeting=scheduled_conference,
        attended=[agencies.csc],
        apologies=[agencies.hv],
        decisions=["Plan continues"],
        today=dt.date(2026, 7, 1),
    )
    assert held.status == "held"
    assert held.entry.kind == "cp_conference"
    revisions = list(MeetingRevision.objects.filter(meeting=held).order_by("number"))
    assert [(r.number, r.change, r.state["status"]) for r in revisions] == [
        (1, "scheduled", "scheduled"),
        (2, "held", "held"),
    ]
    assert AuditEvent.objects.filter(action="meeting.held", object_id=str(held.pk)).count() == 1


def test_recording_before_the_meeting_day_is_refused(scheduled_conference, users):
    with pytest.raises(ValidationError) as caught:
        meeting_record(acting_user=users.chair, meeting=scheduled_conference, today=TODAY)
    assert "record its outcome on or after that day" in caught.value.message_dict["held_on"][0]
    scheduled_conference.refresh_from_db()
    assert scheduled_conference.status == "scheduled"


def test_cancel_needs_a_reason_and_a_held_meeting_is_not_cancelled(scheduled_conference, held_core_group, users):
    with pytest.raises(ValidationError) as caught:
        meeting_cancel(acting_user=users.sw, meeting=scheduled_conference, reason="  ")
    assert "reason" in caught.value.message_dict
    cancelled = meeting_cancel(acting_user=users.sw, meeting=scheduled_conference, reason="Chair unwell")
    assert (cancelled.status, cancelled.cancel_reason, cancelled.revision) == ("cancelled", "Chair unwell", 2)
    with pytest.raises(ValidationError):
        meeting_cancel(acting_user=users.sw, meeting=held_core_group, reason="Wrong")


def test_meetings_and_actions_are_never_deleted(held_core_group, hv_action):
    with pytest.raises(NotDeletable):
        held_core_group.delete()
    with pytest.raises(NotDeletable):
        Meeting.objects.all().delete()
    with pytest.raises(NotDeletable):
        hv_action.delete()
    with pytest.raises(NotDeletable):
        Action.objects.all().delete()


def test_action_create_is_audited_and_revisioned(hv_action, users):
    assert hv_action.status == "open"
    assert ActionRevision.objects.get(action=hv_action).state["owner"] == users.hv.pk
    assert AuditEvent.objects.filter(action="action.created", object_id=str(hv_action.pk)).exists()


def test_action_owner_must_work_for_the_owning_agency(case, users, agencies):
    with pytest.raises(ValidationError) as caught:
        action_create(
            acting_user=users.sw,
            case=case,
            description="Visit",
            owner_agency=agencies.hv,
            owner=users.teacher,
            due_on=dt.date(2026, 6, 5),
        )
    assert caught.value.message_dict["owner"] == ["The named owner must be a user of Northshire Health Visiting."]
    assert not Action.objects.exists()


def test_action_owner_agency_must_be_involved(case, users, agencies):
    with pytest.raises(ValidationError) as caught:
        action_create(acting_user=users.sw, case=case, description="Visit", owner_agency=agencies.housing, due_on=TODAY)
    assert "owner_agency" in caught.value.message_dict


def test_overdue_is_open_and_past_due(hv_action):
    assert hv_action.overdue_on(dt.date(2026, 5, 28))
    assert not hv_action.overdue_on(dt.date(2026, 5, 27))


def test_practitioner_completes_their_agencys_action(hv_action, users):
    done = action_complete(
        acting_user=users.hv, action=hv_action, completed_on=dt.date(2026, 5, 26), note="Seen", today=TODAY
    )
    assert (done.status, done.completed_on, done.completion_note, done.revision) == (
        "done",
        dt.date(2026, 5, 26),
        "Seen",
        2,
    )
    assert not done.overdue_on(dt.date(2026, 6, 1))
    with pytest.raises(ValidationError):
        action_complete(acting_user=users.hv, action=done, completed_on=TODAY, note="Again", today=TODAY)


def test_another_agencys_practitioner_cannot_complete_the_action(hv_action, users):
    with pytest.raises(PermissionDenied):
        action_complete(acting_user=users.teacher, action=hv_action, completed_on=TODAY, note="Done", today=TODAY)


def test_lead_and_manager_manage_every_action(hv_action, users):
    action_complete(acting_user=users.sw, action=hv_action, completed_on=TODAY, note="Confirmed", today=TODAY)
    second = action_create(
        acting_user=users.sw,
        case=hv_action.case,
        description="Chase",
        owner_agency=hv_action.owner_agency,
        due_on=TODAY,
    )
    cancelled = action_cancel(acting_user=users.manager, action=second, reason="Superseded")
    assert cancelled.status == "cancelled"


def test_practitioner_cannot_cancel_an_action(hv_action, users):
    with pytest.raises(PermissionDenied):
        action_cancel(acting_user=users.hv, action=hv_action, reason="No")


def test_complete_refuses_a_future_date_and_a_missing_note(hv_action, users):
    with pytest.raises(ValidationError) as caught:
        action_complete(acting_user=users.hv, action=hv_action, completed_on=dt.date(2026, 6, 2), note="", today=TODAY)
    assert set(caught.value.message_dict) == {"completed_on", "note"}
    hv_action.refresh_from_db()
    assert hv_action.status == "open"


def test_a_closed_case_refuses_new_meetings_and_action_changes(case, users, agencies, hv_action, scheduled_conference):
    from cases.services import case_close

    case_close(
        acting_user=users.sw, case=case, closed_on=TODAY, outcome="no_further_action", reason="Plan ended", today=TODAY
    )
    with pytest.raises(ValidationError) as caught:
        meeting_schedule(acting_user=users.sw, case=case, kind="core_group", held_on=TODAY, today=TODAY)
    assert "This case is closed, so meetings cannot be added or changed" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        action_create(acting_user=users.sw, case=case, description="Visit", owner_agency=agencies.hv, due_on=TODAY)
    with pytest.raises(ValidationError):
        action_complete(acting_user=users.hv, action=hv_action, completed_on=TODAY, note="Seen", today=TODAY)
    with pytest.raises(ValidationError):
        meeting_cancel(acting_user=users.sw, meeting=scheduled_conference, reason="Closed")
    assert Meeting.objects.filter(case=case).count() == 2
    hv_action.refresh_from_db()
    assert hv_action.status == "open"

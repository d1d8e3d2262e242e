"""Every kind of notification reaches the lead professional and the team around the child, never the
author of the change, never anyone who cannot see the case, and never the content of a restricted
entry for someone who may not read it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from cases.services import case_close, case_lead_hand_over, case_status_change, team_member_add
from chronology.services import entry_amend
from meetings.services import action_create, meeting_schedule
from notifications.models import CaseFlagState, Notification
from reporting.flags.services import flag_review_record
from tests.factories import UserFactory
from tests.notifications.conftest import TODAY, told

pytestmark = pytest.mark.django_db

SW, HV, TEACHER = "sw_lead", "hv_involved", "teacher_involved"


def test_high_significance_entry_by_another_agency_tells_the_lead_and_team_but_not_the_author(team, users, record):
    record(users.hv, significance="high", summary="Police report domestic abuse at the child's address")

    said = (
        "Northshire Health Visiting recorded a high-significance entry: "
        "Police report domestic abuse at the child's address"
    )
    assert told("entry_significant") == {SW: [said], TEACHER: [said]}


def test_nobody_outside_the_team_is_told_the_outsider_manager_and_chair_included(team, users, record):
    record(users.teacher, significance="high", summary="Disclosure at school")

    told_users = set(Notification.objects.values_list("user__username", flat=True))
    assert told_users == {SW, HV}
    assert (
        not {users.outsider.username, users.manager.username, users.chair.username, users.admin.username} & told_users
    )


def test_a_high_entry_is_not_told_to_team_members_of_the_recording_agency(team, users, record, case):
    team_member_add(acting_user=users.sw, case=case, user=users.chair, role_in_case="Chair", today=TODAY)

    record(users.sw, significance="high", summary="Strategy discussion held")

    assert set(told("entry_significant")) == {HV, TEACHER}


def test_medium_and_low_entries_tell_nobody(team, users, record):
    record(users.hv, significance="medium")
    record(users.hv, significance="low")

    assert told("entry_significant") == {}


def test_amending_an_entry_to_high_tells_once_and_amending_it_again_does_not(team, users, record):
    entry = record(users.hv, significance="medium", summary="Bruise seen on the arm")
    entry = entry_amend(
        acting_user=users.hv,
        entry=entry,
        significance="high",
        action="Referred to children's social care",
        reason="More concerning than first thought",
        expected_revision=1,
        today=TODAY,
    )
    entry_amend(
        acting_user=users.hv,
        entry=entry,
        detail="Photographs taken",
        reason="Detail added",
        expected_revision=2,
        today=TODAY,
    )

    assert {user: len(texts) for user, texts in told("entry_significant").items()} == {SW: 1, TEACHER: 1}


def test_a_restricted_entry_tells_its_content_only_to_those_who_may_read_it(team, users, record):
    record(users.hv, significance="high", summary="SECRET-MARKER disclosure by the mother", restricted=True)

    texts = told("entry_significant")
    # The lead professional reads restricted entries in full; the teacher may not.
    assert texts[SW] == [
        "Northshire Health Visiting recorded a high-significance entry: SECRET-MARKER disclosure by the mother"
    ]
    assert texts[TEACHER] == [
        "Northshire Health Visiting recorded a restricted entry. "
        "Only that agency and the lead professional can read it."
    ]


def test_the_restricted_content_is_in_no_page_or_answer_of_the_teacher(team, users, record, api_as, web_as):
    record(users.hv, significance="high", summary="SECRET-MARKER disclosure by the mother", restricted=True)

    api = api_as(users.teacher).get("/api/v1/notifications/")
    inbox = web_as(users.teacher).get("/notifications/")
    work = web_as(users.teacher).get("/my-work/")

    assert api.status_code == inbox.status_code == work.status_code == 200
    assert "restricted entry" in api.content.decode()
    for response in (api, inbox, work):
        assert "SECRET-MARKER" not in response.content.decode()


def test_someone_who_can_no_longer_see_the_case_is_not_told(team, users, record, agencies):
    users.teacher.agency = agencies.housing  # moved to an agency that is not involved
    users.teacher.save()

    record(users.hv, significance="high", summary="Police attended")

    assert set(told("entry_significant")) == {SW}


def test_an_inactive_team_member_is_not_told(team, users, record):
    users.teacher.is_active = False
    users.teacher.save()

    record(users.hv, significance="high", summary="Police attended")

    assert set(told("entry_significant")) == {SW}


def _missed(record, user, people, day):
    return record(user, kind="appointment_missed", occurred_on=day, subjects=[people.baby.pk])


def test_a_flag_that_opens_is_told_once_to_the_team_but_not_the_author(team, users, record, people):
    _missed(record, users.hv, people, dt.date(2026, 3, 2))
    _missed(record, users.hv, people, dt.date(2026, 3, 14))
    assert told("flag_opened") == {}

    _missed(record, users.hv, people, dt.date(2026, 5, 2))  # the third: was_not_brought opens
    _missed(record, users.hv, people, dt.date(2026, 5, 9))  # more evidence of an open flag: not told again

    opened = told("flag_opened")
    assert set(opened) == {SW, TEACHER}
    assert opened[SW] == opened[TEACHER] == ["A flag opened: Child repeatedly not brought to appointments."]


def test_a_reviewed_flag_that_gets_new_evidence_is_told_as_reopened(team, users, record, people):
    for day in (dt.date(2026, 3, 2), dt.date(2026, 3, 14), dt.date(2026, 5, 2)):
        _missed(record, users.hv, people, day)
    flag_review_record(
        acting_user=users.manager,
        case=team,
        rule="was_not_brought",
        key=f"person:{people.baby.pk}",
        decision="in_plan",
        rationale="Transport arranged at core group.",
        at=TODAY,
    )
    assert told("flag_reopened") == {}

    _missed(record, users.teacher, people, dt.date(2026, 5, 20))

    assert set(told("flag_reopened")) == {SW, HV}


def test_a_flag_review_counts_the_flag_as_reviewed_in_the_known_state(team, users, record, people):
    for day in (dt.date(2026, 3, 2), dt.date(2026, 3, 14), dt.date(2026, 5, 2)):
        _missed(record, users.hv, people, day)
    state = team.flag_state
    assert state.flags[f"was_not_brought person:{people.baby.pk}"] == "open"

    flag_review_record(
        acting_user=users.sw,
        case=team,
        rule="was_not_brought",
        key=f"person:{people.baby.pk}",
        decision="in_plan",
        rationale="Transport arranged.",
        at=TODAY,
    )

    state.refresh_from_db()
    assert state.flags[f"was_not_brought person:{people.baby.pk}"] == "reviewed"


def test_an_action_assigned_to_an_agency_tells_its_team_members_and_a_named_owner_is_told_it_is_theirs(
    team, users, agencies
):
    action_create(
        acting_user=users.sw,
        case=team,
        description="Visit weekly",
        owner_agency=agencies.hv,
        due_on=dt.date(2026, 7, 1),
    )
    action_create(
        acting_user=users.sw,
        case=team,
        description="Check attendance",
        owner_agency=agencies.school,
        owner=users.teacher,
        due_on=dt.date(2026, 7, 1),
    )

    assert told("action_assigned") == {
        HV: ["An action was assigned to Northshire Health Visiting, due 1 July 2026: Visit weekly"],
        TEACHER: ["An action was assigned to you, due 1 July 2026: Check attendance"],
    }


def test_an_overdue_action_is_told_once_however_often_the_task_runs(team, users, agencies):
    action_create(
        acting_user=users.sw, case=team, description="Send the report", owner_agency=agencies.school, due_on=TODAY
    )

    call_command("notify_overdue_actions", today="2026-06-01")  # due today: not overdue yet
    assert told("action_overdue") == {}

    call_command("notify_overdue_actions", today="2026-06-02")
    call_command("notify_overdue_actions", today="2026-06-03")

    assert told("action_overdue") == {
        SW: ["An action owned by Riverside Primary School is overdue (due 1 June 2026): Send the report"],
        TEACHER: ["An action owned by Riverside Primary School is overdue (due 1 June 2026): Send the report"],
    }


def test_an_invitation_to_a_meeting_tells_the_invited_agencies_team_members(team, users, agencies):
    meeting_schedule(
        acting_user=users.sw, case=team, kind="core_group", held_on=dt.date(2026, 6, 15), invited=[agencies.hv.pk]
    )

    assert told("meeting_invited") == {HV: ["You are invited to a core group on 15 June 2026."]}


def test_a_meeting_recorded_as_held_invites_nobody(team, users, agencies):
    meeting_schedule(
        acting_user=users.sw,
        case=team,
        kind="core_group",
        held_on=dt.date(2026, 5, 15),
        invited=[agencies.hv.pk],
        attended=[agencies.hv.pk],
    )

    assert told("meeting_invited") == {}


def test_a_status_change_and_a_closure_tell_the_team_but_not_the_author(team, users):
    case_status_change(
        acting_user=users.sw,
        case=team,
        legal_status="child_protection",
        protection_category="neglect",
        effective_from=TODAY,
        reason="Initial child protection conference decided on a plan",
        today=TODAY,
    )
    case_close(
        acting_user=users.manager,
        case=team,
        closed_on=TODAY,
        outcome="no_further_action",
        reason="Plan ended",
        today=TODAY,
    )

    texts = told("status_changed")
    # The status change, by the lead, is not told to them; the closure, by the manager, is.
    assert set(texts) == {SW, HV, TEACHER}
    assert texts[HV][0].startswith("The case is now") and texts[HV][1] == "The case was closed."
    assert texts[SW] == ["The case was closed."]


def test_a_lead_handover_tells_the_team_the_new_lead_and_the_previous_lead(team, users, agencies):
    new_lead = UserFactory(username="sw_new", agency=agencies.csc, role="social_worker")

    case_lead_hand_over(
        acting_user=users.manager, case=team, lead_professional=new_lead, reason="Caseload", today=TODAY
    )

    texts = told("lead_changed")
    assert set(texts) == {SW, HV, TEACHER, "sw_new"}
    assert texts["sw_new"] == ["You are now the lead professional for this case."]
    assert texts[HV] == [f"{new_lead.display_name} is now the lead professional for this case."]


def test_a_case_first_evaluated_tells_only_of_flags_its_cause_is_evidence_for(team, users, record, people):
    # Imported entries (the import path writes no notifications and evaluates no flags): the flag is
    # open before the service first evaluates the case.
    for day in (dt.date(2026, 3, 2), dt.date(2026, 3, 14), dt.date(2026, 5, 2)):
        record(users.hv, kind="appointment_missed", occurred_on=day, subjects=[people.baby.pk], audit=False)
    assert not CaseFlagState.objects.filter(case=team).exists()

    record(users.hv, kind="home_visit", subjects=[people.child.pk])  # not evidence of the open flag

    assert told("flag_opened") == {}
    assert team.flag_state.flags[f"was_not_brought person:{people.baby.pk}"] == "open"


def test_the_policy_predicate_agrees_with_the_visible_cases_filter(team, users, agencies):
    from cases import permissions
    from cases.selectors import cases_visible_to

    involved = set(team.involvements.values_list("agency_id", flat=True))
    for user in vars(users).values():
        assert permissions.can_see_case(user, involved) == cases_visible_to(user).filter(pk=team.pk).exists()


def test_a_flag_that_opens_with_time_alone_is_told_by_the_daily_sweep_once(team, users, agencies):
    action_create(
        acting_user=users.sw, case=team, description="Send the report", owner_agency=agencies.school, due_on=TODAY
    )
    call_command("notify_flag_changes", today="2026-06-01")  # first evaluation: recorded, nothing due yet
    assert not any(name.startswith("action_overdue") for name in CaseFlagState.objects.get(case=team).flags)
    assert told("flag_opened") == {}

    call_command("notify_flag_changes", today="2026-06-02")  # the day after the due date: the flag opens
    call_command("notify_flag_changes", today="2026-06-03")  # still open: not told again

    opened = told("flag_opened")
    assert set(opened) == {SW, HV, TEACHER}  # nobody wrote anything: nobody is left out as the author
    assert opened[SW] == ["A flag opened: Action past its due date."]


def test_the_flag_sweep_leaves_closed_cases_alone(team, users, agencies):
    action_create(
        acting_user=users.sw, case=team, description="Send the report", owner_agency=agencies.school, due_on=TODAY
    )
    call_command("notify_flag_changes", today="2026-06-01")
    case_close(
        acting_user=users.sw, case=team, closed_on=TODAY, reason="No further action", outcome="no_further_action"
    )
    call_command("notify_flag_changes", today="2026-06-10")
    assert told("flag_opened") == {}


def test_the_flag_sweep_command_refuses_a_bad_date():
    with pytest.raises(CommandError):
        call_command("notify_flag_changes", today="June")

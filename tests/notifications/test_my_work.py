"""My work: the user's open cases with unreviewed flags, overdue actions and entries recorded by others
since they last opened the case; the actions they or their agency own, overdue first; the upcoming
meetings they are invited to; every row from a case they can see."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from freezegun import freeze_time

from cases.services import case_close
from meetings.services import action_create, meeting_schedule
from reporting.flags.selectors import flags_for_case
from reporting.flags.services import flag_review_record
from tests.factories import CaseFactory
from tests.notifications.conftest import TODAY

pytestmark = pytest.mark.django_db


def _work(api_as, user):
    response = api_as(user).get("/api/v1/me/work/")
    assert response.status_code == 200
    return response.json()


def test_my_work_counts_overdue_actions_unreviewed_flags_and_new_entries(team, users, people, record, api_as, agencies):
    for day in (dt.date(2026, 3, 2), dt.date(2026, 3, 14), dt.date(2026, 5, 2)):
        record(users.hv, kind="appointment_missed", occurred_on=day, subjects=[people.baby.pk])
    action_create(
        acting_user=users.sw, case=team, description="Send the report", owner_agency=agencies.hv, due_on=TODAY
    )

    work = _work(api_as, users.teacher)

    (row,) = work["cases"]
    assert row["reference"] == team.reference
    needing_review = [f for f in flags_for_case(team, TODAY) if f.needs_review]
    assert any(f.rule == "was_not_brought" for f in needing_review)
    assert row["unreviewed_flags"] == len(needing_review)
    assert row["new_entries"] == 3  # never opened: every entry by someone else is new
    assert row["overdue_actions"] == 0  # due today


def test_opening_the_case_resets_new_entries_and_later_entries_count_again(team, users, record, api_as, web_as):
    record(users.hv)
    record(users.teacher)  # the teacher's own entry is never new to them
    assert _work(api_as, users.teacher)["cases"][0]["new_entries"] == 1

    assert web_as(users.teacher).get(f"/cases/{team.pk}/").status_code == 200
    assert _work(api_as, users.teacher)["cases"][0]["new_entries"] == 0

    with freeze_time("2026-06-01 11:00:00"):
        record(users.hv, summary="Second visit")
        assert _work(api_as, users.teacher)["cases"][0]["new_entries"] == 1


def test_actions_of_the_user_or_their_agency_come_overdue_first(team, users, agencies, api_as):
    later = action_create(
        acting_user=users.sw, case=team, description="Later", owner_agency=agencies.hv, due_on=dt.date(2026, 8, 1)
    )
    overdue = action_create(
        acting_user=users.sw,
        case=team,
        description="Overdue",
        owner_agency=agencies.hv,
        owner=users.hv,
        due_on=dt.date(2026, 6, 1),
    )
    action_create(acting_user=users.sw, case=team, description="School's", owner_agency=agencies.school, due_on=TODAY)

    assert [a["id"] for a in _work(api_as, users.hv)["actions"]] == [overdue.pk, later.pk]
    assert [a["description"] for a in _work(api_as, users.teacher)["actions"]] == ["School's"]


def test_overdue_actions_are_counted_and_flagged_when_past_due(team, users, agencies, api_as):
    action = action_create(
        acting_user=users.sw, case=team, description="Overdue", owner_agency=agencies.hv, due_on=TODAY
    )

    with freeze_time("2026-06-03 10:00:00"):
        work = _work(api_as, users.hv)

    assert work["cases"][0]["overdue_actions"] == 1
    assert work["actions"] == [
        {
            "id": action.pk,
            "case": team.pk,
            "case_reference": team.reference,
            "description": "Overdue",
            "owner_agency": agencies.hv.pk,
            "owner_agency_name": agencies.hv.name,
            "owner": None,
            "due_on": "2026-06-01",
            "overdue": True,
        }
    ]


def test_upcoming_meetings_the_users_agency_is_invited_to(team, users, agencies, api_as):
    invited = meeting_schedule(
        acting_user=users.sw, case=team, kind="core_group", held_on=dt.date(2026, 6, 20), invited=[agencies.hv.pk]
    )
    meeting_schedule(
        acting_user=users.sw, case=team, kind="core_group", held_on=dt.date(2026, 6, 27), invited=[agencies.school.pk]
    )

    assert [m["id"] for m in _work(api_as, users.hv)["meetings"]] == [invited.pk]


def test_the_outsider_has_no_work_on_the_case(team, users, agencies, record, api_as):
    record(users.hv, significance="high", summary="Police attended")
    action_create(acting_user=users.sw, case=team, description="Visit", owner_agency=agencies.hv, due_on=TODAY)

    work = _work(api_as, users.outsider)

    assert work == {"cases": [], "actions": [], "meetings": [], "unread": 0}


def test_a_case_the_user_is_not_in_the_team_of_is_not_listed_but_a_closed_one_is_left_out(
    team, users, agencies, api_as
):
    CaseFactory(lead_agency=agencies.csc, involve=[agencies.hv])  # visible to hv, not their case
    assert [c["id"] for c in _work(api_as, users.hv)["cases"]] == [team.pk]

    case_close(
        acting_user=users.sw, case=team, closed_on=TODAY, outcome="no_further_action", reason="Done", today=TODAY
    )
    assert _work(api_as, users.hv)["cases"] == []


def test_the_unread_count_follows_marking_read(team, users, record, api_as):
    record(users.hv, significance="high", summary="Police attended")
    client = api_as(users.sw)
    assert _work(api_as, users.sw)["unread"] == 1

    (notification,) = client.get("/api/v1/notifications/").json()["results"]
    response = client.post(f"/api/v1/notifications/{notification['id']}/read/")

    assert response.status_code == 200 and response.json()["read"] is True
    assert _work(api_as, users.sw)["unread"] == 0


def test_my_work_page_shows_the_rows(team, users, agencies, record, web_as):
    record(users.hv, significance="high", summary="Police attended")
    action_create(
        acting_user=users.sw, case=team, description="Visit weekly", owner_agency=agencies.school, due_on=TODAY
    )

    page = web_as(users.teacher).get("/my-work/").content.decode()

    assert team.reference in page and "Visit weekly" in page
    assert "2 unread notifications" in page  # the high entry and the action for the school


def test_reviewing_a_flag_takes_it_off_the_count(team, users, people, record, api_as):
    for day in (dt.date(2026, 3, 2), dt.date(2026, 3, 14), dt.date(2026, 5, 2)):
        record(users.hv, kind="appointment_missed", occurred_on=day, subjects=[people.baby.pk])
    before = _work(api_as, users.sw)["cases"][0]["unreviewed_flags"]

    flag_review_record(
        acting_user=users.sw,
        case=team,
        rule="was_not_brought",
        key=f"person:{people.baby.pk}",
        decision="in_plan",
        rationale="Transport arranged.",
        at=TODAY,
    )

    assert _work(api_as, users.sw)["cases"][0]["unreviewed_flags"] == before - 1


def test_the_audit_index_of_views_covers_exactly_the_actions_that_count_as_opening_a_case():
    from django.db import connection

    from notifications.selectors import OPENED_ACTIONS

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'audit_viewed_idx'")
        (definition,) = cursor.fetchone()
    # The partial index is only used while its condition is the selector's list of actions.
    assert sorted(re.findall(r"'([^']+)'::character varying", definition)) == sorted(OPENED_ACTIONS)

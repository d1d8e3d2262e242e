"""The flag snapshot carries the case's meetings and actions, loaded in a fixed number of queries,
and the drift rules read them through the same path as the flags page and API."""

from __future__ import annotations

import datetime as dt

import pytest

from meetings.services import action_cancel, action_create, meeting_schedule
from reporting.flags.loader import load_snapshot
from reporting.flags.selectors import flags_for_case
from tests.meetings.conftest import TODAY

pytestmark = pytest.mark.django_db


def _many(case, users, agencies, count):
    for index in range(count):
        meeting = meeting_schedule(
            acting_user=users.sw,
            case=case,
            kind="core_group",
            held_on=dt.date(2026, 1, 5) + dt.timedelta(days=7 * index),
            invited=[agencies.hv],
            decisions=[f"Decision {index}"],
            today=TODAY,
        )
        action_create(
            acting_user=users.sw,
            case=case,
            description=f"Action {index}",
            owner_agency=agencies.hv,
            owner=users.hv,
            due_on=meeting.held_on + dt.timedelta(days=7),
            meeting=meeting,
        )


@pytest.mark.parametrize("count", [1, 6])
def test_snapshot_loads_meetings_and_actions_in_eight_queries(case, users, agencies, count, django_assert_num_queries):
    _many(case, users, agencies, count)
    with django_assert_num_queries(8):
        snapshot = load_snapshot(case, TODAY)
    assert len(snapshot.meetings) == count
    assert len(snapshot.actions) == count
    action = snapshot.actions[0]
    assert (action.owner_agency.name, action.owner_name, action.created_on) == (
        "Northshire Health Visiting",
        users.hv.full_name or users.hv.username,
        dt.date(2026, 1, 5),
    )
    assert snapshot.meetings[0].invited == frozenset({agencies.hv.pk})
    assert snapshot.meetings[0].entry_id is not None


def test_drift_flags_come_through_the_flags_selector(case, users, agencies, held_core_group, hv_action):
    late = action_create(
        acting_user=users.sw,
        case=case,
        description="Chase the GP",
        owner_agency=agencies.csc,
        due_on=dt.date(2026, 5, 1),
    )
    action_cancel(acting_user=users.sw, action=late, reason="GP replied")
    flags = [f for f in flags_for_case(case, TODAY) if f.rule == "action_overdue"]
    assert [f.key for f in flags] == [f"action:{hv_action.pk}"]
    assert "Weekly home visit to see Kit" in flags[0].explanation
    assert flags[0].evidence == (held_core_group.entry_id,)

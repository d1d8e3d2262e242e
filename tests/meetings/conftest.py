from __future__ import annotations

import datetime as dt

import pytest

from meetings.services import action_create, meeting_schedule

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def held_core_group(case, users, agencies, people):
    """A core group held on 20 May 2026 with two decisions."""
    return meeting_schedule(
        acting_user=users.sw,
        case=case,
        kind="core_group",
        held_on=dt.date(2026, 5, 20),
        chair=users.chair,
        invited=[agencies.csc, agencies.hv, agencies.school],
        attended=[agencies.csc, agencies.hv],
        apologies=[agencies.school],
        summary="Plan reviewed.",
        decisions=["Health visitor to visit weekly", "School to report attendance each Friday"],
        today=TODAY,
    )


@pytest.fixture
def scheduled_conference(case, users, agencies):
    return meeting_schedule(
        acting_user=users.sw,
        case=case,
        kind="review_conference",
        held_on=dt.date(2026, 7, 1),
        chair=users.chair,
        invited=[agencies.csc, agencies.hv],
        today=TODAY,
    )


@pytest.fixture
def hv_action(case, users, agencies, held_core_group):
    return action_create(
        acting_user=users.sw,
        case=case,
        description="Weekly home visit to see Kit",
        owner_agency=agencies.hv,
        owner=users.hv,
        due_on=dt.date(2026, 5, 27),
        meeting=held_core_group,
    )

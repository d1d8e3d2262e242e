from __future__ import annotations

import dataclasses

from tests.flags.builders import CSC, D, retract
from tests.flags.meeting_builders import MeetingCaseBuilder

RULE = "core_group_timescale"
CONFERENCE = D(2026, 3, 2)  # Monday; the 10th working day after is Monday 16 March
DAY_10 = D(2026, 3, 16)
DAY_11 = D(2026, 3, 17)
PLAN = ["Robin to be subject to a child protection plan under the category of neglect"]


def _case(**kwargs):
    case = MeetingCaseBuilder(**kwargs)
    conference = case.meeting("initial_conference", CONFERENCE, decisions=PLAN)
    return case, conference


def test_core_group_timescale_fires_with_no_first_core_group_by_the_11th_working_day():
    case, conference = _case()
    [flag] = case.flags(RULE, DAY_11)
    assert flag.key == f"first:{conference.id}"
    assert flag.evidence == (conference.entry_id,)
    assert flag.explanation == (
        "The initial conference on 2 March 2026 made a child protection plan, so the first core group was due "
        "within 10 working days, by 16 March 2026; none is recorded by 17 March 2026, 11 working days after."
    )


def test_core_group_timescale_quiet_on_the_10th_working_day():
    case, _ = _case()
    assert case.flags(RULE, DAY_10) == []


def test_core_group_timescale_quiet_when_the_first_core_group_meets_on_the_10th_working_day():
    case, _ = _case()
    case.meeting("core_group", DAY_10)
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_core_group_timescale_fires_when_the_first_core_group_meets_on_the_11th_working_day():
    case, _ = _case()
    case.meeting("core_group", DAY_11)
    [flag] = case.flags(RULE, D(2026, 4, 1))
    assert flag.explanation.endswith("it met on 17 March 2026, 11 working days after.")


def test_core_group_timescale_quiet_after_a_conference_that_made_no_plan():
    case, _ = _case(legal_status="child_in_need")
    case.meetings[0] = dataclasses.replace(case.meetings[0], decisions=("No plan: child in need support",))
    assert case.flags(RULE, DAY_11) == []


def test_core_group_timescale_ignores_a_cancelled_core_group():
    case, _ = _case()
    case.meeting("core_group", DAY_10, status="cancelled")
    assert len(case.flags(RULE, DAY_11)) == 1


def test_core_group_timescale_does_not_count_a_retracted_core_group():
    case, _ = _case()
    core_group = case.meeting("core_group", DAY_10)
    retract(case, next(e for e in case.entries if e.id == core_group.entry_id))
    assert len(case.flags(RULE, DAY_11)) == 1


def test_core_groups_six_weeks_apart_are_on_time_and_a_day_more_is_late():
    case, _ = _case()
    case.meeting("core_group", DAY_10)
    case.meeting("core_group", D(2026, 4, 27))  # 42 days after 16 March
    assert case.flags(RULE, D(2026, 5, 1)) == []
    late = MeetingCaseBuilder()
    late.meeting("initial_conference", CONFERENCE, decisions=PLAN)
    late.meeting("core_group", DAY_10)
    late.meeting("core_group", D(2026, 4, 28))  # 43 days
    [flag] = late.flags(RULE, D(2026, 5, 1))
    assert flag.key == "after:2026-03-16"
    assert flag.explanation == (
        "The core group met on 16 March 2026 while a child protection plan lasts, so the next was due within "
        "6 weeks, by 27 April 2026; it met on 28 April 2026, 43 days after."
    )


def test_no_core_group_for_more_than_six_weeks_fires_on_day_43():
    case, _ = _case()
    case.meeting("core_group", DAY_10)
    assert case.flags(RULE, D(2026, 4, 27)) == []
    [flag] = case.flags(RULE, D(2026, 4, 28))
    assert flag.explanation.endswith("none is recorded by 28 April 2026, 43 days after.")


def test_no_core_group_needed_once_the_plan_has_ended():
    case, _ = _case()
    case.meeting("core_group", DAY_10)
    case.case = dataclasses.replace(case.case, status="closed", closed_on=D(2026, 4, 20))
    assert case.flags(RULE, D(2026, 6, 1)) == []


def test_core_group_entries_recorded_without_a_meeting_count():
    case, _ = _case()
    case.entry("core_group", DAY_10, agency=CSC, summary="Core group")
    assert case.flags(RULE, D(2026, 4, 1)) == []

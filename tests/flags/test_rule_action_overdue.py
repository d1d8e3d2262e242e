from __future__ import annotations

from tests.flags.builders import HV, SCHOOL, D, retract
from tests.flags.meeting_builders import MeetingCaseBuilder

RULE = "action_overdue"
CORE_GROUP = D(2026, 5, 11)
DUE = D(2026, 5, 20)


def _case():
    case = MeetingCaseBuilder()
    meeting = case.meeting("core_group", CORE_GROUP, decisions=["Visit weekly"], invited=[HV])
    action = case.action(
        "Weekly home visit to see Kit", DUE, owner=HV, set_on=CORE_GROUP, meeting=meeting, owner_name="Hv Involved"
    )
    return case, meeting, action


def test_action_overdue_fires_the_day_after_the_due_date():
    case, meeting, action = _case()
    [flag] = case.flags(RULE, D(2026, 5, 21))
    assert flag.key == f"action:{action.id}"
    assert flag.evidence == (meeting.entry_id,)
    assert flag.explanation == (
        "The action “Weekly home visit to see Kit” owned by Northshire Health Visiting (Hv Involved), set at the "
        "core group on 11 May 2026, was due on 20 May 2026 and is still open on 21 May 2026, 1 working day later."
    )


def test_action_overdue_quiet_on_the_due_date():
    case, _, _ = _case()
    assert case.flags(RULE, DUE) == []


def test_action_overdue_counts_working_days_without_the_bank_holiday():
    case, _, _ = _case()
    # 21, 22, 26, 27 May: Monday 25 May 2026 is the spring bank holiday.
    [flag] = case.flags(RULE, D(2026, 5, 27))
    assert flag.explanation.endswith("still open on 27 May 2026, 4 working days later.")


def test_action_overdue_quiet_once_done_and_fires_for_the_days_before():
    case = MeetingCaseBuilder()
    case.action("Attendance report", DUE, owner=SCHOOL, set_on=CORE_GROUP, status="done", completed_on=D(2026, 5, 25))
    assert case.flags(RULE, D(2026, 5, 26)) == []
    assert len(case.flags(RULE, D(2026, 5, 22))) == 1  # still open then


def test_action_overdue_quiet_for_a_cancelled_action():
    case = MeetingCaseBuilder()
    case.action("Attendance report", DUE, owner=SCHOOL, set_on=CORE_GROUP, status="cancelled", cancelled_on=DUE)
    assert case.flags(RULE, D(2026, 6, 1)) == []


def test_action_overdue_quiet_before_the_action_was_set():
    case = MeetingCaseBuilder()
    case.action("Attendance report", D(2026, 5, 1), owner=SCHOOL, set_on=D(2026, 5, 10))
    assert case.flags(RULE, D(2026, 5, 5)) == []


def test_action_overdue_grace_days_parameter_moves_the_boundary():
    case, _, _ = _case()
    settings = {RULE: {"grace_days": 3}}
    assert case.flags(RULE, D(2026, 5, 23), settings) == []
    assert len(case.flags(RULE, D(2026, 5, 24), settings)) == 1


def test_action_overdue_with_a_retracted_meeting_entry_names_no_meeting_evidence():
    case, meeting, _ = _case()
    retract(case, next(e for e in case.entries if e.id == meeting.entry_id))
    [flag] = case.flags(RULE, D(2026, 5, 21))
    assert flag.evidence == ()

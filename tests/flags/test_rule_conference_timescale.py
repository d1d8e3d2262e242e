from __future__ import annotations

import pytest

from tests.flags.builders import CSC, HV, POLICE, D, retract
from tests.flags.meeting_builders import MeetingCaseBuilder

RULE = "conference_timescale"
STRATEGY = D(2026, 3, 2)  # a Monday; 15 working days later is Monday 23 March
DAY_15 = D(2026, 3, 23)
DAY_16 = D(2026, 3, 24)
S47 = ["Section 47 child protection enquiry to start today", "Police and social care joint visit"]


def _case(**kwargs):
    case = MeetingCaseBuilder()
    strategy = case.meeting("strategy_discussion", STRATEGY, decisions=S47, invited=[HV, POLICE], **kwargs)
    return case, strategy


def test_conference_timescale_fires_when_no_conference_by_the_16th_working_day():
    case, strategy = _case()
    [flag] = case.flags(RULE, DAY_16)
    assert flag.key == f"meeting:{strategy.id}"
    assert flag.evidence == (strategy.entry_id,)
    assert flag.explanation == (
        "A strategy discussion on 2 March 2026 decided on a child protection (section 47) enquiry, so an initial "
        "conference was due within 15 working days, by 23 March 2026; none is recorded by 24 March 2026, "
        "16 working days after."
    )


def test_conference_timescale_quiet_on_the_15th_working_day_without_a_conference():
    case, _ = _case()
    assert case.flags(RULE, DAY_15) == []


def test_conference_timescale_quiet_when_the_conference_is_on_the_15th_working_day():
    case, _ = _case()
    case.meeting("initial_conference", DAY_15, decisions=["Child protection plan: neglect"])
    assert case.flags(RULE, D(2026, 6, 1)) == []


def test_conference_timescale_fires_when_the_conference_is_on_the_16th_working_day():
    case, _ = _case()
    conference = case.meeting("initial_conference", DAY_16)
    [flag] = case.flags(RULE, D(2026, 6, 1))
    assert flag.explanation.endswith("it was held on 24 March 2026, 16 working days after.")
    assert flag.evidence[-1] == conference.entry_id


def test_conference_timescale_skips_bank_holidays_of_the_nation(settings):
    case = MeetingCaseBuilder()
    case.meeting("strategy_discussion", D(2026, 3, 30), decisions=S47)
    # England and Wales: Good Friday 3 April and Easter Monday 6 April are not working days, so
    # the 15th working day is 22 April. Scotland keeps Easter Monday as a working day: 21 April.
    case.meeting("initial_conference", D(2026, 4, 22))
    assert case.flags(RULE, D(2026, 6, 1)) == []
    settings.BANK_HOLIDAYS_NATION = "scotland"
    [flag] = case.flags(RULE, D(2026, 6, 1))
    assert "by 21 April 2026" in flag.explanation


def test_conference_timescale_quiet_for_a_strategy_discussion_deciding_no_enquiry():
    case = MeetingCaseBuilder()
    case.meeting("strategy_discussion", STRATEGY, decisions=["No section 47 enquiry; single agency assessment"])
    assert case.flags(RULE, DAY_16) == []


def test_conference_timescale_quiet_for_a_cancelled_strategy_discussion():
    case, _ = _case(status="cancelled")
    assert case.flags(RULE, DAY_16) == []


def test_conference_timescale_ignores_a_retracted_strategy_discussion():
    case, strategy = _case()
    retract(case, next(e for e in case.entries if e.id == strategy.entry_id))
    assert case.flags(RULE, DAY_16) == []


def test_conference_timescale_does_not_count_a_retracted_conference():
    case, _ = _case()
    conference = case.meeting("initial_conference", DAY_15)
    retract(case, next(e for e in case.entries if e.id == conference.entry_id))
    assert len(case.flags(RULE, DAY_16)) == 1


@pytest.mark.parametrize("words", ["Strategy discussion: s47 enquiry agreed", "Agreed child protection enquiry"])
def test_conference_timescale_reads_strategy_discussion_entries_recorded_without_a_meeting(words):
    case = MeetingCaseBuilder()
    entry = case.entry("strategy_discussion", STRATEGY, agency=CSC, summary=words)
    [flag] = case.flags(RULE, DAY_16)
    assert flag.key == f"entry:{entry.id}"
    case.entry("cp_conference", DAY_15, agency=CSC, summary="Initial conference")
    assert case.flags(RULE, DAY_16) == []

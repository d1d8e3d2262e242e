from __future__ import annotations

import dataclasses

from tests.flags.builders import D, retract
from tests.flags.meeting_builders import MeetingCaseBuilder

RULE = "review_conference_overdue"
INITIAL = D(2026, 3, 2)
DUE = D(2026, 6, 2)  # three months after the initial conference
PLAN = ["Child protection plan: neglect"]


def _case(**kwargs):
    case = MeetingCaseBuilder(**kwargs)
    initial = case.meeting("initial_conference", INITIAL, decisions=PLAN)
    return case, initial


def test_review_conference_overdue_fires_the_day_after_three_months():
    case, initial = _case()
    [flag] = case.flags(RULE, D(2026, 6, 3))
    assert flag.key == f"after:{initial.id}"
    assert flag.evidence == (initial.entry_id,)
    assert flag.explanation == (
        "After the initial conference on 2 March 2026 a review conference was due within 3 months, by 2 June 2026, "
        "while the child protection plan lasts; none is recorded by 3 June 2026."
    )


def test_review_conference_overdue_quiet_on_the_due_date():
    case, _ = _case()
    assert case.flags(RULE, DUE) == []


def test_review_on_the_due_date_is_on_time_and_the_day_after_is_late():
    case, _ = _case()
    case.meeting("review_conference", DUE)
    assert case.flags(RULE, D(2026, 7, 1)) == []
    late, _ = _case()
    review = late.meeting("review_conference", D(2026, 6, 3))
    [flag] = late.flags(RULE, D(2026, 7, 1))
    assert flag.explanation.endswith("by 2 June 2026; it was held on 3 June 2026.")
    assert flag.evidence[-1] == review.entry_id


def test_later_reviews_are_due_every_six_months():
    case, _ = _case()
    review = case.meeting("review_conference", D(2026, 5, 20))
    assert case.flags(RULE, D(2026, 11, 20)) == []
    [flag] = case.flags(RULE, D(2026, 11, 21))
    assert flag.key == f"after:{review.id}"
    assert "After the review conference on 20 May 2026 a review conference was due within 6 months" in (
        flag.explanation
    )


def test_review_conference_overdue_quiet_once_the_plan_has_ended():
    case, _ = _case()
    case.case = dataclasses.replace(case.case, status="closed", closed_on=D(2026, 5, 1))
    assert case.flags(RULE, D(2026, 7, 1)) == []


def test_review_conference_overdue_ignores_a_cancelled_review():
    case, _ = _case()
    case.meeting("review_conference", D(2026, 5, 20), status="cancelled")
    assert len(case.flags(RULE, D(2026, 6, 3))) == 1


def test_review_conference_overdue_does_not_count_a_retracted_review():
    case, _ = _case()
    review = case.meeting("review_conference", D(2026, 5, 20))
    retract(case, next(e for e in case.entries if e.id == review.entry_id))
    assert len(case.flags(RULE, D(2026, 6, 3))) == 1


def test_review_conference_overdue_quiet_when_the_initial_conference_is_retracted():
    case, initial = _case()
    retract(case, next(e for e in case.entries if e.id == initial.entry_id))
    assert case.flags(RULE, D(2026, 6, 3)) == []

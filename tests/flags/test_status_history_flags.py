"""Rules read the legal status as it was on the date they evaluate, from the case's status history
(child_not_seen_alone first): a child on a plan in March and not in June."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from cases.services import case_close, case_reopen, case_status_change
from reporting.flags.loader import load_snapshot
from reporting.flags.selectors import flags_for_case
from reporting.flags.snapshot import ClosureRecord, StatusRecord
from tests.flags.builders import CSC, CaseBuilder, D, retract

RULE = "child_not_seen_alone"
MARCH = D(2026, 3, 31)
JUNE = D(2026, 6, 30)
HISTORY = (
    StatusRecord("child_in_need", D(2024, 1, 10)),
    StatusRecord("child_protection", D(2026, 2, 1), "neglect"),
    StatusRecord("early_help", D(2026, 5, 15)),
)


def _case(history=HISTORY, closures=()):
    case = CaseBuilder(legal_status=history[-1].legal_status)
    case.case = dataclasses.replace(case.case, status_history=history, closures=closures)
    return case


def test_child_not_seen_alone_fires_in_march_on_the_plan_and_not_in_june_on_early_help():
    case = _case()
    case.child("Robin", D(2021, 4, 4))
    [flag] = case.flags(RULE, MARCH)
    assert "on a child protection plan" in flag.explanation
    assert case.flags(RULE, JUNE) == []


def test_child_not_seen_alone_reads_the_day_a_status_starts_as_the_new_status():
    case = _case()
    case.child("Robin", D(2021, 4, 4))
    assert len(case.flags(RULE, D(2026, 5, 14))) == 1  # the last day on the plan
    assert case.flags(RULE, D(2026, 5, 15)) == []  # early help from this day (half-open)


def test_child_not_seen_alone_fires_after_a_step_up_that_today_is_history():
    stepped_up = (StatusRecord("early_help", D(2024, 1, 10)), StatusRecord("child_in_need", D(2026, 6, 1)))
    case = _case(stepped_up)
    case.child("Robin", D(2021, 4, 4))
    assert case.flags(RULE, MARCH) == []
    [flag] = case.flags(RULE, JUNE)
    assert "child in need plan" in flag.explanation


def test_child_not_seen_alone_is_quiet_while_the_case_was_closed():
    closed = (ClosureRecord(D(2026, 3, 1), D(2026, 4, 1)),)
    case = _case(closures=closed)
    case.child("Robin", D(2021, 4, 4))
    assert case.flags(RULE, MARCH - dt.timedelta(days=1)) == []  # 30 March: closed
    assert len(case.flags(RULE, D(2026, 4, 1))) == 1  # reopened that day, still on the plan


def test_child_not_seen_alone_on_the_plan_does_not_count_a_retracted_visit():
    case = _case()
    robin = case.child("Robin", D(2021, 4, 4))
    retract(case, case.entry("child_seen", D(2026, 3, 20), agency=CSC, about=[robin], seen_alone=[robin]))
    assert len(case.flags(RULE, MARCH)) == 1


@pytest.mark.django_db
def test_flags_for_case_read_the_stored_status_history_as_of_each_date(case, people, users):
    """Through the services and the loader: on a plan from February, stepped down in May."""
    today = dt.date(2026, 6, 30)
    case_status_change(
        acting_user=users.sw,
        case=case,
        legal_status="child_protection",
        protection_category="neglect",
        effective_from=D(2026, 2, 1),
        reason="Initial conference",
        today=today,
    )
    case_status_change(
        acting_user=users.sw,
        case=case,
        legal_status="early_help",
        effective_from=D(2026, 5, 15),
        reason="Review conference ended the plan",
        today=today,
    )
    snapshot = load_snapshot(case, JUNE)
    assert [row.legal_status for row in snapshot.case.status_history] == [
        "child_in_need",
        "child_protection",
        "early_help",
    ]
    in_march = [f for f in flags_for_case(case, MARCH) if f.rule == RULE]
    assert [f.people for f in in_march] == [(people.child.pk,)]
    assert RULE not in {f.rule for f in flags_for_case(case, JUNE)}


@pytest.mark.django_db
def test_snapshot_carries_closures_and_a_reopened_case_is_open_again(case, users):
    today = dt.date(2026, 6, 30)
    case_close(
        acting_user=users.sw, case=case, closed_on=D(2026, 3, 1), outcome="no_further_action", reason="NFA", today=today
    )
    case_reopen(acting_user=users.sw, case=case, reopened_on=D(2026, 4, 1), reason="Re-referral", today=today)
    record = load_snapshot(case, JUNE).case
    assert record.closures == (ClosureRecord(D(2026, 3, 1), D(2026, 4, 1)),)
    assert not record.open_on(D(2026, 3, 15))
    assert record.open_on(D(2026, 4, 1))

"""The demo case's child protection run, loaded as `load_demo` loads it: a strategy discussion that
decides on a section 47 enquiry, the initial conference on the 14th working day after it, core
groups with one late, a review conference in time, two overdue actions, the domestic abuse service
left off one core group, and the next core group and review conference booked. The drift rules are
evaluated through the flag service the pages use. Two load days: the day this was written, and one
whose run crosses Christmas and New Year (bank holidays in the working-day counts)."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from agencies.models import Agency
from cases.models import Case, LegalStatusChange, Person
from chronology.models import ChronologyEntry
from demo.case import AGENCIES
from meetings.models import Action, Meeting
from reporting.flags.dates import add_months, add_working_days, working_days_between
from reporting.flags.selectors import flags_for_case

pytestmark = pytest.mark.django_db

DRIFT_RULES = {
    "action_overdue",
    "conference_timescale",
    "core_group_timescale",
    "review_conference_overdue",
    "agency_not_invited",
}


def _load(today: dt.date):
    """The demo exactly as `manage.py load_demo` loads it on `today`."""
    with freeze_time(f"{today.isoformat()} 09:00:00"):
        call_command("load_demo", stdout=io.StringIO())
    case = Case.objects.get(reference="NS-2026-0417")
    ctx = SimpleNamespace(
        case=case,
        agencies={key: Agency.objects.get(name=name) for key, (name, _kind) in AGENCIES.items()},
        people={"baby": Person.objects.get(case=case, given_name="Rowan")},
    )
    meetings = list(Meeting.objects.filter(case=ctx.case).order_by("held_on", "id"))
    return ctx, today, meetings


@pytest.fixture
def demo():
    return _load(dt.date(2026, 12, 3))


# Loading the demo takes a while: the day whose run crosses Christmas is loaded only for the flags.
@pytest.fixture(params=[dt.date(2026, 12, 3), dt.date(2027, 3, 1)], ids=["2026-12-03", "2027-03-01"])
def demo_on(request):
    return _load(request.param)


def _of(meetings, kind, status="held"):
    return [m for m in meetings if m.kind == kind and m.status == status]


def test_demo_initial_conference_is_held_14_working_days_after_the_strategy_discussion_and_starts_the_plan(demo):
    ctx, today, meetings = demo
    [strategy] = _of(meetings, "strategy_discussion")
    [initial] = _of(meetings, "initial_conference")
    assert any("section 47" in decision.lower() for decision in strategy.decisions)
    assert initial.held_on == add_working_days(strategy.held_on, 14)
    assert working_days_between(strategy.held_on, initial.held_on) == 14
    assert any("child protection plans" in decision for decision in initial.decisions)
    # The plan starts at the conference; the strategy discussion follows the bruise to Rowan.
    plan = LegalStatusChange.objects.get(case=ctx.case, legal_status="child_protection")
    assert plan.effective_from == initial.held_on
    bruises = ChronologyEntry.objects.filter(case=ctx.case, kind="injury", subjects=ctx.people["baby"])
    assert bruises.count() == 2
    assert all(0 < (strategy.held_on - e.occurred_on).days <= 3 for e in bruises)
    # Held meetings write the strategy discussion and conference entries; no other entries of those kinds.
    held = [m for m in meetings if m.status == "held"]
    assert all(m.entry_id is not None for m in held)
    for kind in ("strategy_discussion", "cp_conference"):
        entries = set(ChronologyEntry.objects.filter(case=ctx.case, kind=kind).values_list("id", flat=True))
        assert entries == {m.entry_id for m in held if m.entry.kind == kind}
    assert all(m.entry_id is None for m in meetings if m.status == "scheduled")


def test_demo_core_groups_first_in_time_one_late_and_the_review_in_time(demo):
    _, today, meetings = demo
    [initial] = _of(meetings, "initial_conference")
    [review] = _of(meetings, "review_conference")
    held = [m.held_on for m in _of(meetings, "core_group")]
    assert len(held) == 3
    assert initial.held_on < held[0] <= add_working_days(initial.held_on, 10)
    gaps = [(later - earlier).days for earlier, later in zip(held, held[1:], strict=False)]
    assert [gap > 42 for gap in gaps] == [False, True]
    assert all(gap >= 28 for gap in gaps)
    assert initial.held_on < review.held_on <= add_months(initial.held_on, 3)
    assert held[-1] < today and review.held_on < today
    # Booked: the next core group within six weeks of the last, the next review within six months.
    [next_core_group] = _of(meetings, "core_group", "scheduled")
    [next_review] = _of(meetings, "review_conference", "scheduled")
    assert today < next_core_group.held_on <= held[-1] + dt.timedelta(weeks=6)
    assert today < next_review.held_on <= add_months(review.held_on, 6)
    assert not _of(meetings, "core_group", "cancelled")


def test_demo_has_two_overdue_actions_the_rest_done_and_the_da_service_left_off_one_core_group(demo):
    ctx, today, meetings = demo
    actions = list(Action.objects.filter(case=ctx.case))
    overdue = [a for a in actions if a.status == "open" and a.due_on < today]
    assert len(overdue) == 2
    assert {a.status for a in actions if a not in overdue} == {"done"}
    assert all(a.completed_on <= a.due_on for a in actions if a.status == "done")
    assert all(a.meeting_id is not None for a in actions)

    da = ctx.agencies["da_service"].pk
    held = _of(meetings, "core_group")
    left_off = [m for m in held if da not in m.invited]
    assert left_off == held[:1]
    # It had recorded a high significance entry (the mother's disclosure) before that core group.
    assert ChronologyEntry.objects.filter(
        case=ctx.case,
        agency=ctx.agencies["da_service"],
        significance__in=["medium", "high"],
        occurred_on__lt=left_off[0].held_on,
        occurred_on__gte=add_months(left_off[0].held_on, -6),
    ).exists()
    # Every other conference and core group invited every involved agency.
    involved = set(ctx.case.agencies.values_list("pk", flat=True)) | {ctx.agencies["csc"].pk}
    others = [m for m in meetings if m.kind != "strategy_discussion" and m not in left_off]
    assert all(set(m.invited) == involved for m in others)


def test_demo_drift_rules_fire_as_the_run_says_through_the_flag_service(demo_on):
    ctx, today, meetings = demo_on
    flags = [f.flag for f in flags_for_case(ctx.case, today) if f.flag.rule in DRIFT_RULES]
    fired = sorted(f.rule for f in flags)
    assert fired == ["action_overdue", "action_overdue", "agency_not_invited", "core_group_timescale"]
    first, second, _third = _of(meetings, "core_group")
    [late] = [f for f in flags if f.rule == "core_group_timescale"]
    assert late.key == f"after:{second.held_on.isoformat()}"
    [not_invited] = [f for f in flags if f.rule == "agency_not_invited"]
    assert not_invited.key == f"meeting:{first.pk}"
    assert "Safe Harbour Domestic Abuse Service" in not_invited.explanation
    overdue = Action.objects.filter(case=ctx.case, status="open", due_on__lt=today)
    assert {f.key for f in flags if f.rule == "action_overdue"} == {f"action:{a.pk}" for a in overdue}
    # Quiet: the conference was in time and the review is not yet due.
    assert not {"conference_timescale", "review_conference_overdue"} & set(fired)

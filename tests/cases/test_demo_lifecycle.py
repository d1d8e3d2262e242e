"""The demo case has a realistic history: early help, child in need, a child protection plan from the
initial conference of its child protection run, two closures and re-referrals, a summary and a team,
each change also told in the chronology."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from cases.models import CaseClosure, CaseSummaryRevision, LegalStatusChange, TeamMember
from chronology.models import ChronologyEntry
from demo.case import build_demo
from demo.chronology import add_chronology
from demo.family import add_family_structure
from demo.meetings import add_meetings
from meetings.models import Meeting
from reporting.flags.engine import evaluate
from reporting.flags.loader import load_snapshot

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def test_demo_case_has_a_status_history_closures_a_summary_and_a_team():
    with freeze_time("2026-06-01 09:00:00"):
        ctx = build_demo(today=TODAY)
        add_family_structure(ctx)
        add_chronology(ctx)
        add_meetings(ctx)
    case = ctx.case
    case.refresh_from_db()
    statuses = list(LegalStatusChange.objects.filter(case=case).order_by("effective_from"))
    assert [s.legal_status for s in statuses] == ["child_in_need", "early_help", "child_in_need", "child_protection"]
    assert (case.status, case.legal_status, case.protection_category) == ("open", "child_protection", "multiple")
    # The plan, and the team around the child, start at the initial conference of the run.
    [conference] = Meeting.objects.filter(case=case, kind="initial_conference", status="held")
    assert statuses[-1].effective_from == conference.held_on < TODAY
    assert all(statuses[i].effective_from < statuses[i + 1].effective_from for i in range(len(statuses) - 1))
    # Two closures, each followed by a re-referral, before the child in need plan and the plan.
    closures = CaseClosure.objects.filter(case=case).order_by("closed_on")
    assert closures.count() == 2 and not closures.filter(reopened_on__isnull=True).exists()
    assert closures.last().reopened_on < statuses[-2].effective_from
    assert CaseSummaryRevision.objects.filter(case=case).exists()
    team = TeamMember.objects.filter(case=case, ended_on__isnull=True)
    assert team.count() == 6
    assert set(team.exclude(user=ctx.lead).values_list("started_on", flat=True)) == {conference.held_on}
    kinds = set(ChronologyEntry.objects.filter(case=case).values_list("kind", flat=True))
    assert {"stepped_up", "stepped_down", "case_closed", "case_opened"} <= kinds
    fired = {flag.rule for flag in evaluate(load_snapshot(case, TODAY), at=TODAY)}
    assert {"repeated_case_closure", "child_not_seen_alone"} <= fired

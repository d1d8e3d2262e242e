"""The demo case has a realistic history: early help, child in need, a child protection plan, two
closures and re-referrals, a summary and a team, each change also told in the chronology."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from cases.models import CaseClosure, CaseSummaryRevision, LegalStatusChange, TeamMember
from chronology.models import ChronologyEntry
from demo.case import build_demo
from demo.chronology import add_chronology
from demo.family import add_family_structure
from reporting.flags.engine import evaluate
from reporting.flags.loader import load_snapshot

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def test_demo_case_has_a_status_history_closures_a_summary_and_a_team():
    with freeze_time("2026-06-01 09:00:00"):
        ctx = build_demo(today=TODAY)
        add_family_structure(ctx)
        add_chronology(ctx)
    case = ctx.case
    case.refresh_from_db()
    statuses = list(LegalStatusChange.objects.filter(case=case).order_by("effective_from"))
    assert [s.legal_status for s in statuses] == ["child_in_need", "early_help", "child_in_need", "child_protection"]
    assert (case.status, case.legal_status, case.protection_category) == ("open", "child_protection", "multiple")
    closures = CaseClosure.objects.filter(case=case)
    assert closures.count() == 2 and not closures.filter(reopened_on__isnull=True).exists()
    assert CaseSummaryRevision.objects.filter(case=case).exists()
    assert TeamMember.objects.filter(case=case, ended_on__isnull=True).count() == 6
    kinds = set(ChronologyEntry.objects.filter(case=case).values_list("kind", flat=True))
    assert {"stepped_up", "stepped_down", "case_closed", "case_opened"} <= kinds
    fired = {flag.rule for flag in evaluate(load_snapshot(case, TODAY), at=TODAY)}
    assert {"repeated_case_closure", "child_not_seen_alone"} <= fired

"""Every pack opens with the case summary, the legal status over time, closures and the team
around the child; an anonymised review pack leaves the practitioners' and family's names out."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.services import case_close, case_reopen, case_status_change, case_summary_revise, team_member_add
from tests.packs.conftest import pack_text, squash

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)


@pytest.fixture
def history(case, people, users):
    case_status_change(
        acting_user=users.sw,
        case=case,
        legal_status="child_protection",
        protection_category="neglect",
        effective_from=dt.date(2026, 2, 3),
        reason="Initial conference agreed a plan",
        today=TODAY,
    )
    case_close(
        acting_user=users.sw,
        case=case,
        closed_on=dt.date(2026, 4, 1),
        outcome="stepped_down_early_help",
        reason="Plan ended",
        today=TODAY,
    )
    case_reopen(acting_user=users.sw, case=case, reopened_on=dt.date(2026, 5, 4), reason="School referral", today=TODAY)
    team_member_add(acting_user=users.hv, case=case, user=users.hv, role_in_case="Health visitor for Kit", today=TODAY)
    case_summary_revise(acting_user=users.sw, case=case, text="Robin and Kit live with Alex Testfamily at home.")


@pytest.mark.parametrize("kind", ["strategy", "core_group", "conference"])
def test_every_pack_opens_with_the_summary_status_history_closures_and_team(build, case, users, history, kind):
    flat = squash(pack_text(build(users.chair, case, kind=kind)))
    summary_at = flat.index("Case summary Robin and Kit live with Alex Testfamily at home.")
    assert summary_at < flat.index("People Name")
    assert "Child in need 10 Jan 2024 3 Feb 2026" in flat
    assert "Child protection plan (neglect) 3 Feb 2026 Current Initial conference agreed a plan" in flat
    assert "Closed 1 Apr 2026 (stepped down to early help): Plan ended. Reopened 4 May 2026: School referral" in flat
    assert "Health visitor for Kit" in flat and users.hv.display_name in flat


def test_review_pack_summary_names_no_one(build, case, users, history):
    flat = squash(pack_text(build(users.chair, case, kind="review")))
    assert "Case summary" in flat and "Health visitor for" in flat
    for name in ("Robin", "Kit", "Alex", "Testfamily", users.hv.display_name, users.sw.display_name):
        assert name not in flat
    assert "[practitioner]" in flat

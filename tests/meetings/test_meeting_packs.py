"""Core group and conference packs print the last meeting of their kind, its attendance and
decisions, and the actions since with owner, due date and status; a strategy pack prints the last
strategy discussion's decisions. Read back from the PDF."""

from __future__ import annotations

import datetime as dt

import pytest

from meetings.services import action_complete, action_create, meeting_schedule
from reporting.packs.services import pack_request
from tests.meetings.conftest import TODAY
from tests.packs.conftest import pack_text, squash

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def build(django_capture_on_commit_callbacks):
    def make(user, case, kind):
        with django_capture_on_commit_callbacks(execute=True):
            pack = pack_request(
                acting_user=user,
                case=case,
                kind=kind,
                date_from=dt.date(2026, 1, 1),
                date_to=dt.date(2026, 6, 30),
                min_significance="low",
            )
        pack.refresh_from_db()
        assert pack.status == "done", pack.error
        return squash(pack_text(pack))

    return make


def test_core_group_pack_prints_last_core_group_and_actions_since(
    build, users, case, agencies, held_core_group, hv_action
):
    done = action_create(
        acting_user=users.sw,
        case=case,
        description="Attendance figures each Friday",
        owner_agency=agencies.school,
        due_on=dt.date(2026, 5, 29),
        meeting=held_core_group,
    )
    action_complete(acting_user=users.teacher, action=done, completed_on=dt.date(2026, 5, 29), note="Sent", today=TODAY)
    text = build(users.chair, case, "core_group")
    assert "Since the last core group, 20 May 2026" in text
    assert "Attended: Northshire Children's Social Care, Northshire Health Visiting." in text
    assert "Apologies: Riverside Primary School." in text
    assert "Health visitor to visit weekly" in text
    assert "Weekly home visit to see Kit" in text
    assert "Overdue" in text  # due 27 May, still open
    assert "Done 29 May" in text


def test_conference_pack_follows_the_last_conference_not_the_core_group(build, users, case, agencies, held_core_group):
    meeting_schedule(
        acting_user=users.sw,
        case=case,
        kind="initial_conference",
        held_on=dt.date(2026, 4, 1),
        attended=[agencies.csc],
        decisions=["Child protection plan: neglect"],
        today=TODAY,
    )
    text = build(users.chair, case, "conference")
    assert "Since the last initial child protection conference, 1 April 2026" in text
    assert "Child protection plan: neglect" in text


def test_strategy_pack_prints_the_last_strategy_discussions_decisions(build, users, case, agencies):
    meeting_schedule(
        acting_user=users.sw,
        case=case,
        kind="strategy_discussion",
        held_on=dt.date(2026, 5, 28),
        attended=[agencies.csc, agencies.hv],
        decisions=["Section 47 enquiry to start", "Medical assessment today"],
        today=TODAY,
    )
    text = build(users.sw, case, "strategy")
    assert "Last strategy discussion, 28 May 2026" in text
    assert "Section 47 enquiry to start" in text
    assert "Since the last" not in text

"""Meetings and actions pages in headless Chromium with axe-core: the tab, the form with its error
summary, a meeting with its decisions and actions, and the actions task list."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from meetings.services import action_create, meeting_schedule

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_social_worker_records_a_meeting_and_sees_its_actions(
    case, users, agencies, people, signed_in_page, assert_accessible
):
    page = signed_in_page(users.sw)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="Meetings").click()
    expect(page.get_by_role("heading", level=2, name="Meetings")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Schedule or record a meeting").click()
    page.get_by_label("Core group").check()
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the meeting")
    assert_accessible(page)

    page.get_by_label("Day").fill("20")
    page.get_by_label("Month").fill("5")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("group", name="Agencies that attended").get_by_label("Northshire Health Visiting").check()
    page.get_by_label("Decisions").fill("Health visitor to visit weekly\nNursery place to be found")
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_role("heading", level=2, name="Core group, 20 May 2026")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Nursery place to be found")
    assert_accessible(page)


def test_actions_task_list_is_accessible(case, users, agencies, people, signed_in_page, assert_accessible):
    meeting = meeting_schedule(
        acting_user=users.sw,
        case=case,
        kind="core_group",
        held_on=dt.date(2026, 5, 20),
        attended=[agencies.csc, agencies.hv],
        decisions=["Visit weekly"],
    )
    action_create(
        acting_user=users.sw,
        case=case,
        description="Weekly home visit",
        owner_agency=agencies.hv,
        owner=users.hv,
        due_on=dt.date(2026, 5, 27),
        meeting=meeting,
    )
    page = signed_in_page(users.hv)
    page.goto(f"/cases/{case.pk}/actions/")
    expect(page.locator(".govuk-task-list")).to_contain_text("Weekly home visit")
    expect(page.locator(".govuk-task-list__status")).to_contain_text("Overdue")
    assert_accessible(page)
    page.get_by_role("link", name="Weekly home visit").click()
    expect(page.get_by_role("button", name="Mark as done")).to_be_visible()
    assert_accessible(page)

"""Information sharing in headless Chromium with axe-core: the health visitor follows the header's
unread count to the inbox, opens a notification and changes her settings (with the error summary);
the social worker reads My work. Screenshots go to E2E_SCREENSHOT_DIR when set."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cases.services import team_member_add
from chronology.services import entry_create
from meetings.services import action_create, meeting_schedule
from notifications.models import Notification

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def screenshot(page, tmp_path: Path, name: str) -> Path:
    folder = Path(os.environ.get("E2E_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def shared(case, users, agencies, people):
    today = dt.date.today()
    team_member_add(acting_user=users.sw, case=case, user=users.hv, role_in_case="Health visitor")
    entry_create(
        acting_user=users.teacher,
        case=case,
        occurred_on=today,
        kind="disclosure",
        summary="Robin told her teacher about shouting at home",
        significance="high",
        action="Referred to children's social care",
        subjects=[people.child],
        today=today,
    )
    action_create(
        acting_user=users.sw,
        case=case,
        description="Visit the family this week",
        owner_agency=agencies.hv,
        due_on=today - dt.timedelta(days=2),
    )
    action_create(
        acting_user=users.sw,
        case=case,
        description="Send the health report before the core group",
        owner_agency=agencies.csc,
        owner=users.sw,
        due_on=today + dt.timedelta(days=7),
    )
    meeting_schedule(
        acting_user=users.sw,
        case=case,
        kind="core_group",
        held_on=today + dt.timedelta(days=10),
        invited=[agencies.hv.pk, agencies.csc.pk],
    )
    return case


def test_health_visitor_reads_her_notifications_and_changes_her_settings(
    shared, users, signed_in_page, assert_accessible, tmp_path
):
    told = Notification.objects.filter(user=users.hv).count()
    assert told >= 3  # the entry, the action for her agency and the meeting (and any flag the entry opened)
    page = signed_in_page(users.hv)
    page.goto("/cases/")
    page.get_by_role("link", name=f"Notifications ({told} unread)").click()
    expect(page.get_by_role("heading", level=1, name="Notifications")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Riverside Primary School recorded a high-significance entry")
    assert_accessible(page)
    screenshot(page, tmp_path, "notifications-inbox")

    page.get_by_role("button", name=f"Mark as read notification {told}").click()
    expect(page.get_by_role("link", name=f"Notifications ({told - 1} unread)")).to_be_visible()
    page.get_by_role("button", name="Open notification 1").click()
    expect(page).not_to_have_url("/notifications/")
    assert_accessible(page)

    page.goto("/notifications/settings/")
    expect(page.get_by_role("heading", level=1, name="Notification settings")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="A flag opens").get_by_label("Only show it in my notifications, no email").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your notification settings are saved.")
    expect(
        page.get_by_role("group", name="A flag opens").get_by_label("Only show it in my notifications, no email")
    ).to_be_checked()
    assert_accessible(page)
    screenshot(page, tmp_path, "notification-settings")


def test_social_worker_reads_my_work(shared, users, signed_in_page, assert_accessible, tmp_path):
    page = signed_in_page(users.sw)
    page.goto("/cases/")
    page.get_by_role("link", name="My work").click()
    expect(page.get_by_role("heading", level=1, name="My work")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text(shared.reference)
    expect(main).to_contain_text("Send the health report before the core group")
    expect(main).to_contain_text("Core group")
    assert_accessible(page)
    screenshot(page, tmp_path, "my-work")


def test_the_outsider_has_empty_pages(shared, users, signed_in_page, assert_accessible):
    page = signed_in_page(users.outsider)
    page.goto("/my-work/")
    expect(page.locator("main")).to_contain_text("You do not lead")
    assert_accessible(page)
    page.goto("/notifications/")
    expect(page.locator("main")).to_contain_text("You have no notifications.")
    assert_accessible(page)

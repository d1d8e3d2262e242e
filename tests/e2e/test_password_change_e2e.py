"""A user follows the header link to change their password, in headless Chromium; axe-core checks
the page and its error summary."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_health_visitor_changes_their_password_from_the_header(signed_in_page, users, assert_accessible):
    page = signed_in_page(users.hv)
    page.get_by_role("link", name="Change your password").click()
    expect(page).to_have_title("Change your password – Shared chronology")
    assert_accessible(page)

    page.get_by_label("Current password").fill("not-my-password")
    page.get_by_label("New password").fill("short")
    page.get_by_role("button", name="Change password").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Your current password is not right")
    expect(page).to_have_title("Error: Change your password – Shared chronology")
    assert_accessible(page)
    summary.get_by_role("link", name="Your current password is not right").click()
    expect(page.locator("#id_current_password")).to_be_focused()

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password").fill("Fresh-horizon-meadow-51")
    page.get_by_role("button", name="Change password").click()
    page.wait_for_url("**/cases/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your password has been changed")
    users.hv.refresh_from_db()
    assert users.hv.check_password("Fresh-horizon-meadow-51")

"""The security log and the service's own error pages, in headless Chromium with axe-core."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _screenshot(page, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("E2E_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_manager_reads_the_security_log_from_the_header(
    case, users, agencies, signed_in_page, assert_accessible, tmp_path
):
    housing_manager = UserFactory(username="housing_manager", agency=agencies.housing, role=Role.MANAGER)
    outsider = signed_in_page(users.outsider)
    outsider.goto(f"/cases/{case.pk}/")
    expect(outsider.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(outsider)

    page = signed_in_page(housing_manager)
    page.get_by_role("link", name="Security log").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Security log")
    expect(page.get_by_role("cell", name=f"GET /cases/{case.pk}/")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Testfamily")
    assert_accessible(page)
    _screenshot(page, tmp_path, "security-log")


def test_practitioner_has_no_security_log_link(users, signed_in_page):
    page = signed_in_page(users.hv)

    expect(page.get_by_role("link", name="Change your password")).to_be_visible()
    expect(page.get_by_role("link", name="Security log")).to_have_count(0)

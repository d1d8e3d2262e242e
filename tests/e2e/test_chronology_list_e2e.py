"""The merged chronology's list in headless Chromium: newest first, the sort control, searching
within the filters, page links and "jump to latest", and an invalid page link; axe-core checks
every state."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from chronology.services import entry_create
from chronology.views.chronology import PAGE_SIZE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def long_chronology(case, people, users):
    start = dt.date(2025, 1, 1)
    for i in range(PAGE_SIZE + 4):
        entry_create(
            acting_user=users.hv,
            case=case,
            occurred_on=start + dt.timedelta(days=i),
            kind="home_visit",
            summary=f"Home visit number {i}" + (", bruise seen on arm" if i == 3 else ""),
            significance="medium",
            subjects=[people.child],
            today=dt.date(2026, 6, 1),
        )
    return case


def screenshot(page, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("E2E_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_sort_search_and_pages_of_the_chronology(signed_in_page, assert_accessible, long_chronology, users, tmp_path):
    case = long_chronology
    page = signed_in_page(users.sw)
    page.goto(f"/cases/{case.pk}/chronology/")
    rows = page.locator("table.app-chronology tbody tr")
    expect(rows.first).to_contain_text(f"Home visit number {PAGE_SIZE + 3}")
    expect(page.get_by_text("Showing newest entries first")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Earlier entries").click()
    expect(rows.first).to_contain_text("Home visit number 3")
    assert_accessible(page)
    page.get_by_role("link", name="Jump to latest entries").click()
    expect(rows.first).to_contain_text(f"Home visit number {PAGE_SIZE + 3}")

    page.get_by_role("link", name="Show oldest first").click()
    expect(rows.first).to_contain_text("Home visit number 0")
    page.get_by_role("link", name="Jump to latest entries").click()
    expect(rows.last).to_contain_text(f"Home visit number {PAGE_SIZE + 3}")
    assert_accessible(page)

    page.get_by_text("Filter the chronology").click()
    page.get_by_label("Search summaries and details").fill("bruise")
    page.get_by_role("button", name="Apply filters").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("bruise seen on arm")
    assert_accessible(page)
    screenshot(page, tmp_path, "chronology-search")

    page.goto(f"/cases/{case.pk}/chronology/?cursor=broken")
    expect(page.locator(".govuk-error-summary")).to_contain_text("That page link is not valid")
    assert_accessible(page)

"""The Review tab in headless Chromium with axe-core: a manager reads when a flag was knowable,
with its timeline; a backwards period gives an error summary."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from chronology.services import entry_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _screenshot(page, name: str) -> None:
    folder = os.environ.get("E2E_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"review-{name}.png"), full_page=True)


def test_manager_reads_the_review_analysis_with_each_flags_timeline(
    case, users, agencies, people, signed_in_page, assert_accessible
):
    entry_create(
        acting_user=users.hv,
        case=case,
        occurred_on=dt.date(2026, 1, 15),
        kind="injury",
        summary="Bruise to the cheek of a baby",
        injury_body_site="cheek",
        injury_type="bruise",
        subjects=[people.baby.pk],
    )
    page = signed_in_page(users.manager)
    page.goto(f"/cases/{case.pk}/flags/")  # the flag is seen today
    page.get_by_role("link", name="Review", exact=True).click()
    expect(page.get_by_role("heading", level=2, name="When was this knowable, and by whom")).to_be_visible()
    table = page.locator("#review-analysis")
    expect(table).to_contain_text("Injury to a baby who is not independently mobile")
    expect(table).to_contain_text("15 Jan 2026")
    expect(page.locator(".app-review-timeline").first).to_contain_text("Occurred")
    expect(page.locator(".app-review-timeline").first).to_contain_text("Seen")
    assert_accessible(page)
    _screenshot(page, "tab")

    page.get_by_role("group", name="From").get_by_label("Day").fill("1")
    page.get_by_role("group", name="From").get_by_label("Month").fill("6")
    page.get_by_role("group", name="From").get_by_label("Year").fill("2026")
    page.get_by_role("group", name="To").get_by_label("Day").fill("1")
    page.get_by_role("group", name="To").get_by_label("Month").fill("5")
    page.get_by_role("group", name="To").get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Show the analysis").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The end of the period must be the same as")
    assert_accessible(page)


def test_social_worker_is_not_offered_the_review_tab(case, users, signed_in_page):
    page = signed_in_page(users.sw)
    page.goto(f"/cases/{case.pk}/flags/")
    expect(page.get_by_role("link", name="Flags", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Review", exact=True)).to_have_count(0)

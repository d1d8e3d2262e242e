"""The timeline by keyboard in headless Chromium: the zoom buttons, the earlier/later links and every
marker are links reached with Tab and followed with Enter; axe-core checks each page."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from chronology.services import entry_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _tab_to(page, predicate: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches the JavaScript predicate (given `el`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!el && ({predicate}); }}"):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


def test_timeline_zoom_and_markers_work_from_the_keyboard(case, people, users, signed_in_page, assert_accessible):
    entry = entry_create(
        acting_user=users.hv,
        case=case,
        occurred_on=dt.date(2026, 5, 4),
        kind="home_visit",
        summary="Home visit, Robin seen",
        significance="medium",
        subjects=[people.child],
    )
    page = signed_in_page(users.hv)
    page.goto(f"/cases/{case.pk}/chronology/timeline/?date_from=2026-01-01&date_to=2026-06-30")
    expect(page.get_by_role("heading", name="Showing 1 January 2026 to 30 June 2026 (6 months)")).to_be_visible()
    assert_accessible(page)

    _tab_to(page, "el.textContent.trim() === '3 months'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Showing 1 April 2026 to 30 June 2026 (3 months)")).to_be_visible()
    assert_accessible(page)

    _tab_to(page, "el.closest('svg.app-timeline') !== null")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/cases/{case.pk}/chronology/{entry.pk}/")
    expect(page.locator("main")).to_contain_text("Home visit, Robin seen")

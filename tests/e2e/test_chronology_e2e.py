"""The shared chronology in headless Chromium: a health visitor adds an entry, sees it in the merged
chronology, amends it with a reason and sees the history; another agency sees a restricted entry only as
its placeholder. axe-core checks every page visited. Screenshots go to E2E_SCREENSHOT_DIR when set."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from chronology.models import ChronologyEntry
from chronology.services import entry_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def screenshot(page, tmp_path: Path, name: str) -> Path:
    folder = Path(os.environ.get("E2E_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def fill_date(page, legend: str, on: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(on.day))
    group.get_by_label("Month").fill(str(on.month))
    group.get_by_label("Year").fill(str(on.year))


def test_health_visitor_adds_amends_and_sees_the_history(
    signed_in_page, assert_accessible, case, people, users, tmp_path
):
    page = signed_in_page(users.hv)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="Chronology", exact=True).click()
    expect(page.get_by_role("heading", name="Merged chronology")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add an entry").click()
    expect(page.get_by_role("heading", name="Add an entry")).to_be_visible()
    assert_accessible(page)
    screenshot(page, tmp_path, "entry-add")
    fill_date(page, "Date of the event", dt.date(2026, 5, 1))
    page.get_by_label("What happened?").select_option("home_visit")
    page.get_by_label("Summary").fill("Home visit, Robin seen in her bedroom")
    page.get_by_label("The child's voice").fill("I like my new bed")
    page.get_by_label("Robin Testfamily: the entry is about them").check()
    page.get_by_label("Robin Testfamily: seen", exact=True).check()
    page.get_by_label("Robin Testfamily: seen alone").check()
    page.get_by_role("button", name="Add entry", exact=True).click()

    entry = ChronologyEntry.objects.get()
    row = page.locator(f"#entry-{entry.pk}")
    expect(row).to_contain_text("Home visit, Robin seen in her bedroom")
    expect(row).to_contain_text("Northshire Health Visiting")
    expect(row).to_contain_text("Highlighted")
    assert_accessible(page)

    row.get_by_role("link", name="Home visit, Robin seen in her bedroom").click()
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Amend this entry").click()
    expect(page.get_by_role("heading", name="Amend this entry")).to_be_visible()
    assert_accessible(page)
    screenshot(page, tmp_path, "entry-amend")
    page.get_by_label("Why are you amending this entry?").fill("Robin's mother was also seen")
    page.get_by_label("Alex Testfamily: seen", exact=True).check()
    page.get_by_role("button", name="Save amendment", exact=True).click()

    expect(page.locator("#revision-2")).to_contain_text("Robin's mother was also seen")
    expect(page.locator("#revision-2")).to_contain_text("Robin Testfamily, Alex Testfamily")
    expect(page.locator("#revision-1")).to_contain_text("first recorded")
    assert_accessible(page)
    screenshot(page, tmp_path, "entry-history")
    entry.refresh_from_db()
    assert entry.revision == 2 and entry.amended

    page.get_by_role("link", name="Back to the chronology").click()
    expect(page.locator(f"#entry-{entry.pk}")).to_contain_text("Amended (revision 2)")


def test_other_agency_sees_a_restricted_entry_only_as_its_placeholder(
    signed_in_page, assert_accessible, case, people, users
):
    entry_create(
        acting_user=users.hv,
        case=case,
        occurred_on=dt.date(2026, 4, 2),
        kind="disclosure",
        summary="Mother disclosed something in confidence",
        significance="medium",
        subjects=[people.mother],
        restricted=True,
    )
    page = signed_in_page(users.teacher)
    page.goto(f"/cases/{case.pk}/chronology/")
    table = page.locator("table.app-chronology")
    expect(table).to_contain_text("A restricted entry exists for this date. It is held by Northshire Health Visiting.")
    expect(table).to_contain_text("2 April 2026")
    expect(page.locator("body")).not_to_contain_text("Mother disclosed something in confidence")
    assert_accessible(page)

    page.get_by_role("link", name="Timeline view").click()
    expect(page.locator("svg.app-timeline")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Mother disclosed something in confidence")
    assert_accessible(page)


def test_add_entry_errors_and_import_page_are_accessible(
    signed_in_page, assert_accessible, case, people, users, tmp_path
):
    page = signed_in_page(users.hv)
    page.goto(f"/cases/{case.pk}/chronology/new/")
    page.get_by_role("button", name="Add entry", exact=True).click()
    summary = page.locator(".govuk-error-summary")
    for message in (
        "Enter the date of the event",
        "Select what happened",
        "Enter a summary of what happened",
        "Select who the entry is about",
    ):
        expect(summary).to_contain_text(message)
    expect(summary).not_to_contain_text("This field is required")
    assert_accessible(page)
    screenshot(page, tmp_path, "entry-add-errors")
    summary.get_by_role("link", name="Select who the entry is about").click()
    expect(page.get_by_label("Robin Testfamily: the entry is about them")).to_be_focused()

    fill_date(page, "Date of the event", dt.date(2026, 5, 1))
    page.get_by_label("What happened?").select_option("injury")
    page.get_by_label("Summary").fill("Bruise")
    page.get_by_label("Robin Testfamily: the entry is about them").check()
    page.locator("fieldset", has_text="Significance").get_by_label("High").check()
    page.get_by_role("button", name="Add entry", exact=True).click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("where on the body")
    expect(summary).to_contain_text("action taken")
    assert_accessible(page)
    assert not ChronologyEntry.objects.exists()

    page.goto(f"/cases/{case.pk}/chronology/import/")
    expect(page.get_by_role("heading", name="Import your agency's chronology")).to_be_visible()
    assert_accessible(page)


def test_home_visit_with_nobody_seen_warns_and_saves_when_confirmed(
    signed_in_page, assert_accessible, case, people, users, tmp_path
):
    page = signed_in_page(users.hv)
    page.goto(f"/cases/{case.pk}/chronology/new/")
    fill_date(page, "Date of the event", dt.date(2026, 5, 1))
    page.get_by_label("What happened?").select_option("home_visit")
    page.get_by_label("Summary").fill("Home visit, nobody answered at first")
    page.get_by_label("Robin Testfamily: the entry is about them").check()
    page.get_by_role("button", name="Add entry", exact=True).click()

    expect(page.locator("#seen-warning")).to_contain_text("records nobody as seen")
    assert_accessible(page)
    screenshot(page, tmp_path, "entry-nobody-seen-warning")
    assert not ChronologyEntry.objects.exists()
    page.get_by_role("button", name="Add entry without anyone seen").click()
    entry = ChronologyEntry.objects.get()
    expect(page.locator(f"#entry-{entry.pk}")).to_contain_text("Home visit, nobody answered at first")


def test_retract_asks_for_confirmation_and_long_text_wraps(
    signed_in_page, assert_accessible, case, people, users, tmp_path
):
    word = "unbroken" * 400
    entry = entry_create(
        acting_user=users.hv,
        case=case,
        occurred_on=dt.date(2026, 4, 2),
        kind="note",
        summary="Note " + word[:290],
        detail=word,
        significance="low",
        subjects=[people.child],
    )
    page = signed_in_page(users.hv)
    page.goto(f"/cases/{case.pk}/chronology/{entry.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert_accessible(page)

    page.get_by_role("link", name="Retract this entry").click()
    expect(page.get_by_role("heading", name="Retract this entry")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.get_by_label("Why are you retracting this entry?").fill("Recorded on the wrong case")
    page.get_by_role("button", name="Retract entry").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm that you want to retract this entry")
    assert_accessible(page)
    screenshot(page, tmp_path, "entry-retract-confirm")
    entry.refresh_from_db()
    assert not entry.retracted

    page.get_by_label("Yes, retract this entry").check()
    page.get_by_role("button", name="Retract entry").click()
    expect(page.locator("#revision-2")).to_contain_text("Recorded on the wrong case")
    entry.refresh_from_db()
    assert entry.retracted

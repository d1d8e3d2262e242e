"""The shared chronology in headless Chromium: a health visitor adds an entry, sees it in the merged
chronology, amends it with a reason and sees the history; another agency sees a restricted entry only as
its placeholder. axe-core checks every page visited."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from chronology.models import ChronologyEntry
from chronology.services import entry_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_health_visitor_adds_amends_and_sees_the_history(signed_in_page, assert_accessible, case, people, users):
    page = signed_in_page(users.hv)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="Chronology", exact=True).click()
    expect(page.get_by_role("heading", name="Merged chronology")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add an entry").click()
    expect(page.get_by_role("heading", name="Add an entry")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Date of the event").fill("2026-05-01")
    page.get_by_label("What happened?").select_option("home_visit")
    page.get_by_label("Summary").fill("Home visit, Robin seen in her bedroom")
    page.get_by_label("The child's voice").fill("I like my new bed")
    page.locator("fieldset", has_text="Who is the entry about?").get_by_label("Robin Testfamily").check()
    page.locator("fieldset", has_text="Who did you see?").get_by_label("Robin Testfamily").check()
    page.locator("fieldset", has_text="Who did you see alone?").get_by_label("Robin Testfamily").check()
    page.get_by_role("button", name="Add entry").click()

    entry = ChronologyEntry.objects.get()
    row = page.locator(f"#entry-{entry.pk}")
    expect(row).to_contain_text("Home visit, Robin seen in her bedroom")
    expect(row).to_contain_text("Northshire Health Visiting")
    expect(row).to_contain_text("Highlighted")
    assert_accessible(page)

    row.get_by_role("link", name="Home visit, Robin seen in her bedroom").click()
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why are you amending this entry?").fill("Robin's mother was also seen")
    page.locator("fieldset", has_text="Who did you see?").get_by_label("Alex Testfamily").check()
    page.get_by_role("button", name="Save amendment").click()

    expect(page.locator("#revision-2")).to_contain_text("Robin's mother was also seen")
    expect(page.locator("#revision-1")).to_contain_text("First recorded")
    assert_accessible(page)
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


def test_add_entry_errors_and_import_page_are_accessible(signed_in_page, assert_accessible, case, people, users):
    page = signed_in_page(users.hv)
    page.goto(f"/cases/{case.pk}/chronology/new/")
    page.get_by_label("Date of the event").fill("2026-05-01")
    page.get_by_label("What happened?").select_option("injury")
    page.get_by_label("Summary").fill("Bruise")
    page.locator("fieldset", has_text="Significance").get_by_label("High").check()
    page.get_by_role("button", name="Add entry").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("where on the body")
    expect(summary).to_contain_text("action taken")
    assert_accessible(page)
    assert not ChronologyEntry.objects.exists()

    page.goto(f"/cases/{case.pk}/chronology/import/")
    expect(page.get_by_role("heading", name="Import your agency's chronology")).to_be_visible()
    assert_accessible(page)

"""Marking a person as entered in error in headless Chromium: the confirm page (with its error
summary for a missing reason) and the history of records entered in error pass axe-core (WCAG 2.2
A/AA); the family page then says how many records are not shown. Screenshots go to
E2E_SCREENSHOT_DIR when set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Person
from demo.case import DEMO_PASSWORD, build_demo
from demo.family import add_family_structure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_mark_a_person_entered_in_error_and_read_the_history(signed_in_page, assert_accessible, tmp_path):
    ctx = build_demo(today=timezone.localdate())
    add_family_structure(ctx)
    person = (
        Person.objects.filter(case=ctx.case, is_subject=False, relationships_from__isnull=False)
        .distinct()
        .order_by("id")
        .first()
    )
    assert person is not None
    folder = Path(os.environ.get("E2E_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page = signed_in_page(ctx.users["sw.patel"], DEMO_PASSWORD)

    page.goto(f"/cases/{ctx.case.pk}/")
    page.locator(f'a[href="/cases/{ctx.case.pk}/people/{person.pk}/entered-in-error/"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Mark as entered in error: {person.full_name}")
    assert_accessible(page)

    page.get_by_role("button", name="Mark as entered in error").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter why this record was entered in error")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.screenshot(path=str(folder / "entered-in-error-confirm.png"), full_page=True)

    page.get_by_label("Why was this entered in error?").fill("Recorded on this case by mistake.")
    page.get_by_role("button", name="Mark as entered in error").click()
    expect(page.locator(".govuk-notification-banner, .govuk-panel").first).to_contain_text(
        f"{person.full_name} is marked as entered in error"
    )

    page.goto(f"/cases/{ctx.case.pk}/family/")
    expect(page.get_by_text("entered in error are not shown", exact=False).first).to_be_visible()
    page.get_by_role("link", name="See the records entered in error").first.click()
    expect(page.get_by_role("heading", name="Records entered in error")).to_be_visible()
    table = page.get_by_role("table")
    expect(table).to_contain_text(person.full_name)
    expect(table).to_contain_text("Recorded on this case by mistake.")
    expect(table).to_contain_text("Person entered in error")
    assert_accessible(page)
    page.screenshot(path=str(folder / "entered-in-error-history.png"), full_page=True)

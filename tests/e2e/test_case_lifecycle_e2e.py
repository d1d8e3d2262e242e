"""The case overview and the lifecycle pages in headless Chromium with axe-core: the overview with
its summary lists and tables, a status change with its error summary, closing (the banner) and
reopening."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from cases.services import case_summary_revise, team_member_add
from genogram.services import household_create, household_member_add, relationship_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_lead_changes_status_closes_and_reopens_on_accessible_pages(
    case, users, people, signed_in_page, assert_accessible
):
    home = household_create(acting_user=users.sw, case=case, label="12 Oak Road")
    household_member_add(acting_user=users.sw, household=home, person=people.child, from_date=dt.date(2021, 4, 4))
    relationship_create(
        acting_user=users.sw, case=case, kind="biological_parent", from_person=people.mother, to_person=people.child
    )
    team_member_add(acting_user=users.hv, case=case, user=users.hv, role_in_case="Health visitor for Kit")
    case_summary_revise(acting_user=users.sw, case=case, text="Robin and Kit live with their mother.")
    page = signed_in_page(users.sw)
    page.goto(f"/cases/{case.pk}/")
    expect(page.get_by_role("heading", level=2, name="Team around the child")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Change legal status").click()
    page.get_by_role("button", name="Change legal status").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the new legal status")
    assert_accessible(page)
    page.get_by_label("Child protection plan").check()
    page.get_by_label("Child protection category").select_option("neglect")
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Reason for the change").fill("Initial child protection conference")
    page.get_by_role("button", name="Change legal status").click()
    expect(page.locator("main")).to_contain_text("Since 2 March 2026")

    page.get_by_role("link", name="Close the case").click()
    assert_accessible(page)
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Moved out of the area").check()
    page.get_by_label("Reason for closing").fill("The family moved to Southshire.")
    page.get_by_role("button", name="Close case").click()
    expect(page.get_by_role("region", name="Case closed")).to_contain_text("moved out of the area")
    assert_accessible(page)

    page.get_by_role("region", name="Case closed").get_by_role("link", name="Reopen the case").click()
    assert_accessible(page)

"""A social worker signs in, opens a case, adds a person and sees them listed, in headless
Chromium. axe-core checks every page on the way; the keyboard reaches the skip link first."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from audit.models import AuditEvent
from cases.models import Case, Person
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def screenshot(page, tmp_path: Path, name: str) -> Path:
    """Full-page screenshot into the test's tmp dir, or E2E_SCREENSHOT_DIR when set (to look at)."""
    folder = Path(os.environ.get("E2E_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_sign_in_page_is_accessible(page, assert_accessible):
    page.goto("/sign-in/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)


def test_govuk_frontend_styles_and_script_load(page):
    page.goto("/sign-in/")

    # app.js (a module from /static/) ran GOV.UK Frontend's initAll.
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    # govuk-frontend.min.css from /static/govuk/ styles the heading (GOV.UK's 'l' heading is bold).
    assert page.locator("h1").evaluate("el => getComputedStyle(el).fontWeight") == "700"


def test_assert_accessible_fails_and_lists_each_violation(page, assert_accessible):
    page.goto("/sign-in/")
    page.set_content('<html><body><img src="/static/missing.png"><input id="x"></body></html>')

    with pytest.raises(pytest.fail.Exception) as failure:
        assert_accessible(page)

    message = str(failure.value)
    assert "image-alt" in message
    assert "html-has-lang" in message
    assert "label" in message


def test_keyboard_reaches_the_skip_link_first_then_the_form(page, keyboard_focus):
    page.goto("/sign-in/")

    page.keyboard.press("Tab")
    assert keyboard_focus(page) == "a.govuk-skip-link"
    expect(page.locator(".govuk-skip-link")).to_be_visible()  # visible when focused

    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert keyboard_focus(page) == "input#id_username"
    page.keyboard.press("Tab")
    assert keyboard_focus(page) == "input#id_password"


def test_social_worker_signs_in_with_the_keyboard_only(page, users, keyboard_focus):
    page.goto("/sign-in/")
    page.locator("#id_username").focus()

    page.keyboard.type("sw_lead")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    page.wait_for_url("**/cases/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    assert AuditEvent.objects.filter(action="auth.login", actor=users.sw).count() == 1


def test_wrong_password_error_summary_is_accessible_and_focused(page, users, assert_accessible, keyboard_focus):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill("sw_lead")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page).to_have_title("Error: Sign in – Shared chronology")
    assert_accessible(page)


def test_social_worker_opens_a_case_and_adds_a_person(signed_in_page, users, assert_accessible, tmp_path):
    page = signed_in_page(users.sw)

    # The case list.
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    assert_accessible(page)
    page.get_by_role("button", name="Open a case").or_(page.get_by_role("link", name="Open a case")).click()

    # The case form: first sent empty, then filled in.
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a case")
    assert_accessible(page)
    page.get_by_role("button", name="Open case").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link").first).to_have_attribute("href", "#id_reference")
    assert_accessible(page)
    page.get_by_label("Reference").fill("NS-0420")
    page.get_by_label("Title").fill("Browserfamily")
    page.get_by_label("Child in need").check()
    page.get_by_role("button", name="Open case").click()

    # The case page.
    case = Case.objects.get(reference="NS-0420")
    page.wait_for_url(f"**/cases/{case.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Browserfamily")
    expect(page.get_by_text("No people recorded yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Add a person").or_(page.get_by_role("link", name="Add a person")).click()

    # The person form.
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a person")
    assert_accessible(page)
    page.get_by_label("Given name").fill("Jordan")
    page.get_by_label("Family name").fill("Browserfamily")
    page.get_by_label("Female").check()
    birth = page.get_by_role("group", name="Date of birth")
    birth.get_by_label("Day").fill("3")
    birth.get_by_label("Month").fill("9")
    birth.get_by_label("Year").fill("2018")
    page.get_by_label("Ethnicity").fill("White British")
    page.get_by_label("This person is a subject child of the case").check()
    page.get_by_role("button", name="Add person").click()

    # Back on the case page, the person is listed.
    page.wait_for_url(f"**/cases/{case.pk}/")
    people = page.get_by_role("table", name="Subject children")
    expect(people.get_by_role("row", name="Jordan Browserfamily")).to_be_visible()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Jordan Browserfamily added to the case.")
    assert_accessible(page)
    screenshot(page, tmp_path, "case_page")

    person = Person.objects.get(case=case)
    assert (person.given_name, person.sex, person.is_subject) == ("Jordan", "female", True)
    assert AuditEvent.objects.filter(action="case.viewed", case=case, actor=users.sw).count() == 2


def test_person_form_error_summary_is_accessible(signed_in_page, users, case, assert_accessible):
    page = signed_in_page(users.sw)
    page.goto(f"/cases/{case.pk}/people/new/")

    page.get_by_label("Given name").fill("Sky")
    birth = page.get_by_role("group", name="Date of birth")
    birth.get_by_label("Day").fill("1")
    birth.get_by_label("Month").fill("1")
    birth.get_by_label("Year").fill("2999")
    page.get_by_role("button", name="Add person").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Date of birth must be today or in the past.")
    assert_accessible(page)
    summary.get_by_role("link", name="Date of birth must be today or in the past.", exact=False).click()
    expect(page.locator("#id_date_of_birth-day")).to_be_focused()


def test_outsider_sees_the_not_found_page(signed_in_page, users, case, assert_accessible):
    page = signed_in_page(users.outsider)

    response = page.goto(f"/cases/{case.pk}/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("body")).not_to_contain_text("Testfamily")
    assert_accessible(page)

"""An adult joining a household: the family page links to "Record checks on <adult>", which opens the
entry form with the kind adult check and that person ticked as who the entry is about."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from genogram import services

pytestmark = pytest.mark.django_db


def test_adding_an_adult_to_a_household_leads_to_record_checks_on_them(case, family, users, web_as):
    home = services.household_create(acting_user=users.sw, case=case, label="Home")
    services.household_member_add(
        acting_user=users.sw, household=home, person=family.child, from_date=dt.date(2024, 1, 1)
    )
    client = web_as(users.sw)
    response = client.post(
        f"/cases/{case.pk}/family/members/new/",
        {
            "household": home.pk,
            "person": family.partner.pk,
            "from_date-day": "1",
            "from_date-month": "3",
            "from_date-year": "2026",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Household membership added: Casey" in page
    link = f'href="/cases/{case.pk}/chronology/new/?kind=adult_check&amp;about={family.partner.pk}"'
    assert link in page
    assert "Record checks on Casey" in page
    # A child in the household gets no such link.
    assert f"about={family.child.pk}" not in page


def test_the_record_checks_link_opens_the_form_with_the_kind_and_the_adult_chosen(case, family, users, web_as):
    page = web_as(users.sw).get(f"/cases/{case.pk}/chronology/new/?kind=adult_check&about={family.partner.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'<option value="adult_check"\s+selected', html)
    assert re.search(rf'name="subjects" value="{family.partner.pk}"[^>]*checked', html)
    assert not re.search(rf'name="subjects" value="{family.mother.pk}"[^>]*checked', html)


def test_the_entry_form_ignores_an_unknown_kind_or_a_person_of_another_case(case, family, users, web_as):
    html = web_as(users.sw).get(f"/cases/{case.pk}/chronology/new/?kind=nonsense&about=999999999").content.decode()
    assert "selected" not in re.sub(r'<option value=""[^>]*>', "", html.split('name="kind"')[1].split("</select>")[0])
    assert "999999999" not in html

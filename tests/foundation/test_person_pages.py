"""Adding and editing people on pages: error summaries, audited changes, outsiders get 404."""

import datetime as dt

import pytest
from freezegun import freeze_time

from audit.models import AuditEvent
from cases.models import Person

pytestmark = pytest.mark.django_db

TODAY = "2026-06-15"

FORM = {
    "given_name": "Jamie",
    "family_name": "Testfamily",
    "known_as": "",
    "sex": "male",
    "date_of_birth": "2019-05-04",
    "date_of_birth_precision": "day",
    "expected_date_of_delivery": "",
    "date_of_death": "",
    "ethnicity": "White British",
    "first_language": "English",
    "nhs_number": "",
    "independently_mobile": "unknown",
}


def form_of(person, **changes):
    """The edit form as a browser would send it back, with some fields changed."""
    data = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "known_as": person.known_as,
        "sex": person.sex,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
        "date_of_birth_precision": person.date_of_birth_precision,
        "expected_date_of_delivery": "",
        "date_of_death": "",
        "ethnicity": person.ethnicity,
        "first_language": person.first_language,
        "nhs_number": person.nhs_number,
        "independently_mobile": {True: "true", False: "false", None: "unknown"}[person.independently_mobile],
    }
    if person.is_subject:
        data["is_subject"] = "on"
    data.update(changes)
    return data


@freeze_time(TODAY)
def test_social_worker_adds_a_person_and_sees_them_listed(case, users, web_as):
    client = web_as(users.sw)

    response = client.post(f"/cases/{case.pk}/people/new/", {**FORM, "is_subject": "on"})

    assert response.status_code == 302
    person = Person.objects.get(case=case)
    assert (person.full_name, person.sex, person.date_of_birth, person.is_subject) == (
        "Jamie Testfamily",
        "male",
        dt.date(2019, 5, 4),
        True,
    )
    assert person.independently_mobile is None
    assert "Jamie Testfamily" in client.get(f"/cases/{case.pk}/").content.decode()


@freeze_time(TODAY)
def test_adding_a_person_on_the_page_is_audited(case, users, web_as):
    web_as(users.sw).post(f"/cases/{case.pk}/people/new/", FORM, REMOTE_ADDR="192.0.2.50")

    event = AuditEvent.objects.get(action="person.created")
    assert (event.actor, event.case, event.method, event.path, event.client_ip) == (
        users.sw,
        case,
        "POST",
        f"/cases/{case.pk}/people/new/",
        "192.0.2.50",
    )


@freeze_time(TODAY)
def test_future_date_of_birth_shows_the_error_summary(case, users, web_as):
    response = web_as(users.sw).post(f"/cases/{case.pk}/people/new/", {**FORM, "date_of_birth": "2026-06-16"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert '<a href="#id_date_of_birth-day">Date of birth must be today or in the past.' in html
    assert 'id="id_date_of_birth-error"' in html
    assert not Person.objects.exists()


@freeze_time(TODAY)
def test_invalid_nhs_number_shows_the_error_summary(case, users, web_as):
    html = web_as(users.sw).post(f"/cases/{case.pk}/people/new/", {**FORM, "nhs_number": "1234567890"}).content.decode()

    assert '<a href="#id_nhs_number">' in html
    assert not Person.objects.exists()


@freeze_time(TODAY)
def test_person_without_any_name_shows_the_error_summary(case, users, web_as):
    html = (
        web_as(users.sw)
        .post(f"/cases/{case.pk}/people/new/", {**FORM, "given_name": "", "family_name": ""})
        .content.decode()
    )

    assert "There is a problem" in html
    assert not Person.objects.exists()


@pytest.mark.parametrize("persona", ["hv", "teacher"])
def test_practitioners_cannot_add_people_on_the_page(case, users, web_as, persona):
    client = web_as(getattr(users, persona))

    assert client.get(f"/cases/{case.pk}/people/new/").status_code == 403
    assert client.post(f"/cases/{case.pk}/people/new/", FORM).status_code == 403
    assert not Person.objects.exists()


@freeze_time(TODAY)
def test_editing_a_person_is_audited_with_before_and_after(case, people, users, web_as):
    mother = people.mother

    response = web_as(users.sw).post(
        f"/cases/{case.pk}/people/{mother.pk}/edit/", form_of(mother, ethnicity="White Irish", first_language="Irish")
    )

    assert response.status_code == 302
    mother.refresh_from_db()
    assert (mother.ethnicity, mother.first_language) == ("White Irish", "Irish")
    event = AuditEvent.objects.get(action="person.updated")
    assert (event.actor, event.case, event.object_id) == (users.sw, case, str(mother.pk))
    assert event.detail == {
        "ethnicity": {"before": "White British", "after": "White Irish"},
        "first_language": {"before": "", "after": "Irish"},
    }


@freeze_time(TODAY)
def test_edit_form_shows_recorded_mobility(case, people, users, web_as):
    people.baby.independently_mobile = False
    people.baby.save()

    html = web_as(users.sw).get(f"/cases/{case.pk}/people/{people.baby.pk}/edit/").content.decode()

    assert '<option value="false" selected>' in html


@freeze_time(TODAY)
def test_saving_the_edit_form_unchanged_keeps_recorded_mobility(case, people, users, web_as):
    baby = people.baby
    baby.independently_mobile = False
    baby.save()

    web_as(users.sw).post(f"/cases/{case.pk}/people/{baby.pk}/edit/", form_of(baby))

    baby.refresh_from_db()
    assert baby.independently_mobile is False
    assert not AuditEvent.objects.filter(action="person.updated").exclude(detail={}).exists()


@freeze_time(TODAY)
def test_edit_with_death_before_birth_shows_the_error_summary(case, people, users, web_as):
    mother = people.mother

    html = (
        web_as(users.sw)
        .post(f"/cases/{case.pk}/people/{mother.pk}/edit/", form_of(mother, date_of_death="1990-01-01"))
        .content.decode()
    )

    assert '<a href="#id_date_of_death-day">' in html
    mother.refresh_from_db()
    assert mother.date_of_death is None
    assert not AuditEvent.objects.filter(action="person.updated").exists()


def test_practitioner_cannot_edit_a_person_on_the_page(case, people, users, web_as):
    client = web_as(users.hv)
    url = f"/cases/{case.pk}/people/{people.mother.pk}/edit/"

    assert client.get(url).status_code == 403
    assert client.post(url, form_of(people.mother, ethnicity="Changed")).status_code == 403
    people.mother.refresh_from_db()
    assert people.mother.ethnicity == "White British"


def test_person_of_another_case_is_404_on_the_edit_page(case, other_case, users, web_as):
    stranger = other_case.people.get()

    assert web_as(users.sw).get(f"/cases/{case.pk}/people/{stranger.pk}/edit/").status_code == 404


@freeze_time(TODAY)
def test_date_of_birth_is_typed_in_day_month_and_year_boxes(case, users, web_as):
    client = web_as(users.sw)
    page = client.get(f"/cases/{case.pk}/people/new/").content.decode()
    assert 'name="date_of_birth-day"' in page and 'name="date_of_birth-month"' in page
    assert 'type="date"' not in page

    boxes = {"date_of_birth-day": "4", "date_of_birth-month": "5", "date_of_birth-year": "2019"}
    data = {k: v for k, v in FORM.items() if k != "date_of_birth"} | boxes
    assert client.post(f"/cases/{case.pk}/people/new/", data).status_code == 302
    assert Person.objects.get(case=case).date_of_birth == dt.date(2019, 5, 4)


@freeze_time(TODAY)
def test_date_of_birth_without_a_month_says_so_beside_the_boxes(case, users, web_as):
    data = {k: v for k, v in FORM.items() if k != "date_of_birth"}
    data |= {"date_of_birth-day": "4", "date_of_birth-month": "", "date_of_birth-year": "2019"}
    response = web_as(users.sw).post(f"/cases/{case.pk}/people/new/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_date_of_birth-month">Date of birth must include a month</a>' in html
    assert '<p id="id_date_of_birth-error" class="govuk-error-message">' in html
    assert 'value="2019"' in html
    assert not Person.objects.filter(case=case).exists()

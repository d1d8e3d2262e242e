"""/api/v1/cases/{id}/people/: every person field round-trips; bad dates and NHS numbers are field errors."""

import datetime as dt

import pytest
from freezegun import freeze_time

from audit.models import AuditEvent
from cases.models import Person

pytestmark = pytest.mark.django_db

TODAY = "2026-06-15"

MOTHER = {
    "given_name": "Morgan",
    "family_name": "Testfamily",
    "known_as": "Mo, Morgan Oldname",
    "sex": "female",
    "date_of_birth": "1990-07-01",
    "date_of_birth_precision": "month",
    "date_of_death": "2026-05-30",
    "expected_date_of_delivery": None,
    "ethnicity": "Mixed White and Black Caribbean",
    "first_language": "Portuguese",
    "interpreter_needed": True,
    "nhs_number": "9434765919",
    "is_subject": False,
    "independently_mobile": True,
}

UNBORN = {
    "given_name": "",
    "family_name": "Testfamily",
    "known_as": "Unborn baby",
    "sex": "unknown",
    "date_of_birth": None,
    "date_of_birth_precision": "estimated",
    "date_of_death": None,
    "expected_date_of_delivery": "2026-09-20",
    "ethnicity": "",
    "first_language": "",
    "interpreter_needed": False,
    "nhs_number": "",
    "is_subject": True,
    "independently_mobile": False,
}


def url(case):
    return f"/api/v1/cases/{case.pk}/people/"


@freeze_time(TODAY)
@pytest.mark.parametrize("fields", [MOTHER, UNBORN], ids=["adult_with_every_field", "unborn_child"])
def test_every_person_field_round_trips(case, users, api_as, fields):
    created = api_as(users.sw).post(url(case), fields, format="json")

    assert created.status_code == 201, created.json()
    body = created.json()
    person_id = body.pop("id")
    assert body.pop("entered_in_error") is None  # a record standing, not marked entered in error
    assert body == fields
    read = api_as(users.hv).get(f"{url(case)}{person_id}/").json()
    assert read["entered_in_error"] is None
    assert {k: v for k, v in read.items() if k not in ("id", "entered_in_error")} == fields


@freeze_time(TODAY)
def test_person_is_listed_in_the_case(case, users, api_as):
    api_as(users.sw).post(url(case), MOTHER, format="json")

    rows = api_as(users.teacher).get(url(case)).json()["results"]

    assert [row["given_name"] for row in rows] == ["Morgan"]


@freeze_time(TODAY)
def test_creating_a_person_is_audited_with_the_case(case, users, api_as):
    response = api_as(users.sw).post(url(case), MOTHER, format="json", REMOTE_ADDR="198.51.100.30")

    event = AuditEvent.objects.get(action="person.created")
    assert (event.actor, event.case, event.object_id) == (users.sw, case, str(response.json()["id"]))
    assert (event.method, event.path, event.client_ip) == ("POST", url(case), "198.51.100.30")
    assert "nhs_number" not in event.detail


@freeze_time(TODAY)
def test_date_of_birth_in_the_future_is_a_field_error(case, users, api_as):
    response = api_as(users.sw).post(url(case), {"given_name": "Soon", "date_of_birth": "2026-06-16"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["date_of_birth"]
    assert not Person.objects.exists()


@freeze_time(TODAY)
def test_date_of_birth_today_is_accepted(case, users, api_as):
    response = api_as(users.sw).post(url(case), {"given_name": "Newborn", "date_of_birth": TODAY}, format="json")

    assert response.status_code == 201


@freeze_time(TODAY)
def test_date_of_death_before_birth_is_a_field_error(case, users, api_as):
    body = {"given_name": "Lee", "date_of_birth": "2000-01-02", "date_of_death": "2000-01-01"}

    response = api_as(users.sw).post(url(case), body, format="json")

    assert response.status_code == 400
    assert "date_of_death" in response.json()
    assert not Person.objects.exists()


@freeze_time(TODAY)
def test_expected_delivery_for_a_born_person_is_a_field_error(case, users, api_as):
    body = {"given_name": "Lee", "date_of_birth": "2020-01-01", "expected_date_of_delivery": "2026-09-01"}

    response = api_as(users.sw).post(url(case), body, format="json")

    assert response.status_code == 400
    assert "expected_date_of_delivery" in response.json()


@pytest.mark.parametrize("nhs_number", ["9434765918", "12345", "94347659ab", "0000000010"])
def test_invalid_nhs_number_is_a_field_error(case, users, api_as, nhs_number):
    response = api_as(users.sw).post(url(case), {"given_name": "Lee", "nhs_number": nhs_number}, format="json")

    assert response.status_code == 400
    assert "nhs_number" in response.json()


def test_nhs_number_with_spaces_is_accepted(case, users, api_as):
    response = api_as(users.sw).post(url(case), {"given_name": "Lee", "nhs_number": "943 476 5919"}, format="json")

    assert response.status_code == 201


def test_a_person_needs_some_name(case, users, api_as):
    response = api_as(users.sw).post(url(case), {"sex": "female"}, format="json")

    assert response.status_code == 400
    assert "given_name" in response.json()


def test_unknown_sex_code_is_a_field_error(case, users, api_as):
    response = api_as(users.sw).post(url(case), {"given_name": "Lee", "sex": "f"}, format="json")

    assert response.status_code == 400
    assert "sex" in response.json()


def test_malformed_date_is_a_field_error(case, users, api_as):
    response = api_as(users.sw).post(url(case), {"given_name": "Lee", "date_of_birth": "31/02/2020"}, format="json")

    assert response.status_code == 400
    assert "date_of_birth" in response.json()


@pytest.mark.parametrize("persona", ["hv", "teacher", "chair"])
def test_practitioners_cannot_add_people(case, users, api_as, persona):
    response = api_as(getattr(users, persona)).post(url(case), {"given_name": "Lee"}, format="json")

    assert response.status_code == 403
    assert not Person.objects.exists()


def test_manager_can_add_people(case, users, api_as):
    assert api_as(users.manager).post(url(case), {"given_name": "Lee"}, format="json").status_code == 201


@freeze_time(TODAY)
def test_patching_a_person_is_audited_with_before_and_after(case, people, users, api_as):
    response = api_as(users.sw).patch(f"{url(case)}{people.mother.pk}/", {"ethnicity": "White Irish"}, format="json")

    assert response.status_code == 200
    event = AuditEvent.objects.get(action="person.updated")
    assert event.detail == {"ethnicity": {"before": "White British", "after": "White Irish"}}
    assert event.case == case


def test_practitioner_cannot_patch_a_person(case, people, users, api_as):
    response = api_as(users.hv).patch(f"{url(case)}{people.mother.pk}/", {"ethnicity": "White Irish"}, format="json")

    assert response.status_code == 403
    people.mother.refresh_from_db()
    assert people.mother.ethnicity == "White British"


def test_person_of_another_case_is_404_under_this_case(case, other_case, users, api_as):
    stranger = other_case.people.get()

    assert api_as(users.admin).get(f"{url(case)}{stranger.pk}/").status_code == 404


def test_mobility_unknown_derives_from_age():
    baby = Person(date_of_birth=dt.date(2026, 3, 1))

    assert baby.mobile_on(dt.date(2026, 6, 1)) is False
    assert baby.mobile_on(dt.date(2027, 12, 1)) is True

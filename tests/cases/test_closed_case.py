"""A closed case stays readable but refuses new entries, amendments, people and relationships,
with a clear message (a 400 in the API, an error summary on pages), until it is reopened."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cases.services import case_close, case_reopen
from chronology.models import ChronologyEntry
from chronology.services import entry_amend, entry_create
from genogram.models import Relationship
from genogram.services import household_create, relationship_create

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def closed(case, people, users):
    entry = entry_create(
        acting_user=users.hv,
        case=case,
        occurred_on=dt.date(2026, 5, 1),
        kind="home_visit",
        summary="Visit",
        today=TODAY,
    )
    case_close(
        acting_user=users.sw,
        case=case,
        closed_on=dt.date(2026, 6, 1),
        outcome="no_further_action",
        reason="Needs met by universal services.",
        today=TODAY,
    )
    return entry


def test_closed_case_refuses_a_new_entry_in_the_api_with_the_reason(case, users, api_as, closed):
    before = ChronologyEntry.objects.filter(case=case).count()
    body = {"occurred_on": "2026-06-10", "kind": "home_visit", "summary": "Late visit"}
    response = api_as(users.hv).post(f"/api/v1/cases/{case.pk}/entries/", body, format="json")
    assert response.status_code == 400
    assert "This case is closed, so entries cannot be added or changed. Reopen the case first." in str(response.json())
    assert ChronologyEntry.objects.filter(case=case).count() == before


def test_closed_case_refuses_an_amendment(users, closed):
    with pytest.raises(ValidationError, match="This case is closed"):
        entry_amend(acting_user=users.hv, entry=closed, reason="Typo", expected_revision=1, summary="Visited")
    closed.refresh_from_db()
    assert closed.revision == 1


def test_closed_case_refuses_relationships_and_households(case, people, users, api_as, closed):
    body = {"kind": "biological_parent", "from_person": people.mother.pk, "to_person": people.child.pk}
    response = api_as(users.sw).post(f"/api/v1/cases/{case.pk}/relationships/", body, format="json")
    assert response.status_code == 400 and "This case is closed" in str(response.json())
    with pytest.raises(ValidationError, match="family structure"):
        household_create(acting_user=users.sw, case=case, label="New home")
    assert not Relationship.objects.filter(case=case).exists()


def test_closed_case_page_says_why_a_person_cannot_be_added(case, users, web_as, closed):
    body = {"given_name": "Late", "sex": "unknown", "date_of_birth_precision": "day"}
    response = web_as(users.sw).post(f"/cases/{case.pk}/people/new/", body)
    assert response.status_code == 200
    assert (
        "This case is closed, so people cannot be added or changed. Reopen the case first." in response.content.decode()
    )
    assert not case.people.filter(given_name="Late").exists()


def test_closed_case_is_still_readable(case, users, api_as, closed):
    assert api_as(users.hv).get(f"/api/v1/cases/{case.pk}/entries/").status_code == 200


def test_reopened_case_accepts_changes_again(case, people, users, closed):
    case_reopen(acting_user=users.sw, case=case, reopened_on=dt.date(2026, 6, 10), reason="Re-referral", today=TODAY)
    relationship = relationship_create(
        acting_user=users.sw, case=case, kind="biological_parent", from_person=people.mother, to_person=people.child
    )
    assert relationship.pk is not None

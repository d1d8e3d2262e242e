"""Free text on the family structure has a limit no practitioner reaches (household name 200,
address 500, resource name 200, notes 2,000 characters): the API, the pages and the services all
refuse longer text with one message that names the limit, and write nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from genogram import services
from genogram.models import EcomapLink, Household, Relationship

pytestmark = pytest.mark.django_db


def base(case):
    return f"/api/v1/cases/{case.pk}/"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"label": "L" * 201}, "label", "Household name must be 200 characters or fewer; this is 201."),
        (
            {"label": "Home", "address": "A" * 5000},
            "address",
            "Address must be 500 characters or fewer; this is 5,000.",
        ),
    ],
)
def test_household_text_over_its_limit_is_a_400_naming_the_limit(case, users, api_as, body, field, message):
    response = api_as(users.sw).post(base(case) + "households/", body, format="json")
    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert not Household.objects.exists()


def test_ecomap_link_text_over_its_limit_is_a_400_naming_the_limit(case, people, users, api_as):
    response = api_as(users.sw).post(
        base(case) + "ecomap-links/",
        {"person": people.child.pk, "resource_name": "R" * 300, "strength": "strong", "note": "N" * 2001},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["resource_name"] == [
        "Agency, professional or resource must be 200 characters or fewer; this is 300."
    ]
    assert response.json()["note"] == ["Note must be 2,000 characters or fewer; this is 2,001."]
    assert not EcomapLink.objects.exists()


def test_relationship_note_over_its_limit_is_a_400_and_a_long_note_within_it_is_kept(case, people, users, api_as):
    api = api_as(users.sw)
    body = {"kind": "close", "from_person": people.mother.pk, "to_person": people.child.pk}
    refused = api.post(base(case) + "relationships/", {**body, "note": "N" * 20_000}, format="json")
    assert refused.status_code == 400
    assert refused.json()["note"] == ["Note must be 2,000 characters or fewer; this is 20,000."]
    kept = api.post(base(case) + "relationships/", {**body, "note": "N" * 2000}, format="json")
    assert kept.status_code == 201, kept.content[:300]
    assert len(Relationship.objects.get().note) == 2000


def test_services_refuse_overlong_text_whoever_calls_them(case, people, users):
    with pytest.raises(ValidationError) as household:
        services.household_create(acting_user=users.sw, case=case, label="Home", address="A" * 501)
    assert household.value.message_dict == {"address": ["Address must be 500 characters or fewer; this is 501."]}
    with pytest.raises(ValidationError) as link:
        services.ecomap_link_create(
            acting_user=users.sw, case=case, person=people.child, resource_name="GP", strength="strong", note="x" * 2500
        )
    assert link.value.message_dict == {"note": ["Note must be 2,000 characters or fewer; this is 2,500."]}
    with pytest.raises(ValidationError) as rel:
        services.relationship_create(
            acting_user=users.sw,
            case=case,
            kind="close",
            from_person=people.mother,
            to_person=people.child,
            start_date=dt.date(2022, 1, 1),
            note="x" * 2001,
        )
    assert rel.value.message_dict == {"note": ["Note must be 2,000 characters or fewer; this is 2,001."]}
    assert not Household.objects.exists() and not EcomapLink.objects.exists() and not Relationship.objects.exists()


def test_household_and_link_forms_name_the_limit(case, people, users, web_as):
    client = web_as(users.sw)
    page = client.post(f"/cases/{case.pk}/family/households/new/", {"label": "H" * 250})
    assert page.status_code == 200
    assert "Household name must be 200 characters or fewer; this is 250." in page.content.decode()
    assert 'maxlength="200"' in page.content.decode()
    page = client.post(
        f"/cases/{case.pk}/family/ecomap/new/",
        {
            "person": people.child.pk,
            "resource_name": "R" * 201,
            "resource_kind": "agency",
            "strength": "strong",
            "direction": "none",
        },
    )
    assert page.status_code == 200
    assert "Agency, professional or resource must be 200 characters or fewer; this is 201." in page.content.decode()
    assert not Household.objects.exists() and not EcomapLink.objects.exists()

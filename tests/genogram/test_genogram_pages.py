import datetime as dt

import pytest

from audit.models import AuditEvent
from genogram import services
from genogram.models import HouseholdMember, Relationship

pytestmark = pytest.mark.django_db


def url(case, rest=""):
    return f"/cases/{case.pk}/family/{rest}"


def test_family_page_draws_the_genogram_and_ecomap_at_the_chosen_date(case, family, users, web_as):
    services.relationship_create(
        acting_user=users.sw, case=case, kind="biological_parent", from_person=family.mother, to_person=family.child
    )
    response = web_as(users.hv).get(url(case) + "?at=2022-06-01")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Genogram on 1 June 2022" in body
    assert body.count("<svg") >= 2
    assert "Robin" in body
    assert "Kit" not in body.split("Ecomap on")[0].split("<svg")[1]  # born 2025, not drawn in 2022
    assert f"/chronology/?person={family.child.pk}" in body or f"/people/{family.child.pk}/edit/" in body
    assert AuditEvent.objects.filter(case=case, actor=users.hv, action="genogram.viewed").exists()


def test_bad_date_shows_an_error_summary(case, users, web_as):
    body = web_as(users.sw).get(url(case) + "?at=not-a-date").content.decode()
    assert "govuk-error-summary" in body


@pytest.mark.parametrize("path", ["", "relationships/new/", "members/new/", "ecomap/new/"])
def test_outsider_gets_404_for_family_pages(case, users, web_as, path):
    assert web_as(users.outsider).get(url(case, path)).status_code == 404


def test_outsider_gets_404_when_posting_a_household(case, users, web_as):
    assert web_as(users.outsider).post(url(case, "households/new/"), {"label": "X"}).status_code == 404


def test_practitioner_cannot_open_the_add_pages(case, users, web_as):
    assert web_as(users.teacher).get(url(case, "relationships/new/")).status_code == 403


def test_add_a_relationship_through_the_page(case, family, users, web_as):
    response = web_as(users.sw).post(
        url(case, "relationships/new/"),
        {
            "kind": "cohabiting",
            "from_person": family.partner.pk,
            "to_person": family.mother.pk,
            "start_date": "2025-01-01",
        },
    )
    assert response.status_code == 302
    assert Relationship.objects.filter(kind="cohabiting", end_date=None).count() == 1


def test_invalid_relationship_shows_the_error_summary_and_saves_nothing(case, family, users, web_as):
    response = web_as(users.sw).post(
        url(case, "relationships/new/"),
        {"kind": "biological_parent", "from_person": family.child.pk, "to_person": family.mother.pk},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "older" in body
    assert not Relationship.objects.exists()


def test_end_a_household_membership_through_the_page(case, family, users, web_as):
    home = services.household_create(acting_user=users.sw, case=case, label="Home")
    member = services.household_member_add(
        acting_user=users.sw, household=home, person=family.partner, from_date=dt.date(2025, 1, 1)
    )
    response = web_as(users.sw).post(url(case, f"members/{member.pk}/end/"), {"to_date": "2025-09-01"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.to_date == dt.date(2025, 9, 1)
    assert HouseholdMember.objects.count() == 1


def test_family_page_lists_ecomap_links_of_a_person_and_of_a_household(case, family, users, web_as):
    home = services.household_create(acting_user=users.sw, case=case, label="Larch Close", address="14 Larch Close")
    services.ecomap_link_create(
        acting_user=users.sw, case=case, person=family.child, resource_name="Riverside Primary", strength="strong"
    )
    services.ecomap_link_create(
        acting_user=users.sw, case=case, household=home, resource_name="Food bank", strength="tenuous"
    )

    response = web_as(users.hv).get(url(case))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Riverside Primary: strong" in body
    assert "Larch Close – Food bank: tenuous" in body

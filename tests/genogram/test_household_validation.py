import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from genogram import services
from genogram.models import HouseholdMember
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_person_lives_in_one_household_on_a_date(users, case, family):
    home = services.household_create(acting_user=users.sw, case=case, label="Mum's home")
    nans = services.household_create(acting_user=users.sw, case=case, label="Nan's")
    services.household_member_add(acting_user=users.sw, household=home, person=family.child, from_date=D(2021, 4, 4))
    with pytest.raises(ValidationError) as exc:
        services.household_member_add(
            acting_user=users.sw, household=nans, person=family.child, from_date=D(2024, 1, 1)
        )
    assert "one household on a date" in str(exc.value)
    assert HouseholdMember.objects.count() == 1


def test_moving_out_and_in_on_the_same_day_is_accepted(users, case, family):
    home = services.household_create(acting_user=users.sw, case=case, label="Mum's home")
    nans = services.household_create(acting_user=users.sw, case=case, label="Nan's")
    member = services.household_member_add(
        acting_user=users.sw, household=home, person=family.child, from_date=D(2021, 4, 4)
    )
    services.household_member_end(acting_user=users.sw, member=member, to_date=D(2024, 1, 1))
    moved = services.household_member_add(
        acting_user=users.sw, household=nans, person=family.child, from_date=D(2024, 1, 1)
    )
    assert moved.pk


def test_leaving_date_must_be_after_joining(users, case, family):
    home = services.household_create(acting_user=users.sw, case=case, label="Home")
    with pytest.raises(ValidationError) as exc:
        services.household_member_add(
            acting_user=users.sw, household=home, person=family.mother, from_date=D(2024, 1, 1), to_date=D(2023, 1, 1)
        )
    assert "to_date" in exc.value.message_dict


def test_household_members_come_from_the_same_case(users, case, family, agencies):
    other = CaseFactory(lead_agency=agencies.csc)
    elsewhere = services.household_create(acting_user=users.sw, case=other, label="Elsewhere")
    with pytest.raises(ValidationError) as exc:
        services.household_member_add(
            acting_user=users.sw, household=elsewhere, person=family.mother, from_date=D(2024, 1, 1)
        )
    assert "person" in exc.value.message_dict


def test_ecomap_link_needs_a_person_or_a_household_not_both(users, case, family):
    home = services.household_create(acting_user=users.sw, case=case, label="Home")
    with pytest.raises(ValidationError):
        services.ecomap_link_create(
            acting_user=users.sw, case=case, person=family.child, household=home, resource_name="GP", strength="strong"
        )
    with pytest.raises(ValidationError):
        services.ecomap_link_create(acting_user=users.sw, case=case, resource_name="GP", strength="strong")

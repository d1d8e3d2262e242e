import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from genogram import services
from genogram.models import Relationship
from tests.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db
D = dt.date


def make(users, case, kind, a, b, start=None, end=None):
    return services.relationship_create(
        acting_user=users.sw, case=case, kind=kind, from_person=a, to_person=b, start_date=start, end_date=end
    )


def test_a_person_cannot_be_related_to_themselves(users, case, family):
    with pytest.raises(ValidationError) as exc:
        make(users, case, "close", family.mother, family.mother)
    assert "themselves" in str(exc.value)
    assert not Relationship.objects.exists()


def test_a_parent_must_be_older_than_the_child(users, case, family):
    with pytest.raises(ValidationError) as exc:
        make(users, case, "biological_parent", family.child, family.mother)
    assert "older" in str(exc.value.message_dict["from_person"])


def test_step_parent_must_also_be_older(users, case, family):
    with pytest.raises(ValidationError):
        make(users, case, "step_parent", family.baby, family.child)


def test_end_date_must_be_after_start_date(users, case, family):
    with pytest.raises(ValidationError) as exc:
        make(users, case, "cohabiting", family.mother, family.partner, D(2024, 5, 1), D(2024, 4, 1))
    assert "end_date" in exc.value.message_dict
    with pytest.raises(ValidationError):
        make(users, case, "cohabiting", family.mother, family.partner, D(2024, 5, 1), D(2024, 5, 1))


def test_overlapping_contradictory_partnerships_between_the_same_two_people_are_refused(users, case, family):
    make(users, case, "married", family.mother, family.father, D(2015, 6, 1), D(2022, 1, 1))
    with pytest.raises(ValidationError) as exc:
        make(users, case, "divorced", family.father, family.mother, D(2020, 1, 1))
    assert "already recorded as married" in str(exc.value)


def test_partnerships_that_follow_each_other_are_accepted(users, case, family):
    make(users, case, "married", family.mother, family.father, D(2015, 6, 1), D(2022, 1, 1))
    divorced = make(users, case, "divorced", family.father, family.mother, D(2022, 1, 1))
    assert divorced.pk


def test_an_open_partnership_overlaps_everything_after_it(users, case, family):
    make(users, case, "cohabiting", family.mother, family.partner, D(2024, 1, 1))
    with pytest.raises(ValidationError):
        make(users, case, "partner", family.mother, family.partner, D(2025, 1, 1), D(2025, 6, 1))


def test_partnerships_with_different_people_may_overlap_in_time(users, case, family):
    make(users, case, "married", family.mother, family.father, D(2015, 6, 1))
    assert make(users, case, "partner", family.mother, family.partner, D(2024, 1, 1)).pk


def test_people_must_belong_to_the_same_case(users, case, family, agencies):
    other_case = CaseFactory(lead_agency=agencies.csc)
    stranger = PersonFactory(case=other_case, given_name="Other", date_of_birth=D(1980, 1, 1))
    with pytest.raises(ValidationError) as exc:
        make(users, case, "biological_parent", stranger, family.child)
    assert "from_person" in exc.value.message_dict


def test_a_child_has_at_most_two_biological_parents(users, case, family):
    make(users, case, "biological_parent", family.mother, family.child)
    make(users, case, "biological_parent", family.father, family.child)
    with pytest.raises(ValidationError):
        make(users, case, "biological_parent", family.partner, family.child)


def test_sibling_record_refused_when_a_parent_is_shared(users, case, family):
    make(users, case, "biological_parent", family.mother, family.child)
    make(users, case, "biological_parent", family.mother, family.baby)
    with pytest.raises(ValidationError) as exc:
        make(users, case, "sibling", family.child, family.baby)
    assert "share a recorded parent" in str(exc.value)


def test_only_people_editors_change_the_family_structure(users, case, family):
    with pytest.raises(PermissionDenied):
        services.relationship_create(
            acting_user=users.hv, case=case, kind="close", from_person=family.child, to_person=family.nan
        )


def test_creating_and_ending_a_relationship_is_audited(users, case, family):
    rel = make(users, case, "cohabiting", family.mother, family.partner, D(2024, 1, 1))
    services.relationship_end(acting_user=users.sw, relationship=rel, end_date=D(2025, 3, 1))
    actions = list(AuditEvent.objects.filter(case=case).values_list("action", flat=True))
    assert "relationship.created" in actions
    assert "relationship.ended" in actions
    rel.refresh_from_db()
    assert rel.end_date == D(2025, 3, 1)


def test_ending_before_the_start_is_refused_and_nothing_changes(users, case, family):
    rel = make(users, case, "cohabiting", family.mother, family.partner, D(2024, 1, 1))
    with pytest.raises(ValidationError):
        services.relationship_end(acting_user=users.sw, relationship=rel, end_date=D(2023, 1, 1))
    rel.refresh_from_db()
    assert rel.end_date is None

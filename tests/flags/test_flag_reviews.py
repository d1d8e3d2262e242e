"""A reviewed flag stays reviewed until it names evidence the review did not see."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from reporting.flags.selectors import flags_for_case
from reporting.flags.services import flag_review_record

pytestmark = pytest.mark.django_db
AT = dt.date(2026, 6, 1)


def review(case, user, key):
    return flag_review_record(
        acting_user=user,
        case=case,
        rule="was_not_brought",
        key=key,
        decision="action_agreed",
        rationale="Discussed at core group: transport arranged.",
        at=AT,
    )


def wnb(case, at=AT):
    return next(f for f in flags_for_case(case, at) if f.rule == "was_not_brought")


def test_reviewed_flag_reopens_when_new_evidence_arrives_and_says_what_is_new(
    case, people, missed_three, users, make_entry
):
    review(case, users.manager, f"person:{people.baby.pk}")
    assert wnb(case).status == "reviewed"
    later = make_entry(kind="appointment_missed", occurred_on=dt.date(2026, 5, 20), subjects=[people.baby.pk])
    flag = wnb(case)
    assert flag.status == "reopened"
    assert flag.new_evidence == (later.pk,)
    assert "Northshire Health Visiting 20 May 2026 (appointment missed" in flag.new_evidence_said
    assert flag.review is not None and flag.review.rationale.startswith("Discussed at core group")


def test_reviewed_flag_stays_reviewed_when_evidence_is_retracted(case, people, missed_three, users, make_entry):
    from chronology.services import entry_retract

    make_entry(kind="appointment_missed", occurred_on=dt.date(2026, 5, 20), subjects=[people.baby.pk])
    review(case, users.chair, f"person:{people.baby.pk}")
    entry_retract(acting_user=users.hv, entry=missed_three[0], reason="Recorded twice", expected_revision=1)
    assert wnb(case).status == "reviewed"


def test_a_social_worker_and_a_chair_may_review(case, people, missed_three, users):
    review(case, users.sw, f"person:{people.baby.pk}")
    review(case, users.chair, f"person:{people.baby.pk}")
    assert wnb(case).review.reviewed_by == users.chair.display_name


def test_a_practitioner_may_not_review(case, people, missed_three, users):
    with pytest.raises(PermissionDenied):
        review(case, users.teacher, f"person:{people.baby.pk}")

"""The snapshot loader: a fixed number of queries whatever the case size, and the current revisions."""

import datetime as dt

import pytest

from chronology.services import entry_amend, entry_retract
from genogram.services import household_create, household_member_add, relationship_create
from reporting.flags.loader import load_snapshot
from reporting.flags.selectors import flags_for_case

pytestmark = pytest.mark.django_db
AT = dt.date(2026, 6, 1)


def add_entries(make_entry, people, count):
    for day in range(count):
        make_entry(
            kind="appointment_attended",
            occurred_on=dt.date(2026, 1, 1) + dt.timedelta(days=day),
            subjects=[people.child.pk],
            seen=[people.child.pk, people.mother.pk],
            seen_alone=[people.child.pk],
        )


def test_snapshot_loads_in_eight_queries_for_a_small_case(case, people, make_entry, django_assert_num_queries):
    add_entries(make_entry, people, 2)
    with django_assert_num_queries(8):
        snapshot = load_snapshot(case, AT)
    assert len(snapshot.entries) == 2


def test_snapshot_loads_in_eight_queries_for_a_bigger_case(case, people, make_entry, django_assert_num_queries):
    add_entries(make_entry, people, 40)
    with django_assert_num_queries(8):
        snapshot = load_snapshot(case, AT)
    assert len(snapshot.entries) == 40


def test_flags_for_case_runs_a_fixed_number_of_queries(case, people, missed_three, django_assert_num_queries):
    with django_assert_num_queries(10):
        flags = flags_for_case(case, AT)
    assert "was_not_brought" in {f.rule for f in flags}


def test_snapshot_holds_people_links_agencies_and_injury(case, people, make_entry, agencies):
    entry = make_entry(
        kind="injury",
        occurred_on=dt.date(2026, 5, 3),
        subjects=[people.baby.pk],
        present=[people.mother.pk],
        seen=[people.baby.pk],
        injury_body_site="left cheek",
        injury_type="bruise",
        injury_explanation="Fell against cot",
    )
    snapshot = load_snapshot(case, AT)
    [record] = snapshot.entries
    assert record.id == entry.pk
    assert record.agency.name == agencies.hv.name
    assert record.subjects == {people.baby.pk}
    assert record.present == {people.mother.pk}
    assert record.seen == {people.baby.pk}
    assert record.injury is not None and record.injury.describe() == "bruise to left cheek"
    assert {p.name for p in snapshot.people} == {"Robin Testfamily", "Kit Testfamily", "Alex Testfamily"}


def test_snapshot_leaves_out_entries_after_the_date(case, people, make_entry):
    make_entry(occurred_on=dt.date(2026, 5, 3))
    assert load_snapshot(case, dt.date(2026, 5, 2)).entries == ()


def test_snapshot_carries_current_revision_and_retraction(case, people, make_entry, users):
    amended = make_entry(kind="note", occurred_on=dt.date(2026, 5, 3), summary="First words")
    entry_amend(
        acting_user=users.hv, entry=amended, reason="Wrong kind", expected_revision=1, kind="appointment_missed"
    )
    gone = make_entry(kind="note", occurred_on=dt.date(2026, 5, 4))
    entry_retract(acting_user=users.hv, entry=gone, reason="Wrong case", expected_revision=1)
    records = {e.id: e for e in load_snapshot(case, AT).entries}
    assert records[amended.pk].kind == "appointment_missed"
    assert records[amended.pk].amended and records[amended.pk].revision == 2
    assert records[gone.pk].retracted


def test_snapshot_holds_relationships_and_households(case, people, users):
    relationship_create(
        acting_user=users.sw, case=case, kind="biological_parent", from_person=people.mother, to_person=people.child
    )
    home = household_create(acting_user=users.sw, case=case, label="12 Oak Road")
    household_member_add(acting_user=users.sw, household=home, person=people.child, from_date=dt.date(2021, 4, 4))
    snapshot = load_snapshot(case, AT)
    assert snapshot.parents_of(people.child.pk, AT) == {people.mother.pk}
    assert snapshot.members_on(home.pk, AT) == {people.child.pk}
    assert snapshot.household_label(home.pk) == "12 Oak Road"


def test_rules_run_on_a_loaded_snapshot_without_queries(case, people, missed_three, django_assert_num_queries):
    from reporting.flags.engine import evaluate

    snapshot = load_snapshot(case, AT)
    with django_assert_num_queries(0):
        flags = evaluate(snapshot, AT)
    assert "was_not_brought" in {f.rule for f in flags}


def test_snapshot_puts_every_column_in_its_own_field(case, people, make_entry):
    """The loader builds records positionally: each field holds its own column, none shifted."""
    entry = make_entry(kind="home_visit", occurred_on=dt.date(2026, 5, 3), summary="Summary text")
    values = {
        "detail": "Detail text",
        "date_precision": "month",
        "significance": "high",
        "source": "reported",
        "adult_check_type": "police",
        "adult_check_result": "concerns",
        "safer_sleep_advice_given": True,
        "safer_sleep_co_sleeping": False,
        "safer_sleep_space": "seen_unsafe",
        "action": "Action text",
        "outcome": "Outcome text",
        "retracted": True,
        "restricted": True,
    }
    type(entry).objects.filter(pk=entry.pk).update(**values)
    [record] = load_snapshot(case, AT).entries
    assert record.kind == "home_visit"
    assert record.summary == "Summary text"
    assert record.occurred_on == dt.date(2026, 5, 3)
    assert record.agency.id == entry.agency_id
    assert record.revision == 1
    assert record.amended is False
    assert record.injury is None
    for field, value in values.items():
        assert getattr(record, field) == value, field

"""The anonymised review pack: people by role, no names, aliases, addresses, dates of birth or practitioners."""

import datetime as dt
import re

import pytest

from genogram import services as genogram
from reporting.packs.pdf.anonymise import Link, PersonNames, Redactor, role_labels
from tests.factories import PersonFactory
from tests.packs.conftest import pack_text, squash

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(case, people, users, agencies, add_entry):
    """Robin and Kit (subjects), their mother Alex, her partner with aliases, a grandmother, a household."""
    people.mother.family_name = "Quillfeather"
    people.mother.known_as = "Lexi, Alexandra Q"
    people.mother.save()
    partner = PersonFactory(
        case=case,
        given_name="Dorian",
        family_name="Vantablack",
        known_as="Dozza, D.V. Smith",
        sex="male",
        date_of_birth=dt.date(1990, 5, 5),
    )
    nan = PersonFactory(
        case=case, given_name="Marigold", family_name="Quillfeather", sex="female", date_of_birth=dt.date(1965, 1, 9)
    )
    for child in (people.child, people.baby):
        genogram.relationship_create(
            acting_user=users.sw, case=case, kind="biological_parent", from_person=people.mother, to_person=child
        )
    genogram.relationship_create(
        acting_user=users.sw, case=case, kind="biological_parent", from_person=nan, to_person=people.mother
    )
    genogram.relationship_create(
        acting_user=users.sw,
        case=case,
        kind="partner",
        from_person=people.mother,
        to_person=partner,
        start_date=dt.date(2025, 9, 1),
    )
    home = genogram.household_create(
        acting_user=users.sw, case=case, label="Testfamily home", address="27 Wisteria Crescent, Northshire NS9 4ZZ"
    )
    for person in (people.mother, people.child, people.baby, partner):
        genogram.household_member_add(
            acting_user=users.sw, household=home, person=person, from_date=dt.date(2025, 1, 1)
        )
    add_entry(
        case,
        dt.date(2026, 2, 10),
        "Robin told her teacher that Dozza shouts at lexi",
        agency=agencies.school,
        recorded_by=users.teacher,
        subjects=[people.child],
        kind="child_seen",
        detail="ROBIN said mum (Alex Quillfeather) cries a lot. Nan Marigold visits 27 Wisteria Crescent on Sundays. "
        "D.V. Smith was present. Seen by Teacher Involved.",
        child_voice="Dorian is scary when he drinks",
    )
    add_entry(
        case,
        dt.date(2026, 3, 1),
        "Kit's weight checked; Vantablack declined to give his date of birth",
        agency=agencies.hv,
        recorded_by=users.hv,
        subjects=[people.baby],
        kind="appointment_attended",
        action="Hv Involved to visit Alexandra Q at NS9 4ZZ",
    )
    people.partner, people.nan, people.home = partner, nan, home
    return people


def _forbidden(family, users) -> list[str]:
    terms = []
    for person in (family.child, family.baby, family.mother, family.partner, family.nan):
        terms += [person.given_name, person.family_name, person.full_name]
        terms += [alias.strip() for alias in person.known_as.split(",") if alias.strip()]
    terms += ["27 Wisteria Crescent", "Wisteria", "NS9 4ZZ", "Testfamily"]
    terms += [users.sw.display_name, users.hv.display_name, users.teacher.display_name, users.chair.display_name]
    return [t for t in terms if t]


def test_review_pack_keeps_no_name_alias_or_address_of_the_case(build, users, case, family):
    pack = build(users.chair, case, kind="review")
    assert pack.status == "done", pack.error
    text = pack_text(pack)
    flat = squash(text)
    for term in _forbidden(family, users):
        assert not re.search(rf"(?<!\w){re.escape(term)}(?!\w)", flat, re.IGNORECASE), term
    # dates of birth are left out too
    for person in (family.child, family.mother, family.partner):
        assert f"{person.date_of_birth.day} {person.date_of_birth:%b %Y}" not in flat


def test_review_pack_names_people_by_their_role(build, users, case, family):
    flat = squash(pack_text(build(users.chair, case, kind="review")))
    for label in ("Child A", "Child B", "Mother", "Mother's partner", "Maternal grandmother"):
        assert label in flat
    assert "Child A told her teacher that Mother's partner shouts at Mother" in flat, flat[
        flat.find("told her") - 200 : flat.find("told her") + 400
    ]
    assert "[address]" in flat


def test_role_mapping_is_kept_with_the_case_not_printed(build, users, case, family):
    pack = build(users.chair, case, kind="review")
    assert pack.role_labels[str(family.mother.pk)] == "Mother"
    assert pack.role_labels[str(family.child.pk)] == "Child A"
    assert "NS-0001" not in squash(pack_text(pack))


def test_strategy_pack_keeps_names(build, users, case, family):
    flat = squash(pack_text(build(users.chair, case)))
    assert "Dorian Vantablack" in flat
    assert "Mother's partner" in flat  # the relationship column says how each adult relates to the children
    assert build(users.chair, case).role_labels == {}


# --- role labels and redaction without a database ---------------------------------------------


def names(pid, given, family="", *, sex="unknown", born=None, subject=False, known_as=""):
    return PersonNames(pid, given, family, known_as, sex, born, subject)


def test_role_labels_fall_back_to_child_and_adult_numbers_without_relationships():
    people = [
        names(1, "Ann", born=dt.date(1990, 1, 1)),
        names(2, "Bo", born=dt.date(2020, 1, 1), subject=True),
        names(3, "Cy", born=dt.date(2018, 1, 1), subject=True),
        names(4, "Di"),
    ]
    assert role_labels(people, on=dt.date(2026, 1, 1)) == {3: "Child A", 2: "Child B", 1: "Adult 1", 4: "Adult 2"}


def test_role_labels_follow_relationships_to_the_subject_children():
    people = [
        names(1, "M", sex="female"),
        names(2, "F", sex="male"),
        names(3, "C", subject=True, born=dt.date(2020, 1, 1)),
        names(4, "P", sex="male"),
        names(5, "G", sex="female"),
        names(6, "H", sex="female", born=dt.date(2015, 1, 1)),
        names(7, "X", sex="female"),
    ]
    links = [
        Link(1, 3, "biological_parent"),
        Link(2, 3, "biological_parent"),
        Link(1, 4, "partner"),
        Link(5, 2, "biological_parent"),
        Link(2, 6, "biological_parent"),
        Link(7, 6, "biological_parent"),
    ]
    labels = role_labels(people, links, on=dt.date(2026, 1, 1))
    assert labels == {
        3: "Child A",
        1: "Mother",
        2: "Father",
        5: "Paternal grandmother",
        4: "Mother's partner",
        6: "Half-sister",
        7: "Half-sister's mother",
    }


def test_redactor_replaces_whole_words_only_and_ignores_case():
    people = [names(1, "Al", "Dale", known_as="Big Al", subject=True), names(2, "Sam", "Dale")]
    redactor = Redactor.for_case(people=people, labels={1: "Child A", 2: "Adult 1"})
    assert redactor.text("AL and Sam DALE met Big  Al at Dalesford") == "Child A and Adult 1 met Child A at Dalesford"
    # a family name two people share cannot say which one is meant
    assert redactor.text("the Dale family") == "the [name] family"


def _section(flat: str, start: str, end: str) -> str:
    assert start in flat, flat[:2000]
    return flat[flat.index(start) : flat.index(end, flat.index(start))]


def test_review_pack_starts_with_the_review_analysis_naming_people_by_role_only(build, users, case, family):
    """A manager's review pack prints the review analysis as its first section; the leak checks cover it."""
    pack = build(users.manager, case, kind="review")
    assert pack.status == "done", pack.error
    flat = squash(pack_text(pack))
    section = _section(flat, "When was this knowable, and by whom", "Case summary")
    # before the case summary section (the cover's contents may name it earlier)
    assert flat.index("When was this knowable") < flat.index("Legal status over time")
    assert "Events would have raised it" in section and "Knowable from the records" in section
    assert re.search(r"Child [AB]|Mother", section), section  # the flags' people, by role
    for term in _forbidden(family, users) + [users.manager.display_name]:
        assert not re.search(rf"(?<!\w){re.escape(term)}(?!\w)", section, re.IGNORECASE), term
        assert not re.search(rf"(?<!\w){re.escape(term)}(?!\w)", flat, re.IGNORECASE), term
    for child in (family.child, family.baby):
        assert child.given_name.lower() not in section.lower()


def test_review_pack_by_a_chair_says_the_analysis_is_for_managers(build, users, case, family):
    flat = squash(pack_text(build(users.chair, case, kind="review")))
    assert "The analysis is printed in packs generated by managers and administrators." in flat

"""CaseSnapshot.siblings_of and siblings_in_household_of: siblings read from the genogram at a date."""

from __future__ import annotations

from tests.flags.builders import CaseBuilder, D

AT = D(2025, 6, 1)


def _family() -> tuple[CaseBuilder, dict[str, int]]:
    b = CaseBuilder()
    mum = b.person("Mara", D(1990, 1, 1), sex="female")
    dad = b.person("Dane", D(1988, 1, 1), sex="male")
    other_dad = b.person("Otto", D(1985, 1, 1), sex="male")
    ava = b.child("Ava", D(2018, 3, 1))
    ben = b.child("Ben", D(2020, 3, 1))
    cal = b.person("Cal", D(2012, 3, 1))  # mum's older child by another father: a half sibling
    b.relate("biological_parent", mum, ava)
    b.relate("biological_parent", dad, ava)
    b.relate("biological_parent", mum, ben)
    b.relate("biological_parent", dad, ben)
    b.relate("biological_parent", mum, cal)
    b.relate("biological_parent", other_dad, cal)
    ids = {"mum": mum.id, "dad": dad.id, "other_dad": other_dad.id, "ava": ava.id, "ben": ben.id, "cal": cal.id}
    return b, ids


def test_siblings_of_finds_full_and_half_siblings_sharing_a_parent() -> None:
    b, ids = _family()
    snapshot = b.snapshot(AT)
    assert snapshot.siblings_of(ids["ava"], AT) == {ids["ben"], ids["cal"]}
    assert snapshot.siblings_of(ids["cal"], AT) == {ids["ava"], ids["ben"]}


def test_siblings_of_leaves_out_the_child_and_its_parents() -> None:
    b, ids = _family()
    siblings = b.snapshot(AT).siblings_of(ids["ava"], AT)
    assert ids["ava"] not in siblings
    assert not siblings & {ids["mum"], ids["dad"], ids["other_dad"]}


def test_siblings_of_finds_a_parents_current_partners_child_as_a_step_sibling() -> None:
    b, ids = _family()
    partner = b.person("Perry", D(1987, 1, 1), sex="male")
    dee = b.person("Dee", D(2015, 5, 1))
    b.relate("biological_parent", partner, dee)
    mum_record = next(p for p in b.people if p.id == ids["mum"])
    b.relate("partner", mum_record, partner, D(2024, 1, 1))
    snapshot = b.snapshot(AT)
    assert dee.id in snapshot.siblings_of(ids["ava"], AT)
    assert ids["ava"] in snapshot.siblings_of(dee.id, AT)
    # Before the partnership began they were not step siblings.
    assert dee.id not in snapshot.siblings_of(ids["ava"], D(2023, 12, 31))


def test_siblings_of_drops_a_step_sibling_once_the_partnership_has_ended() -> None:
    b, ids = _family()
    partner = b.person("Perry", D(1987, 1, 1), sex="male")
    dee = b.person("Dee", D(2015, 5, 1))
    b.relate("biological_parent", partner, dee)
    mum = next(p for p in b.people if p.id == ids["mum"])
    b.relate("cohabiting", mum, partner, D(2022, 1, 1), D(2025, 1, 1))
    snapshot = b.snapshot(AT)
    assert dee.id in snapshot.siblings_of(ids["ava"], D(2024, 12, 31))
    assert dee.id not in snapshot.siblings_of(ids["ava"], AT)


def test_siblings_of_reads_explicit_sibling_relationships_current_on_the_date() -> None:
    b = CaseBuilder()
    ava = b.child("Ava", D(2018, 3, 1))
    eli = b.person("Eli", D(2016, 3, 1))
    b.relate("sibling", eli, ava, D(2019, 1, 1))
    snapshot = b.snapshot(AT)
    assert snapshot.siblings_of(ava.id, AT) == {eli.id}
    assert snapshot.siblings_of(eli.id, AT) == {ava.id}
    assert snapshot.siblings_of(ava.id, D(2018, 12, 31)) == set()


def test_children_of_the_same_foster_carer_are_not_siblings() -> None:
    b = CaseBuilder(legal_status="looked_after")
    carer = b.person("Faye", D(1970, 1, 1), sex="female")
    ava = b.child("Ava", D(2018, 3, 1))
    zed = b.person("Zed", D(2017, 3, 1))
    b.relate("foster_carer", carer, ava, D(2024, 1, 1))
    b.relate("foster_carer", carer, zed, D(2024, 1, 1))
    assert b.snapshot(AT).siblings_of(ava.id, AT) == set()


def test_siblings_of_leaves_out_a_sibling_not_yet_born_or_dead_on_the_date() -> None:
    b, ids = _family()
    mum = next(p for p in b.people if p.id == ids["mum"])
    baby = b.person("Bea", D(2025, 9, 1))
    gone = b.person("Gil", D(2014, 1, 1), date_of_death=D(2020, 1, 1))
    b.relate("biological_parent", mum, baby)
    b.relate("biological_parent", mum, gone)
    snapshot = b.snapshot(D(2025, 10, 1))
    assert baby.id not in snapshot.siblings_of(ids["ava"], AT)
    assert baby.id in snapshot.siblings_of(ids["ava"], D(2025, 10, 1))
    assert gone.id not in snapshot.siblings_of(ids["ava"], AT)
    assert gone.id in snapshot.siblings_of(ids["ava"], D(2019, 1, 1))


def test_siblings_in_household_of_keeps_only_siblings_living_with_the_child_on_the_date() -> None:
    b, ids = _family()
    people = {p.id: p for p in b.people}
    b.lives(people[ids["ava"]], D(2018, 3, 1))
    b.lives(people[ids["ben"]], D(2020, 3, 1))
    b.lives(people[ids["cal"]], D(2012, 3, 1), D(2024, 9, 1))  # moved out to live with his father
    b.lives(people[ids["cal"]], D(2024, 9, 1), household=2)
    snapshot = b.snapshot(AT)
    assert snapshot.siblings_in_household_of(ids["ava"], AT) == {ids["ben"]}
    assert snapshot.siblings_in_household_of(ids["ava"], D(2024, 8, 31)) == {ids["ben"], ids["cal"]}


def test_siblings_in_household_of_is_empty_for_a_child_in_no_household() -> None:
    b, ids = _family()
    assert b.snapshot(AT).siblings_in_household_of(ids["ava"], AT) == set()

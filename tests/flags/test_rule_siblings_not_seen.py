from tests.flags.builders import CSC, HV, SCHOOL, CaseBuilder, D, retract

RULE = "siblings_not_seen"
MONDAY = D(2026, 3, 2)  # ten working days later is Monday 16 March
MOVED_IN = D(2020, 1, 1)
KIM_BORN = D(2019, 9, 9)


def family(*, kim_household=1, kim_born=KIM_BORN):
    case = CaseBuilder()
    mum = case.person("Leanne", D(1990, 3, 3), sex="female")
    robin = case.child("Robin", D(2017, 4, 4))
    kim = case.child("Kim", kim_born)
    case.relate("biological_parent", mum, robin)
    case.relate("biological_parent", mum, kim)
    case.lives(mum, MOVED_IN)
    case.lives(robin, MOVED_IN)
    case.lives(kim, MOVED_IN, household=kim_household)
    return case, mum, robin, kim


def test_siblings_not_seen_fires_after_ten_working_days_without_seeing_the_sibling():
    case, mum, robin, kim = family()
    hurt = case.injury(MONDAY, robin)
    [flag] = case.flags(RULE, D(2026, 3, 17))
    assert flag.key == f"person:{kim.id}"
    assert flag.people == (robin.id, kim.id)
    assert flag.evidence == (hurt.id,)
    assert flag.explanation == (
        "On 2 March 2026 Northshire General Hospital recorded an injury (bruise to left cheek) about Robin "
        "Testfamily; Kim Testfamily (6 years old), who lived with them, was due to be seen within 10 working days, "
        "by 16 March 2026, and no entry records them as seen by 17 March 2026."
    )


def test_siblings_not_seen_quiet_on_the_tenth_working_day():
    case, mum, robin, kim = family()
    case.entry("disclosure", MONDAY, agency=SCHOOL, about=[robin])
    assert case.flags(RULE, D(2026, 3, 16)) == []


def test_siblings_not_seen_quiet_when_the_sibling_is_seen_on_the_tenth_working_day():
    case, mum, robin, kim = family()
    case.entry("allegation", MONDAY, agency=CSC, about=[robin])
    case.entry("home_visit", D(2026, 3, 16), agency=HV, about=[kim], seen=[kim])
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_siblings_not_seen_names_a_late_sighting():
    case, mum, robin, kim = family()
    told = case.entry("disclosure", MONDAY, agency=SCHOOL, about=[robin])
    seen = case.entry("child_seen", D(2026, 3, 17), agency=CSC, about=[kim], seen_alone=[kim])
    [flag] = case.flags(RULE, D(2026, 4, 1))
    assert flag.evidence == (told.id, seen.id)
    assert flag.explanation.endswith(
        "and was first seen by Northshire Children's Social Care on 17 March 2026, 11 working days after."
    )


def test_siblings_not_seen_does_not_count_a_retracted_sighting():
    case, mum, robin, kim = family()
    case.entry("disclosure", MONDAY, agency=SCHOOL, about=[robin])
    retract(case, case.entry("home_visit", D(2026, 3, 5), agency=HV, about=[kim], seen=[kim]))
    assert len(case.flags(RULE, D(2026, 4, 1))) == 1


def test_siblings_not_seen_ignores_a_retracted_disclosure():
    case, mum, robin, kim = family()
    retract(case, case.entry("disclosure", MONDAY, agency=SCHOOL, about=[robin]))
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_siblings_not_seen_leaves_out_a_sibling_in_another_household():
    case, mum, robin, kim = family(kim_household=2)
    case.entry("disclosure", MONDAY, agency=SCHOOL, about=[robin])
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_siblings_not_seen_leaves_out_an_adult_sibling():
    case, mum, robin, kim = family(kim_born=D(2007, 1, 1))
    case.entry("disclosure", MONDAY, agency=SCHOOL, about=[robin])
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_siblings_not_seen_leaves_out_the_parent_and_a_child_who_is_no_sibling():
    case, mum, robin, kim = family()
    lodger_child = case.child("Ash", D(2018, 1, 1))
    case.lives(lodger_child, MOVED_IN)
    case.entry("disclosure", MONDAY, agency=SCHOOL, about=[robin])
    [flag] = case.flags(RULE, D(2026, 4, 1))
    assert flag.key == f"person:{kim.id}"


def test_siblings_not_seen_working_days_is_a_parameter():
    case, mum, robin, kim = family()
    case.entry("disclosure", MONDAY, agency=SCHOOL, about=[robin])
    assert case.flags(RULE, D(2026, 3, 17), {RULE: {"working_days": 11}}) == []


def test_siblings_not_seen_is_one_flag_per_sibling_naming_earlier_concerns():
    case, mum, robin, kim = family()
    first = case.entry("disclosure", MONDAY, agency=SCHOOL, about=[robin])
    second = case.injury(D(2026, 5, 5), robin)
    [flag] = case.flags(RULE, D(2026, 6, 1))
    assert flag.key == f"person:{kim.id}"
    assert flag.evidence == (first.id, second.id)
    assert flag.explanation.startswith("On 5 May 2026 Northshire General Hospital recorded an injury")
    assert flag.explanation.endswith("They were not seen in time after one earlier concern either (2 March 2026).")


def test_siblings_not_seen_does_not_describe_a_restricted_injury():
    case, mum, robin, kim = family()
    case.injury(MONDAY, robin, restricted=True)
    [flag] = case.flags(RULE, D(2026, 4, 1))
    assert "an injury (restricted) about Robin Testfamily" in flag.explanation
    assert "bruise" not in flag.explanation

from tests.flags.builders import GP, HOSPITAL, SCHOOL, CaseBuilder, D, retract

RULE = "repeat_injury"


def test_repeat_injury_fires_for_two_injuries_within_twelve_months_naming_each_agency():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    first = case.injury(D(2025, 6, 1), robin, agency=SCHOOL)
    second = case.injury(D(2026, 6, 1), robin, agency=HOSPITAL)
    [flag] = case.flags(RULE, D(2026, 7, 1))
    assert flag.evidence == (first.id, second.id)
    assert flag.people == (robin.id,)
    assert "Riverside Primary School and Northshire General Hospital" in flag.explanation
    assert flag.explanation.startswith("Two injuries to Robin Testfamily in 12 months, seen by two agencies")


def test_repeat_injury_ignores_injuries_a_day_more_than_twelve_months_apart():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    case.injury(D(2025, 6, 1), robin, agency=SCHOOL)
    case.injury(D(2026, 6, 2), robin, agency=HOSPITAL)
    assert case.flags(RULE, D(2026, 7, 1)) == []


def test_repeat_injury_needs_the_same_child():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    sam = case.child("Sam", D(2019, 4, 4))
    case.injury(D(2026, 1, 1), robin, agency=SCHOOL)
    case.injury(D(2026, 2, 1), sam, agency=GP)
    assert case.flags(RULE, D(2026, 7, 1)) == []


def test_repeat_injury_with_three_required_ignores_two():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    case.injury(D(2026, 1, 1), robin, agency=SCHOOL)
    case.injury(D(2026, 2, 1), robin, agency=GP)
    assert case.flags(RULE, D(2026, 7, 1), {RULE: {"count": 3}}) == []
    assert len(case.flags(RULE, D(2026, 7, 1))) == 1


def test_repeat_injury_ignores_retracted_entries():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    case.injury(D(2026, 1, 1), robin, agency=SCHOOL)
    retract(case, case.injury(D(2026, 2, 1), robin, agency=GP))
    assert case.flags(RULE, D(2026, 7, 1)) == []


def test_repeat_injury_counts_one_injury_seen_by_two_agencies_on_one_day_once():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    case.injury(D(2026, 2, 1), robin, agency=SCHOOL)
    case.injury(D(2026, 2, 1), robin, agency=GP)
    assert case.flags(RULE, D(2026, 7, 1)) == []
    third = case.injury(D(2026, 3, 1), robin, agency=HOSPITAL)
    [flag] = case.flags(RULE, D(2026, 7, 1))
    assert len(flag.evidence) == 3 and flag.evidence[-1] == third.id
    assert flag.explanation.startswith("Two injuries to Robin Testfamily in 4 weeks, seen by three agencies")

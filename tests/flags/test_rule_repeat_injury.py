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


def test_repeat_injury_is_version_two():
    from reporting.flags.base import REGISTRY

    assert REGISTRY[RULE].version == 2


def test_repeat_injury_counts_a_hospital_attendance_for_an_injury():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    first = case.injury(D(2026, 1, 10), robin, agency=SCHOOL)
    attendance = case.entry(
        "hospital_attendance", D(2026, 5, 2), agency=HOSPITAL, about=[robin], summary="Attended ED with a burn to hand"
    )
    [flag] = case.flags(RULE, D(2026, 7, 1))
    assert flag.evidence == (first.id, attendance.id)
    assert flag.rule_version == 2
    assert "Attended ED with a burn to hand, seen by Northshire General Hospital on 2 May 2026" in flag.explanation


def test_repeat_injury_ignores_a_hospital_attendance_not_for_an_injury():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    case.injury(D(2026, 1, 10), robin, agency=SCHOOL)
    case.entry("hospital_attendance", D(2026, 5, 2), agency=HOSPITAL, about=[robin], summary="Attended ED with croup")
    case.entry("hospital_attendance", D(2026, 5, 9), agency=HOSPITAL, about=[robin], summary="Wheeze; no injury seen")
    assert case.flags(RULE, D(2026, 7, 1)) == []


def test_repeat_injury_ignores_a_hospital_attendance_for_an_injury_a_day_past_twelve_months():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    case.injury(D(2025, 6, 1), robin, agency=SCHOOL)
    case.entry("hospital_attendance", D(2026, 6, 2), agency=HOSPITAL, about=[robin], summary="Fractured wrist, fell")
    assert case.flags(RULE, D(2026, 7, 1)) == []


def test_repeat_injury_ignores_a_retracted_hospital_attendance_for_an_injury():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    case.injury(D(2026, 1, 10), robin, agency=SCHOOL)
    retract(
        case,
        case.entry("hospital_attendance", D(2026, 5, 2), agency=HOSPITAL, about=[robin], summary="Burn to hand"),
    )
    assert case.flags(RULE, D(2026, 7, 1)) == []


def test_repeat_injury_says_when_an_explanation_was_recorded_as_not_consistent():
    from reporting.flags.snapshot import InjuryRecord

    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    case.injury(D(2026, 1, 10), robin, agency=SCHOOL)
    case.entry(
        "injury",
        D(2026, 3, 4),
        agency=HOSPITAL,
        about=[robin],
        injury=InjuryRecord("upper arm", "fingertip bruising", "Fell off the sofa", explanation_consistent=False),
    )
    [flag] = case.flags(RULE, D(2026, 7, 1))
    assert flag.explanation.endswith(
        " The explanation given was recorded as not consistent with the injury: Northshire General Hospital "
        "4 March 2026."
    )


def test_repeat_injury_says_nothing_of_consistency_when_each_explanation_is_consistent_or_unassessed():
    from reporting.flags.snapshot import InjuryRecord

    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    case.injury(D(2026, 1, 10), robin, agency=SCHOOL)
    case.entry(
        "injury",
        D(2026, 3, 4),
        agency=HOSPITAL,
        about=[robin],
        injury=InjuryRecord("knee", "graze", "Fell in the playground", explanation_consistent=True),
    )
    [flag] = case.flags(RULE, D(2026, 7, 1))
    assert "not consistent" not in flag.explanation

from tests.flags.builders import GP, HOSPITAL, CaseBuilder, D, retract

RULE = "repeat_hospital_attendance"


LAST_VISIT = D(2026, 1, 5)


def three_visits(case, child, last=LAST_VISIT):
    return [
        case.entry("hospital_attendance", D(2025, 1, 5), agency=HOSPITAL, about=[child], summary="ED: head bump"),
        case.injury(D(2025, 6, 1), child),
        case.entry("hospital_attendance", last, agency=HOSPITAL, about=[child], summary="ED: swallowed a battery"),
    ]


def test_repeat_hospital_attendance_fires_on_three_within_twelve_months():
    case = CaseBuilder()
    ivy = case.child("Ivy", D(2022, 2, 2))
    visits = three_visits(case, ivy)
    [flag] = case.flags(RULE, D(2026, 2, 1))
    assert flag.key == f"person:{ivy.id}"
    assert flag.people == (ivy.id,)
    assert flag.evidence == tuple(e.id for e in visits)
    assert flag.explanation == (
        "Ivy Testfamily attended hospital on three days in 12 months: Northshire General Hospital 5 January, "
        "1 June 2025 and 5 January 2026; one of them recorded an injury."
    )


def test_repeat_hospital_attendance_quiet_when_the_third_is_a_day_past_twelve_months():
    case = CaseBuilder()
    ivy = case.child("Ivy", D(2022, 2, 2))
    three_visits(case, ivy, last=D(2026, 1, 6))
    assert case.flags(RULE, D(2026, 2, 1)) == []


def test_repeat_hospital_attendance_counts_only_what_a_hospital_recorded():
    case = CaseBuilder()
    ivy = case.child("Ivy", D(2022, 2, 2))
    case.entry("hospital_attendance", D(2025, 1, 5), agency=HOSPITAL, about=[ivy])
    case.injury(D(2025, 6, 1), ivy, agency=GP)
    case.entry("hospital_attendance", D(2026, 1, 5), agency=HOSPITAL, about=[ivy])
    assert case.flags(RULE, D(2026, 2, 1)) == []


def test_repeat_hospital_attendance_counts_an_attendance_and_its_injury_on_one_day_once():
    case = CaseBuilder()
    ivy = case.child("Ivy", D(2022, 2, 2))
    case.entry("hospital_attendance", D(2025, 6, 1), agency=HOSPITAL, about=[ivy])
    case.injury(D(2025, 6, 1), ivy)
    case.entry("hospital_attendance", D(2026, 1, 5), agency=HOSPITAL, about=[ivy])
    assert case.flags(RULE, D(2026, 2, 1)) == []


def test_repeat_hospital_attendance_ignores_a_retracted_attendance():
    case = CaseBuilder()
    ivy = case.child("Ivy", D(2022, 2, 2))
    visits = three_visits(case, ivy)
    retract(case, visits[0])
    assert case.flags(RULE, D(2026, 2, 1)) == []


def test_repeat_hospital_attendance_leaves_out_an_adult():
    case = CaseBuilder()
    dad = case.person("Dean", D(1988, 8, 8))
    three_visits(case, dad)
    assert case.flags(RULE, D(2026, 2, 1)) == []


def test_repeat_hospital_attendance_window_is_a_parameter():
    case = CaseBuilder()
    ivy = case.child("Ivy", D(2022, 2, 2))
    three_visits(case, ivy)
    assert case.flags(RULE, D(2026, 2, 1), {RULE: {"window_months": 6}}) == []


def test_repeat_hospital_attendance_says_when_a_run_spans_more_than_the_window():
    case = CaseBuilder()
    ivy = case.child("Ivy", D(2022, 2, 2))
    three_visits(case, ivy)
    case.entry("hospital_attendance", D(2026, 5, 1), agency=HOSPITAL, about=[ivy])
    [flag] = case.flags(RULE, D(2026, 8, 1))
    assert flag.explanation.startswith(
        "Ivy Testfamily attended hospital on four days in 16 months, at least three of them within 12 months: "
    )
